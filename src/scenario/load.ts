/**
 * Loads a scenario: file -> YAML -> located tree -> schema -> includes ->
 * typed Scenario -> semantic checks. Never throws for bad input: every
 * problem is a Diagnostic, and a Scenario is returned only when there is no
 * error.
 */
import { dirname, isAbsolute, normalize, relative, resolve } from 'node:path';
import { CatalogFileError, loadOfficialCatalog, shippedCatalog, type ServiceTagCatalog } from '../catalog/service-tags.js';
import { Builder, collectionEntries } from './build.js';
import { checkScenario } from './checks/index.js';
import { diag, hasErrors, sortDiagnostics, type Diagnostic } from './diagnostics.js';
import { decodeScenarioBytes, readScenarioText, pointLoc } from './read-file.js';
import { validateSchema } from './schema-validate.js';
import type { Located, SourceLoc } from './source-loc.js';
import type * as T from './types.js';
import { mapGet, type LMap, type LNode } from './yaml-tree.js';
import { parseYaml } from './yaml-parse.js';

export interface LoadOptions {
  /** An official ServiceTags_Public file; overrides the scenario's serviceTags:. */
  readonly serviceTagsFile?: string;
  /** Base for relative display paths (default process.cwd()). */
  readonly cwd?: string;
  /** Run the semantic checks (default true). */
  readonly checks?: boolean;
  /**
   * Reads a file's bytes instead of the file system (e.g. a version from
   * git); undefined means the file does not exist there.
   */
  readonly readFile?: (absPath: string) => Uint8Array | undefined;
  /** Suffix for display paths of files read through readFile (e.g. `@HEAD`). */
  readonly displaySuffix?: string;
}

export interface Loaded {
  readonly scenario?: T.Scenario;
  readonly catalog?: ServiceTagCatalog;
  readonly diagnostics: readonly Diagnostic[];
}

interface LoadedFile {
  readonly display: string;
  readonly abs: string;
  readonly root: LMap;
}

export function loadScenario(path: string, options: LoadOptions = {}): Loaded {
  const cwd = options.cwd ?? process.cwd();
  const diagnostics: Diagnostic[] = [];
  const files: LoadedFile[] = [];
  const visiting: string[] = [];
  const done = new Set<string>();

  const visit = (abs: string, display: string, referencedAt?: SourceLoc): void => {
    if (visiting.includes(abs)) {
      diagnostics.push(diag('TOPO224', `including ${display} creates a cycle: ${[...visiting.slice(visiting.indexOf(abs)), abs].map((f) => displayOf(cwd, f)).join(' -> ')}`, referencedAt));
      return;
    }
    if (done.has(abs)) return;
    done.add(abs);
    const read = options.readFile ? readVirtual(options.readFile, abs, display, referencedAt) : readScenarioText(abs, display, referencedAt);
    if (!read.ok) {
      diagnostics.push(referencedAt && (read.diagnostic.code === 'TOPO001' || read.diagnostic.code === 'TOPO002') ? { ...read.diagnostic, code: 'TOPO223' } : read.diagnostic);
      return;
    }
    const parsed = parseYaml(read.text, display);
    diagnostics.push(...parsed.diagnostics);
    if (parsed.diagnostics.length > 0) return;
    const root = parsed.root;
    if (!root || (root.kind === 'scalar' && root.value === null)) {
      diagnostics.push(diag('TOPO003', `${display} holds no scenario (only comments or blank lines)`, pointLoc(display, 1, 1), { hint: 'a scenario needs at least name:' }));
      return;
    }
    if (root.kind !== 'map') {
      diagnostics.push(diag('TOPO015', `${display} holds ${root.kind === 'seq' ? 'a list' : 'a single value'}; a scenario is a map of keys such as name:, vnets:, intents:`, root.loc));
      return;
    }
    diagnostics.push(...duplicateKeys(root));
    diagnostics.push(...validateSchema(root, { requireName: visiting.length === 0 }));
    files.push({ display, abs, root });
    visiting.push(abs);
    const builder = new Builder();
    for (const inc of builder.oneOrMany(root, 'include')) {
      const incAbs = resolve(dirname(abs), inc.value);
      visit(incAbs, `${displayOf(cwd, incAbs)}${options.displaySuffix ?? ''}`, inc.loc);
    }
    visiting.pop();
  };

  const rootAbs = resolve(cwd, path);
  visit(rootAbs, `${path}${options.displaySuffix ?? ''}`);
  if (files.length === 0 || files[0].abs !== rootAbs) return { diagnostics: sortDiagnostics(diagnostics) };

  const builder = new Builder();
  const scenario = merge(files, builder, diagnostics);
  diagnostics.push(...builder.diagnostics);

  let catalog: ServiceTagCatalog = shippedCatalog();
  const tagsPath = options.serviceTagsFile ? { value: options.serviceTagsFile, base: cwd, loc: undefined } : scenario.serviceTags ? { value: scenario.serviceTags.value, base: dirname(resolve(cwd, scenario.serviceTags.loc.file)), loc: scenario.serviceTags.loc } : undefined;
  if (tagsPath) {
    const abs = isAbsolute(tagsPath.value) ? tagsPath.value : resolve(tagsPath.base, tagsPath.value);
    try {
      catalog = loadOfficialCatalog(abs, displayOf(cwd, abs));
      const shipped = shippedCatalog();
      if (catalog.source.changeNumber < shipped.source.changeNumber) {
        diagnostics.push(diag('TOPO308', `service tags file ${displayOf(cwd, abs)} (change ${catalog.source.changeNumber}) is older than the shipped catalog (change ${shipped.source.changeNumber})`, tagsPath.loc, { hint: 'download the current file: https://www.microsoft.com/download/details.aspx?id=56519' }));
      }
    } catch (error) {
      if (!(error instanceof CatalogFileError)) throw error;
      diagnostics.push(diag('TOPO227', error.message, tagsPath.loc));
    }
  }
  if (options.checks !== false && !diagnostics.some((d) => d.code === 'TOPO227')) diagnostics.push(...checkScenario(scenario, catalog));
  const sorted = sortDiagnostics(diagnostics);
  return hasErrors(sorted) ? { diagnostics: sorted, catalog } : { scenario, catalog, diagnostics: sorted };
}

