/** The ARM template expression language as topo evaluates it: literal functions, placeholders, and what stays unresolved. */
import { describe, expect, it } from 'vitest';
import { Issues } from '../../src/import/issues.js';
import { deployTemplate } from '../../src/import/template/deploy.js';
import { parseExpression } from '../../src/import/template/expr.js';
import { evaluatedFunctionNames } from '../../src/import/template/functions/index.js';
import { uniqueString } from '../../src/import/template/unique-string.js';
import { isUnresolved, type Value } from '../../src/import/template/values.js';

/** Evaluates one expression as the output of a one-resource template (group scope, placeholders). */
function ev(expr: string, opts: { parameters?: Record<string, Value>; variables?: Record<string, unknown>; region?: string; defs?: Record<string, unknown> } = {}): Value {
  const template = {
    $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#',
    contentVersion: '1.0.0.0',
    parameters: { ...Object.fromEntries(Object.keys(opts.parameters ?? {}).map((k) => [k, { type: 'object' }])), ...(opts.defs ?? {}) },
    variables: opts.variables ?? {},
    resources: [{ type: 'Microsoft.Network/virtualNetworks', apiVersion: '2023-01-01', name: 'v', properties: { out: `[${expr}]` } }],
  };
  const issues = new Issues();
  const [r] = deployTemplate({ file: 't.json', template, lineOf: () => 1, parameters: new Map(Object.entries(opts.parameters ?? {}).map(([k, v]) => [k.toLowerCase(), v])) }, { region: opts.region, relevant: () => true }, issues);
  return r.properties.out;
}

