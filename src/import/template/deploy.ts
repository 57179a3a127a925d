/**
 * Deploys a template on paper: walks `resources` (arrays, or the symbolic
 * name objects of languageVersion 2.0), expands copy loops, drops resources
 * whose condition is false, follows nested deployments (inline templates,
 * inner or outer expression scope, their own resource group), and returns
 * every resource with its properties evaluated. Types the importer does not
 * map are returned with their type only: their properties are never read.
 */
import type { ArmResource } from '../resource.js';
import { ImportFailure, type Issues } from '../issues.js';
import { evalJson, evalLoop } from './json-eval.js';
import { PLACEHOLDER, Registry, TemplateScope, type NestedDeployment, type Target } from './scope-impl.js';
import { isObject, isUnresolved, Unresolved, type Value } from './values.js';

export interface TemplateInput {
  readonly file: string;
  readonly template: Record<string, unknown>;
  readonly lineOf: (container: object, member?: string | number) => number | undefined;
  /** Parameter values by lower-case name (from parameter files). */
  readonly parameters: ReadonlyMap<string, Value>;
}

export interface DeployOptions {
  readonly region?: string;
  /** Lower-case resource types whose properties the importer reads. */
  readonly relevant: (typeLower: string) => boolean;
}

interface Parent {
  readonly type: string;
  readonly name: string;
  readonly id: string;
}

interface Instance {
  readonly r: Record<string, unknown>;
  readonly container: object;
  readonly key: string | number;
  readonly scope: TemplateScope;
  readonly type: string;
  readonly name: string;
  readonly standInName: boolean;
  readonly nested?: PreparedDeployment;
}

interface PreparedDeployment {
  readonly child?: TemplateScope;
  readonly template?: Record<string, unknown>;
}

const DEPLOYMENTS = 'microsoft.resources/deployments';
const RESOURCE_GROUPS = 'microsoft.resources/resourcegroups';

export function deployTemplate(input: TemplateInput, options: DeployOptions, issues: Issues): ArmResource[] {
  const schema = String(input.template.$schema ?? '');
  const groupLevel = !/(subscription|managementGroup|tenant)DeploymentTemplate/i.test(schema);
  const target: Target = { subscriptionId: PLACEHOLDER.subscriptionId, resourceGroup: groupLevel ? PLACEHOLDER.resourceGroup : undefined, subscriptionKnown: false, resourceGroupKnown: false };
  const scope = TemplateScope.root(input.file, input.lineOf, input.template, input.parameters, target, 'deployment', new Registry(options.region));
  const missing = scope.missingParameters();
  if (missing.length > 0) {
    const defs = input.template.parameters as object;
    throw new ImportFailure(
      `${input.file}: ${missing.length === 1 ? 'parameter' : 'parameters'} ${missing.map((m) => `'${m}'`).join(', ')} ${missing.length === 1 ? 'has' : 'have'} no value and no default`,
      { file: input.file, line: input.lineOf(defs, missing[0]) },
      'pass a parameters file: topo import TEMPLATE --parameters FILE (the ARM deploymentParameters format)',
    );
  }
  const out: ArmResource[] = [];
  new Walker(options, issues, out).level(scope, input.template.resources);
  return out;
}

class Walker {
  private unnamed = 0;

  constructor(
    private readonly options: DeployOptions,
    private readonly issues: Issues,
    private readonly out: ArmResource[],
  ) {}

  level(scope: TemplateScope, resources: unknown, parent?: Parent): void {
    const entries: { r: unknown; container: object; key: string | number }[] = Array.isArray(resources)
      ? resources.map((r, i) => ({ r, container: resources, key: i }))
      : isObject(resources as Value)
        ? Object.entries(resources as object).map(([k, r]) => ({ r, container: resources as object, key: k }))
        : [];
    const instances = entries.flatMap((e) => this.expand(e.r, e.container, e.key, scope, parent));
    // Deployments are registered before anything is evaluated: a resource may read the outputs of one declared after it.
    const prepared = instances.map((i) => (i.type.toLowerCase() === DEPLOYMENTS ? { ...i, nested: this.prepare(i) } : i));
    for (const i of prepared) {
      const type = i.type.toLowerCase();
      if (type === DEPLOYMENTS) {
        if (i.nested?.child && i.nested.template) this.level(i.nested.child, i.nested.template.resources);
      } else if (type !== RESOURCE_GROUPS) this.emit(i);
    }
  }

