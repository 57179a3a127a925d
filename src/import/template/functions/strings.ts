/** String functions of ARM templates. */
import { EvalError, type FunctionImpl } from '../evaluate.js';
import { uniqueString } from '../unique-string.js';
import type { Value } from '../values.js';
import { arr, int, str, strict, toText } from './args.js';

/** .NET composite formatting, as format() uses it: {index[,alignment][:format]}, {{ and }}. */
export function dotnetFormat(fmt: string, args: readonly Value[]): string {
  let out = '';
  for (let i = 0; i < fmt.length; i++) {
    const c = fmt[i];
    if (c === '{' && fmt[i + 1] === '{') {
      out += '{';
      i++;
    } else if (c === '}' && fmt[i + 1] === '}') {
      out += '}';
      i++;
    } else if (c === '{') {
      const end = fmt.indexOf('}', i);
      const m = end < 0 ? null : /^(\d+)(?:,(-?\d+))?(?::(.*))?$/.exec(fmt.slice(i + 1, end));
      if (!m) throw new EvalError(`format(): '${fmt}' is not a valid format string`);
      const index = Number(m[1]);
      if (index >= args.length) throw new EvalError(`format(): {${index}} has no argument`);
      let text = formatOne(args[index], m[3]);
      const align = m[2] ? Number(m[2]) : 0;
      if (align > 0) text = text.padStart(align);
      else if (align < 0) text = text.padEnd(-align);
      out += text;
      i = end;
    } else if (c === '}') throw new EvalError(`format(): unmatched '}' in '${fmt}'`);
    else out += c;
  }
  return out;
}

function formatOne(v: Value, spec: string | undefined): string {
  if (spec && typeof v === 'number') {
    const m = /^([DdXxNn])(\d*)$/.exec(spec);
    if (m) {
      const width = m[2] ? Number(m[2]) : 0;
      if (m[1] === 'D' || m[1] === 'd') return (v < 0 ? '-' : '') + String(Math.abs(Math.trunc(v))).padStart(width, '0');
      if (m[1] === 'X' || m[1] === 'x') {
        const hex = Math.trunc(v).toString(16).padStart(width, '0');
        return m[1] === 'X' ? hex.toUpperCase() : hex;
      }
      return v.toLocaleString('en-US', { minimumFractionDigits: m[2] ? width : 2, maximumFractionDigits: m[2] ? width : 2 });
    }
  }
  return toText(v);
}

const ci = (s: string) => s.toLowerCase();

export const STRING_FUNCTIONS: Record<string, FunctionImpl> = {
  concat: strict('concat', (args) => {
    if (args.length > 0 && args.every(Array.isArray)) return (args as Value[][]).flat(1);
    return args.map((a) => toText(a)).join('');
  }),
  format: strict('format', (args) => dotnetFormat(str(args[0], 'format'), args.slice(1)), [1, Infinity]),
  string: strict('string', ([v]) => toText(v), [1, 1]),
  tolower: strict('toLower', ([v]) => str(v, 'toLower').toLowerCase(), [1, 1]),
  toupper: strict('toUpper', ([v]) => str(v, 'toUpper').toUpperCase(), [1, 1]),
  trim: strict('trim', ([v]) => str(v, 'trim').trim(), [1, 1]),
  replace: strict('replace', ([s, a, b]) => str(s, 'replace').split(str(a, 'replace')).join(str(b, 'replace')), [3, 3]),
  split: strict(
    'split',
    ([s, d]) => {
      const text = str(s, 'split');
      const delims = Array.isArray(d) ? d.map((x) => str(x, 'split')) : [str(d, 'split')];
      let parts = [text];
      for (const delim of delims) parts = parts.flatMap((p) => p.split(delim));
      return parts;
    },
    [2, 2],
  ),
  substring: strict(
    'substring',
    ([s, start, len]) => {
      const text = str(s, 'substring');
      const from = int(start, 'substring');
      const count = len === undefined ? text.length - from : int(len, 'substring');
      if (from < 0 || count < 0 || from + count > text.length) throw new EvalError(`substring(): ${from}, ${count} is outside '${text}'`);
      return text.substr(from, count);
    },
    [2, 3],
  ),
  startswith: strict('startsWith', ([s, p]) => ci(str(s, 'startsWith')).startsWith(ci(str(p, 'startsWith'))), [2, 2]),
  endswith: strict('endsWith', ([s, p]) => ci(str(s, 'endsWith')).endsWith(ci(str(p, 'endsWith'))), [2, 2]),
  lastindexof: strict('lastIndexOf', ([s, p]) => (Array.isArray(s) ? s.map(toText).lastIndexOf(toText(p)) : ci(str(s, 'lastIndexOf')).lastIndexOf(ci(str(p, 'lastIndexOf')))), [2, 2]),
  padleft: strict('padLeft', ([v, n, ch]) => toText(v).padStart(int(n, 'padLeft'), ch === undefined ? ' ' : str(ch, 'padLeft')), [2, 3]),
  base64: strict('base64', ([v]) => Buffer.from(str(v, 'base64'), 'utf8').toString('base64'), [1, 1]),
  base64tostring: strict('base64ToString', ([v]) => Buffer.from(str(v, 'base64ToString'), 'base64').toString('utf8'), [1, 1]),
  base64tojson: strict('base64ToJson', ([v]) => JSON.parse(Buffer.from(str(v, 'base64ToJson'), 'base64').toString('utf8')) as Value, [1, 1]),
  uricomponent: strict('uriComponent', ([v]) => encodeURIComponent(str(v, 'uriComponent')), [1, 1]),
  uricomponenttostring: strict('uriComponentToString', ([v]) => decodeURIComponent(str(v, 'uriComponentToString')), [1, 1]),
  uri: strict('uri', ([b, r]) => new URL(str(r, 'uri'), str(b, 'uri')).toString(), [2, 2]),
  uniquestring: strict('uniqueString', (args) => uniqueString(args.map((a) => str(a, 'uniqueString'))), [1, Infinity]),
  datauri: strict('dataUri', ([v]) => `data:text/plain;charset=utf8;base64,${Buffer.from(toText(v), 'utf8').toString('base64')}`, [1, 1]),
  join: strict('join', ([a, d]) => arr(a, 'join').map(toText).join(str(d, 'join')), [2, 2]),
};
