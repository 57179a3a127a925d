/**
 * The diagram's stylesheet, inlined in every SVG and HTML file (no external
 * CSS). Colours follow the Azure diagram convention: VNets solid blue with a
 * light fill, subnets dashed, PaaS grey, peerings dotted blue, private links
 * purple; overlays: witness red, allowed green, example blue.
 */
import { FONT_FAMILY } from './metrics.js';

export type Theme = 'light' | 'dark';

/** The witness red, as browsers report it: rgb(209, 36, 47). */
export const WITNESS_RED = '#d1242f';
export const ALLOWED_GREEN = '#1a7f37';
export const EXAMPLE_BLUE = '#0969da';
export const BLOCK_ORANGE = '#bc4c00';

const THEMES: Record<Theme, Record<string, string>> = {
  light: {
    bg: '#ffffff',
    fg: '#1f2328',
    muted: '#59636e',
    vnet: '#0078d4',
    'vnet-fill': '#eef6fd',
    subnet: '#4f8fcf',
    'subnet-fill': '#ffffff',
    leaf: '#59636e',
    'leaf-fill': '#ffffff',
    'paas-fill': '#f3f4f6',
    'paas': '#6e7781',
    'edge-fill': '#fff8e6',
    edge: '#8c959f',
    peering: '#0078d4',
    'one-sided': '#bc4c00',
    private: '#8250df',
    badge: '#e7ecf1',
    'badge-fg': '#1f2328',
    'nsg-badge': '#fbefd5',
    'rt-badge': '#dcecfb',
    'nat-badge': '#e3f4e6',
    panel: '#f6f8fa',
    border: '#d1d9e0',
    'label-bg': '#ffffff',
  },
  dark: {
    bg: '#0d1117',
    fg: '#e6edf3',
    muted: '#9198a1',
    vnet: '#4aa3f0',
    'vnet-fill': '#0f2236',
    subnet: '#5b9bd5',
    'subnet-fill': '#0d1117',
    leaf: '#9198a1',
    'leaf-fill': '#161b22',
    'paas-fill': '#1f242c',
    'paas': '#8b949e',
    'edge-fill': '#2a2110',
    edge: '#6e7681',
    peering: '#4aa3f0',
    'one-sided': '#f0883e',
    private: '#a371f7',
    badge: '#21262d',
    'badge-fg': '#e6edf3',
    'nsg-badge': '#3b2e12',
    'rt-badge': '#132c45',
    'nat-badge': '#143020',
    panel: '#161b22',
    border: '#30363d',
    'label-bg': '#0d1117',
  },
};

export function themeVariables(theme: Theme): string {
  return Object.entries(THEMES[theme])
    .map(([k, v]) => `--${k}:${v};`)
    .join('');
}

const OVERLAY_COLORS: Record<string, string> = { witness: WITNESS_RED, allowed: ALLOWED_GREEN, example: EXAMPLE_BLUE, block: BLOCK_ORANGE };

/** A theme colour by name (`vnet`, `witness`...). */
export function themeColor(theme: Theme, name: string): string {
  const c = THEMES[theme][name] ?? OVERLAY_COLORS[name];
  if (c === undefined) throw new Error(`topo: no diagram colour '${name}'`);
  return c;
}

/** Replaces var(--name) by the theme's colour: SVG viewers without CSS variables render it too. */
export function resolveColors(css: string, theme: Theme): string {
  return css.replace(/var\(--([a-z-]+)\)/g, (_, name: string) => themeColor(theme, name));
}

/** CSS for the SVG itself, scoped to `svg.topo-diagram`, colours resolved. */
export function svgStyles(theme: Theme): string {
  return resolveColors(rawSvgStyles(), theme);
}

