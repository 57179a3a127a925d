/** TOPO-L003: a VM with a public IP (F11.1, F11.2). */
import { formatIpv4 } from '../../net/ipv4.js';
import type { FindingDraft, LintCheck } from '../types.js';

export const computePublicIp: LintCheck = {
  id: 'TOPO-L003',
  run({ net }) {
    const out: FindingDraft[] = [];
    for (const n of net.nics) {
      if (n.kind !== 'host' || !n.publicIp) continue;
      const sku = n.publicIp.sku === 'Basic' ? ' (Basic SKU: open to inbound traffic unless an NSG denies it, F11.1)' : '';
      out.push({
        target: n.name,
        message: `${n.name} in ${n.subnet.id} has public IP ${formatIpv4(n.publicIp.addr)}${sku}: an Internet entry point and an egress path of its own`,
        loc: n.publicIp.loc,
        related: [{ message: `host ${n.name}`, loc: n.loc }],
      });
    }
    return out;
  },
};
