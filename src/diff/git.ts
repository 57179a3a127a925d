/** Reads files as they are in a git revision, for `topo diff FILE [--base REV]`. */
import { execFileSync } from 'node:child_process';
import { relative } from 'node:path';

export class GitError extends Error {}

export interface GitVersion {
  readonly rev: string;
  read(absPath: string): Uint8Array | undefined;
}

export function gitVersion(cwd: string, rev: string): GitVersion {
  let root: string;
  try {
    root = execFileSync('git', ['rev-parse', '--show-toplevel'], { cwd, stdio: ['ignore', 'pipe', 'pipe'] }).toString().trim();
  } catch {
    throw new GitError(`${cwd} is not inside a git repository; give two files: topo diff BASE HEAD`);
  }
  try {
    execFileSync('git', ['rev-parse', '--verify', '--quiet', `${rev}^{commit}`], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch {
    throw new GitError(`'${rev}' is not a revision of the repository at ${root}`);
  }
  return {
    rev,
    read(absPath: string) {
      const rel = relative(root, absPath).split('\\').join('/');
      if (rel.startsWith('..')) return undefined;
      try {
        return execFileSync('git', ['show', `${rev}:${rel}`], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 512 * 1024 * 1024 });
      } catch {
        return undefined;
      }
    },
  };
}