describe('template functions', () => {
  it.each([
    ["concat('a', 'b', 1)", 'ab1'],
    ["concat(createArray(1), createArray(2, 3))", [1, 2, 3]],
    ["format('{0}-{1:D3}-{{x}}', 'vnet', 7)", 'vnet-007-{x}'],
    ["string(true)", 'True'],
    ["string(createObject('a', 1))", '{"a":1}'],
    ["int('42')", 42],
    ["toLower('ABC')", 'abc'],
    ["toUpper('abc')", 'ABC'],
    ["if(equals(1, 1), 'yes', 'no')", 'yes'],
    ["and(true, not(false))", true],
    ["or(false, false)", false],
    ["union(createArray(1, 2), createArray(2, 3))", [1, 2, 3]],
    ["union(createObject('a', 1, 'n', createObject('x', 1)), createObject('b', 2, 'n', createObject('y', 2)))", { a: 1, n: { x: 1, y: 2 }, b: 2 }],
    ["json('{\"a\": [1]}').a[0]", 1],
    ["length(split('a,b,c', ','))", 3],
    ["replace('a-b-c', '-', '.')", 'a.b.c'],
    ["substring('abcdef', 1, 3)", 'bcd'],
    ["last(split('/x/y/z', '/'))", 'z'],
    ["range(2, 3)", [2, 3, 4]],
    ["add(sub(10, 4), mul(2, div(9, 2)))", 14],
    ["greaterOrEquals(length('abc'), 3)", true],
    ["contains(createArray('a', 'b'), 'b')", true],
    ["empty('')", true],
    ["coalesce(null(), 'x')", 'x'],
    ["cidrSubnet('10.144.0.0/20', 24, 3)", '10.144.3.0/24'],
    ["cidrHost('10.144.3.0/24', 0)", '10.144.3.1'],
    ["parseCidr('10.144.0.0/20').broadcast", '10.144.15.255'],
    ["cidrSubnet('fdad:3236:5555::/48', 52, 1)", 'fdad:3236:5555:1000::/52'],
    ["environment().suffixes.storage", 'core.windows.net'],
    ["filter(createArray(1, 2, 3, 4), lambda('x', greater(lambdaVariables('x'), 2)))", [3, 4]],
    ["map(createArray(1, 2), lambda('x', mul(lambdaVariables('x'), 10)))", [10, 20]],
    ["reduce(createArray(1, 2, 3), 0, lambda('acc', 'x', add(lambdaVariables('acc'), lambdaVariables('x'))))", 6],
    ["first(skip(take(createArray(1, 2, 3, 4), 3), 1))", 2],
    ["resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'a')", '/subscriptions/subscription-id/resourceGroups/resource-group/providers/Microsoft.Network/virtualNetworks/vnet/subnets/a'],
    ["resourceId('other-rg', 'Microsoft.Network/virtualNetworks/', 'vnet')", '/subscriptions/subscription-id/resourceGroups/other-rg/providers/Microsoft.Network/virtualNetworks/vnet'],
    ["subscriptionResourceId('Microsoft.Resources/deployments', 'd')", '/subscriptions/subscription-id/providers/Microsoft.Resources/deployments/d'],
    ["extensionResourceId('/subscriptions/s/resourceGroups/r', 'Microsoft.Network/virtualNetworks', 'v')", '/subscriptions/s/resourceGroups/r/providers/Microsoft.Network/virtualNetworks/v'],
    ["resourceGroup().name", 'resource-group'],
    ["subscription().subscriptionId", 'subscription-id'],
  ])('%s', (expr, expected) => {
    expect(ev(expr)).toEqual(expected);
  });

  it('parameters, variables and variable copy loops', () => {
    expect(ev("parameters('p').x", { parameters: { p: { x: 5 } } })).toBe(5);
    expect(ev("variables('v')", { variables: { v: "[concat('a', 'b')]" } })).toBe('ab');
    expect(ev("variables('disks')", { variables: { copy: [{ name: 'disks', count: 3, input: "[concat('d', copyIndex('disks'))]" }] } })).toEqual(['d0', 'd1', 'd2']);
    expect(ev("parameters('q')", { defs: { q: { type: 'string', defaultValue: "[toUpper('x')]" } } })).toBe('X');
  });

  it("the region is --region's, else unresolved", () => {
    expect(ev('resourceGroup().location', { region: 'westeurope' })).toBe('westeurope');
    expect(isUnresolved(ev('resourceGroup().location'))).toBe(true);
  });

  it.each(['reference(\'x\').ipAddress', "listKeys('x', '2020-01-01').keys[0]", 'utcNow()', 'newGuid()', "guid('a')", 'pickZones(\'a\', \'b\', \'c\')', "myns.fn('x')"])('%s stays unresolved', (expr) => {
    expect(isUnresolved(ev(expr))).toBe(true);
  });

  it('an unresolved value in the branch not taken does not matter; in the condition it does', () => {
    expect(ev("if(true, 'a', reference('x').y)")).toBe('a');
    expect(ev('and(false, equals(utcNow(), 1))')).toBe(false);
    expect(isUnresolved(ev("if(equals(utcNow(), 'x'), 'a', 'b')"))).toBe(true);
    expect(isUnresolved(ev("concat('a', utcNow())"))).toBe(true);
  });

  it('an expression that cannot be evaluated (a template error) is unresolved, with the reason', () => {
    const v = ev("createArray(1)[5]");
    expect(isUnresolved(v) && v.reason).toMatch(/index 5 is outside the array/);
  });

  it('uniqueString is ARM\'s algorithm: values Azure produced', () => {
    expect(uniqueString(['test'])).toBe('rbgf3xv4ufgzg');
    expect(uniqueString(['hello', 'world'])).toBe('a7wkljktk6wne');
    expect(uniqueString(['abc'])).toBe('cgtzqvhu4i23s');
    expect(uniqueString(['/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/my-rg'])).toBe('bmg7c6xu4tw46');
    expect(uniqueString(['foo', 'bar', 'baz'])).toBe('xzi4ioaxtmth4');
    expect(ev("uniqueString('foo', 'bar', 'baz')")).toBe('xzi4ioaxtmth4');
  });

  it('parses the expression grammar: nesting, quotes, property and index access', () => {
    expect(parseExpression("concat('it''s', x.y)".replace('x.y', "parameters('a').b[0]"))).toMatchObject({ kind: 'call', name: 'concat' });
    expect(ev("concat('it''s ', 'fine')")).toBe("it's fine");
  });

  it('documents every function it evaluates', () => {
    for (const f of ['resourceid', 'concat', 'format', 'parameters', 'variables', 'copyindex', 'string', 'int', 'tolower', 'toupper', 'if', 'equals', 'and', 'or', 'not', 'union', 'createarray', 'createobject', 'json', 'length', 'split', 'replace', 'uniquestring', 'subscription', 'resourcegroup', 'cidrsubnet', 'cidrhost']) {
      expect(evaluatedFunctionNames()).toContain(f);
    }
  });
});
