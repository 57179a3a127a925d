/**
 * Reads one input file and says what it is: a deployment template, a
 * parameters file, or a list of deployed resources (Resource Graph `data`,
 * ARM REST `value`, az CLI arrays, one resource). Files above STREAM_BYTES
 * are read item by item (json/stream.ts); resources of types topo does not
 * map are only counted, so memory follows the network, not the file.
 */
import { readFileSync, statSync } from 'node:fs';
import { JsonSyntaxError, parseJsonWithPositions } from '../json/parse.js';
import { streamResourceList } from '../json/stream.js';
import { ImportFailure } from '../issues.js';
import type { ArmResource } from '../resource.js';
import { isObject, Unresolved, type Value } from '../template/values.js';
import { isMappedType, isScaffolding } from '../types.js';
import { looksLikeResource, normaliseResource } from './normalise.js';

export const STREAM_BYTES = 16 * 1024 * 1024;

export type InputDoc =
  | { readonly kind: 'template'; readonly file: string; readonly template: Record<string, unknown>; readonly lineOf: (c: object, m?: string | number) => number | undefined }
  | { readonly kind: 'parameters'; readonly file: string; readonly values: ReadonlyMap<string, Value> }
  | { readonly kind: 'resources'; readonly file: string; readonly shape: string; readonly count: number; readonly envelope?: Readonly<Record<string, unknown>> }
  | { readonly kind: 'unrecognised'; readonly file: string; readonly why: string };

/** Where deployed resources go: mapped ones kept, the others counted by type. */
export class ResourceSink {
  readonly resources: ArmResource[] = [];
  /** Counts by type as first spelled (Resource Graph prints types in lower case, ARM in mixed case). */
  readonly otherTypes = new Map<string, number>();
  private readonly spelling = new Map<string, string>();

  add(r: ArmResource): void {
    if (isMappedType(r.type)) this.resources.push(r);
    else if (!isScaffolding(r.type)) {
      const key = this.spelling.get(r.type.toLowerCase()) ?? r.type;
      this.spelling.set(r.type.toLowerCase(), key);
      this.otherTypes.set(key, (this.otherTypes.get(key) ?? 0) + 1);
    }
  }
}

export function readInput(path: string, display: string, sink: ResourceSink): InputDoc {
  let size: number;
  try {
    size = statSync(path).size;
  } catch (error) {
    throw new ImportFailure(`${display} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  if (size > STREAM_BYTES) return streamed(path, display, sink);
  let text: string;
  try {
    text = decode(readFileSync(path), display);
  } catch (error) {
    if (error instanceof ImportFailure) throw error;
    throw new ImportFailure(`${display} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  if (text.trim() === '') throw new ImportFailure(`${display} is empty`, { file: display, line: 1, col: 1 });
  let parsed;
  try {
    parsed = parseJsonWithPositions(text);
  } catch (error) {
    if (error instanceof JsonSyntaxError) throw new ImportFailure(`${display} is not valid JSON: ${error.message}`, { file: display, line: error.line, col: error.col });
    throw error;
  }
  return classify(parsed.value, display, parsed.lineOf, sink);
}

/** UTF-8, or UTF-16 with a byte-order mark (what PowerShell's > writes). */
function decode(bytes: Buffer, display: string): string {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return bytes.subarray(2).toString('utf16le');
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) {
    const swapped = Buffer.from(bytes.subarray(2));
    swapped.swap16();
    return swapped.toString('utf16le');
  }
  const text = bytes.toString('utf8');
  if (text.includes('\ufffd') && !bytes.includes(Buffer.from('\ufffd', 'utf8'))) throw new ImportFailure(`${display} is neither UTF-8 nor UTF-16 text`, { file: display, line: 1, col: 1 });
  return text;
}

function streamed(path: string, display: string, sink: ResourceSink): InputDoc {
  let count = 0;
  try {
    const result = streamResourceList(path, (item, line) => {
      const r = normaliseResource(item, { file: display, line });
      if (r) {
        count++;
        sink.add(r);
      }
    });
    return { kind: 'resources', file: display, shape: result.shape === 'data' ? 'Resource Graph results' : result.shape === 'value' ? 'ARM REST list' : 'resource list', count, envelope: result.envelope };
  } catch (error) {
    if (error instanceof JsonSyntaxError) throw new ImportFailure(`${display} is not valid JSON: ${error.message}`, { file: display, line: error.line, col: error.col });
    throw error;
  }
}

function classify(value: unknown, display: string, lineOf: (c: object, m?: string | number) => number | undefined, sink: ResourceSink): InputDoc {
  if (Array.isArray(value)) return list(value, display, lineOf, sink, 'resource list (az CLI)');
  if (!isObject(value as Value)) return { kind: 'unrecognised', file: display, why: 'it holds a single JSON value, not resources or a template' };
  const o = value as Record<string, unknown>;
  const schema = typeof o.$schema === 'string' ? o.$schema : '';
  if (/deploymentParameters/i.test(schema) || (!schema && isObject(o.parameters as Value) && !('resources' in o) && Object.values(o.parameters as object).every((p) => isObject(p as Value) && ('value' in (p as object) || 'reference' in (p as object))))) {
    return { kind: 'parameters', file: display, values: parameterValues(o.parameters, display, lineOf) };
  }
  if (/deploymentTemplate/i.test(schema) || ('resources' in o && ('contentVersion' in o || 'parameters' in o || 'variables' in o))) return { kind: 'template', file: display, template: o, lineOf };
  if (Array.isArray(o.data)) return list(o.data, display, lineOf, sink, 'Resource Graph results', o);
  if (Array.isArray(o.value)) return list(o.value, display, lineOf, sink, 'ARM REST list', o);
  if (looksLikeResource(o)) return list([o], display, () => 1, sink, 'single resource');
  if (Array.isArray(o.changes)) return { kind: 'unrecognised', file: display, why: 'it looks like what-if output, which topo does not read yet' };
  return { kind: 'unrecognised', file: display, why: 'it is neither a template, a parameters file nor a list of Azure resources' };
}

function list(items: unknown[], display: string, lineOf: (c: object, m?: string | number) => number | undefined, sink: ResourceSink, shape: string, envelope?: Record<string, unknown>): InputDoc {
  let count = 0;
  for (const [i, item] of items.entries()) {
    const r = normaliseResource(item, { file: display, line: lineOf(items, i) });
    if (!r) continue;
    count++;
    sink.add(r);
  }
  if (count === 0 && items.length > 0) return { kind: 'unrecognised', file: display, why: `its ${items.length} items are not Azure resources (no type and id)` };
  const rest = envelope ? Object.fromEntries(Object.entries(envelope).filter(([k]) => k !== 'data' && k !== 'value')) : undefined;
  return { kind: 'resources', file: display, shape, count, ...(rest ? { envelope: rest } : {}) };
}

function parameterValues(params: unknown, display: string, lineOf: (c: object, m?: string | number) => number | undefined): Map<string, Value> {
  const out = new Map<string, Value>();
  if (!isObject(params as Value)) return out;
  for (const [k, v] of Object.entries(params as Record<string, unknown>)) {
    if (!isObject(v as Value)) continue;
    const p = v as Record<string, unknown>;
    out.set(k.toLowerCase(), 'value' in p ? (p.value as Value) : new Unresolved(`parameter '${k}' is a Key Vault reference, read at deploy time`, undefined, display, lineOf(params as object, k)));
  }
  return out;
}
