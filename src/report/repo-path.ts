/** File names as CI services expect them: relative to the checkout, with forward slashes. */
import { relative, resolve, sep } from 'node:path';

/**
 * `file` relative to `cwd` (where CI runs topo: the repository root), so that
 * GitHub and GitLab can map it onto the repository and outputs do not depend
 * on the machine. A file outside `cwd` keeps a `../` path rather than turning
 * absolute.
 */
export function repoPath(cwd: string, file: string): string {
  const rel = relative(cwd, resolve(cwd, file));
  return (rel === '' ? '.' : rel).split(sep).join('/');
}

/** The same as a URI reference (SARIF artifactLocation.uri): each segment percent-encoded. */
export function repoUri(cwd: string, file: string): string {
  return repoPath(cwd, file)
    .split('/')
    .map((s) => (s === '..' || s === '.' ? s : encodeURIComponent(s)))
    .join('/');
}
