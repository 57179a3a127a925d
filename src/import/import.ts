/**
 * `topo import`: inputs -> ArmResource[] -> scenario draft -> YAML. Bad
 * input throws ImportFailure (exit 2); everything else travels as issues
 * next to the written text.
 */
import { basename, dirname, extname, relative, resolve, sep } from 'node:path';
import { packageFile } from '../util/package-root.js';
import { emitScenarioYaml } from './emit/yaml.js';
import { collectInputs } from './inputs/collect.js';
import { Issues, type ImportIssue } from './issues.js';
import { mapScenario } from './map/index.js';
import { sanitizeName } from './map/names.js';

export interface ImportOptions {
  readonly inputs: readonly string[];
  /** Where the scenario will be written: names the scenario and places the schema modeline. */
  readonly output: string;
  readonly name?: string;
  readonly region?: string;
  readonly parameters?: readonly string[];
  readonly cwd: string;
}

export interface ImportResult {
  readonly yaml: string;
  readonly issues: readonly ImportIssue[];
  readonly stats: { readonly resources: number; readonly other: number; readonly files: number; /** Values written as their unresolved template expression. */ readonly unresolved: number };
}

function schemaRef(outputAbs: string): string {
  const rel = relative(dirname(outputAbs), packageFile('schema', 'scenario.schema.json')).split(sep).join('/');
  return rel.startsWith('.') ? rel : `./${rel}`;
}

export function importNetwork(options: ImportOptions): ImportResult {
  const issues = new Issues();
  const collected = collectInputs(options.inputs, { cwd: options.cwd, parameters: options.parameters ?? [], region: options.region }, issues);
  const outputAbs = resolve(options.cwd, options.output);
  const name = options.name ?? sanitizeName(basename(outputAbs, extname(outputAbs)) || 'imported-network');
  const draft = mapScenario(collected.sink.resources, collected.sink.otherTypes, issues, { name, region: options.region });
  draft.header.push(
    `imported by topo import from ${options.inputs.join(', ')}`,
    'keep intents in a file of their own that includes this one (include: [./' + basename(outputAbs) + ']); re-import to refresh',
    ...(draft.unknowns > 0 ? [`${draft.unknowns} value${draft.unknowns === 1 ? ' is' : 's are'} unresolved (see the '# ...: unresolved' comments) and written as ${draft.unknowns === 1 ? 'its' : 'their'} template expression, which topo validate rejects until replaced`] : []),
    ...(draft.leftOut.length > 0 ? [`${draft.leftOut.length} object${draft.leftOut.length === 1 ? ' is' : 's are'} not imported: listed at the end of the file`] : []),
  );
  const other = [...collected.sink.otherTypes.values()].reduce((a, b) => a + b, 0);
  return { yaml: emitScenarioYaml(draft, schemaRef(outputAbs)), issues: issues.finish(), stats: { resources: collected.sink.resources.length, other, files: collected.docs.length, unresolved: draft.unknowns } };
}
