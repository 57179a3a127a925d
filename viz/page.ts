/**
 * The single-file HTML page: the diagram's SVG inline, its data as JSON,
 * and a small vanilla script (no CDN, no framework) for pan and zoom, hover
 * text with rules and file:line, and the intent panel: click an intent to
 * highlight its witness path or blocking hop, listed hop by hop.
 */
import type { Diagram, IntentOverlay } from '../src/diagram/types.js';
import type { SourceLoc } from '../src/scenario/source-loc.js';
import { FONT_FAMILY } from './metrics.js';
import { themeVariables, type Theme } from './styles.js';

export interface PageOptions {
  readonly theme: Theme;
  readonly version: string;
  /** Intents selected when the page opens (the first is shown). */
  readonly highlight?: readonly string[];
}

function loc(l: SourceLoc | undefined): string | undefined {
  if (!l) return undefined;
  return l.line > 0 ? `${l.file}:${l.line}` : l.file;
}

function intentData(o: IntentOverlay) {
  return {
    name: o.name,
    kind: o.kind,
    status: o.status,
    from: o.from,
    to: o.to,
    protocol: o.protocol,
    ports: o.ports,
    description: o.description,
    reason: o.reason,
    loc: loc(o.loc),
    pathKind: o.pathKind,
    packet: o.packet,
    verdict: o.verdict,
    hops: o.hops.map((h) => ({ at: h.at, element: h.element, kind: h.kind, decision: h.decision, rule: h.rule, loc: loc(h.loc), detail: h.detail, blocking: h.blocking })),
    nodes: o.nodes,
    edges: o.edges,
    blocking: o.blocking,
    blockers: o.blockers.map((b) => ({ at: b.at, element: b.element, reason: b.reason, rule: b.rule, loc: loc(b.loc) })),
    endpoints: o.endpoints,
  };
}

/** Hover text per element id (nodes, edges, badges as `<node>#<kind>`). */
function detailsData(d: Diagram): Record<string, { title: string; lines: { text: string; loc?: string }[] }> {
  const out: Record<string, { title: string; lines: { text: string; loc?: string }[] }> = {};
  const visit = (n: Diagram['roots'][number]) => {
    out[n.id] = { title: `${n.label}${n.sublabel ? `  ${n.sublabel}` : ''}`, lines: n.details.map((x) => ({ text: x.text, loc: loc(x.loc) })) };
    for (const b of n.badges) {
      const what = b.kind === 'nsg' ? 'network security group' : b.kind === 'route-table' ? 'route table' : 'NAT gateway';
      out[`${n.id}#${b.kind}`] = { title: `${what} ${b.label}`, lines: [{ text: `${what} ${b.label} attached`, loc: loc(b.loc) }, ...b.details.map((x) => ({ text: x.text, loc: loc(x.loc) }))] };
    }
    n.children.forEach(visit);
  };
  d.roots.forEach(visit);
  for (const e of d.edges) {
    const title = e.kind === 'path' ? 'path of the selected intent' : e.kind === 'peering' ? 'VNet peering' : e.kind === 'peering-one-sided' ? 'VNet peering (one side only)' : e.kind === 'private-link' ? 'private link' : 'gateway connection';
    out[e.id] = { title, lines: e.details.map((x) => ({ text: x.text, loc: loc(x.loc) })) };
  }
  return out;
}

