/**
 * azure-semantics.md §11: Internet egress and public IPs (F11.1-F11.5).
 */
import { describe, expect, it } from 'vitest';
import { at, expectTrace, fixture, traceFrom, traceFromOutside } from '../../test/helpers/semantics.js';

const F = 'egress.yaml';
const net = () => fixture(F).network;
const OUT = { dst: '203.0.113.10', port: 443 } as const;
const SYSTEM_DEFAULT = 'route forward system 0.0.0.0/0 Internet';

describe('§11 Internet egress (F11.2-F11.4)', () => {
  it('F11.4: a NAT gateway takes precedence over the VM\'s own public IP for outbound connections', () => {
    const t = traceFrom(net(), 'host:natted-vm', OUT);
    expectTrace(t, 'delivered', ['nsg allow', SYSTEM_DEFAULT, `egress forward ${at(F, 'natGateway: nat1')}`, 'delivery deliver']);
    expect(t.hops[2].detail).toBe('SNAT 10.0.1.4 -> 20.5.0.100');
  });

  it('F11.3: a private subnet (defaultOutboundAccess false) with no explicit method has no way out', () => {
    const t = traceFrom(net(), 'host:private-vm', OUT);
    expectTrace(t, 'dropped', ['nsg allow', SYSTEM_DEFAULT, `egress drop ${at(F, 'defaultOutboundAccess: false')}`]);
    expect(t.reason).toContain('F11.2');
  });

  it('F11.2: in a private subnet a NIC public IP is an explicit method and works', () => {
    const t = traceFrom(net(), 'host:private-vm-pip', OUT);
    expectTrace(t, 'delivered', ['nsg allow', SYSTEM_DEFAULT, `egress forward ${at(F, 'private-vm-pip:')}`, 'delivery deliver']);
  });

  it('F11.3: default outbound access gives a VM without a public IP an implicit one (not named in the scenario)', () => {
    const t = traceFrom(net(), 'host:default-vm', OUT);
    expectTrace(t, 'delivered', ['nsg allow', SYSTEM_DEFAULT, `egress forward ${at(F, 'default: {')}`, 'delivery deliver']);
    expect(t.hops[2].detail).toBe('SNAT 10.0.3.4 -> a public IP the scenario does not give');
  });
});

describe('§11 inbound from the Internet (F11.1, F11.4)', () => {
  it('F11.1: a Standard public IP with no NSG on the NIC or subnet admits nothing', () => {
    const t = traceFromOutside(net(), { kind: 'internet' }, { src: '203.0.113.10', dst: '20.5.0.1', port: 443 });
    expectTrace(t, 'dropped', [`ingress translate ${at(F, 'natted-vm:')}`, `ingress drop ${at(F, 'natted-vm:')}`]);
  });

  it('F11.4: a NAT gateway accepts no inbound connections from the Internet', () => {
    const t = traceFromOutside(net(), { kind: 'internet' }, { src: '203.0.113.10', dst: '20.5.0.100', port: 443 });
    expectTrace(t, 'dropped', [`ingress drop ${at(F, 'natGateway: nat1')}`]);
    expect(t.reason).toContain('F11.4');
  });
});

describe('F2.5.2: a 0/0 UDR takes a subnet off the Internet for inbound traffic', () => {
  it('Internet->a public IP in a subnet whose 0/0 goes to an NVA is dropped: the reply would not return through the public IP', () => {
    const V = 'vnet-tag.yaml';
    const t = traceFromOutside(fixture(V).network, { kind: 'internet' }, { src: '203.0.113.10', dst: '20.6.0.1', port: 443 });
    expectTrace(t, 'dropped', [`ingress translate ${at(V, 'forced-vm:')}`, `symmetry drop ${at(V, 'default-nva,')}`]);
    expect(t.reason).toContain('F2.5.2');
  });
});

