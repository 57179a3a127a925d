import { describe, expect, it } from 'vitest';
import { loadYaml, yaml } from '../../test/helpers/scenario-fixture.js';
import { displayPath } from './schema-validate.js';

// Schema checks of shape (TOPO1xx), through the loader so that locations are the user's.
describe('schema: keys', () => {
  it('rejects an unknown key at the key itself, with "did you mean" (TOPO100)', () => {
    const r = loadYaml(yaml`
      name: x
      vnets:
        hub:
          adressSpace: [10.0.0.0/16]
    `);
    const d = r.at('TOPO100', 4, 5);
    expect(d.message).toBe("unknown key 'adressSpace' in vnets.hub");
    expect(d.hint).toBe("did you mean 'addressSpace'?");
  });

  it('lists the allowed keys when nothing is close (TOPO100)', () => {
    const r = loadYaml('name: x\nfrobnicate: 1\n');
    const d = r.at('TOPO100', 2, 1);
    expect(d.message).toBe("unknown key 'frobnicate' in the top level");
    expect(d.hint).toContain('allowed keys: name, description, region');
  });

  it('rejects unknown keys deep in lists, each at its own position (TOPO100)', () => {
    const r = loadYaml(yaml`
      name: x
      networkSecurityGroups:
        n:
          securityRules:
            - name: r
              priority: 100
              direction: Inbound
              access: Allow
              protocl: Tcp
              protocol: Tcp
              sourcePortRanges: ["*"]
              sourceAddressPrefix: "*"
              destinationAddressPrefix: "*"
              destinationPortRange: "*"
              destinationPort: "22"
    `);
    expect(r.at('TOPO100', 9, 9).hint).toBe("did you mean 'protocol'?");
    expect(r.at('TOPO100', 15, 9).message).toBe("unknown key 'destinationPort' in networkSecurityGroups.n.securityRules[0]");
  });

  it('requires name: at the top (TOPO101) and required keys of objects, at the object', () => {
    expect(loadYaml('description: nameless\n').at('TOPO101', 1, 1).message).toBe("the top level is missing the required key 'name'");
    const r = loadYaml(yaml`
      name: x
      vnets:
        hub: {}
      routeTables:
        t:
          routes:
            - { name: r, nextHopType: None }
    `);
    expect(r.at('TOPO101', 3, 3).message).toBe("vnets.hub is missing the required key 'addressSpace'");
    expect(r.at('TOPO101', 7, 9).message).toBe("routeTables.t.routes[0] is missing the required key 'addressPrefix'");
  });

  it('rejects a value of the wrong type (TOPO102), saying what it got and wanted', () => {
    const r = loadYaml(yaml`
      name: x
      vnets: [hub]
      hosts:
        vm:
          subnet: v/s
          privateIpAddress: 10.0.0.4
          enableIpForwarding: "yes"
          applicationSecurityGroups: web
      natGateways:
        nat:
    `);
    expect(r.at('TOPO102', 2, 8).message).toBe('vnets is a list; expected map');
    expect(r.at('TOPO102', 7, 25).message).toBe("hosts.vm.enableIpForwarding is the string 'yes'; expected boolean");
    expect(r.at('TOPO102', 8, 32).message).toBe("hosts.vm.applicationSecurityGroups is the string 'web'; expected list");
    const empty = r.at('TOPO102', 10, 3);
    expect(empty.message).toBe('natGateways.nat is null; expected map');
    expect(empty.hint).toContain('the value is empty');
  });

  it('names both types of a nullable reference (TOPO102)', () => {
    const r = loadYaml('name: x\nvnets:\n  v:\n    addressSpace: [10.0.0.0/16]\n    subnets:\n      s: { addressPrefix: 10.0.0.0/24, routeTable: [t] }\n');
    expect(r.at('TOPO102', 6, 52).message).toBe('vnets.v.subnets.s.routeTable is a list; expected string or null');
  });

  it('reports a union (string or list) once when the value fits neither, else the bad item (TOPO102)', () => {
    const whole = loadYaml('name: x\ninclude: {a: b}\n');
    expect(whole.codes).toEqual(['TOPO102']);
    expect(whole.at('TOPO102', 2, 10).message).toBe('include is a map; expected a string or a list of strings');
    const item = loadYaml('name: x\ninclude: [a.yaml, 7]\n');
    expect(item.codes).toEqual(['TOPO223', 'TOPO102']);
    expect(item.at('TOPO102', 2, 19).message).toBe('include[1] is number 7; expected string');
  });

  it('rejects an enum value with the allowed list and a "did you mean" (TOPO103)', () => {
    const r = loadYaml(yaml`
      name: x
      routeTables:
        t:
          routes:
            - { name: r, addressPrefix: 10.0.0.0/8, nextHopType: VirtualApliance, nextHopIpAddress: 10.0.0.4 }
            - { name: s, addressPrefix: 10.0.0.0/8, nextHopType: 3 }
    `);
    const d = r.at('TOPO103', 5, 60);
    expect(d.message).toBe("routeTables.t.routes[0].nextHopType is the string 'VirtualApliance'; expected one of VirtualAppliance, VirtualNetworkGateway, VnetLocal, Internet, None");
    expect(d.hint).toBe("did you mean 'VirtualAppliance'?");
    expect(r.at('TOPO103', 6, 60).message).toContain('is number 3; expected one of');
    expect(r.with('TOPO103')).toHaveLength(2);
  });

  it('rejects enum values inside lists item by item (TOPO103)', () => {
    const r = loadYaml(yaml`
      name: x
      firewallPolicies:
        p:
          ruleCollectionGroups:
            - name: g
              priority: 100
              ruleCollections:
                - name: c
                  priority: 100
                  ruleCollectionType: FirewallPolicyFilterRuleCollection
                  action: Allow
                  rules:
                    - { name: r, ruleType: NetworkRule, ipProtocols: [TCP, TPC], sourceAddresses: ["*"], destinationAddresses: ["*"], destinationPorts: ["*"] }
    `);
    expect(r.codes).toEqual(['TOPO103']);
    expect(r.at('TOPO103', 13, 70).hint).toBe("did you mean 'TCP'?");
  });

  it('rejects names that break Azure naming rules, at the key (TOPO104)', () => {
    const r = loadYaml(yaml`
      name: x
      vnets:
        "hub vnet": { addressSpace: [10.0.0.0/16] }
        -dash-first: { addressSpace: [10.1.0.0/16] }
      applicationSecurityGroups: [ok, "not ok"]
    `);
    expect(r.at('TOPO104', 3, 3).message).toBe("'hub vnet' in vnets is not a valid Azure name");
    expect(r.at('TOPO104', 4, 3).message).toBe("'-dash-first' in vnets is not a valid Azure name");
    expect(r.at('TOPO104', 5, 33).message).toBe('applicationSecurityGroups[1] is not a valid Azure name');
    expect(r.at('TOPO104', 5, 33).hint).toContain('80 at most');
  });

  it('F1.1.6: rejects an NSG rule name that does not end with a word character or _ (TOPO104)', () => {
    const rule = (name: string) => `name: x\nnetworkSecurityGroups:\n  n:\n    securityRules:\n      - { name: "${name}", priority: 100, direction: Inbound, access: Allow, protocol: Tcp, sourceAddressPrefix: "*", sourcePortRange: "*", destinationAddressPrefix: "*", destinationPortRange: "*" }\n`;
    const r = loadYaml(rule('allow-'));
    expect(r.at('TOPO104', 5, 17).message).toBe('networkSecurityGroups.n.securityRules[0].name is not a valid Azure name');
    expect(r.at('TOPO104', 5, 17).hint).toContain('end with a letter, digit or _');
    expect(loadYaml(rule('x'.repeat(81))).codes).toContain('TOPO104');
    expect(loadYaml(rule('allow_')).codes).not.toContain('TOPO104');
    expect(loadYaml(rule('a.b-c_d')).codes).not.toContain('TOPO104');
    expect(loadYaml(rule('x'.repeat(80))).codes).not.toContain('TOPO104');
  });

  it('F4.1.2: rejects firewall priorities outside 100..65000 (TOPO105)', () => {
    const r = loadYaml(yaml`
      name: x
      firewallPolicies:
        p:
          ruleCollectionGroups:
            - { name: g, priority: 50 }
            - { name: h, priority: 70000 }
    `);
    expect(r.at('TOPO105', 5, 30).message).toBe('firewallPolicies.p.ruleCollectionGroups[0].priority must be at least 100');
    expect(r.at('TOPO105', 6, 30).message).toBe('firewallPolicies.p.ruleCollectionGroups[1].priority must be at most 65000');
  });

  it('F1.1.1: reports an NSG priority outside 100..4096 as TOPO207, not as a generic schema error', () => {
    const rule = (p: number) => `name: x\nnetworkSecurityGroups:\n  n:\n    securityRules:\n      - { name: r, priority: ${p}, direction: Inbound, access: Allow, protocol: Tcp, sourceAddressPrefix: "*", sourcePortRange: "*", destinationAddressPrefix: "*", destinationPortRange: "*" }\n`;
    const low = loadYaml(rule(99));
    expect(low.at('TOPO207', 5, 30).message).toBe('NSG rule priority 99 is outside 100..4096');
    expect(low.at('TOPO207', 5, 30).hint).toContain('65000+ are the default rules');
    expect(loadYaml(rule(4097)).codes).toContain('TOPO207');
    expect(loadYaml(rule(65000)).codes).toContain('TOPO207');
    expect(loadYaml(rule(100)).codes).not.toContain('TOPO207');
    expect(loadYaml(rule(4096)).codes).not.toContain('TOPO207');
  });

  it('rejects the singular and the plural of one ARM field together, at the plural (TOPO106)', () => {
    const r = loadYaml(yaml`
      name: x
      vnets:
        v:
          addressSpace: [10.0.0.0/16]
          subnets:
            s:
              addressPrefix: 10.0.1.0/24
              addressPrefixes: [10.0.2.0/24]
    `);
    const d = r.at('TOPO106', 8, 9);
    expect(d.message).toBe("both 'addressPrefix' and 'addressPrefixes' are given");
    expect(d.hint).toContain("keep one: 'addressPrefixes' holds a list");
  });

  it('reports every schema problem of a file in one run, in file order', () => {
    const r = loadYaml('name: 5\nregion: [eastus]\nvnetz: {}\n');
    expect(r.codes).toEqual(['TOPO102', 'TOPO102', 'TOPO100']);
  });
});

describe('displayPath', () => {
  it('writes paths the way the format reads them', () => {
    expect(displayPath([])).toBe('the top level');
    expect(displayPath(['vnets', 'hub', 'subnets', 'a'])).toBe('vnets.hub.subnets.a');
    expect(displayPath(['intents', 2, 'deny', 'ports', 0])).toBe('intents[2].deny.ports[0]');
  });
});
