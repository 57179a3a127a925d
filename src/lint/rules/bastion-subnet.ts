/**
 * TOPO-L014: the NSG of AzureBastionSubnet must let through what Azure
 * Bastion needs (F6.1.2, §8.25). Checked on the compiled NSG as it applies in
 * that subnet, default rules included, so a requirement the default rules
 * already meet (8080/5701 within the VNet) is not asked for twice. Where the
 * documentation allows narrowing (the Internet clients on 443, the target
 * ports on 22/3389), some allowed packet is enough; elsewhere every packet of
 * the requirement must be allowed.
 */
import { firstMatch } from '../../headerspace/first-match.js';
import { IntervalSet } from '../../headerspace/interval-set.js';
import { PacketSet } from '../../headerspace/packet-set.js';
import { PROTO } from '../../headerspace/packet.js';
import { tagAddresses } from '../../model/endpoints.js';
import { ALL_NAMES, ALL_PORTS } from '../../model/nsg.js';
import type { Network, SubnetModel } from '../../model/types.js';
import { AZURE_HOST_IP } from '../../net/ipv4.js';
import type { FindingDraft, LintCheck } from '../types.js';

interface Requirement {
  readonly what: string;
  readonly direction: 'Inbound' | 'Outbound';
  readonly src: IntervalSet;
  readonly dst: IntervalSet;
  readonly ports: IntervalSet;
  /** Some packet must pass (the user may narrow it), rather than all. */
  readonly some: boolean;
}

const ports = (...list: number[]) => IntervalSet.fromRanges(list.map((p) => [p, p] as [number, number]));

function requirements(net: Network, s: SubnetModel): Requirement[] {
  const bastion = s.usable;
  const vnet = s.virtualNetworkTag.subtract(s.space);
  const internet = net.adversary.publicSpace;
  return [
    { what: 'inbound TCP 443 from the Internet (user sessions)', direction: 'Inbound', src: internet, dst: bastion, ports: ports(443), some: true },
    { what: 'inbound TCP 443 from GatewayManager (control plane)', direction: 'Inbound', src: tagAddresses(net, 'GatewayManager'), dst: bastion, ports: ports(443), some: false },
    { what: 'inbound TCP 443 from AzureLoadBalancer (health probes)', direction: 'Inbound', src: IntervalSet.point(AZURE_HOST_IP), dst: bastion, ports: ports(443), some: false },
    { what: 'inbound TCP 8080 and 5701 between Bastion instances (data plane)', direction: 'Inbound', src: bastion, dst: bastion, ports: ports(8080, 5701), some: false },
    { what: 'outbound TCP 22 or 3389 to the VMs of the VNet (sessions)', direction: 'Outbound', src: bastion, dst: vnet, ports: ports(22, 3389), some: true },
    { what: 'outbound TCP 8080 and 5701 between Bastion instances (data plane)', direction: 'Outbound', src: bastion, dst: bastion, ports: ports(8080, 5701), some: false },
    { what: 'outbound TCP 443 to AzureCloud (diagnostics and metering)', direction: 'Outbound', src: bastion, dst: tagAddresses(net, 'AzureCloud'), ports: ports(443), some: false },
    { what: 'outbound TCP 80 to the Internet (session and certificate validation)', direction: 'Outbound', src: bastion, dst: internet, ports: ports(80), some: true },
  ];
}

export const bastionSubnetRules: LintCheck = {
  id: 'TOPO-L014',
  run({ net }) {
    const out: FindingDraft[] = [];
    for (const s of net.subnets.values()) {
      if (s.special !== 'AzureBastionSubnet' || !s.nsg) continue;
      for (const r of requirements(net, s)) {
        if (r.src.isEmpty || r.dst.isEmpty) continue;
        const wanted = PacketSet.ofBox([IntervalSet.point(PROTO.TCP), r.src, ALL_PORTS, r.dst, r.ports, ALL_NAMES]);
        const program = net.nsgProgram(s.nsg.name, r.direction, s);
        const { hits } = firstMatch(wanted, program.rules);
        let allowed = PacketSet.EMPTY;
        for (const h of hits) if (h.rule.access === 'Allow') allowed = allowed.union(h.packets);
        const met = r.some ? !allowed.isEmpty : wanted.subtract(allowed).isEmpty;
        if (met) continue;
        const denier = hits.find((h) => h.rule.access === 'Deny');
        out.push({
          target: s.id,
          key: r.what,
          message: `the NSG ${s.nsg.name} of ${s.id} does not allow ${r.what}${denier ? `: ${denier.rule.ref.label} denies it` : ''}; Azure Bastion needs it (F6.1.2)`,
          loc: denier && denier.rule.ref.kind === 'nsg-rule' ? denier.rule.ref.loc : s.nsg.loc,
          related: [{ message: `NSG ${s.nsg.name} attached here`, loc: s.nsg.loc }],
        });
      }
    }
    return out;
  },
};
