/** Deploying a template on paper: loops, conditions, nested deployments, reference() reads, placeholders. */
import { describe, expect, it } from 'vitest';
import { ImportFailure, Issues } from '../../src/import/issues.js';
import type { ArmResource } from '../../src/import/resource.js';
import { deployTemplate } from '../../src/import/template/deploy.js';
import { resolveRuntimeReads } from '../../src/import/template/runtime.js';
import { isUnresolved, type Value } from '../../src/import/template/values.js';

const SCHEMA = 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#';

function deploy(template: Record<string, unknown>, parameters: Record<string, Value> = {}, region?: string): { resources: ArmResource[]; issues: Issues } {
  const issues = new Issues();
  const resources = resolveRuntimeReads(deployTemplate({ file: 't.json', template: { $schema: SCHEMA, contentVersion: '1.0.0.0', ...template }, lineOf: () => 7, parameters: new Map(Object.entries(parameters)) }, { region, relevant: () => true }, issues));
  return { resources, issues };
}

const vnet = (name: string, extra: Record<string, unknown> = {}) => ({ type: 'Microsoft.Network/virtualNetworks', apiVersion: '2023-01-01', name, properties: { addressSpace: { addressPrefixes: ['10.0.0.0/16'] }, subnets: [{ name: 'a', properties: { addressPrefix: '10.0.1.0/24' } }] }, ...extra });

