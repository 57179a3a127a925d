/**
 * TOPO-L004: SSH or RDP reachable from the Internet. Not a string match on
 * rules: the verifier proves, over every Internet source, whether a packet
 * to TCP 22 or 3389 of an interface is delivered (through its public IP and
 * NSGs, or a firewall DNAT rule, F1.2.4, F11.1, F4.5.5), and the witness is
 * re-simulated by the packet simulator like any intent's.
 */
import { IntervalSet } from '../../headerspace/interval-set.js';
import { PROTO } from '../../headerspace/packet.js';
import { ALL_PORTS } from '../../model/nsg.js';
import type { Network, Nic } from '../../model/types.js';
import type { EndpointRef } from '../../scenario/endpoints.js';
import { isBuiltin, type SourceLoc } from '../../scenario/source-loc.js';
import { describePacket } from '../../sim/simulate.js';
import type { Hop } from '../../sim/trace.js';
import { checkClaim, type Claim } from '../../verify/check.js';
import type { Witness } from '../../verify/results.js';
import { sourcesOf, type SourceSpec } from '../../model/endpoints.js';
import type { FindingDraft, LintCheck, Related } from '../types.js';

const MANAGEMENT = IntervalSet.fromRanges([
  [22, 22],
  [3389, 3389],
]);

/** Interfaces the Internet can address: a public IP of their own, or a DNAT rule that translates to them. */
function entryPoints(net: Network): { nic: Nic; to: EndpointRef; label: string }[] {
  const dnatTargets = new Set<number>();
  for (const fw of net.firewalls.values()) for (const r of fw.dnat) if (r.translate) dnatTargets.add(r.translate.addr);
  const targetNics = new Set<Nic>();
  for (const addr of dnatTargets) for (const n of net.nics) if (n.addresses.has(addr)) targetNics.add(n);
  const out: { nic: Nic; to: EndpointRef; label: string }[] = [];
  const genericSubnets = new Set<string>();
  for (const n of net.nics) {
    if (n.kind === 'host' && (n.publicIp || targetNics.has(n))) out.push({ nic: n, to: { kind: 'host', name: n.name }, label: n.label });
    else if (n.kind === 'subnet' && targetNics.has(n) && !genericSubnets.has(n.subnet.id)) {
      genericSubnets.add(n.subnet.id);
      out.push({ nic: n, to: { kind: 'subnet', vnet: n.subnet.vnet, subnet: n.subnet.name }, label: `an address of ${n.subnet.id}` });
    }
  }
  return out;
}

/** The step that let the packet in: a DNAT rule that published the port, else the last NSG allow, else nothing written. */
function opening(hops: readonly Hop[]): Hop | undefined {
  const located = hops.filter((h) => h.loc && !isBuiltin(h.loc));
  const dnat = located.find((h) => h.kind === 'firewall' && h.decision === 'translate');
  if (dnat) return dnat;
  const nsg = located.filter((h) => h.kind === 'nsg' && h.decision === 'allow');
  return nsg[nsg.length - 1];
}

function claimFor(entry: { nic: Nic; to: EndpointRef }, sources: readonly SourceSpec[]): Claim {
  return {
    name: `management ports of ${entry.nic.name}`,
    kind: 'deny',
    loc: entry.nic.loc,
    from: { kind: 'internet' },
    to: entry.to,
    fromText: 'internet',
    toText: entry.nic.name,
    protocols: IntervalSet.point(PROTO.TCP),
    protocolText: 'Tcp',
    ports: MANAGEMENT,
    portsText: '22,3389',
    sourcePorts: ALL_PORTS,
    adversary: 'default',
    sources,
  };
}

function finding(net: Network, entry: { nic: Nic; label: string }, witness: Witness, from: string, severity?: 'note'): FindingDraft {
  const hops = witness.trace.hops;
  const open = opening(hops);
  const port = witness.packet.dstPort === 22 ? 'SSH (TCP 22)' : witness.packet.dstPort === 3389 ? 'RDP (TCP 3389)' : `TCP ${witness.packet.dstPort}`;
  const related: Related[] = hops
    .map((h, i): Related | undefined => (h.loc && !isBuiltin(h.loc) && h !== open ? { message: `hop ${i + 1}: ${h.kind} ${h.decision}: ${h.rule ?? h.at}`, loc: h.loc as SourceLoc } : undefined))
    .filter((x): x is Related => x !== undefined);
  return {
    ...(severity ? { severity } : {}),
    target: entry.nic.name,
    message: `${port} of ${entry.label} is reachable from ${from}: ${describePacket(net, witness.packet)}${open?.rule ? `, let in by ${open.rule}` : ''}`,
    loc: open?.loc ?? entry.nic.publicIp?.loc ?? entry.nic.loc,
    related,
    witness,
  };
}

export const managementPorts: LintCheck = {
  id: 'TOPO-L004',
  run(ctx) {
    const { net } = ctx;
    const out: FindingDraft[] = [];
    // Named outside parties (a partner's range) are told apart from everyone else on the Internet.
    const partners = [...net.externals.values()].filter((e) => !e.onPremises);
    let named = IntervalSet.EMPTY;
    for (const e of partners) named = named.union(e.space);
    const [internet] = sourcesOf(net, { kind: 'internet' });
    const everyone: SourceSpec[] = [{ kind: 'internet', ips: internet.ips.subtract(named) }];
    const known: SourceSpec[] = [{ kind: 'internet', ips: internet.ips.intersect(named) }];
    for (const entry of entryPoints(net)) {
      const r = checkClaim(net, ctx.graph(), claimFor(entry, everyone));
      if (r.status === 'unknown') {
        out.push({
          severity: 'note',
          target: entry.nic.name,
          message: `topo cannot decide whether SSH or RDP of ${entry.label} is reachable from the Internet: ${r.reason ?? 'undecided packets'}`,
          loc: entry.nic.loc,
        });
        continue;
      }
      if (r.status === 'fail' && r.witness) {
        out.push(finding(net, entry, r.witness, 'the Internet'));
        continue;
      }
      if (known[0].ips.isEmpty) continue;
      const k = checkClaim(net, ctx.graph(), claimFor(entry, known));
      if (k.status === 'fail' && k.witness) {
        const who = partners.filter((e) => e.space.has(k.witness!.packet.srcIp)).map((e) => `external '${e.name}'`);
        out.push(finding(net, entry, k.witness, `${who.join(', ') || 'a named external party'} only`, 'note'));
      }
    }
    return out;
  },
};
