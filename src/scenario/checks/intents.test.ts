import { describe, expect, it } from 'vitest';
import { loadYaml, yaml } from '../../../test/helpers/scenario-fixture.js';

// Checks of intents (intents.ts, and the one-claim rule of build.ts). Intents start on line 12.
const withIntents = (intents: string) =>
  yaml`
    name: x
    vnets:
      research:
        addressSpace: [10.1.0.0/16]
        subnets:
          compute: { addressPrefix: 10.1.1.0/24, networkSecurityGroup: n }
    networkSecurityGroups:
      n: {}
    resources:
      { mldata: { type: Microsoft.Storage/storageAccounts }, ws: { type: Microsoft.MachineLearningServices/workspaces } }
    intents:
  ` + intents;

describe('intents', () => {
  it('accepts deny, allow and require intents over every endpoint form', () => {
    const r = loadYaml(
      withIntents(yaml`
        - name: no-exfiltration
          deny: { from: research/compute, to: internet }
        - name: reaches-blob
          allow: { from: research, to: mldata/blob, protocol: tcp, ports: [443, "8000-8100"], sourcePorts: ["*"] }
        - name: storage-tag
          deny: { from: 10.1.1.0/24, to: "tag:storage.eastus", protocol: Icmp }
        - name: aml
          require: azureml/compute-cluster
          from: research/compute
          with: { workspace: ws, storage: mldata }
      `),
    );
    expect(r.diagnostics).toEqual([]);
    expect(r.scenario?.intents.map((i) => i.kind)).toEqual(['deny', 'allow', 'deny', 'require']);
  });

  it('rejects an endpoint that names nothing (TOPO221), with "did you mean"', () => {
    const r = loadYaml(withIntents('  - name: i\n    deny: { from: research/compte, to: internett }\n'));
    const from = r.at('TOPO221', 13, 19);
    expect(from.message).toBe("from of intent 'i': VNet 'research' has no subnet 'compte'");
    expect(from.hint).toBe('did you mean research/compute?');
    expect(r.at('TOPO221', 13, 40).hint).toBe("did you mean 'internet'?");
  });

  it('F5.1.3: rejects a sub-resource the resource does not have (TOPO221)', () => {
    const r = loadYaml(withIntents('  - name: i\n    allow: { from: research, to: mldata/vault }\n'));
    expect(r.at('TOPO221', 13, 34).message).toBe("to of intent 'i': 'mldata/vault': a storage account has no sub-resource 'vault' (F5.1.3)");
  });

  it('rejects a service tag the catalog does not know (TOPO206), with "did you mean"', () => {
    const r = loadYaml(withIntents('  - name: i\n    deny: { from: research, to: "tag:Storage.EastUs2x" }\n'));
    const d = r.at('TOPO206', 13, 33);
    expect(d.message).toContain("to of intent 'i' 'tag:Storage.EastUs2x' is not a known service tag");
    expect(d.hint).toBe("did you mean 'Storage.EastUS2'?");
  });

  it('rejects a tag: endpoint that holds an address, not a tag (TOPO206)', () => {
    expect(loadYaml(withIntents('  - name: i\n    deny: { from: research, to: "tag:10.0.0.0/8" }\n')).codes).toEqual(['TOPO206']);
  });

  it('F1.1.5: rejects malformed ports (TOPO209)', () => {
    const r = loadYaml(withIntents('  - name: i\n    allow: { from: research, to: internet, ports: [443, "1-2-3"], sourcePorts: [70000] }\n'));
    expect(r.at('TOPO209', 13, 57).message).toBe("port of intent 'i': '1-2-3' is not a port, a range 'lo-hi' or '*'");
    expect(r.at('TOPO209', 13, 81).message).toBe("source port of intent 'i': '70000' is outside 0-65535");
  });

  it('F1.1.5: rejects ports on an ICMP intent, which has none (TOPO222)', () => {
    const r = loadYaml(withIntents('  - name: i\n    deny: { from: research, to: internet, protocol: icmp, ports: [443] }\n'));
    const d = r.at('TOPO222', 13, 53);
    expect(d.message).toBe("intent 'i' gives ports for ICMP, which has none");
    expect(d.hint).toBe('remove ports:, or use Tcp/Udp');
  });

  it('rejects an intent from internet to internet (TOPO222)', () => {
    const r = loadYaml(withIntents('  - name: i\n    deny: { from: Internet, to: internet }\n'));
    expect(r.at('TOPO222', 13, 33).message).toBe("intent 'i' goes from internet to internet, which is not about this design");
  });

  it('rejects an intent with no claim or with two claims (TOPO222), at its name', () => {
    const r = loadYaml(withIntents('  - name: none\n    description: forgot the claim\n  - name: both\n    deny: { from: research, to: internet }\n    allow: { from: research, to: mldata }\n'));
    const none = r.at('TOPO222', 12, 11);
    expect(none.message).toBe("intent 'none' says neither deny:, allow: nor require:");
    expect(none.hint).toBe('split it into one intent per claim');
    expect(r.at('TOPO222', 14, 11).message).toBe("intent 'both' has deny and allow; an intent makes one claim");
  });

  it('rejects from:/to:/with: outside the flow of a deny or allow intent (TOPO222), at the key', () => {
    const r = loadYaml(withIntents('  - name: i\n    from: research\n    deny: { from: research, to: internet }\n'));
    const d = r.at('TOPO222', 13, 5);
    expect(d.message).toBe("'from:' belongs inside deny: in intent 'i'");
    expect(d.hint).toBe('move it under deny:');
  });

  it('requires from: on a require intent (TOPO222), and checks its endpoints (TOPO221)', () => {
    const r = loadYaml(withIntents('  - name: needs-from\n    require: azureml/compute-cluster\n  - name: bad-from\n    require: azureml/compute-cluster\n    from: research/gpu\n'));
    expect(r.at('TOPO222', 12, 11).message).toBe("intent 'needs-from' requires a flow set but has no from:");
    expect(r.at('TOPO221', 16, 11).message).toBe("from of intent 'bad-from': VNet 'research' has no subnet 'gpu'");
  });

  it('requires from: and to: in a flow (TOPO101)', () => {
    const r = loadYaml(withIntents('  - name: i\n    deny: { from: research }\n'));
    expect(r.at('TOPO101', 13, 5).message).toBe("intents[0].deny is missing the required key 'to'");
  });

  it('rejects two intents with one name (TOPO229), naming the first', () => {
    const r = loadYaml(withIntents('  - name: i\n    deny: { from: research, to: internet }\n  - name: i\n    deny: { from: research, to: 10.0.0.0/8 }\n'));
    const d = r.at('TOPO229', 14, 11);
    expect(d.message).toBe("intent 'i' is defined twice");
    expect(d.related?.[0].loc).toMatchObject({ line: 12, col: 11 });
  });
});
