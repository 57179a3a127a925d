import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ciEnum, scenarioSchema } from './schema-source.js';

describe('scenario schema', () => {
  it('is shipped as schema/scenario.schema.json exactly as the code defines it (regenerate with `topo schema`)', () => {
    const shipped = JSON.parse(readFileSync('schema/scenario.schema.json', 'utf8'));
    expect(shipped).toEqual(JSON.parse(JSON.stringify(scenarioSchema)));
  });

  it('matches enum values case-insensitively but keeps the canonical list for editors', () => {
    const s = ciEnum(['Tcp', '*'], 'x') as { anyOf: [{ enum: string[] }, { pattern: string }] };
    const re = new RegExp(s.anyOf[1].pattern);
    expect(['tcp', 'TCP', 'Tcp', '*'].every((v) => re.test(v))).toBe(true);
    expect(['tc', 'tcpx', '**', 'x*'].some((v) => re.test(v))).toBe(false);
    expect(s.anyOf[0].enum).toEqual(['Tcp', '*']);
  });
});
