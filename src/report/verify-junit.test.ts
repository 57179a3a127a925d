import { describe, expect, it } from 'vitest';
import type { Network } from '../model/types.js';
import type { IntentResult } from '../verify/results.js';
import { childrenNamed, context, parseXml, TWO_SPOKES, UNDECIDED, verified, type XmlElement } from '../../test/golden/verify-helpers.js';
import type { VerifiedScenario } from './verify-context.js';
import { formatVerifyJunit } from './verify-junit.js';
import { xmlAttr, xmlText } from './xml.js';

const cases = (doc: XmlElement): XmlElement[] => childrenNamed(doc, 'testsuite').flatMap((s) => childrenNamed(s, 'testcase'));

function handMade(results: IntentResult[], diagnostics: VerifiedScenario['results']['diagnostics'] = []): VerifiedScenario {
  return {
    file: 'odd.yaml',
    network: {} as Network,
    seconds: 0.0125,
    results: { scenario: 'odd', files: ['odd.yaml'], catalog: { kind: 'shipped', file: 'models/service-tags.json', cloud: 'Public', changeNumber: 1, exact: false }, intents: results, diagnostics },
  };
}

function intent(extra: Partial<IntentResult>): IntentResult {
  const loc = { file: 'odd.yaml', line: 3, col: 5, endLine: 3, endCol: 20 };
  return { name: 'i', kind: 'allow', status: 'fail', loc, from: 'a', to: 'b', protocol: 'Tcp', ports: '443', adversary: 'default', steps: 0, ...extra };
}

describe('XML escaping', () => {
  it('escapes markup characters in text and attributes', () => {
    expect(xmlText(`a<b>&c"d'e -> ]]>`)).toBe(`a&lt;b>&amp;c"d'e -> ]]&gt;`);
    expect(xmlAttr(`a<b>&c"d'e`)).toBe('a&lt;b&gt;&amp;c&quot;d&apos;e');
  });

  it('keeps line breaks and tabs of attribute values as character references', () => {
    expect(xmlAttr('a\nb\tc\r')).toBe('a&#10;b&#9;c&#13;');
  });

  it('replaces what XML 1.0 cannot carry (control characters, lone surrogates) with U+FFFD', () => {
    expect(xmlText('bell\u0007 esc\u001b[31m nul\u0000 lone\ud800 ok\u{1f600}')).toBe('bell\ufffd esc\ufffd[31m nul\ufffd lone\ufffd ok\u{1f600}');
  });
});

describe('topo verify --format junit', () => {
  it('is well-formed and reads back exactly, whatever the names and reasons hold', () => {
    const name = `odd<name>&"quoted" 'single'\u0007`;
    const reason = 'multi\nline <reason> & ]]> \u001b[31mcolour\u001b[0m';
    const xml = formatVerifyJunit([handMade([intent({ name, reason })])], context());
    const doc = parseXml(xml);
    const [tc] = cases(doc);
    expect(tc.attrs.name).toBe(name.replace('\u0007', '\ufffd'));
    const failure = childrenNamed(tc, 'failure')[0];
    expect(failure.attrs.type).toBe('TOPO-I003');
    expect(failure.attrs.message).toContain(`intent 'odd<name>&"quoted" 'single'\ufffd' requires`);
    expect(failure.text).toContain('multi\nline <reason> & ]]> \ufffd[31mcolour\ufffd[0m');
  });

  it('names test cases by intent alone, with file and line as attributes, and classname topo.<kind>', () => {
    const doc = parseXml(formatVerifyJunit([verified(TWO_SPOKES)], context()));
    expect(cases(doc).map((c) => [c.attrs.classname, c.attrs.name, c.attrs.file, c.attrs.line])).toEqual([
      ['topo.deny', 'app-no-exfiltration', 'test/fixtures/two-spokes.yaml', '66'],
      ['topo.allow', 'app-reaches-db', 'test/fixtures/two-spokes.yaml', '69'],
      ['topo.deny', 'db-no-exfiltration', 'test/fixtures/two-spokes.yaml', '71'],
    ]);
  });

  it('puts the witness path with the file:line of every located hop in the failure', () => {
    const run = verified(TWO_SPOKES);
    const doc = parseXml(formatVerifyJunit([run], context()));
    const failures = cases(doc).flatMap((c) => childrenNamed(c, 'failure'));
    expect(failures.map((f) => f.attrs.type)).toEqual(['TOPO-I001', 'TOPO-I003']);
    const deny = run.results.intents.find((r) => r.name === 'app-no-exfiltration')!;
    for (const hop of deny.witness!.trace.hops) if (hop.loc) expect(failures[0].text).toContain(`${hop.loc.file}:${hop.loc.line}:`);
    expect(failures[0].text).toContain('witness: Tcp 10.1.1.4:49152 -> 203.0.113.10:443');
  });

  it('reports an undecided intent as skipped, or as a failure when --fail-on makes it fail the run', () => {
    const run = verified(UNDECIDED);
    const skipped = parseXml(formatVerifyJunit([run], context({ exitCode: 0 })));
    expect(skipped.attrs).toMatchObject({ tests: '2', failures: '0', skipped: '1' });
    expect(childrenNamed(cases(skipped)[0], 'skipped')[0].attrs.message).toMatch(/^Undecided: /);
    for (const failOn of ['unknown', 'warning'] as const) {
      const failed = parseXml(formatVerifyJunit([run], context({ failOn })));
      expect(failed.attrs).toMatchObject({ tests: '2', failures: '1', skipped: '0' });
      expect(childrenNamed(cases(failed)[0], 'failure')[0].attrs.type).toBe('TOPO-I004');
    }
  });

  it('adds up counts and times over one suite per scenario file', () => {
    const a = { ...verified(TWO_SPOKES), seconds: 1.2344 };
    const b = { ...verified(UNDECIDED), seconds: 0.5 };
    const doc = parseXml(formatVerifyJunit([a, b], context()));
    expect(doc.attrs).toMatchObject({ name: 'topo verify', tests: '5', failures: '2', errors: '0', skipped: '1', time: '1.734' });
    expect(childrenNamed(doc, 'testsuite').map((s) => [s.attrs.name, s.attrs.tests, s.attrs.time])).toEqual([
      ['test/fixtures/two-spokes.yaml', '3', '1.234'],
      ['test/fixtures/verify-undecided.yaml', '2', '0.500'],
    ]);
  });

  it('lists the warnings of a scenario in its system-err', () => {
    const doc = parseXml(formatVerifyJunit([verified(UNDECIDED)], context()));
    const err = childrenNamed(childrenNamed(doc, 'testsuite')[0], 'system-err')[0];
    expect(err.text).toContain('test/fixtures/verify-undecided.yaml:16:3: warning TOPO301:');
  });

  it('writes an empty run as an empty testsuites element', () => {
    expect(parseXml(formatVerifyJunit([], context())).attrs).toMatchObject({ tests: '0', failures: '0', time: '0.000' });
  });
});