function rawSvgStyles(): string {
  return `
svg.topo-diagram{font-family:${FONT_FAMILY};background:var(--bg);color:var(--fg)}
svg.topo-diagram text{fill:var(--fg);font-family:${FONT_FAMILY}}
svg.topo-diagram .bg{fill:var(--bg)}
svg.topo-diagram .title{font-size:18px;font-weight:bold}
svg.topo-diagram .meta{font-size:11px;fill:var(--muted)}
svg.topo-diagram .caption{font-size:9px;fill:var(--muted);letter-spacing:0}
svg.topo-diagram .name{font-weight:bold}
svg.topo-diagram .sub{font-size:11px;fill:var(--muted)}
svg.topo-diagram .box{stroke-width:1.2}
svg.topo-diagram .node.vnet>.box,svg.topo-diagram .node.vnet-group>.box{fill:var(--vnet-fill);stroke:var(--vnet);stroke-width:2.5}
svg.topo-diagram .node.vnet-group>.stack{fill:var(--vnet-fill);stroke:var(--vnet);stroke-width:1.5}
svg.topo-diagram .node.subnet>.box{fill:var(--subnet-fill);stroke:var(--subnet);stroke-dasharray:6 3}
svg.topo-diagram .node.host>.box,svg.topo-diagram .node.private-endpoint>.box,svg.topo-diagram .node.firewall>.box,svg.topo-diagram .node.gateway>.box{fill:var(--leaf-fill);stroke:var(--leaf)}
svg.topo-diagram .node.firewall>.box{stroke:#d13438;stroke-width:1.8}
svg.topo-diagram .node.gateway>.box{stroke:#8a6d00;stroke-width:1.8}
svg.topo-diagram .node.private-endpoint>.box{stroke:var(--private)}
svg.topo-diagram .node.resource>.box{fill:var(--paas-fill);stroke:var(--paas)}
svg.topo-diagram .node.external>.box,svg.topo-diagram .node.internet>.box{fill:var(--edge-fill);stroke:var(--edge);stroke-width:1.5}
svg.topo-diagram .accent{stroke:none}
svg.topo-diagram .node.host>.accent{fill:var(--leaf)}
svg.topo-diagram .node.private-endpoint>.accent{fill:var(--private)}
svg.topo-diagram .node.firewall>.accent{fill:#d13438}
svg.topo-diagram .node.gateway>.accent{fill:#8a6d00}
svg.topo-diagram .node.resource>.accent{fill:var(--paas)}
svg.topo-diagram .node.external>.accent,svg.topo-diagram .node.internet>.accent{fill:var(--edge)}
svg.topo-diagram .badge rect{stroke:none}
svg.topo-diagram .badge text{font-size:10px;fill:var(--badge-fg)}
svg.topo-diagram .badge.nsg rect{fill:var(--nsg-badge)}
svg.topo-diagram .badge.route-table rect{fill:var(--rt-badge)}
svg.topo-diagram .badge.nat-gateway rect{fill:var(--nat-badge)}
svg.topo-diagram .edge .line{fill:none;stroke:var(--edge);stroke-width:1.5}
svg.topo-diagram .edge.peering .line{stroke:var(--peering);stroke-width:2;stroke-dasharray:2 4;stroke-linecap:round}
svg.topo-diagram .edge.peering-one-sided .line{stroke:var(--one-sided);stroke-width:2;stroke-dasharray:8 4;marker-end:url(#topo-arrow-one-sided)}
svg.topo-diagram .edge.private-link .line{stroke:var(--private);stroke-width:1.5;marker-end:url(#topo-arrow-private)}
svg.topo-diagram .edge.gateway-link .line{stroke:var(--edge);stroke-width:2;marker-end:url(#topo-arrow)}
svg.topo-diagram .edge .label rect{fill:var(--label-bg);opacity:.9}
svg.topo-diagram .edge .label text{font-size:10px;fill:var(--muted)}
svg.topo-diagram .edge.path{display:none}
svg.topo-diagram .edge.path .line{stroke-width:3}
svg.topo-diagram .edge.path.ov-witness,svg.topo-diagram .edge.path.ov-allowed,svg.topo-diagram .edge.path.ov-example{display:inline}
svg.topo-diagram .edge.ov-witness .line{stroke:var(--witness);stroke-width:3;stroke-dasharray:none;marker-end:url(#topo-arrow-witness)}
svg.topo-diagram .edge.ov-allowed .line{stroke:var(--allowed);stroke-width:3;stroke-dasharray:none;marker-end:url(#topo-arrow-allowed)}
svg.topo-diagram .edge.ov-example .line{stroke:var(--example);stroke-width:3;stroke-dasharray:none;marker-end:url(#topo-arrow-example)}
svg.topo-diagram .edge.peering.ov-witness .line,svg.topo-diagram .edge.peering.ov-allowed .line,svg.topo-diagram .edge.peering.ov-example .line{marker-end:none;stroke-dasharray:2 4}
svg.topo-diagram .node.ov-target>.box{stroke:var(--witness);stroke-width:2.5;stroke-dasharray:3 3}
svg.topo-diagram .node.ov-witness>.box{stroke:var(--witness);stroke-width:3}
svg.topo-diagram .node.ov-allowed>.box{stroke:var(--allowed);stroke-width:3}
svg.topo-diagram .node.ov-example>.box{stroke:var(--example);stroke-width:3}
svg.topo-diagram .node.ov-target.ov-witness>.box,svg.topo-diagram .node.ov-target.ov-allowed>.box,svg.topo-diagram .node.ov-target.ov-example>.box{stroke-dasharray:none}
svg.topo-diagram .node.ov-block>.box{stroke:var(--block);stroke-width:4;stroke-dasharray:4 3}
svg.topo-diagram .edge.ov-block .line{stroke:var(--block);stroke-width:5;stroke-dasharray:3 3;marker-end:none}
svg.topo-diagram .node.ov-stop>.box{stroke:var(--example);stroke-width:4;stroke-dasharray:4 3}
svg.topo-diagram .edge.ov-stop .line{stroke:var(--example);stroke-width:5;stroke-dasharray:3 3;marker-end:none}
svg.topo-diagram .legend-box{fill:var(--panel);stroke:var(--border)}
svg.topo-diagram .legend text{font-size:11px}
svg.topo-diagram .intents text{font-size:11px}
svg.topo-diagram .status-pass{fill:var(--allowed);font-weight:bold}
svg.topo-diagram .status-fail{fill:var(--witness);font-weight:bold}
svg.topo-diagram .status-unknown{fill:var(--block);font-weight:bold}
`.trim();
}
