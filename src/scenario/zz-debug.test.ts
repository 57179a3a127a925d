import { it } from 'vitest';
import { render, mutate, styler } from './yaml-fast.test.js';
import { parseFast, checkFast } from './yaml-fast.js';
import { parseWithReference } from './yaml-reference.js';
const show = (label: string, text: string) => {
  const f = parseFast(text, 'f'); const r = parseWithReference(text, 'f'); const c = checkFast(text, 'f');
  console.log(label, JSON.stringify(text), '\n  fast:', f.kind, f.kind === 'error' ? f.diagnostics[0].message + ' ' + f.diagnostics[0].loc?.line + ':' + f.diagnostics[0].loc?.col : f.kind === 'unsupported' ? f.feature : '', '\n  lenient:', c.kind, c.kind === 'error' ? c.diagnostics[0].message : '', '\n  ref:', r.diagnostics.map((d) => d.message + ' ' + d.loc?.line + ':' + d.loc?.col).join('; ') || 'ok');
};
it('dbg', () => {
  show('A', render(null, 2147483637));
  show('B', render(null, 1336041524));
  show('C', mutate(render({"direction":[]} as never, 12), -1889478204));
  for (const [root, seed, dmg] of [[{}, 0, 8], [{"name":"443","addressPrefix":"","access":[{"name":[["10.0.0.0/8","AzureFirewallSubnet"],"hub"],"vnets":"443","destinationPortRanges":"10.0.0.0/8"},null],"priority":[],"protocol":"        "}, -1223850162, 1530193249]] as const) {
    const r = styler(dmg as number);
    let text = render(root as never, seed as number).replace(/(: |- |\[|, )/g, (m) => (r.chance(0.15) ? m + r.pick(['!t ', '!!str ', '!<tag:x> ', '&p ', '!t &q ']) : m));
    if (r.chance(0.5)) text = mutate(text, dmg as number);
    show('L', text);
  }
});