describe('deployTemplate', () => {
  it('expands resource copy loops, with copyIndex() and offsets', () => {
    const { resources } = deploy({ resources: [{ ...vnet("[concat('v', copyIndex(1))]"), copy: { name: 'vnets', count: 3 } }] });
    expect(resources.map((r) => r.name)).toEqual(['v1', 'v2', 'v3']);
  });

  it('expands property copy loops', () => {
    const { resources } = deploy({
      resources: [{ ...vnet('v'), properties: { addressSpace: { addressPrefixes: ['10.0.0.0/16'] }, copy: [{ name: 'subnets', count: 2, input: { name: "[concat('s', copyIndex('subnets'))]", properties: { addressPrefix: "[cidrSubnet('10.0.0.0/16', 24, copyIndex('subnets'))]" } } }] } }],
    });
    expect(resources[0].properties.subnets).toEqual([
      { name: 's0', properties: { addressPrefix: '10.0.0.0/24' } },
      { name: 's1', properties: { addressPrefix: '10.0.1.0/24' } },
    ]);
  });

  it('drops resources whose condition is false; an unresolved condition leaves the resource out and says so', () => {
    const { resources, issues } = deploy({ parameters: { on: { type: 'bool', defaultValue: false } }, resources: [{ ...vnet('off'), condition: "[parameters('on')]" }, { ...vnet('maybe'), condition: "[equals(utcNow(), 'x')]" }, vnet('on')] });
    expect(resources.map((r) => r.name)).toEqual(['on']);
    expect(issues.list.map((i) => i.message)).toEqual([expect.stringMatching(/^unresolved: \[equals\(utcNow\(\), 'x'\)\].*whether Microsoft\.Network\/virtualNetworks is deployed is unknown: it is not imported/)]);
  });

  it('stops with a clear message when a parameter has no value (secure parameters excepted)', () => {
    expect(() => deploy({ parameters: { prefix: { type: 'string' }, password: { type: 'securestring' } }, resources: [] })).toThrow(ImportFailure);
    try {
      deploy({ parameters: { prefix: { type: 'string' } }, resources: [] });
    } catch (error) {
      expect((error as ImportFailure).message).toBe("t.json: parameter 'prefix' has no value and no default");
      expect((error as ImportFailure).hint).toContain('--parameters');
    }
    expect(deploy({ parameters: { password: { type: 'secureString' } }, resources: [] }).resources).toEqual([]);
  });

  it('follows nested deployments: inner scope with its own parameters, outer scope with the parent\'s, their resource group, their outputs', () => {
    const inner = {
      type: 'Microsoft.Resources/deployments',
      apiVersion: '2022-09-01',
      name: 'net',
      resourceGroup: 'rg-net',
      properties: {
        mode: 'Incremental',
        expressionEvaluationOptions: { scope: 'inner' },
        parameters: { name: { value: "[concat(parameters('prefix'), '-vnet')]" } },
        template: {
          $schema: SCHEMA,
          parameters: { name: { type: 'string' } },
          resources: [vnet("[parameters('name')]")],
          outputs: { subnetId: { type: 'string', value: "[reference(resourceId('Microsoft.Network/virtualNetworks', parameters('name'))).subnets[0].id]" }, names: { type: 'array', copy: { count: 2, input: "[concat('n', copyIndex())]" } } },
        },
      },
    };
    const outer = {
      type: 'Microsoft.Resources/deployments',
      apiVersion: '2022-09-01',
      name: 'nsgs',
      properties: { mode: 'Incremental', template: { resources: [{ type: 'Microsoft.Network/networkSecurityGroups', apiVersion: '2023-01-01', name: "[concat(parameters('prefix'), '-nsg')]", properties: { subnet: "[reference('net').outputs.subnetId.value]", names: "[reference('net').outputs.names.value]" } }] } },
    };
    const { resources } = deploy({ parameters: { prefix: { type: 'string', defaultValue: 'p' } }, resources: [outer, inner] });
    const v = resources.find((r) => r.name === 'p-vnet')!;
    expect(v.id).toBe('/subscriptions/subscription-id/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/p-vnet');
    expect(v.resourceGroup).toBe('rg-net');
    const nsg = resources.find((r) => r.name === 'p-nsg')!;
    // reference(vnet).subnets[0].id is what the template declares: answered, not left unresolved.
    expect(nsg.properties.subnet).toBe(`${v.id}/subnets/a`);
    expect(nsg.properties.names).toEqual(['n0', 'n1']);
  });

  it('walks child resources declared inside their parent, and languageVersion 2.0 symbolic names', () => {
    const { resources } = deploy({
      languageVersion: '2.0',
      resources: {
        hub: { ...vnet('hub'), resources: [{ type: 'subnets', apiVersion: '2023-01-01', name: 'b', properties: { addressPrefix: '10.0.2.0/24' } }] },
        old: { ...vnet('old'), existing: true },
      },
    });
    expect(resources.map((r) => `${r.type} ${r.id.split('/providers/')[1]}`)).toEqual(['Microsoft.Network/virtualNetworks Microsoft.Network/virtualNetworks/hub', 'Microsoft.Network/virtualNetworks/subnets Microsoft.Network/virtualNetworks/hub/subnets/b']);
  });

  it('marks names built from placeholders as stand-ins, and only those', () => {
    const { resources } = deploy({ variables: { suffix: '[uniqueString(resourceGroup().id)]' }, resources: [vnet("[concat('v', variables('suffix'))]"), vnet('plain')] });
    expect(resources.map((r) => [r.name, r.standInName ?? false])).toEqual([
      [`v${'uz2yuqtnj7oq6'}`, true],
      ['plain', false],
    ]);
  });

  it('leaves a linked template out, reported once at its place', () => {
    const { resources, issues } = deploy({ resources: [{ type: 'Microsoft.Resources/deployments', apiVersion: '2022-09-01', name: 'linked', properties: { mode: 'Incremental', templateLink: { uri: 'https://example.org/t.json' } } }] });
    expect(resources).toEqual([]);
    expect(issues.list).toEqual([expect.objectContaining({ severity: 'warning', at: { file: 't.json', line: 7 }, message: expect.stringContaining('uses a linked template (https://example.org/t.json), which topo does not fetch') })]);
  });

  it('keeps a runtime read the template does not answer unresolved, with what it reads', () => {
    const { resources } = deploy({ resources: [{ type: 'Microsoft.Network/routeTables', apiVersion: '2023-01-01', name: 'rt', properties: { ip: "[reference(resourceId('Microsoft.Network/azureFirewalls', 'fw')).ipConfigurations[0].properties.privateIPAddress]" } }] });
    const ip = resources[0].properties.ip;
    expect(isUnresolved(ip) && ip.runtime).toEqual({ resourceId: '/subscriptions/subscription-id/resourceGroups/resource-group/providers/Microsoft.Network/azureFirewalls/fw', path: ['properties', 'ipConfigurations', 0, 'properties', 'privateIPAddress'] });
  });

  it('reports an unresolved value once, at the expression every use derives from', () => {
    const issues = new Issues();
    const template = { $schema: SCHEMA, parameters: { location: { type: 'string', defaultValue: '[resourceGroup().location]' } }, resources: [vnet('v', { properties: { a: "[concat('Storage.', parameters('location'))]", b: "[parameters('location')]" } })] };
    const [r] = deployTemplate({ file: 't.json', template, lineOf: (c, m) => (m === 'defaultValue' ? 3 : 9), parameters: new Map() }, { relevant: () => true }, issues);
    const a = r.properties.a;
    const b = r.properties.b;
    expect(isUnresolved(a) && a.cause).toEqual({ expr: 'resourceGroup().location', file: 't.json', line: 3 });
    expect(isUnresolved(b) && b.cause).toEqual({ expr: 'resourceGroup().location', file: 't.json', line: 3 });
    expect(isUnresolved(a) && a.expr).toBe("concat('Storage.', parameters('location'))");
    if (isUnresolved(a) && isUnresolved(b)) {
      issues.unresolved(a, 'x');
      issues.unresolved(b, 'y');
    }
    expect(issues.finish().map((i) => `${i.at?.line} ${i.message}`)).toEqual(["3 unresolved: [resourceGroup().location] (the resource group location is known at deploy time (pass --region)); x (and 1 more value derived from it)"]);
  });
});
