/** What a command needs from the outside world; tests pass a fake one. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

export interface Out {
  write(text: string): void;
  readonly isTTY?: boolean;
}

export interface CliIo {
  readonly stdout: Out;
  readonly stderr: Out;
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
}

export function processIo(): CliIo {
  return {
    stdout: { write: (t) => void process.stdout.write(t), isTTY: process.stdout.isTTY },
    stderr: { write: (t) => void process.stderr.write(t), isTTY: process.stderr.isTTY },
    cwd: process.cwd(),
    env: process.env,
  };
}

/** Exit codes shared by every command. */
export const EXIT = { ok: 0, claimFails: 1, badInput: 2, internal: 3 } as const;

/** Reads a user file for code frames; missing files just show no frame. */
export function sourceReader(cwd: string): (file: string) => string | undefined {
  const cache = new Map<string, string | undefined>();
  return (file) => {
    if (!cache.has(file)) {
      try {
        const text = readFileSync(resolve(cwd, file), 'utf8');
        cache.set(file, text.length > 64 * 1024 * 1024 ? undefined : text);
      } catch {
        cache.set(file, undefined);
      }
    }
    return cache.get(file);
  };
}

export class UsageError extends Error {}
