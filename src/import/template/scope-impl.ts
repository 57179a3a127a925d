/**
 * The deployment a template expression is evaluated in: its parameters and
 * variables (lazy, each evaluated once), copy loop indexes, lambda bindings,
 * and the target subscription / resource group. Where Azure fills a value
 * in at deploy time (the subscription id, an unnamed resource group, the
 * tenant), a placeholder stands in, named as such; reading one is counted
 * so that names built from it can be marked as stand-ins.
 */
import { EvalError, type Scope } from './evaluate.js';
import { evalJson, evalLoop } from './json-eval.js';
import { isObject, member, Unresolved, type Value } from './values.js';

export const PLACEHOLDER = {
  subscriptionId: 'subscription-id',
  resourceGroup: 'resource-group',
  tenantId: 'tenant-id',
} as const;

export interface Target {
  readonly subscriptionId: string;
  /** Undefined at subscription scope. */
  readonly resourceGroup?: string;
  readonly subscriptionKnown: boolean;
  readonly resourceGroupKnown: boolean;
}

/** A nested deployment: its outputs are what reference('name').outputs reads. */
export interface NestedDeployment {
  readonly name: string;
  outputs(): Value;
}

/** State shared by every scope of one import. */
export class Registry {
  placeholderReads = 0;
  readonly deploymentsById = new Map<string, NestedDeployment>();
  constructor(readonly region: string | undefined) {}
}

interface Cached {
  value: Value;
  tainted: boolean;
}

/** Per template level: parameters, variables, nested deployments by name. */
class Level {
  readonly params = new Map<string, Cached>();
  readonly vars = new Map<string, Cached>();
  readonly evaluating = new Set<string>();
  readonly deploymentsByName = new Map<string, NestedDeployment>();
  constructor(
    readonly template: Record<string, unknown>,
    readonly supplied: ReadonlyMap<string, Value>,
    /** Supplied values computed from placeholders in the parent deployment. */
    readonly suppliedTaint: ReadonlySet<string> = new Set(),
  ) {}
}

export class TemplateScope implements Scope {
  private constructor(
    readonly file: string,
    readonly lineOf: (container: object, member?: string | number) => number | undefined,
    readonly level: Level,
    readonly target: Target,
    readonly deploymentName: string,
    readonly registry: Registry,
    private readonly copies: ReadonlyMap<string, number>,
    private readonly lambdas: ReadonlyMap<string, Value>,
    private readonly base?: TemplateScope,
  ) {}

  static root(file: string, lineOf: TemplateScope['lineOf'], template: Record<string, unknown>, supplied: ReadonlyMap<string, Value>, target: Target, deploymentName: string, registry: Registry): TemplateScope {
    return new TemplateScope(file, lineOf, new Level(template, supplied), target, deploymentName, registry, new Map(), new Map());
  }

  /** An inner-scope nested template: its own parameters and variables. */
  nested(template: Record<string, unknown>, supplied: ReadonlyMap<string, Value>, target: Target, deploymentName: string, suppliedTaint?: ReadonlySet<string>): TemplateScope {
    return new TemplateScope(this.file, this.lineOf, new Level(template, supplied, suppliedTaint), target, deploymentName, this.registry, new Map(), new Map());
  }

  /** An outer-scope nested template: the parent's parameters and variables, another target. */
  retarget(target: Target): TemplateScope {
    return new TemplateScope(this.file, this.lineOf, this.level, target, this.deploymentName, this.registry, this.copies, this.lambdas, this.root);
  }

  /** A copy loop index; a resource loop also answers copyIndex() without a name. */
  withCopy(loop: string, index: number, resourceLoop = false): TemplateScope {
    const copies = new Map(this.copies);
    copies.set(loop, index);
    if (resourceLoop) copies.set('', index);
    return new TemplateScope(this.file, this.lineOf, this.level, this.target, this.deploymentName, this.registry, copies, this.lambdas, this.root);
  }

  withLambda(bindings: ReadonlyMap<string, Value>): TemplateScope {
    return new TemplateScope(this.file, this.lineOf, this.level, this.target, this.deploymentName, this.registry, this.copies, new Map([...this.lambdas, ...bindings]), this.root);
  }

