/**
 * `topo import INPUT... -o scenario.yaml`: writes a scenario from Azure's
 * JSON (Resource Graph, ARM REST, az CLI) or ARM templates, then loads it
 * back as topo validate would and says whether it validates. Exit 0 when
 * written, 2 for bad input.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ImportFailure, formatAt, type ImportIssue } from '../import/issues.js';
import { importNetwork } from '../import/import.js';
import { loadScenario } from '../scenario/load.js';
import { paletteFor, type Palette } from '../report/color.js';
import { formatDiagnostic } from '../report/diagnostics-text.js';
import { plural } from '../net/text.js';
import { EXIT, sourceReader, type CliIo } from './io.js';

/** Above this, the written scenario is not loaded back here. */
const VALIDATE_MAX_BYTES = 4 * 2 ** 20;

export interface ImportCliOptions {
  readonly output?: string;
  readonly name?: string;
  readonly region?: string;
  readonly parameters: readonly string[];
}

function formatIssue(i: ImportIssue, c: Palette): string {
  const sev = i.severity === 'error' ? c.red(c.bold('error')) : i.severity === 'warning' ? c.yellow(c.bold('warning')) : c.cyan('note');
  const where = i.at ? `${formatAt(i.at)}: ` : '';
  return `${where}${sev}: ${i.message}${i.hint ? `\n    ${c.cyan('hint:')} ${i.hint}` : ''}`;
}

const COUNTED: readonly [RegExp, string][] = [
  [/^vnets:$/m, 'VNet'],
  [/^networkSecurityGroups:$/m, 'NSG'],
  [/^routeTables:$/m, 'route table'],
  [/^firewalls:$/m, 'firewall'],
  [/^hosts:$/m, 'host'],
  [/^privateEndpoints:$/m, 'private endpoint'],
  [/^resources:$/m, 'PaaS resource'],
];

/** Top-level entries per collection, read back from the written text. */
function counts(yaml: string): string {
  const parts: string[] = [];
  for (const [re, word] of COUNTED) {
    const m = re.exec(yaml);
    if (!m) continue;
    const rest = yaml.slice(m.index + m[0].length);
    const end = rest.search(/^\S/m);
    const block = end < 0 ? rest : rest.slice(0, end);
    const n = (block.match(/^ {2}[^\s#-][^:]*:/gm) ?? []).length;
    if (n > 0) parts.push(plural(n, word));
  }
  return parts.join(', ');
}

export async function runImport(inputs: readonly string[], opts: ImportCliOptions, io: CliIo): Promise<number> {
  const c = paletteFor(io.stderr, io.env);
  const toStdout = opts.output === undefined || opts.output === '-';
  let result;
  try {
    result = importNetwork({ inputs, output: toStdout ? 'imported-network.yaml' : opts.output!, name: opts.name, region: opts.region, parameters: opts.parameters, cwd: io.cwd });
  } catch (error) {
    if (!(error instanceof ImportFailure)) throw error;
    io.stderr.write(`${formatIssue({ severity: 'error', message: error.message, at: error.at, hint: error.hint }, c)}\n`);
    return EXIT.badInput;
  }
  for (const i of result.issues) io.stderr.write(`${formatIssue(i, c)}\n`);
  if (toStdout) {
    io.stdout.write(result.yaml);
    return EXIT.ok;
  }
  writeFileSync(resolve(io.cwd, opts.output!), result.yaml);
  const summary = counts(result.yaml);
  io.stderr.write(`topo import: wrote ${opts.output}${summary ? `: ${summary}` : ''}${result.stats.other ? `; ${plural(result.stats.other, 'other resource')} not imported` : ''}\n`);
  // Loading back a very large scenario takes longer than importing it; topo validate does it on request.
  if (result.yaml.length > VALIDATE_MAX_BYTES) {
    io.stderr.write(`topo import: ${opts.output} is ${(result.yaml.length / 2 ** 20).toFixed(0)} MiB; check it with: topo validate ${opts.output}\n`);
    return EXIT.ok;
  }
  const loaded = loadScenario(opts.output!, { cwd: io.cwd });
  const errors = loaded.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length === 0) io.stderr.write(`topo import: ${opts.output} validates\n`);
  else {
    const source = sourceReader(io.cwd);
    for (const d of errors) io.stderr.write(`${formatDiagnostic(d, source, c)}\n`);
    const unresolved = result.stats.unresolved;
    const why = unresolved > 0 ? `${plural(unresolved, 'value')} could not be resolved (marked '# ...: unresolved' in the file: give them with --parameters or --region, or edit them in); any other error is what topo validate finds in the design as imported` : 'these are what topo validate finds in the design as imported';
    io.stderr.write(`topo import: ${opts.output} does not validate (${plural(errors.length, 'error')}): ${why}\n`);
  }
  return EXIT.ok;
}
