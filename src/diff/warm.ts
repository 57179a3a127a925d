/**
 * What a what-if would otherwise work out inside its own latency the first
 * time its packets arrive somewhere: the NSG programs of every interface
 * where packets start or end (F1.4), and where each such interface's replies
 * go (F1.5.1, F4.6). A verification compiles only what its intents reach; an
 * edit that opens one subnet's traffic to seventy others would compile their
 * inbound programs and reply routes while the user waits. `topo watch` runs
 * these steps while it waits for the first save; versions derived by rule
 * edits share the results (the same interfaces, the same unedited programs).
 */
import type { Nic } from '../model/types.js';
import { replyOutcomes } from '../verify/graph.js';
import { inboundNsgs, outboundNsgs } from '../verify/nsg-eval.js';
import type { Analysis } from './analysis.js';

function endsHere(nic: Nic): boolean {
  return nic.kind === 'host' || nic.kind === 'subnet' || nic.kind === 'private-endpoint';
}

/** One interface at a time, so that a caller can spread the work over idle moments. */
export function* warmingSteps(a: Analysis): Generator<Nic, void, undefined> {
  const net = a.net;
  for (const nic of net.nics) {
    if (!endsHere(nic)) continue;
    const pe = nic.kind === 'private-endpoint';
    // A private endpoint reads its NSGs without source ports, and only with network policies on (F1.9.2).
    const policies = nic.subnet.privateEndpointNetworkPolicies.value;
    if (!pe || policies === 'Enabled' || policies === 'NetworkSecurityGroupEnabled') for (const nsg of inboundNsgs(nic)) net.nsgProgram(nsg, 'Inbound', nic.subnet, pe);
    if (!pe) for (const nsg of outboundNsgs(nic)) net.nsgProgram(nsg, 'Outbound', nic.subnet);
    replyOutcomes(net, nic);
    yield nic;
  }
}

/** Every step at once; returns the number of interfaces visited. */
export function warmForWhatIfs(a: Analysis): number {
  let n = 0;
  for (const _ of warmingSteps(a)) n += 1;
  return n;
}