  /** Scope for parameter defaults and variables: the template level, without loops. */
  private get root(): TemplateScope {
    return this.base ?? this;
  }

  get template(): Record<string, unknown> {
    return this.level.template;
  }

  registerDeployment(name: string, id: string, d: NestedDeployment): void {
    this.level.deploymentsByName.set(name.toLowerCase(), d);
    this.registry.deploymentsById.set(id.toLowerCase(), d);
  }

  /** Parameters with neither a value nor a default (secure ones excepted: they never shape a network). */
  missingParameters(): string[] {
    const defs = this.section('parameters');
    return Object.entries(defs)
      .filter(([name, def]) => !this.supplied(name) && !(isObject(def as Value) && 'defaultValue' in (def as object)) && !/^secure/i.test(String((def as { type?: unknown })?.type ?? '')))
      .map(([name]) => name);
  }

  private section(key: string): Record<string, unknown> {
    const s = this.level.template[key];
    return s && typeof s === 'object' && !Array.isArray(s) ? (s as Record<string, unknown>) : {};
  }

  private supplied(name: string): boolean {
    return this.level.supplied.has(name.toLowerCase());
  }

  private cached(map: Map<string, Cached>, key: string, compute: () => Value): Value {
    const hit = map.get(key);
    if (hit) {
      if (hit.tainted) this.registry.placeholderReads++;
      return hit.value;
    }
    if (this.level.evaluating.has(key)) throw new EvalError(`'${key}' refers to itself`);
    this.level.evaluating.add(key);
    const before = this.registry.placeholderReads;
    try {
      const value = compute();
      map.set(key, { value, tainted: this.registry.placeholderReads > before });
      return value;
    } finally {
      this.level.evaluating.delete(key);
    }
  }

  parameter(name: string): Value {
    const defs = this.section('parameters');
    const key = Object.keys(defs).find((k) => k.toLowerCase() === name.toLowerCase());
    if (key === undefined) throw new EvalError(`the template has no parameter '${name}'`);
    return this.cached(this.level.params, `p:${key.toLowerCase()}`, () => {
      const given = this.level.supplied.get(key.toLowerCase());
      if (given !== undefined) {
        if (this.level.suppliedTaint.has(key.toLowerCase())) this.registry.placeholderReads++;
        return given;
      }
      const def = defs[key] as Record<string, unknown> | undefined;
      if (def && 'defaultValue' in def) return evalJson(def.defaultValue, this.root, def, 'defaultValue');
      return new Unresolved(`parameter '${key}' has no value`, undefined, this.file, this.lineOf(defs, key));
    });
  }

  variable(name: string): Value {
    const defs = this.section('variables');
    const key = Object.keys(defs).find((k) => k.toLowerCase() === name.toLowerCase());
    if (key === undefined) {
      const loop = this.variableLoop(defs, name);
      if (loop) return loop;
      throw new EvalError(`the template has no variable '${name}'`);
    }
    return this.cached(this.level.vars, `v:${key.toLowerCase()}`, () => evalJson(defs[key], this.root, defs, key, { propertyCopy: true }));
  }

  /** `variables.copy: [{name, count, input}]` defines array variables. */
  private variableLoop(defs: Record<string, unknown>, name: string): Value | undefined {
    const loops = defs.copy;
    if (!Array.isArray(loops)) return undefined;
    const at = loops.findIndex((l) => isObject(l as Value) && String((l as { name?: unknown }).name).toLowerCase() === name.toLowerCase());
    if (at < 0) return undefined;
    const loop = loops[at] as Record<string, unknown>;
    return this.cached(this.level.vars, `v:${name.toLowerCase()}`, () => evalLoop(loop, name, this.root, loops, at, { propertyCopy: true }));
  }

  copyIndex(loop: string | undefined): number | undefined {
    return this.copies.get(loop ?? '');
  }

  lambdaVariable(name: string): Value | undefined {
    return this.lambdas.get(name);
  }

  private placeholder<T>(value: T, known: boolean): T {
    if (!known) this.registry.placeholderReads++;
    return value;
  }