/** JSON safe inside a <script> element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function pageStyles(theme: Theme): string {
  return `
:root{${themeVariables(theme)}--witness:#d1242f;--allowed:#1a7f37;--example:#0969da;--block:#bc4c00}
*{box-sizing:border-box}
html,body{margin:0;height:100%;background:var(--bg);color:var(--fg);font-family:${FONT_FAMILY};font-size:13px}
#topo-app{display:flex;height:100vh;width:100vw;overflow:hidden}
#topo-canvas{flex:1;position:relative;overflow:hidden;cursor:grab;background:var(--bg)}
#topo-canvas.dragging{cursor:grabbing}
#topo-canvas>svg{width:100%;height:100%;display:block;user-select:none}
#topo-tools{position:absolute;top:8px;right:8px;display:flex;gap:4px;z-index:2}
#topo-tools button{font:inherit;border:1px solid var(--border);background:var(--panel);color:var(--fg);border-radius:4px;padding:2px 8px;cursor:pointer;min-width:28px}
#topo-panel{width:380px;flex:none;border-left:1px solid var(--border);background:var(--panel);overflow:auto;padding:12px}
#topo-panel h1{font-size:15px;margin:0 0 2px}
#topo-panel .meta{color:var(--muted);font-size:11px;margin-bottom:10px;overflow-wrap:anywhere}
#topo-panel h2{font-size:13px;margin:14px 0 6px}
.intent{display:block;width:100%;text-align:left;font:inherit;color:inherit;background:var(--bg);border:1px solid var(--border);border-radius:6px;padding:6px 8px;margin:0 0 6px;cursor:pointer}
.intent:hover{border-color:var(--muted)}
.intent.selected{border-color:var(--vnet);box-shadow:0 0 0 1px var(--vnet)}
.intent .status{font-weight:bold;font-size:11px;margin-right:6px}
.intent .status.pass{color:var(--allowed)}.intent .status.fail{color:var(--witness)}.intent .status.unknown{color:var(--block)}
.intent .name{font-weight:bold}
.intent .claim,.intent .where{display:block;color:var(--muted);font-size:11px;margin-top:2px;overflow-wrap:anywhere}
#topo-hops{font-size:12px}
#topo-hops .summary{margin:4px 0 8px;overflow-wrap:anywhere}
#topo-hops ol{padding-left:22px;margin:0}
#topo-hops li{margin:0 0 6px;overflow-wrap:anywhere}
#topo-hops li.blocking{color:var(--block)}
#topo-hops li[data-element]{cursor:pointer}
#topo-hops .rule{font-family:monospace;font-size:11px}
#topo-hops .loc,#topo-tip .loc{color:var(--muted);font-family:monospace;font-size:11px}
#topo-hops .detail{display:block;color:var(--muted);font-size:11px}
#topo-tip{position:fixed;pointer-events:none;z-index:10;max-width:560px;background:var(--bg);color:var(--fg);border:1px solid var(--border);border-radius:6px;box-shadow:0 4px 14px rgba(0,0,0,.18);padding:8px 10px;font-size:12px;display:none}
#topo-tip .t{font-weight:bold;margin-bottom:4px}
#topo-tip div{margin:1px 0;overflow-wrap:anywhere}
svg.topo-diagram .hop-focus>.box,svg.topo-diagram .hop-focus .line{stroke-width:6 !important}
`.trim();
}

/** The page script: plain ES2019, no dependencies. */
const PAGE_SCRIPT = String.raw`
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('topo-data').textContent);
  var canvas = document.getElementById('topo-canvas');
  var svg = canvas.querySelector('svg');
  var tip = document.getElementById('topo-tip');
  var list = document.getElementById('topo-intents');
  var hopsBox = document.getElementById('topo-hops');
  var full = svg.viewBox.baseVal;
  var base = { x: full.x, y: full.y, w: full.width, h: full.height };
  var view = { x: base.x, y: base.y, w: base.w, h: base.h };
  var OV = ['ov-witness', 'ov-allowed', 'ov-example', 'ov-block', 'ov-stop', 'ov-target'];

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = text;
    return e;
  }
  function byId(id) {
    var all = svg.querySelectorAll('[data-id]');
    for (var i = 0; i < all.length; i++) if (all[i].getAttribute('data-id') === id) return all[i];
    return null;
  }

  // Pan and zoom (the viewBox moves; the drawing stays crisp).
  function apply() { svg.setAttribute('viewBox', view.x + ' ' + view.y + ' ' + view.w + ' ' + view.h); }
  function fit() {
    var r = canvas.getBoundingClientRect();
    var scale = Math.max(base.w / Math.max(r.width, 1), base.h / Math.max(r.height, 1));
    view.w = r.width * scale; view.h = r.height * scale;
    view.x = base.x - (view.w - base.w) / 2; view.y = base.y - (view.h - base.h) / 2;
    apply();
  }
  function zoomAt(factor, cx, cy) {
    var r = canvas.getBoundingClientRect();
    var px = view.x + (cx - r.left) / r.width * view.w;
    var py = view.y + (cy - r.top) / r.height * view.h;
    var w = Math.min(Math.max(view.w * factor, 40), base.w * 20);
    var f = w / view.w;
    view.x = px - (px - view.x) * f; view.y = py - (py - view.y) * f;
    view.w = w; view.h = view.h * f;
    apply();
  }
  canvas.addEventListener('wheel', function (e) {
    e.preventDefault();
    zoomAt(Math.pow(1.0015, e.deltaY), e.clientX, e.clientY);
  }, { passive: false });
  var drag = null;
  canvas.addEventListener('mousedown', function (e) {
    if (e.button !== 0 || e.target.closest('#topo-tools')) return;
    drag = { x: e.clientX, y: e.clientY, vx: view.x, vy: view.y };
    canvas.classList.add('dragging');
  });
  window.addEventListener('mousemove', function (e) {
    if (!drag) return;
    var r = canvas.getBoundingClientRect();
    view.x = drag.vx - (e.clientX - drag.x) / r.width * view.w;
    view.y = drag.vy - (e.clientY - drag.y) / r.height * view.h;
    apply();
  });
  window.addEventListener('mouseup', function () { drag = null; canvas.classList.remove('dragging'); });
  window.addEventListener('resize', fit);
  document.getElementById('topo-zoom-in').addEventListener('click', function () { var r = canvas.getBoundingClientRect(); zoomAt(1 / 1.25, r.left + r.width / 2, r.top + r.height / 2); });
  document.getElementById('topo-zoom-out').addEventListener('click', function () { var r = canvas.getBoundingClientRect(); zoomAt(1.25, r.left + r.width / 2, r.top + r.height / 2); });
  document.getElementById('topo-fit').addEventListener('click', fit);

  // Hover: the element's rules, each with file:line.
  function showTip(id, e) {
    var d = data.details[id];
    if (!d) { tip.style.display = 'none'; return; }
    tip.textContent = '';
    tip.appendChild(el('div', 't', d.title));
    d.lines.forEach(function (l) {
      var row = el('div', null, l.text);
      if (l.loc) { row.appendChild(document.createTextNode('  ')); row.appendChild(el('span', 'loc', l.loc)); }
      tip.appendChild(row);
    });
    tip.style.display = 'block';
    moveTip(e);
  }
  function moveTip(e) {
    var x = e.clientX + 14, y = e.clientY + 14;
    var w = tip.offsetWidth, h = tip.offsetHeight;
    if (x + w > window.innerWidth - 4) x = Math.max(4, e.clientX - w - 14);
    if (y + h > window.innerHeight - 4) y = Math.max(4, e.clientY - h - 14);
    tip.style.left = x + 'px'; tip.style.top = y + 'px';
  }
  svg.addEventListener('mousemove', function (e) {
    if (drag) { tip.style.display = 'none'; return; }
    var t = e.target.closest('[data-id]');
    if (!t) { tip.style.display = 'none'; return; }
    showTip(t.getAttribute('data-id'), e);
  });
  svg.addEventListener('mouseleave', function () { tip.style.display = 'none'; });

  // Intents: click one to draw its path and list its hops.
  var selected = null;
  function clear() {
    OV.forEach(function (c) {
      var on = svg.querySelectorAll('.' + c);
      for (var i = 0; i < on.length; i++) on[i].classList.remove(c);
    });
  }
  function mark(id, cls) { var e = byId(id); if (e) e.classList.add(cls); }
  function select(name) {
    clear();
    var buttons = list.querySelectorAll('.intent');
    for (var i = 0; i < buttons.length; i++) buttons[i].classList.toggle('selected', buttons[i].getAttribute('data-intent') === name);
    hopsBox.textContent = '';
    selected = null;
    var o = null;
    data.intents.forEach(function (x) { if (x.name === name) o = x; });
    if (!o) return;
    selected = name;
    if (o.pathKind !== 'none') {
      var cls = 'ov-' + o.pathKind;
      o.nodes.forEach(function (id) { mark(id, cls); });
      o.edges.forEach(function (id) { mark(id, cls); });
      o.blocking.forEach(function (id) { mark(id, o.pathKind === 'example' ? 'ov-stop' : 'ov-block'); });
    } else {
      o.blocking.forEach(function (id) { mark(id, 'ov-block'); });
    }
    if (o.endpoints.to) mark(o.endpoints.to, 'ov-target');
    var what = { witness: 'Witness', allowed: 'Allowed path (one representative packet; the proof covers all)', example: 'Example packet (stopped; the proof covers all packets)', none: '' }[o.pathKind];
    hopsBox.appendChild(el('h2', null, o.name + (what ? ': ' + what : '')));
    if (o.packet) hopsBox.appendChild(el('div', 'summary', o.packet));
    if (o.reason) hopsBox.appendChild(el('div', 'summary', o.reason));
    var ol = el('ol');
    o.hops.forEach(function (h) {
      var li = el('li', h.blocking ? 'blocking' : null);
      li.appendChild(el('strong', null, h.kind + ' ' + h.decision));
      li.appendChild(document.createTextNode(' at ' + h.at));
      if (h.rule) { li.appendChild(document.createElement('br')); li.appendChild(el('span', 'rule', h.rule)); }
      if (h.loc) { li.appendChild(document.createTextNode('  ')); li.appendChild(el('span', 'loc', h.loc)); }
      if (h.detail) li.appendChild(el('span', 'detail', h.detail));
      if (h.element) {
        li.setAttribute('data-element', h.element);
        li.addEventListener('mouseenter', function () { mark(h.element, 'hop-focus'); });
        li.addEventListener('mouseleave', function () { var e = byId(h.element); if (e) e.classList.remove('hop-focus'); });
      }
      ol.appendChild(li);
    });
    if (o.hops.length) hopsBox.appendChild(ol);
    if (o.verdict) hopsBox.appendChild(el('div', 'summary', '=> ' + o.verdict));
    if (o.blockers.length) {
      hopsBox.appendChild(el('h2', null, 'Blocked by'));
      var ul = el('ol');
      o.blockers.forEach(function (b) {
        var li = el('li', 'blocking');
        li.appendChild(el('strong', null, b.at));
        li.appendChild(document.createTextNode(': ' + b.reason));
        if (b.rule) { li.appendChild(document.createElement('br')); li.appendChild(el('span', 'rule', b.rule)); }
        if (b.loc) { li.appendChild(document.createTextNode('  ')); li.appendChild(el('span', 'loc', b.loc)); }
        ul.appendChild(li);
      });
      hopsBox.appendChild(ul);
    }
  }
  data.intents.forEach(function (o) {
    var b = el('button', 'intent');
    b.type = 'button';
    b.setAttribute('data-intent', o.name);
    b.appendChild(el('span', 'status ' + o.status, o.status.toUpperCase()));
    b.appendChild(el('span', 'name', o.name));
    b.appendChild(el('span', 'claim', (o.kind === 'deny' ? 'must not reach: ' : 'must reach: ') + o.from + ' -> ' + o.to + (o.protocol !== '*' || o.ports !== '*' ? ' (' + o.protocol + (o.ports !== '*' ? ' ' + o.ports : '') + ')' : '')));
    if (o.loc) b.appendChild(el('span', 'where', o.loc));
    b.addEventListener('click', function () { select(selected === o.name ? null : o.name); });
    list.appendChild(b);
  });
  if (!data.intents.length) list.appendChild(el('div', 'meta', 'The scenario declares no intents.'));

  fit();
  if (data.initial) select(data.initial);
  window.__topo = { ready: true, select: select, selected: function () { return selected; }, fit: fit };
})();
`;

