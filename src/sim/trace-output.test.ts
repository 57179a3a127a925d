/**
 * `topo trace` output through runTrace with a fake terminal, compared exactly
 * with test/golden/trace/. After an intended change of output, regenerate with
 *   UPDATE_GOLDEN=1 npx vitest run src/sim/trace-output.test.ts
 * and review the diff like code.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CliIo } from '../cli/io.js';
import { runTrace } from '../cli/trace.js';
import { REPO_ROOT, SEMANTICS_DIR } from '../../test/helpers/semantics.js';

const update = process.env.UPDATE_GOLDEN === '1';
const FILE = `${SEMANTICS_DIR}/peer-hub-firewall.yaml`;

/** Not a TTY and NO_COLOR: what CI sees. */
function fakeIo(): { io: CliIo; stdout: () => string; stderr: () => string } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: { stdout: { write: (t) => void out.push(t), isTTY: false }, stderr: { write: (t) => void err.push(t), isTTY: false }, cwd: REPO_ROOT, env: { NO_COLOR: '1' } },
    stdout: () => out.join(''),
    stderr: () => err.join(''),
  };
}

async function trace(to: string, format: 'text' | 'json'): Promise<{ code: number; stdout: string }> {
  const f = fakeIo();
  const code = await runTrace(FILE, { from: 'app1', to, port: 1433, format }, f.io);
  expect(f.stderr()).toBe('');
  return { code, stdout: f.stdout() };
}

function golden(name: string, actual: string): void {
  const path = join(REPO_ROOT, 'test', 'golden', 'trace', name);
  if (update) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, actual);
    return;
  }
  if (!existsSync(path)) throw new Error(`missing golden file ${path}; create it with UPDATE_GOLDEN=1`);
  expect(actual).toBe(readFileSync(path, 'utf8'));
}

/** The JSON contract of `topo trace --format json`. */
function expectContract(json: Record<string, unknown>): void {
  expect(Object.keys(json)).toEqual(expect.arrayContaining(['verdict', 'packet', 'hops', 'reason']));
  expect(['delivered', 'dropped', 'unknown']).toContain(json.verdict);
  expect(json.packet).toMatchObject({ protocol: expect.any(String), srcIp: expect.any(String), dstIp: expect.any(String) });
  expect(typeof json.reason).toBe('string');
  const hops = json.hops as Record<string, unknown>[];
  expect(hops.length).toBeGreaterThan(0);
  for (const h of hops) {
    expect(h).toMatchObject({ at: expect.any(String), kind: expect.any(String), decision: expect.any(String) });
    if ('rule' in h) expect(typeof h.rule).toBe('string');
    if ('node' in h) expect(h.node).toMatch(/^(?:(?:nic|subnet|vnet|peering|firewall|gateway|resource):.+|internet)$/);
    if ('source' in h) expect(h.source).toMatch(/^test\/fixtures\/semantics\/[\w.-]+\.yaml:\d+:\d+$/);
  }
  // Every decision made by something written in the scenario points at it.
  for (const h of hops.filter((x) => x.decision !== 'info' && (x.kind === 'firewall' || x.kind === 'peering' || (x.kind === 'nsg' && x.rule)))) expect(h.source, JSON.stringify(h)).toBeDefined();
}

describe('topo trace output (runTrace, fake io)', () => {
  it('delivered: text, exit 0 (PEER-2 through the hub firewall)', async () => {
    const { code, stdout } = await trace('db1', 'text');
    expect(code).toBe(0);
    expect(stdout).toContain('DELIVERED: delivered to db1 (10.2.1.4)');
    expect(stdout).not.toMatch(/\u001b\[/);
    golden('delivered.txt', stdout);
  });

  it('delivered: JSON contract { verdict, packet, hops: [{ at, kind, decision, rule, source }], reason }', async () => {
    const { code, stdout } = await trace('db1', 'json');
    expect(code).toBe(0);
    const json = JSON.parse(stdout) as Record<string, unknown>;
    expectContract(json);
    expect(json).toMatchObject({ verdict: 'delivered', packet: { protocol: 'Tcp', srcIp: '10.1.1.4', srcPort: 49152, dstIp: '10.2.1.4', dstPort: 1433 }, reason: 'delivered to db1 (10.2.1.4)' });
    expect((json.hops as { kind: string; rule?: string; source?: string }[]).find((h) => h.kind === 'firewall' && h.rule)).toMatchObject({
      rule: 'hub-policy/east-west/spokes/private-to-private (Allow, collection priority 100)',
      source: expect.stringMatching(/^test\/fixtures\/semantics\/peer-hub-firewall\.yaml:\d+:\d+$/),
    });
    golden('delivered.json', stdout);
  });

  it('dropped: text, exit 1 (PEER-3, refused at the receiving peering)', async () => {
    const { code, stdout } = await trace('ops1', 'text');
    expect(code).toBe(1);
    expect(stdout).toContain("DROPPED: peering 'spoke3-to-hub' of 'spoke3' refuses forwarded traffic");
    golden('dropped.txt', stdout);
  });

  it('dropped: JSON contract, the last hop names the peering link and where it is written', async () => {
    const { code, stdout } = await trace('ops1', 'json');
    expect(code).toBe(1);
    const json = JSON.parse(stdout) as Record<string, unknown>;
    expectContract(json);
    const hops = json.hops as Record<string, unknown>[];
    expect(hops.at(-1)).toMatchObject({ kind: 'peering', decision: 'drop', rule: 'spoke3/spoke3-to-hub (to hub)', source: expect.stringMatching(/peer-hub-firewall\.yaml:\d+:\d+$/) });
    expect(json.verdict).toBe('dropped');
    golden('dropped.json', stdout);
  });
});
