/**
 * Functions that ask the deployment: parameters, variables, copy loops,
 * lambdas, resource ids, subscription()/resourceGroup()/deployment()
 * (placeholders where Azure fills them in at deploy time), environment()
 * (the public cloud's published endpoints) and reference() (runtime state:
 * unresolved unless it names a nested deployment's outputs).
 */
import { EvalError, type FunctionImpl } from '../evaluate.js';
import { Lambda, Unresolved, type Value } from '../values.js';
import { int, str, strict, unresolvedCall } from './args.js';

const TYPE = /^[A-Za-z][\w-]*(\.[\w-]+)+\/[\w/.-]+$/;

/** resourceId([subscriptionId], [resourceGroupName], resourceType, name...): the type is the first argument shaped like one. */
function splitResourceIdArgs(args: readonly string[]): { sub?: string; rg?: string; type: string; names: string[] } {
  const at = args.findIndex((a) => TYPE.test(a));
  if (at < 0 || at > 2) throw new EvalError(`resourceId(): no resource type among ${args.map((a) => `'${a}'`).join(', ')}`);
  const before = args.slice(0, at);
  return { sub: before.length === 2 ? before[0] : undefined, rg: before.at(-1), type: args[at], names: args.slice(at + 1) };
}

const PUBLIC_CLOUD: Value = {
  name: 'AzureCloud',
  gallery: 'https://gallery.azure.com/',
  graph: 'https://graph.windows.net/',
  portal: 'https://portal.azure.com',
  graphAudience: 'https://graph.windows.net/',
  activeDirectoryDataLake: 'https://datalake.azure.net/',
  batch: 'https://batch.core.windows.net/',
  media: 'https://rest.media.azure.net',
  sqlManagement: 'https://management.core.windows.net:8443/',
  vmImageAliasDoc: 'https://raw.githubusercontent.com/Azure/azure-rest-api-specs/main/arm-compute/quickstart-templates/aliases.json',
  resourceManager: 'https://management.azure.com/',
  authentication: {
    loginEndpoint: 'https://login.microsoftonline.com/',
    audiences: ['https://management.core.windows.net/', 'https://management.azure.com/'],
    tenant: 'common',
    identityProvider: 'AAD',
  },
  suffixes: {
    acrLoginServer: '.azurecr.io',
    azureDatalakeAnalyticsCatalogAndJob: 'azuredatalakeanalytics.net',
    azureDatalakeStoreFileSystem: 'azuredatalakestore.net',
    azureFrontDoorEndpointSuffix: 'azurefd.net',
    keyvaultDns: '.vault.azure.net',
    sqlServerHostname: '.database.windows.net',
    storage: 'core.windows.net',
  },
};

export const SCOPE_FUNCTIONS: Record<string, FunctionImpl> = {
  parameters: strict('parameters', ([n], scope) => scope.parameter(str(n, 'parameters')), [1, 1]),
  variables: strict('variables', ([n], scope) => scope.variable(str(n, 'variables')), [1, 1]),
  copyindex: strict('copyIndex', (args, scope) => {
    const loop = typeof args[0] === 'string' ? args[0] : undefined;
    const offsetArg = typeof args[0] === 'string' ? args[1] : args[0];
    const i = scope.copyIndex(loop);
    if (i === undefined) throw new EvalError(loop ? `copyIndex('${loop}') is used outside that copy loop` : 'copyIndex() is used outside a copy loop');
    return i + (offsetArg === undefined ? 0 : int(offsetArg, 'copyIndex'));
  }, [0, 2]),
  lambda: (exprs, scope, ev) => {
    if (exprs.length < 2) throw new EvalError('lambda() takes parameter names and a body');
    const names = exprs.slice(0, -1).map((x) => str(ev(x), 'lambda'));
    const body = exprs[exprs.length - 1];
    return new Lambda(names, (values) => ev(body, scope.withLambda(new Map(names.map((n, i) => [n, values[i] ?? null])))));
  },
  lambdavariables: strict('lambdaVariables', ([n], scope) => {
    const v = scope.lambdaVariable(str(n, 'lambdaVariables'));
    if (v === undefined) throw new EvalError(`lambdaVariables('${String(n)}') is used outside its lambda`);
    return v;
  }, [1, 1]),
  resourceid: strict('resourceId', (args, scope) => {
    const p = splitResourceIdArgs(args.map((a) => str(a, 'resourceId')));
    return scope.resourceId(p.sub, p.rg, p.type, p.names, 'group');
  }, [2, Infinity]),
  subscriptionresourceid: strict('subscriptionResourceId', (args, scope) => {
    const texts = args.map((a) => str(a, 'subscriptionResourceId'));
    const sub = TYPE.test(texts[0]) ? undefined : texts.shift();
    return scope.resourceId(sub, undefined, texts[0], texts.slice(1), 'subscription');
  }, [2, Infinity]),
  tenantresourceid: strict('tenantResourceId', (args, scope) => {
    const texts = args.map((a) => str(a, 'tenantResourceId'));
    return scope.resourceId(undefined, undefined, texts[0], texts.slice(1), 'tenant');
  }, [2, Infinity]),
  extensionresourceid: strict('extensionResourceId', (args) => {
    const [base, type, ...names] = args.map((a) => str(a, 'extensionResourceId'));
    const [ns, ...types] = type.split('/');
    return `${base}/providers/${ns}/${types.map((t, i) => `${t}/${names[i] ?? ''}`).join('/')}`;
  }, [3, Infinity]),
  subscription: strict('subscription', (_a, scope) => scope.subscription(), [0, 0]),
  resourcegroup: strict('resourceGroup', (_a, scope) => scope.resourceGroup(), [0, 0]),
  deployment: strict('deployment', (_a, scope) => scope.deployment(), [0, 0]),
  tenant: strict('tenant', (_a, scope) => scope.tenant(), [0, 0]),
  environment: strict('environment', () => PUBLIC_CLOUD, [0, 0]),
  reference: strict('reference', (args, scope) => scope.reference(str(args[0], 'reference'), args.some((a) => typeof a === 'string' && a.toLowerCase() === 'full')), [1, 3]),
  managementgroup: unresolvedCall('managementGroup() is known only at deploy time'),
  managementgroupresourceid: unresolvedCall('managementGroupResourceId() depends on the management group, known only at deploy time'),
  utcnow: unresolvedCall('utcNow() is the deployment time'),
  newguid: unresolvedCall('newGuid() is random at deploy time'),
  guid: unresolvedCall('guid() is not evaluated by topo (it names role assignments and the like)'),
  pickzones: unresolvedCall('pickZones() depends on the subscription, known only at deploy time'),
  providers: unresolvedCall('providers() reads the resource provider registry at deploy time'),
};

/** list*() functions return keys and other runtime secrets. */
export function isListFunction(name: string): boolean {
  return /^list[a-z]*$/i.test(name);
}

export const listUnresolved = (name: string): Unresolved => new Unresolved(`${name}() returns runtime values (keys, secrets)`);