function readVirtual(read: (abs: string) => Uint8Array | undefined, abs: string, display: string, at?: SourceLoc): ReturnType<typeof readScenarioText> {
  const bytes = read(abs);
  if (bytes === undefined) return { ok: false, diagnostic: diag('TOPO001', `${display} does not exist`, at ?? pointLoc(display, 1, 1)) };
  return decodeScenarioBytes(bytes, display);
}

function displayOf(cwd: string, abs: string): string {
  const rel = relative(cwd, abs);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? normalize(rel) : abs;
}

function duplicateKeys(root: LNode): Diagnostic[] {
  const out: Diagnostic[] = [];
  const walk = (node: LNode): void => {
    if (node.kind === 'seq') node.items.forEach(walk);
    if (node.kind !== 'map') return;
    const seen = new Map<string, SourceLoc>();
    for (const e of node.entries) {
      const first = seen.get(e.key);
      if (first) out.push(diag('TOPO011', `the key '${e.key}' appears twice in the same map`, e.keyLoc, { related: [{ message: 'first here', loc: first }], hint: 'YAML maps need unique keys; rename or merge the two' }));
      else seen.set(e.key, e.keyLoc);
      walk(e.value);
    }
  };
  walk(root);
  return out;
}

const COLLECTIONS = ['vnets', 'networkSecurityGroups', 'routeTables', 'natGateways', 'ipGroups', 'firewallPolicies', 'firewalls', 'virtualNetworkGateways', 'hosts', 'resources', 'privateEndpoints', 'externals'] as const;

