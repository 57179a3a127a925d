/** Runs the topo command line in-process against a fake terminal. */
import type { CliIo } from '../../../src/cli/io.js';
import { main } from '../../../src/cli/main.js';

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export async function topo(args: readonly string[], cwd: string): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { stdout: { write: (t) => void out.push(t), isTTY: false }, stderr: { write: (t) => void err.push(t), isTTY: false }, cwd, env: { NO_COLOR: '1' } };
  const code = await main(args, io);
  return { code, stdout: out.join(''), stderr: err.join('') };
}
