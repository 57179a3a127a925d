/** IP groups: name -> addresses, for firewall rules. */
import { T } from '../types.js';
import type { MapContext } from './context.js';
import { comment, COMMENTS, type DraftObject, type ScenarioDraft } from './draft.js';

export function mapIpGroups(ctx: MapContext): ScenarioDraft['ipGroups'] {
  return ctx.of(T.ipGroup).map((g) => {
    const o: DraftObject = {};
    comment(o, ctx.origin(g, 'ipGroups'));
    const addresses = ctx.texts(g.properties.ipAddresses, o, `addresses of IP group ${g.name}`);
    return { key: ctx.names.key('ipGroups', g.id)!, addresses, comments: o[COMMENTS] ?? [] };
  });
}
