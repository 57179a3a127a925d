/** TOPO-L002: a PaaS resource whose public endpoint accepts connections (F5.1.6, F5.3.9). */
import { plural } from '../../net/text.js';
import type { FindingDraft, LintCheck } from '../types.js';

export const paasPublicAccess: LintCheck = {
  id: 'TOPO-L002',
  run({ net }) {
    const out: FindingDraft[] = [];
    for (const r of net.resources.values()) {
      if (!r.info || !r.publicNetworkAccess.enabled) continue;
      const where = r.publicNetworkAccess.explicit ? r.publicNetworkAccess.loc : r.loc;
      const how = r.publicNetworkAccess.explicit ? 'publicNetworkAccess is Enabled' : "publicNetworkAccess is not set, and Azure's default is Enabled";
      const pes = r.privateEndpoints.length ? ` It also has ${plural(r.privateEndpoints.length, 'private endpoint')}, which ${r.privateEndpoints.length === 1 ? 'does' : 'do'} not close the public one (F5.1.6).` : '';
      const related = r.privateEndpoints.map((p) => ({ message: `private endpoint ${p.name} (${p.groupId})`, loc: p.loc }));
      if (r.defaultAction.value === 'Allow') {
        out.push({ target: r.name, message: `${r.name} (${r.type}) accepts connections from any network on its public endpoint: ${how} and the network rules' default action is Allow.${pes}`, loc: where, related });
        continue;
      }
      const ipRanges = r.ipRules.intervalCount;
      const subnets = r.virtualNetworkRules.size;
      const allowed = [ipRanges ? `${plural(ipRanges, 'IP range')}` : '', subnets ? `${plural(subnets, 'subnet')} by service endpoint` : ''].filter(Boolean).join(' and ');
      out.push({
        severity: 'note',
        target: r.name,
        message: `${r.name} (${r.type}) keeps its public endpoint enabled (${how}), limited to ${allowed || 'no network: only trusted-service exceptions, which topo does not model'}.${pes}`,
        loc: where,
        related: [...(r.ipRulesLoc ? [{ message: 'IP rules', loc: r.ipRulesLoc }] : []), ...[...r.virtualNetworkRules].map(([s, loc]) => ({ message: `virtual network rule for ${s}`, loc })), ...related],
      });
    }
    return out;
  },
};
