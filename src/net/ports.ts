/**
 * Port specifications as Azure writes them: `N`, `A-B` or `*` (F1.1.5).
 */

export const PORT_MAX = 65535;

export type PortParse =
  | { readonly ok: true; readonly lo: number; readonly hi: number }
  | { readonly ok: false; readonly message: string };

const NUMBER = /^(0|[1-9][0-9]*)$/;

export function parsePortSpec(raw: string | number): PortParse {
  const text = String(raw).trim();
  if (text === '*' || text.toLowerCase() === 'any') return { ok: true, lo: 0, hi: PORT_MAX };
  const dash = text.indexOf('-');
  const loText = dash < 0 ? text : text.slice(0, dash).trim();
  const hiText = dash < 0 ? text : text.slice(dash + 1).trim();
  if (!NUMBER.test(loText) || !NUMBER.test(hiText)) {
    if (text.includes(',')) {
      return { ok: false, message: `'${text}' lists several ports in one value; write each as its own list item` };
    }
    return { ok: false, message: `'${text}' is not a port, a range 'lo-hi' or '*'` };
  }
  const lo = Number(loText);
  const hi = Number(hiText);
  if (lo > PORT_MAX || hi > PORT_MAX) return { ok: false, message: `'${text}' is outside 0-${PORT_MAX}` };
  if (lo > hi) return { ok: false, message: `'${text}' has its low end above its high end` };
  return { ok: true, lo, hi };
}

export function formatPortRange(lo: number, hi: number): string {
  if (lo === 0 && hi === PORT_MAX) return '*';
  return lo === hi ? String(lo) : `${lo}-${hi}`;
}
