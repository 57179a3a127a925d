/**
 * Small deployed-resource JSON in the shapes Azure prints, for the mapping
 * tests, and a one-call import into a fixture directory.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { importNetwork, type ImportResult } from '../../../src/import/import.js';
import { loadScenario, type Loaded } from '../../../src/scenario/load.js';
import { writeFixture } from '../../helpers/scenario-fixture.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Obj = { [key: string]: Json };

export const SUB = '11111111-2222-3333-4444-555555555555';

export function rid(rg: string, type: string, ...names: string[]): string {
  const [ns, ...types] = type.split('/');
  return `/subscriptions/${SUB}/resourceGroups/${rg}/providers/${ns}/${types.map((t, i) => `${t}/${names[i]}`).join('/')}`;
}

/** A Resource Graph row: lower-case type, resource group and subscription alongside. */
export function row(rg: string, type: string, name: string, properties: Obj, extra: Obj = {}): Obj {
  return { id: rid(rg, type, name), name, type: type.toLowerCase(), location: 'westeurope', resourceGroup: rg, subscriptionId: SUB, tags: {}, properties, ...extra };
}

export const graph = (...rows: Obj[]): Obj => ({ count: rows.length, data: rows, skip_token: null, total_records: rows.length });

export interface Imported {
  readonly dir: string;
  readonly result: ImportResult;
  readonly yaml: string;
  readonly loaded: Loaded;
  readonly errors: string[];
  readonly warnings: string[];
}

/** Writes the files (JSON values are stringified), imports `inputs` (default: every file) to network.yaml, loads it back. */
export function importFiles(files: Record<string, Json | string>, options: { inputs?: string[]; region?: string; parameters?: string[]; name?: string } = {}): Imported {
  const dir = writeFixture(Object.fromEntries(Object.entries(files).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v, null, 2)])));
  const result = importNetwork({ inputs: options.inputs ?? Object.keys(files), output: 'network.yaml', cwd: dir, region: options.region, parameters: options.parameters, name: options.name });
  writeFileSync(join(dir, 'network.yaml'), result.yaml);
  const loaded = loadScenario('network.yaml', { cwd: dir });
  return {
    dir,
    result,
    yaml: result.yaml,
    loaded,
    errors: loaded.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code} ${d.message}`),
    warnings: loaded.diagnostics.filter((d) => d.severity === 'warning').map((d) => `${d.code} ${d.message}`),
  };
}
