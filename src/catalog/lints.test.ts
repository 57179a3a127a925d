import { describe, expect, it } from 'vitest';
import { findLint, lintCatalog, LintCatalogError, parseLintCatalog } from './lints.js';

const entry = (over: Record<string, unknown> = {}) => ({
  id: 'TOPO-L900',
  name: 'some-lint',
  severity: 'warning',
  facts: ['F1.4'],
  sources: ['S1'],
  title: 't',
  description: 'd',
  help: 'h',
  ...over,
});
const file = (lints: unknown[], sources: Record<string, string> = { S1: 'a document' }) => JSON.stringify({ format: 'topo-lints/1', sources, lints });

describe('the lint catalog file', () => {
  it('rejects a file that is not a topo-lints/1 file', () => {
    expect(() => parseLintCatalog('format: other\nlints: []\n', 'x.yaml')).toThrow(LintCatalogError);
    expect(() => parseLintCatalog('', 'x.yaml')).toThrow(/not a topo-lints\/1 file/);
  });

  it.each([
    ['an id that is not TOPO-Lnnn', { id: 'L1' }, /is not TOPO-Lnnn/],
    ['a name that is not kebab-case', { name: 'Some_Lint' }, /kebab-case/],
    ['an unknown severity', { severity: 'fatal' }, /severity/],
    ['a fact that is not a fact id', { facts: ['section 8'] }, /not a fact id/],
    ['a source the file does not list', { sources: ['S9'] }, /source 'S9'/],
    ['an empty help text', { help: ' ' }, /'help' must be a non-empty string/],
    ['no facts', { facts: [] }, /'facts' must be a non-empty list/],
  ])('rejects %s', (_what, over, message) => {
    expect(() => parseLintCatalog(file([entry(over)]), 'x.yaml')).toThrow(message);
  });

  it('rejects an id or a name used twice', () => {
    expect(() => parseLintCatalog(file([entry(), entry({ name: 'other' })]), 'x.yaml')).toThrow(/'TOPO-L900' is used twice/);
    expect(() => parseLintCatalog(file([entry(), entry({ id: 'TOPO-L901' })]), 'x.yaml')).toThrow(/'some-lint' is used twice/);
  });

  it('reads facts written as §8.N edge cases, and resolves sources to their text', () => {
    const [l] = parseLintCatalog(file([entry({ facts: ['F1.9', '§8.7'] })]), 'x.yaml');
    expect(l.facts).toEqual(['F1.9', '§8.7']);
    expect(l.sources).toEqual(['a document']);
  });
});

describe('the shipped lints (models/lints.yaml)', () => {
  it('have ids in order, with no gap, each with texts, facts and dated sources', () => {
    const ids = lintCatalog().map((l) => l.id);
    expect(ids).toEqual(ids.map((_, i) => `TOPO-L${String(i + 1).padStart(3, '0')}`));
    for (const l of lintCatalog()) {
      expect(l.sources.every((s) => /\(\d{2}\/\d{2}\/\d{4}\)|\(\d{4}\)|seed \d{3}/.test(s)), `${l.id} sources carry a date or seed`).toBe(true);
    }
  });

  it('are found by id in any case and by name', () => {
    expect(findLint('topo-l004')?.name).toBe('management-port-from-internet');
    expect(findLint('management-port-from-internet')?.id).toBe('TOPO-L004');
    expect(findLint('TOPO-L999')).toBeUndefined();
  });
});
