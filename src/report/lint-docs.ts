/** docs/lints.md, generated from models/lints.yaml so the page and the reports never disagree. */
import type { LintInfo } from '../catalog/lints.js';

export function lintCatalogMarkdown(lints: readonly LintInfo[]): string {
  const lines = [
    '# topo lints',
    '',
    '<!-- Generated from models/lints.yaml by src/report/lint-docs.ts; the test src/report/lint-docs.test.ts keeps it in step (UPDATE_GOLDEN=1 rewrites it). -->',
    '',
    '`topo lint FILE` runs them; `topo verify` reports them as findings next to the intents (`--no-lint` to skip). Each has a stable id used in SARIF, JUnit and `lint.ignore`. `topo lint --explain ID` prints one entry.',
    '',
    'Accept a finding the design intends with a `lint.ignore` entry and a reason; reports keep it, marked accepted (SARIF `suppressions`), and an entry that matches nothing is warned about (TOPO311):',
    '',
    '```yaml',
    'lint:',
    '  ignore:',
    '    - rule: paas-public-network-access   # id or name',
    '      target: uploads                    # optional: the object the finding names',
    '      reason: external collaborators upload here; scanned before import (risk R-12)',
    '```',
    '',
    '| id | name | severity | what |',
    '|---|---|---|---|',
    ...lints.map((l) => `| [${l.id}](#${l.id.toLowerCase()}-${l.name}) | \`${l.name}\` | ${l.severity} | ${l.title} |`),
    '',
  ];
  for (const l of lints) {
    lines.push(`## ${l.id} ${l.name}`, '', `**${l.severity}**. ${l.title}`, '', l.description, '', '**How to fix.** ' + l.help, '', `Azure facts: ${l.facts.join(', ')}.`, '', 'Sources:', ...l.sources.map((s) => `- ${s}`), '');
  }
  return lines.join('\n');
}
