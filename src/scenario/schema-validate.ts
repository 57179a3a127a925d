/**
 * Validates a located tree against the scenario schema with ajv and maps
 * every error back to the YAML node it is about (the offending key for
 * unknown keys), with "did you mean" hints.
 */
import AjvModule, { type ErrorObject, type ValidateFunction } from 'ajv';
import { didYouMean } from '../net/text.js';
import { diag, type Diagnostic } from './diagnostics.js';
import { RULE_NAME_PATTERN, scenarioSchema } from './schema-source.js';
import type { SourceLoc } from './source-loc.js';
import { describeNode, nodeAt, toPlain, type LNode } from './yaml-tree.js';

const Ajv = AjvModule.default ?? AjvModule;
let compiled: ValidateFunction | undefined;

function validator(): ValidateFunction {
  if (!compiled) {
    const ajv = new Ajv({ allErrors: true, strict: true, verbose: true, allowUnionTypes: true });
    ajv.addKeyword({ keyword: 'x-enum', schemaType: 'array' });
    compiled = ajv.compile(scenarioSchema);
  }
  return compiled;
}

export interface SchemaOptions {
  /** Included files need no name of their own. */
  readonly requireName: boolean;
  readonly maxErrors?: number;
}

export function validateSchema(root: LNode, options: SchemaOptions): Diagnostic[] {
  const validate = validator();
  if (validate(toPlain(root))) return [];
  const errors = (validate.errors ?? []).filter((e) => options.requireName || !(e.keyword === 'required' && e.instancePath === '' && (e.params as { missingProperty: string }).missingProperty === 'name'));
  return mapErrors(root, errors, options.maxErrors ?? 200);
}

