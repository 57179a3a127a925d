/**
 * INPUT... -> every resource to map. Files and directories (searched for
 * *.json) in any mix; parameter files apply to every template (--parameters,
 * or given as inputs); a template in a directory without explicit
 * parameters takes the `<name>.parameters.json` next to it.
 */
import { readdirSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { ImportFailure, type Issues } from '../issues.js';
import { deployTemplate } from '../template/deploy.js';
import { resolveRuntimeReads } from '../template/runtime.js';
import type { Value } from '../template/values.js';
import { isMappedType } from '../types.js';
import { readInput, ResourceSink, type InputDoc } from './read.js';

export interface CollectOptions {
  readonly cwd: string;
  readonly parameters: readonly string[];
  readonly region?: string;
}

export interface Collected {
  readonly sink: ResourceSink;
  readonly docs: readonly InputDoc[];
}

const SKIP_DIRS = new Set(['node_modules', '.git']);

function display(cwd: string, abs: string): string {
  const rel = relative(cwd, abs);
  return rel && !rel.startsWith('..') ? rel : abs;
}

function jsonFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (e.name.startsWith('.') || SKIP_DIRS.has(e.name)) continue;
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && e.name.toLowerCase().endsWith('.json')) out.push(p);
    }
  };
  walk(dir);
  return out;
}

export function collectInputs(inputs: readonly string[], options: CollectOptions, issues: Issues): Collected {
  const sink = new ResourceSink();
  const docs: { doc: InputDoc; abs: string; fromDir: boolean }[] = [];
  for (const input of inputs) {
    const abs = resolve(options.cwd, input);
    let isDir: boolean;
    try {
      isDir = statSync(abs).isDirectory();
    } catch {
      throw new ImportFailure(`${input} does not exist`);
    }
    if (!isDir) {
      docs.push({ doc: readInput(abs, display(options.cwd, abs), sink), abs, fromDir: false });
      continue;
    }
    const files = jsonFiles(abs);
    const found = files.map((f) => ({ doc: readInput(f, display(options.cwd, f), sink), abs: f, fromDir: true }));
    const usable = found.filter((f) => f.doc.kind === 'template' || (f.doc.kind === 'resources' && f.doc.count > 0));
    if (usable.length === 0) {
      const reasons = found.map((f) => `${f.doc.file}: ${f.doc.kind === 'unrecognised' ? f.doc.why : f.doc.kind === 'parameters' ? 'a parameters file' : 'no resources'}`);
      throw new ImportFailure(`directory ${input} holds nothing topo can import${files.length === 0 ? ' (no .json files)' : ''}`, undefined, reasons.length ? reasons.slice(0, 8).join('; ') : 'pass Resource Graph or az CLI JSON output, or ARM templates');
    }
    docs.push(...found);
  }
  for (const d of docs) {
    // `az graph query` returns 100 rows unless told otherwise: a page is not the estate.
    if (d.doc.kind === 'resources' && d.doc.envelope) {
      const { skip_token: skip, $skipToken: skip2, total_records: total, totalRecords: total2, nextLink } = d.doc.envelope as Record<string, unknown>;
      const all = typeof total === 'number' ? total : typeof total2 === 'number' ? total2 : undefined;
      if (typeof nextLink === 'string' && nextLink) issues.warning(`${d.doc.file} is one page of an ARM list (it has a nextLink): resources on the other pages are missing`, { file: d.doc.file }, 'follow nextLink and pass every page as an input');
      else if ((typeof skip === 'string' && skip) || (typeof skip2 === 'string' && skip2) || (all !== undefined && all > d.doc.count)) {
        issues.warning(`${d.doc.file} is one page of a Resource Graph result${all !== undefined ? ` (${d.doc.count} of ${all} rows)` : ''}: resources on the other pages are missing`, { file: d.doc.file }, 'az graph query returns 100 rows unless asked: use --first 1000, and pass every page (--skip-token) as an input');
      }
    }
    if (d.doc.kind !== 'unrecognised') continue;
    if (d.fromDir) issues.note(`skipped ${d.doc.file}: ${d.doc.why}`);
    else throw new ImportFailure(`${d.doc.file} cannot be imported: ${d.doc.why}`, { file: d.doc.file });
  }

  const explicit = new Map<string, Value>();
  for (const p of options.parameters) {
    const abs = resolve(options.cwd, p);
    let doc: InputDoc;
    try {
      doc = readInput(abs, display(options.cwd, abs), new ResourceSink());
    } catch (error) {
      if (error instanceof ImportFailure && /cannot be read/.test(error.message)) throw new ImportFailure(`--parameters ${p} does not exist`);
      throw error;
    }
    if (doc.kind !== 'parameters') throw new ImportFailure(`--parameters ${p} is not an ARM parameters file`, { file: doc.file }, 'it needs "parameters": { "name": { "value": ... } } (the deploymentParameters format)');
    for (const [k, v] of doc.values) explicit.set(k, v);
  }
  for (const d of docs) if (d.doc.kind === 'parameters' && !d.fromDir) for (const [k, v] of d.doc.values) explicit.set(k, v);
  const hasExplicit = options.parameters.length > 0 || docs.some((d) => d.doc.kind === 'parameters' && !d.fromDir);

  for (const d of docs) {
    if (d.doc.kind !== 'template') continue;
    let values: ReadonlyMap<string, Value> = explicit;
    let unused: string[] = [];
    if (!hasExplicit && d.fromDir) {
      const base = basename(d.abs).replace(/\.json$/i, '').toLowerCase();
      const siblings = docs.filter((x) => x.doc.kind === 'parameters' && dirname(x.abs) === dirname(d.abs));
      const match = siblings.find((x) => basename(x.abs).toLowerCase() === `${base}.parameters.json`);
      if (match && match.doc.kind === 'parameters') {
        values = match.doc.values;
        issues.note(`${d.doc.file}: parameters from ${match.doc.file}`);
      } else if (siblings.length > 0) {
        unused = siblings.map((s) => s.doc.file);
        issues.note(`${d.doc.file}: parameter files ${unused.join(', ')} are next to it; none is applied without --parameters`);
      }
    }
    let deployed;
    try {
      deployed = deployTemplate({ file: d.doc.file, template: d.doc.template, lineOf: d.doc.lineOf, parameters: values }, { region: options.region, relevant: isMappedType }, issues);
    } catch (error) {
      if (error instanceof ImportFailure && unused.length > 0) throw new ImportFailure(error.message, error.at, `pass one of the parameter files next to it: --parameters ${unused.join(' or --parameters ')}`);
      throw error;
    }
    for (const r of resolveRuntimeReads(deployed)) sink.add(r);
  }
  return { sink, docs: docs.map((d) => d.doc) };
}