  private expand(raw: unknown, container: object, key: string | number, scope: TemplateScope, parent: Parent | undefined): Instance[] {
    if (!isObject(raw as Value)) return [];
    const r = raw as Record<string, unknown>;
    if (r.existing === true) return [];
    const copy = r.copy as Record<string, unknown> | undefined;
    if (!copy || typeof copy !== 'object') return this.instance(r, container, key, scope, parent);
    const loop = String(copy.name ?? '');
    const count = evalJson(copy.count, scope, copy, 'count');
    if (typeof count !== 'number' || !Number.isInteger(count) || count < 0) {
      const type = String(r.type ?? '');
      if (this.options.relevant(type.toLowerCase())) {
        const u = isUnresolved(count) ? count : new Unresolved('the copy count is not a whole number', undefined, scope.file, scope.lineOf(copy, 'count'));
        this.issues.unresolved(u, `how many ${type} the copy loop '${loop}' deploys is unknown: none are imported`);
      }
      return [];
    }
    const out: Instance[] = [];
    for (let i = 0; i < count; i++) out.push(...this.instance(r, container, key, scope.withCopy(loop, i, true), parent));
    return out;
  }

  private instance(r: Record<string, unknown>, container: object, key: string | number, scope: TemplateScope, parent: Parent | undefined): Instance[] {
    const rawType = evalJson(r.type, scope, r, 'type');
    if (typeof rawType !== 'string') return [];
    const type = parent && !/^[A-Za-z][\w-]*\.[\w.-]+\//.test(rawType) ? `${parent.type}/${rawType}` : rawType;
    const relevant = this.options.relevant(type.toLowerCase()) || type.toLowerCase() === DEPLOYMENTS;
    if (r.condition !== undefined) {
      const c = evalJson(r.condition, scope, r, 'condition');
      if (isUnresolved(c)) {
        if (relevant) this.issues.unresolved(c, `whether ${type} is deployed is unknown: it is not imported`);
        return [];
      }
      if (c === false) return [];
    }
    const before = scope.registry.placeholderReads;
    let name = evalJson(r.name, scope, r, 'name');
    const standInName = scope.registry.placeholderReads > before;
    if (typeof name !== 'string') {
      if (relevant && isUnresolved(name)) this.issues.unresolved(name, `${type} is imported under a stand-in name`);
      name = `${type.split('/').at(-1)}-${++this.unnamed}`;
    }
    const levels = type.split('/').length - 1;
    if (parent && name.split('/').length < levels) name = `${parent.name}/${name}`;
    return [{ r, container, key, scope, type, name, standInName }];
  }

  private idOf(i: Instance, target: Target = i.scope.target): string {
    const [ns, ...types] = i.type.split('/');
    const names = i.name.split('/');
    const path = `providers/${ns}/${types.map((t, k) => `${t}/${names[k] ?? ''}`).join('/')}`;
    const extensionScope = i.r.scope !== undefined ? evalJson(i.r.scope, i.scope, i.r, 'scope') : undefined;
    if (typeof extensionScope === 'string' && extensionScope.startsWith('/')) return `${extensionScope.replace(/\/+$/, '')}/${path}`;
    return target.resourceGroup === undefined ? `/subscriptions/${target.subscriptionId}/${path}` : `/subscriptions/${target.subscriptionId}/resourceGroups/${target.resourceGroup}/${path}`;
  }

  private emit(i: Instance): void {
    const typeLower = i.type.toLowerCase();
    const id = this.idOf(i);
    const relevant = this.options.relevant(typeLower);
    const field = (k: string, opts = {}): Value | undefined => (relevant && i.r[k] !== undefined ? evalJson(i.r[k], i.scope, i.r, k, opts) : undefined);
    const properties = field('properties', { propertyCopy: true });
    this.out.push({
      id,
      type: i.type,
      name: i.name.split('/').at(-1) ?? i.name,
      subscriptionId: i.scope.target.subscriptionKnown ? i.scope.target.subscriptionId : undefined,
      resourceGroup: i.scope.target.resourceGroupKnown ? i.scope.target.resourceGroup : undefined,
      location: field('location'),
      sku: field('sku'),
      kind: field('kind'),
      properties: isObject(properties as Value) ? (properties as { [k: string]: Value }) : {},
      origin: { file: i.scope.file, line: i.scope.lineOf(i.container, i.key), template: true },
      ...(i.standInName ? { standInName: true } : {}),
    });
    if (i.r.resources !== undefined) this.level(i.scope, i.r.resources, { type: i.type, name: i.name, id });
  }

