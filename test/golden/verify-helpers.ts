/**
 * Shared by the tests of `topo verify` and its formats: a fake terminal, a
 * fixed clock and tool version (so reports are byte-for-byte reproducible),
 * and the official SARIF 2.1.0 schema compiled once.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import AjvModule, { type ValidateFunction } from 'ajv';
import type { CliIo } from '../../src/cli/io.js';
import type { VerifyDeps } from '../../src/cli/verify.js';
import { compile } from '../../src/model/compile.js';
import type { RenderContext, VerifiedScenario } from '../../src/report/verify-context.js';
import { loadScenario } from '../../src/scenario/load.js';
import { packageRoot } from '../../src/util/package-root.js';
import { verifyNetwork } from '../../src/verify/verify.js';

export const root = packageRoot();

export const TWO_SPOKES = 'test/fixtures/two-spokes.yaml';
export const HUB_SPOKE = 'test/fixtures/hub-spoke.yaml';
export const UNDECIDED = 'test/fixtures/verify-undecided.yaml';
export const WARNINGS_ONLY = 'test/fixtures/validate/valid-with-warnings.yaml';

export const FIXED: Required<VerifyDeps> = { now: () => 0, tool: { name: 'topo', version: '0.0.0-test', informationUri: 'https://www.npmjs.com/package/topo-azure' } };

/** A terminal that is not a TTY and asks for no colour: what CI sees. */
export function fakeIo(cwd = root): { io: CliIo; stdout: () => string; stderr: () => string } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: { stdout: { write: (t) => void out.push(t), isTTY: false }, stderr: { write: (t) => void err.push(t), isTTY: false }, cwd, env: { NO_COLOR: '1' } },
    stdout: () => out.join(''),
    stderr: () => err.join(''),
  };
}

const memo = new Map<string, VerifiedScenario>();

/** Loads, compiles and verifies one file the way the command does (once per file: results are immutable). */
export function verified(file: string, cwd = root, only?: readonly string[]): VerifiedScenario {
  const key = JSON.stringify([file, cwd, only]);
  const hit = memo.get(key);
  if (hit) return hit;
  const loaded = loadScenario(file, { cwd });
  if (!loaded.scenario) throw new Error(`${file} does not load: ${loaded.diagnostics.map((d) => d.message).join('; ')}`);
  const { network, diagnostics } = compile(loaded.scenario, loaded.catalog!);
  const run = { file, network, results: verifyNetwork(network, [...loaded.diagnostics, ...diagnostics], { only }), seconds: 0 };
  memo.set(key, run);
  return run;
}

export function context(extra: Partial<RenderContext> = {}): RenderContext {
  return { cwd: root, exitCode: 1, failOn: 'error', tool: FIXED.tool, ...extra };
}

let sarifValidator: ValidateFunction | undefined;

/**
 * The SARIF 2.1.0 schema as Microsoft's SARIF SDK ships it in
 * @microsoft/jest-sarif (revision 2.1.0-rtm.5, JSON Schema draft-04). ajv 8
 * reads it once the draft-04 `id` is dropped; its language-tag pattern has a
 * stray `]` that only non-unicode regular expressions accept. The formats it
 * names are checked here, since ajv-formats is not a dependency.
 */