  subscription(): Value {
    const t = this.target;
    return this.placeholder({ id: `/subscriptions/${t.subscriptionId}`, subscriptionId: t.subscriptionId, tenantId: PLACEHOLDER.tenantId, displayName: t.subscriptionId }, t.subscriptionKnown);
  }

  resourceGroup(): Value {
    const t = this.target;
    if (t.resourceGroup === undefined) throw new EvalError('resourceGroup() is used in a subscription-level deployment');
    const location = this.registry.region ?? new Unresolved('the resource group location is known at deploy time (pass --region)');
    return this.placeholder(
      { id: `/subscriptions/${t.subscriptionId}/resourceGroups/${t.resourceGroup}`, name: t.resourceGroup, type: 'Microsoft.Resources/resourceGroups', location, properties: { provisioningState: 'Succeeded' }, tags: {} },
      t.resourceGroupKnown && t.subscriptionKnown,
    );
  }

  deployment(): Value {
    return { name: this.deploymentName, properties: { mode: 'Incremental', provisioningState: 'Accepted', template: { contentVersion: String(this.level.template.contentVersion ?? '1.0.0.0') } } };
  }

  tenant(): Value {
    return this.placeholder({ tenantId: PLACEHOLDER.tenantId, countryCode: '', displayName: PLACEHOLDER.tenantId }, false);
  }

  resourceId(sub: string | undefined, rg: string | undefined, type: string, names: readonly string[], level: 'group' | 'subscription' | 'tenant'): Value {
    // ARM accepts a trailing slash in the type ('Microsoft.Network/virtualNetworks/').
    const [ns, ...types] = type.replace(/\/+$/, '').split('/');
    if (types.length !== names.length) throw new EvalError(`resourceId(): ${type} needs ${types.length} name(s), not ${names.length}`);
    const path = `providers/${ns}/${types.map((t, i) => `${t}/${names[i]}`).join('/')}`;
    if (level === 'tenant') return `/${path}`;
    const subscription = sub ?? this.placeholder(this.target.subscriptionId, this.target.subscriptionKnown);
    if (level === 'subscription') return `/subscriptions/${subscription}/${path}`;
    const group = rg ?? this.target.resourceGroup;
    if (group === undefined) return `/subscriptions/${subscription}/${path}`;
    if (rg === undefined) this.placeholder(0, this.target.resourceGroupKnown);
    return `/subscriptions/${subscription}/resourceGroups/${group}/${path}`;
  }

  reference(target: string, full: boolean): Value {
    const looksLikeId = target.startsWith('/');
    const d = looksLikeId ? this.registry.deploymentsById.get(target.toLowerCase().replace(/\/+$/, '')) : this.level.deploymentsByName.get(target.toLowerCase());
    if (d) {
      const outputs = d.outputs();
      return full ? { properties: { outputs } } : { outputs };
    }
    return new Unresolved(`reference() reads the deployed state of ${looksLikeId ? target.split('/').slice(-2).join(' ') : `'${target}'`}`, undefined, undefined, undefined, {
      resourceId: target,
      path: full ? [] : ['properties'],
    });
  }

  userFunction(name: string, args: readonly Value[]): Value | undefined {
    const [ns, fn] = name.split('.');
    const groups = Array.isArray(this.level.template.functions) ? (this.level.template.functions as unknown[]) : [];
    for (const g of groups) {
      if (!isObject(g as Value) || String((g as { namespace?: unknown }).namespace).toLowerCase() !== ns) continue;
      const members = (g as { members?: unknown }).members;
      const def = isObject(members as Value) ? member(members as { [k: string]: Value }, fn) : undefined;
      if (!isObject(def as Value)) continue;
      const d = def as { parameters?: { name: string }[]; output?: { value?: unknown } };
      const supplied = new Map((d.parameters ?? []).map((p, i) => [p.name.toLowerCase(), args[i] ?? null] as [string, Value]));
      const paramDefs = Object.fromEntries((d.parameters ?? []).map((p) => [p.name, { type: 'object' }]));
      const scope = this.nested({ parameters: paramDefs }, supplied, this.target, this.deploymentName);
      return evalJson(d.output?.value, scope, d.output ?? {}, 'value');
    }
    return undefined;
  }
}
