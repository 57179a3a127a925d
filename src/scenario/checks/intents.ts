/** Checks of intents: names, endpoints, ports (the flow sets of require: are checked by the service models). */
import { resolveEndpoint } from '../endpoints.js';
import type { Located } from '../source-loc.js';
import type { CheckContext } from './context.js';

export function checkIntents(c: CheckContext): void {
  c.uniqueNames(c.s.intents.map((i) => ({ name: i.name, loc: i.nameLoc })), 'intent');
  for (const intent of c.s.intents) {
    const where = `intent '${intent.name}'`;
    const endpoint = (value: Located<string> | undefined, role: string) => {
      if (!value) return;
      const r = resolveEndpoint(c.s, value.value);
      if (!r.ok) {
        c.report('TOPO221', `${role} of ${where}: ${r.message}`, value.loc, r.hint ? { hint: r.hint } : {});
        return;
      }
      if (r.ref.kind === 'tag') c.tag({ value: r.ref.tag, loc: value.loc }, `${role} of ${where} '${value.value}'`);
    };
    if (intent.kind === 'require') {
      endpoint(intent.from, 'from');
      endpoint(intent.to, 'to');
      continue;
    }
    endpoint(intent.flow.from, 'from');
    endpoint(intent.flow.to, 'to');
    for (const p of intent.flow.ports) c.port(p, `port of ${where}`);
    for (const p of intent.flow.sourcePorts) c.port(p, `source port of ${where}`);
    if (intent.flow.protocol?.value === 'Icmp' && (intent.flow.ports.length > 0 || intent.flow.sourcePorts.length > 0)) {
      c.report('TOPO222', `${where} gives ports for ICMP, which has none`, intent.flow.protocol.loc, { hint: 'remove ports:, or use Tcp/Udp' });
    }
    if (intent.flow.from.value.trim().toLowerCase() === 'internet' && intent.flow.to.value.trim().toLowerCase() === 'internet') {
      c.report('TOPO222', `${where} goes from internet to internet, which is not about this design`, intent.flow.to.loc);
    }
  }
}