export function validateSarif(log: unknown): string[] {
  if (!sarifValidator) {
    const require = createRequire(import.meta.url);
    const schema = JSON.parse(readFileSync(require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8')) as Record<string, unknown>;
    delete schema.$schema;
    delete schema.id;
    const Ajv = AjvModule.default ?? AjvModule;
    // Not inlining the schema's many $refs halves the compile time; validation is the same.
    const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false, inlineRefs: false, code: { optimize: false } });
    ajv.addFormat('uri', /^[a-z][a-z0-9+.-]*:[^\s\\]*$/i);
    ajv.addFormat('uri-reference', /^(?:[^\s\\%]|%[0-9a-f]{2})*$/i);
    ajv.addFormat('date-time', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)$/i);
    sarifValidator = ajv.compile(schema);
  }
  return sarifValidator(log) ? [] : (sarifValidator.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`);
}

/**
 * What GitHub code scanning needs beyond the schema (the "GitHub ingestion"
 * rules of the SARIF validator): rules with help, results with a relative
 * file location on a line >= 1, every code-flow step in a file, fingerprints.
 */
export function githubProblems(log: any): string[] {
  const problems: string[] = [];
  const run = log.runs?.[0];
  if (log.runs?.length !== 1) problems.push('exactly one run');
  const rules: any[] = run?.tool?.driver?.rules ?? [];
  if (!run?.tool?.driver?.semanticVersion) problems.push('driver.semanticVersion');
  for (const r of rules) {
    if (!r.shortDescription?.text || !r.fullDescription?.text || !r.help?.text) problems.push(`rule ${r.id}: short/full description and help`);
    const sev = r.properties?.['security-severity'];
    if (sev !== undefined && !(typeof sev === 'string' && Number(sev) >= 0.1 && Number(sev) <= 10)) problems.push(`rule ${r.id}: security-severity "0.1".."10.0"`);
  }
  const checkLocation = (where: string, loc: any) => {
    const uri: string | undefined = loc?.physicalLocation?.artifactLocation?.uri;
    if (!uri) problems.push(`${where}: physicalLocation.artifactLocation.uri`);
    else if (uri.startsWith('/') || /^[a-z][a-z0-9+.-]*:/i.test(uri)) problems.push(`${where}: uri ${uri} is not relative`);
    if (!(loc?.physicalLocation?.region?.startLine >= 1)) problems.push(`${where}: region.startLine >= 1`);
  };
  (run?.results ?? []).forEach((res: any, i: number) => {
    const where = `result ${i}`;
    const rule = rules[res.ruleIndex];
    if (!rule || rule.id !== res.ruleId) problems.push(`${where}: ruleIndex ${res.ruleIndex} is not ${res.ruleId}`);
    if (!res.message?.text) problems.push(`${where}: message.text`);
    if (!res.locations?.length || res.locations.length > 10) problems.push(`${where}: 1 to 10 locations`);
    for (const loc of res.locations ?? []) checkLocation(where, loc);
    for (const loc of res.relatedLocations ?? []) checkLocation(`${where} related`, loc);
    for (const flow of res.codeFlows ?? []) for (const t of flow.threadFlows) for (const step of t.locations) checkLocation(`${where} step`, step.location);
    if (!res.partialFingerprints || Object.keys(res.partialFingerprints).length === 0) problems.push(`${where}: partialFingerprints`);
  });
  return problems;
}

export interface XmlElement {
  readonly name: string;
  readonly attrs: Readonly<Record<string, string>>;
  readonly children: readonly XmlElement[];
  readonly text: string;
}

/**
 * A strict reader for the XML the JUnit report uses (declaration, elements,
 * attributes, text, the five entities and character references): it throws on
 * anything a conforming parser would reject, so tests prove well-formedness
 * and read values back as CI services will.
 */
export function parseXml(xml: string): XmlElement {
  const illegal = /[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/u.exec(xml);
  if (illegal) throw new Error(`character U+${illegal[0].codePointAt(0)!.toString(16)} is not allowed in XML`);
  let i = 0;
  const fail = (what: string): never => {
    throw new Error(`${what} at offset ${i}: ${JSON.stringify(xml.slice(i, i + 40))}`);
  };
  const decode = (raw: string): string => {
    if (raw.includes('<')) fail('raw <');
    if (raw.includes(']]>')) fail('raw ]]>');
    return raw.replace(/&([^;]*);|&/g, (m, ref: string | undefined) => {
      const named: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
      if (ref === undefined) return fail('bare &');
      if (ref in named) return named[ref];
      const n = /^#x([0-9a-f]+)$/i.exec(ref) ? parseInt(ref.slice(2), 16) : /^#(\d+)$/.exec(ref) ? Number(ref.slice(1)) : fail(`unknown entity ${m}`);
      return String.fromCodePoint(n);
    });
  };
  const decl = /^<\?xml version="1\.0" encoding="UTF-8"\?>\n/.exec(xml);
  if (!decl) fail('missing XML declaration');
  i = decl![0].length;
  const element = (): XmlElement => {
    const open = /^<([A-Za-z_][\w.-]*)/.exec(xml.slice(i)) ?? fail('expected an element');
    const name = open[1];
    i += open[0].length;
    const attrs: Record<string, string> = {};
    for (;;) {
      const attr = /^\s+([A-Za-z_][\w.-]*)="([^"]*)"/.exec(xml.slice(i));
      if (!attr) break;
      if (attr[1] in attrs) fail(`duplicate attribute ${attr[1]}`);
      // Entities survive attribute-value normalisation; literal whitespace does not.
      attrs[attr[1]] = decode(attr[2].replace(/[\t\n\r]/g, ' '));
      i += attr[0].length;
    }
    const end = /^\s*(\/?)>/.exec(xml.slice(i)) ?? fail(`malformed tag <${name}`);
    i += end[0].length;
    if (end[1]) return { name, attrs, children: [], text: '' };
    const children: XmlElement[] = [];
    let text = '';
    for (;;) {
      const lt = xml.indexOf('<', i);
      if (lt < 0) fail(`unclosed <${name}>`);
      text += decode(xml.slice(i, lt));
      i = lt;
      if (xml.startsWith(`</${name}>`, i)) {
        i += name.length + 3;
        return { name, attrs, children, text };
      }
      if (xml.startsWith('</', i)) fail(`mismatched end tag inside <${name}>`);
      children.push(element());
    }
  };
  const rootElement = element();
  if (xml.slice(i).trim() !== '') fail('content after the root element');
  return rootElement;
}

export function childrenNamed(e: XmlElement, name: string): XmlElement[] {
  return e.children.filter((c) => c.name === name);
}