export function htmlPage(d: Diagram, svg: { svg: string; width: number; height: number }, opts: PageOptions): string {
  const initial = opts.highlight?.find((n) => d.intents.some((o) => o.name === n));
  const data = {
    title: d.title,
    files: d.files,
    version: opts.version,
    initial: initial ?? null,
    intents: d.intents.map(intentData),
    details: detailsData(d),
  };
  const title = `topo diagram: ${d.title}`;
  const counts = { pass: 0, fail: 0, unknown: 0 };
  for (const o of d.intents) counts[o.status]++;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="topo ${escapeHtml(opts.version)}">
<title>${escapeHtml(title)}</title>
<style>
${pageStyles(opts.theme)}
</style>
</head>
<body>
<div id="topo-app">
<main id="topo-canvas">
<div id="topo-tools"><button type="button" id="topo-zoom-in" title="zoom in">+</button><button type="button" id="topo-zoom-out" title="zoom out">-</button><button type="button" id="topo-fit" title="fit to window">fit</button></div>
${svg.svg}
</main>
<aside id="topo-panel">
<h1>${escapeHtml(d.title)}</h1>
<div class="meta">${escapeHtml(d.files.join(', '))} | topo ${escapeHtml(opts.version)}${d.description ? `<br>${escapeHtml(d.description)}` : ''}</div>
<h2>Intents: ${counts.pass} passed, ${counts.fail} failed, ${counts.unknown} unknown</h2>
<div id="topo-intents"></div>
<div id="topo-hops"></div>
</aside>
</div>
<div id="topo-tip"></div>
<script type="application/json" id="topo-data">${scriptJson(data)}</script>
<script>${PAGE_SCRIPT}</script>
</body>
</html>
`;
}