function merge(files: readonly LoadedFile[], b: Builder, diagnostics: Diagnostic[]): T.Scenario {
  const root = files[0].root;
  const firstDefined = new Map<string, SourceLoc>();
  // Every named collection goes through here, so a name defined in two files
  // is reported once, with both places, whatever the collection.
  const named = <V>(key: (typeof COLLECTIONS)[number], build: (name: string, node: LNode, nameLoc: SourceLoc) => V | undefined): Map<string, V> => {
    const out = new Map<string, V>();
    for (const f of files) {
      for (const e of collectionEntries(f.root, key)) {
        const id = `${key}|${e.name}`;
        const first = firstDefined.get(id);
        if (first) {
          // The same key twice in one map is a YAML duplicate, already reported (TOPO011).
          if (first.file !== e.nameLoc.file) {
            diagnostics.push(diag('TOPO225', `${key}.${e.name} is defined twice`, e.nameLoc, { related: [{ message: 'first definition', loc: first }], hint: 'rename one of them, or remove the copy' }));
          }
          continue;
        }
        firstDefined.set(id, e.nameLoc);
        const v = build(e.name, e.node, e.nameLoc);
        if (v !== undefined) out.set(e.name, v);
      }
    }
    return out;
  };
  const ofMap =
    <V>(build: (name: string, node: LMap, nameLoc: SourceLoc) => V | undefined) =>
    (name: string, node: LNode, nameLoc: SourceLoc): V | undefined =>
      node.kind === 'map' ? build(name, node, nameLoc) : undefined;
  const asgs = new Map<string, T.Asg>();
  for (const f of files) {
    const node = mapGet(f.root, 'applicationSecurityGroups');
    if (node?.kind !== 'seq') continue;
    for (const item of node.items) {
      if (item.kind !== 'scalar' || typeof item.value !== 'string') continue;
      const first = asgs.get(item.value);
      if (!first) asgs.set(item.value, { name: item.value, loc: item.loc });
      else if (first.loc.file === item.loc.file) diagnostics.push(diag('TOPO229', `application security group '${item.value}' is listed twice`, item.loc, { related: [{ message: 'first listed', loc: first.loc }] }));
      else diagnostics.push(diag('TOPO225', `application security group '${item.value}' is defined twice`, item.loc, { related: [{ message: 'first definition', loc: first.loc }], hint: 'list it in one file only' }));
    }
  }
  const intents: T.Intent[] = [];
  for (const f of files) for (const i of b.seqMaps(f.root, 'intents')) {
    const intent = b.intent(i);
    if (intent) intents.push(intent);
  }
  const lintIgnores: T.LintIgnore[] = [];
  for (const f of files) {
    const lint = b.mapAt(f.root, 'lint');
    for (const node of lint ? b.seqMaps(lint, 'ignore') : []) {
      const rule = b.str(node, 'rule');
      const reason = b.str(node, 'reason');
      if (rule && reason && reason.value.trim() !== '') lintIgnores.push({ loc: node.loc, rule, target: b.str(node, 'target'), reason });
    }
  }
  // A setting may be given in any file of the scenario, but the files must agree on it.
  const scalarFromAny = (key: string, same: (a: string, b: string) => boolean = (a, b) => a === b): Located<string> | undefined => {
    let first: Located<string> | undefined;
    for (const f of files) {
      const v = b.str(f.root, key);
      if (!v) continue;
      if (!first) first = v;
      else if (!same(first.value, v.value)) {
        diagnostics.push(diag('TOPO237', `${key} is '${v.value}' here but '${first.value}' in ${first.loc.file}`, v.loc, { related: [{ message: `${key} first set`, loc: first.loc }], hint: `set ${key} in one file only` }));
      }
    }
    return first;
  };
  const nameNode = b.str(root, 'name');
  return {
    file: files[0].display,
    files: files.map((f) => f.display),
    loc: root.loc,
    name: nameNode?.value ?? '',
    description: b.str(root, 'description')?.value,
    region: scalarFromAny('region', (a, c) => a.toLowerCase().replace(/\s/g, '') === c.toLowerCase().replace(/\s/g, '')),
    serviceTags: scalarFromAny('serviceTags'),
    vnets: named('vnets', ofMap((name, node, nameLoc) => b.vnet(name, node, nameLoc))),
    networkSecurityGroups: named('networkSecurityGroups', ofMap((name, node, nameLoc) => b.nsg(name, node, nameLoc))),
    applicationSecurityGroups: asgs,
    routeTables: named('routeTables', ofMap((name, node, nameLoc) => b.routeTable(name, node, nameLoc))),
    natGateways: named('natGateways', ofMap((name, node) => ({ name, loc: node.loc, publicIpAddresses: b.list(node, 'publicIpAddresses') }))),
    ipGroups: named('ipGroups', (name, node, nameLoc) => (node.kind === 'seq' ? { name, loc: nameLoc, addresses: b.items(node) } : undefined)),
    firewallPolicies: named('firewallPolicies', ofMap((name, node) => b.firewallPolicy(name, node))),
    firewalls: named(
      'firewalls',
      ofMap((name, node) => {
        const vnet = b.str(node, 'vnet');
        const ip = b.str(node, 'privateIpAddress');
        if (!vnet || !ip) return undefined;
        return { name, loc: node.loc, vnet, privateIpAddress: ip, publicIpAddresses: b.list(node, 'publicIpAddresses'), firewallPolicy: b.str(node, 'firewallPolicy'), forcedTunneling: b.bool(node, 'forcedTunneling') };
      }),
    ),
    virtualNetworkGateways: named(
      'virtualNetworkGateways',
      ofMap((name, node) => {
        const vnet = b.str(node, 'vnet');
        const type = b.enumOf(node, 'gatewayType', ['Vpn', 'ExpressRoute'] as const);
        if (!vnet || !type) return undefined;
        return { name, loc: node.loc, vnet, gatewayType: type, remoteAddressPrefixes: b.list(node, 'remoteAddressPrefixes'), bgp: b.bool(node, 'bgp') };
      }),
    ),
    hosts: named('hosts', ofMap((name, node) => b.host(name, node))),
    resources: named('resources', ofMap((name, node) => b.resource(name, node))),
    privateEndpoints: named('privateEndpoints', ofMap((name, node) => b.privateEndpoint(name, node))),
    externals: named('externals', ofMap((name, node) => ({ name, loc: node.loc, addressPrefixes: b.list(node, 'addressPrefixes') }))),
    intents,
    lintIgnores,
  };
}

