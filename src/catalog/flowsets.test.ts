/**
 * The flow-set files (models/flowsets/*.yaml, format in their README): what a
 * malformed file is, and what the shipped sets hold.
 */
import { describe, expect, it } from 'vitest';
import { flowSet, flowSets, parseFlowSetFile, FlowSetFileError } from './flowsets.js';

const one = (flow: string) => `format: topo-flowsets/1\nsources: { S: s }\nsets:\n  a/b:\n    description: d\n    parameters: { r: { type: "*" } }\n    flows:\n      - ${flow}\n`;

describe('parseFlowSetFile: what a malformed file is', () => {
  it('rejects a flow without an id, a kind or a reason, a flow citing an unknown source, and repeated ids', () => {
    expect(() => parseFlowSetFile('format: x\nsets: {}', 'f')).toThrow(FlowSetFileError);
    expect(() => parseFlowSetFile(one('{ id: X, reason: r, source: S }'), 'f')).toThrow('flow 0 of a/b needs an id, allow: or deny:, and a reason');
    expect(() => parseFlowSetFile(one('{ id: X, allow: { to: internet }, reason: r, source: T }'), 'f')).toThrow('cites unknown source T');
  });

  it('takes via: private-endpoints only on an allow flow to one resource parameter', () => {
    expect(parseFlowSetFile(one('{ id: X, allow: { to: "{r}", via: private-endpoints }, reason: r, source: S }'), 'f')[0].flows[0].flow.via).toBe('private-endpoints');
    for (const bad of ['{ id: X, deny: { to: "{r}", via: private-endpoints }, reason: r, source: S }', '{ id: X, allow: { to: "{r}/blob", via: private-endpoints }, reason: r, source: S }', '{ id: X, allow: { to: "{r}", via: service-endpoints }, reason: r, source: S }']) {
      expect(() => parseFlowSetFile(one(bad), 'f'), bad).toThrow('via: private-endpoints needs an allow flow whose to: is one resource parameter');
    }
  });
});

describe('the shipped flow sets', () => {
  it('are these, and every flow cites a source of its file', () => {
    expect([...flowSets().keys()].sort()).toEqual(['avd/session-host', 'azureml/compute-cluster', 'azureml/compute-instance', 'azureml/managed-compute', 'bastion/host', 'privatelink/client']);
    for (const set of flowSets().values()) for (const f of set.flows) expect(f.sources.length, `${set.name} ${f.id}`).toBeGreaterThan(0);
  });

  it('F6.2.1: AVD session hosts need outbound flows only, and forbid any inbound path from the Internet', () => {
    const avd = flowSet('avd/session-host')!;
    expect(avd.flows.filter((f) => f.kind === 'allow').every((f) => f.flow.from === undefined)).toBe(true);
    expect(avd.flows.filter((f) => f.kind === 'deny').map((f) => `${f.id} ${f.flow.from} -> ${f.flow.to}`)).toEqual(['AVD-IN-00 internet -> {from}']);
    expect(avd.flows.find((f) => f.id === 'AVD-06a')!.flow).toMatchObject({ to: '20.118.99.224/32', protocol: 'Tcp', ports: [1688] });
  });

  it('F6.1.2, F6.1.3: Bastion needs 443 in from the Internet and GatewayManager, and forbids 22 and 3389 in from the Internet', () => {
    const bastion = flowSet('bastion/host')!;
    expect(bastion.flows.map((f) => `${f.kind} ${f.id}`)).toEqual([
      'allow BAS-01', 'allow BAS-02', 'allow BAS-04', 'allow BAS-05-RDP', 'allow BAS-05-SSH', 'allow BAS-07', 'allow BAS-08', 'deny BAS-D01', 'deny BAS-D02',
    ]);
    expect(bastion.parameters.target).toMatchObject({ endpoint: true });
  });

  it('privatelink/client reaches a resource of any type through its private endpoints', () => {
    const pl = flowSet('privatelink/client')!;
    expect(pl.parameters.resource.type).toBe('*');
    expect(pl.flows.map((f) => [f.id, f.flow.via])).toEqual([['PL-01', 'private-endpoints']]);
  });
});
