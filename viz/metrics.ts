/**
 * Text measurement without a browser: a fixed table of advance widths (per
 * 1000 units of font size) for printable ASCII. Each entry is the larger of
 * Liberation Sans (metric-compatible with Arial and Helvetica) and DejaVu
 * Sans, the fonts the diagram's font stack falls back through, so a label
 * measured here never overflows its box in either. Other characters count
 * as one em.
 */

/** The CSS font stack the table was measured for. */
export const FONT_FAMILY = "'Liberation Sans', Arial, Helvetica, 'DejaVu Sans', sans-serif";

// Character codes 32 (space) to 126 (~).
const REGULAR = [
  318, 401, 460, 838, 636, 950, 780, 275, 390, 390, 500, 838, 318, 361, 318, 337,
  636, 636, 636, 636, 636, 636, 636, 636, 636, 636, 337, 337, 838, 838, 838, 556,
  1015, 684, 686, 722, 770, 667, 611, 778, 752, 295, 500, 667, 557, 863, 748, 787,
  667, 787, 722, 667, 611, 732, 684, 989, 685, 667, 685, 390, 337, 390, 838, 556,
  500, 613, 635, 550, 635, 615, 352, 635, 634, 278, 278, 579, 278, 974, 634, 612,
  635, 635, 411, 521, 392, 634, 592, 818, 592, 592, 525, 636, 337, 636, 838,
];

const BOLD = [
  348, 456, 521, 838, 696, 1002, 872, 306, 457, 457, 523, 838, 380, 415, 380, 365,
  696, 696, 696, 696, 696, 696, 696, 696, 696, 696, 400, 400, 838, 838, 838, 611,
  1000, 774, 762, 734, 830, 683, 683, 821, 837, 372, 556, 775, 637, 995, 837, 850,
  733, 850, 770, 720, 682, 812, 774, 1103, 771, 724, 725, 457, 365, 457, 838, 556,
  500, 675, 716, 593, 716, 678, 435, 716, 712, 343, 343, 665, 343, 1042, 712, 687,
  716, 716, 493, 595, 478, 712, 652, 924, 645, 652, 582, 712, 365, 712, 838,
];

export interface FontSpec {
  readonly size: number;
  readonly bold?: boolean;
}

/** The advance width of `text` in pixels, rounded up. */
export function textWidth(text: string, font: FontSpec): number {
  const table = font.bold ? BOLD : REGULAR;
  let units = 0;
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    units += code >= 32 && code <= 126 ? table[code - 32] : 1000;
  }
  return Math.ceil((units * font.size) / 1000);
}

/** Cuts `text` to fit `max` pixels, ending in "...". */
export function fitText(text: string, font: FontSpec, max: number): string {
  if (textWidth(text, font) <= max) return text;
  let cut = text;
  while (cut.length > 1 && textWidth(`${cut}...`, font) > max) cut = cut.slice(0, -1);
  return `${cut}...`;
}