  /** Sets up a nested deployment's scope and registers its outputs for reference(). */
  private prepare(i: Instance): PreparedDeployment {
    const s = i.scope;
    const r = i.r;
    const rg = r.resourceGroup !== undefined ? evalJson(r.resourceGroup, s, r, 'resourceGroup') : undefined;
    const sub = r.subscriptionId !== undefined ? evalJson(r.subscriptionId, s, r, 'subscriptionId') : undefined;
    const target: Target = {
      subscriptionId: typeof sub === 'string' ? sub : s.target.subscriptionId,
      subscriptionKnown: typeof sub === 'string' ? true : s.target.subscriptionKnown,
      resourceGroup: typeof rg === 'string' ? rg : s.target.resourceGroup,
      resourceGroupKnown: typeof rg === 'string' ? true : s.target.resourceGroupKnown,
    };
    const id = this.idOf(i, { ...s.target, resourceGroup: s.target.resourceGroup });
    const idInTarget = this.idOf(i, target);
    const props = (isObject(r.properties as Value) ? r.properties : {}) as Record<string, unknown>;
    const template = isObject(props.template as Value) ? (props.template as Record<string, unknown>) : undefined;
    if (!template) {
      const link = isObject(props.templateLink as Value) ? String((props.templateLink as { uri?: unknown; id?: unknown }).uri ?? (props.templateLink as { id?: unknown }).id ?? '') : '';
      const u = new Unresolved(`the nested deployment '${i.name}' uses a linked template${link ? ` (${link})` : ''}, which topo does not fetch`, undefined, s.file, s.lineOf(i.container, i.key));
      this.issues.unresolved(u, 'its resources are not imported; import the linked template as an input of its own');
      const d: NestedDeployment = { name: i.name, outputs: () => u };
      s.registerDeployment(i.name, id, d);
      s.registry.deploymentsById.set(idInTarget.toLowerCase(), d);
      return {};
    }
    const options = props.expressionEvaluationOptions as { scope?: unknown } | undefined;
    const inner = String(options?.scope ?? '').toLowerCase() === 'inner';
    let child: TemplateScope;
    if (inner) {
      const supplied = new Map<string, Value>();
      const tainted = new Set<string>();
      const params = isObject(props.parameters as Value) ? (props.parameters as Record<string, unknown>) : {};
      for (const [k, v] of Object.entries(params)) {
        if (!isObject(v as Value)) continue;
        const pv = v as Record<string, unknown>;
        const before = s.registry.placeholderReads;
        supplied.set(k.toLowerCase(), 'value' in pv ? evalJson(pv.value, s, pv, 'value') : new Unresolved(`parameter '${k}' is a Key Vault reference, read at deploy time`, undefined, s.file, s.lineOf(params, k)));
        if (s.registry.placeholderReads > before) tainted.add(k.toLowerCase());
      }
      child = s.nested(template, supplied, target, i.name, tainted);
    } else child = s.retarget(target);
    let outputs: Value | undefined;
    let evaluating = false;
    const d: NestedDeployment = {
      name: i.name,
      outputs: () => {
        if (outputs !== undefined) return outputs;
        if (evaluating) return new Unresolved(`the outputs of '${i.name}' refer to themselves`);
        evaluating = true;
        const defs = isObject(template.outputs as Value) ? (template.outputs as Record<string, unknown>) : {};
        const result: { [k: string]: Value } = {};
        for (const [k, o] of Object.entries(defs)) {
          if (!isObject(o as Value)) continue;
          const od = o as Record<string, unknown>;
          const value = isObject(od.copy as Value) ? evalLoop(od.copy as Record<string, unknown>, k, child, [od.copy], 0, { unnamedIndex: true }) : evalJson(od.value, child, od, 'value');
          result[k] = { type: String(od.type ?? ''), value };
        }
        evaluating = false;
        return (outputs = result);
      },
    };
    s.registerDeployment(i.name, id, d);
    s.registry.deploymentsById.set(idInTarget.toLowerCase(), d);
    return { child, template };
  }
}
