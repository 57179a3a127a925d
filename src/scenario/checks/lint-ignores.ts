/** `lint.ignore` entries name lints that exist (the catalog in models/lints.yaml). */
import { findLint, lintCatalog } from '../../catalog/lints.js';
import { didYouMean } from '../../net/text.js';
import type { CheckContext } from './context.js';

export function checkLintIgnores(c: CheckContext): void {
  for (const entry of c.s.lintIgnores) {
    if (findLint(entry.rule.value)) continue;
    const guess = didYouMean(entry.rule.value, lintCatalog().flatMap((l) => [l.id, l.name]));
    c.report('TOPO235', `lint.ignore names '${entry.rule.value}', which is not a topo lint`, entry.rule.loc, {
      hint: guess ? `did you mean ${guess}?` : '`topo lint --list` shows every lint with its id and name',
    });
  }
}
