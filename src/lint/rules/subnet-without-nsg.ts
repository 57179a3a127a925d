/** TOPO-L001: a subnet that holds workloads and has no NSG (F1.4). */
import { plural } from '../../net/text.js';
import { takesNsg } from '../nsg-uses.js';
import type { FindingDraft, LintCheck } from '../types.js';

export const subnetWithoutNsg: LintCheck = {
  id: 'TOPO-L001',
  run({ net }) {
    const out: FindingDraft[] = [];
    for (const s of net.subnets.values()) {
      if (s.nsg || !takesNsg(s)) continue;
      const declared = s.nics.filter((n) => n.kind !== 'subnet');
      const unfiltered = declared.filter((n) => !n.nsg);
      const what =
        declared.length === 0
          ? 'nothing filters the traffic of anything deployed into it'
          : unfiltered.length === 0
            ? `only the NIC-level NSGs of its ${plural(declared.length, 'interface')} filter its traffic`
            : `nothing filters the traffic of ${unfiltered.map((n) => n.name).slice(0, 5).join(', ')}${unfiltered.length > 5 ? ` and ${unfiltered.length - 5} more` : ''}`;
      out.push({
        target: s.id,
        message: `subnet '${s.id}' has no NSG: ${what}`,
        loc: s.loc,
        related: unfiltered.slice(0, 5).map((n) => ({ message: `${n.label} has no NSG either`, loc: n.loc })),
      });
    }
    return out;
  },
};