function pathOf(instancePath: string): (string | number)[] {
  if (instancePath === '') return [];
  return instancePath
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

export function displayPath(path: readonly (string | number)[]): string {
  let out = '';
  for (const step of path) out += typeof step === 'number' ? `[${step}]` : out === '' ? step : `.${step}`;
  return out === '' ? 'the top level' : out;
}

/** The first `limit` errors, mapped to YAML places; work stops there, because a file with 200,000 bad keys must not take minutes. */
function mapErrors(root: LNode, errors: readonly ErrorObject[], limit: number): Diagnostic[] {
  const out: Diagnostic[] = [];
  const enumPaths = new Set<string>();
  const unionPaths = new Set<string>();
  for (const e of errors) {
    if (e.keyword !== 'anyOf') continue;
    if (e.parentSchema && (e.parentSchema as Record<string, unknown>)['x-enum']) enumPaths.add(e.instancePath);
    else unionPaths.add(e.instancePath);
  }
  const seen = new Set<string>();
  // Paths with errors below them, for the union rule: one pass rather than a search per error.
  const parents = new Set<string>();
  for (const e of errors) {
    if (e.instancePath !== '') parents.add('');
    for (let i = e.instancePath.lastIndexOf('/'); i > 0; i = e.instancePath.lastIndexOf('/', i - 1)) parents.add(e.instancePath.slice(0, i));
  }
  const keyIndex = new WeakMap<object, Map<string, SourceLoc>>();
  const keyLocOf = (map: Extract<LNode, { kind: 'map' }>, key: string): SourceLoc | undefined => {
    let index = keyIndex.get(map);
    if (!index) {
      index = new Map();
      for (const x of map.entries) if (!index.has(x.key)) index.set(x.key, x.keyLoc);
      keyIndex.set(map, index);
    }
    return index.get(key);
  };
  for (const e of errors) {
    if (out.length >= limit) break;
    // A value that fits no branch of a union (`include: 5`) fails every branch
    // at once; say so once. When it has the right shape but a wrong item
    // (`include: [5]`), the item's own error is the one that helps.
    if (unionPaths.has(e.instancePath) && e.keyword !== 'anyOf' && e.schemaPath.includes('/anyOf/')) continue;
    if (unionPaths.has(e.instancePath) && e.keyword === 'anyOf' && parents.has(e.instancePath)) continue;
    const path = pathOf(e.instancePath);
    const where = displayPath(path);
    const found = nodeAt(root, path);
    const node = found.node;
    // An empty value (`nat:`) has no text of its own to point at; its key does.
    const loc: SourceLoc = node.kind === 'scalar' && node.value === null && found.depth === path.length && found.keyLoc ? found.keyLoc : node.loc;
    const parent = e.parentSchema as Record<string, unknown> | undefined;
    let d: Diagnostic | undefined;
    if (enumPaths.has(e.instancePath) && e.schemaPath.includes('/anyOf')) {
      if (e.keyword !== 'anyOf' || !parent?.['x-enum']) continue;
      const allowed = parent['x-enum'] as string[];
      const given = node.kind === 'scalar' ? String(node.value) : undefined;
      const guess = given !== undefined ? didYouMean(given, allowed) : undefined;
      d = diag('TOPO103', `${where} is ${describeNode(node)}; expected one of ${allowed.join(', ')}`, loc, guess ? { hint: `did you mean '${guess}'?` } : {});
    } else {
      switch (e.keyword) {
        case 'additionalProperties': {
          const key = (e.params as { additionalProperty: string }).additionalProperty;
          const keyLoc = node.kind === 'map' ? keyLocOf(node, key) ?? loc : loc;
          const props = parent && typeof parent.properties === 'object' ? Object.keys(parent.properties as object) : [];
          const guess = didYouMean(key, props);
          d = diag('TOPO100', `unknown key '${key}' in ${where}`, keyLoc, {
            hint: guess ? `did you mean '${guess}'?` : props.length ? `allowed keys: ${props.join(', ')}` : undefined,
          });
          break;
        }
        case 'required': {
          const missing = (e.params as { missingProperty: string }).missingProperty;
          d = diag('TOPO101', `${where} is missing the required key '${missing}'`, found.keyLoc ?? loc);
          break;
        }
        case 'type': {
          const expected = String((e.params as { type: string | string[] }).type).replace(',', ' or ').replace('array', 'list').replace('object', 'map');
          d = diag('TOPO102', `${where} is ${describeNode(node)}; expected ${expected.replace('null', 'null')}`, loc, hintForType(node));
          break;
        }
        case 'propertyNames':
          continue;
        case 'pattern': {
          const propertyName = (e as ErrorObject & { propertyName?: string }).propertyName;
          if (propertyName !== undefined) {
            const keyLoc = node.kind === 'map' ? node.entries.find((x) => x.key === propertyName)?.keyLoc ?? loc : loc;
            d = diag('TOPO104', `'${propertyName}' in ${where} is not a valid Azure name`, keyLoc, { hint: 'names start with a letter, digit or _, and use letters, digits, ., - and _ (80 at most)' });
          } else {
            const rule = (e.params as { pattern?: string }).pattern === RULE_NAME_PATTERN;
            d = diag('TOPO104', `${where} is not a valid Azure name`, loc, {
              hint: rule ? 'rule names start with a letter, digit or _, end with a letter, digit or _, and use letters, digits, ., - and _ (80 at most; F1.1.6)' : 'names start with a letter, digit or _, and use letters, digits, ., - and _ (80 at most)',
            });
          }
          break;
        }
        case 'minimum':
        case 'maximum': {
          const isNsgPriority = path.length === 5 && path[0] === 'networkSecurityGroups' && path[2] === 'securityRules' && path[4] === 'priority';
          const limit = e.keyword === 'minimum' ? `at least ${(e.params as { limit: number }).limit}` : `at most ${(e.params as { limit: number }).limit}`;
          d = isNsgPriority
            ? diag('TOPO207', `NSG rule priority ${describeNodeValue(node)} is outside 100..4096`, loc, { hint: 'Azure evaluates custom rules with priorities 100 to 4096; 65000+ are the default rules' })
            : diag('TOPO105', `${where} must be ${limit}`, loc);
          break;
        }
        case 'minItems':
          // An empty list where one item at least is needed is as good as the key missing.
          d = diag('TOPO101', `${where} is empty; it needs at least ${(e.params as { limit: number }).limit === 1 ? 'one item' : `${(e.params as { limit: number }).limit} items`}`, loc);
          break;
        case 'anyOf':
          d = diag('TOPO102', `${where} is ${describeNode(node)}; expected a string or a list of strings`, loc);
          break;
        default:
          d = diag('TOPO105', `${where} ${e.message ?? 'is invalid'}`, loc);
      }
    }
    const key = `${d.code}|${d.loc?.line}|${d.loc?.col}|${d.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push(d);
    }
  }
  return out;
}

function describeNodeValue(node: LNode): string {
  return node.kind === 'scalar' ? String(node.value) : describeNode(node);
}

function hintForType(node: LNode): { hint?: string } {
  if (node.kind === 'scalar' && node.value === '*') return {};
  if (node.kind === 'scalar' && node.value === null) return { hint: 'the value is empty; give one or remove the key' };
  return {};
}
