/**
 * A young-generation collection before latency-sensitive work (`topo watch`
 * runs one between loading a saved file and its what-if). A what-if
 * allocates a few MB, nearly all of it dead when the what-if ends; a
 * scavenge that falls inside one copies the edit's live working set (and
 * whatever loading the file left) and adds 5-25 ms to it. Started with an
 * empty young generation, a what-if rarely fills it, and its garbage is
 * collected later at almost no cost. Node offers gc() only behind a flag:
 * the flag is set at run time and the function taken from a fresh context,
 * where V8 installs it.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

type Collect = (options: { type: 'minor' | 'major'; execution?: 'sync' | 'async' }) => void;

let collect: Collect | null | undefined;

/** Collects the young generation now; false when this runtime offers no way to ask for it. */
export function collectYoungGeneration(): boolean {
  if (collect === undefined) {
    try {
      setFlagsFromString('--expose-gc');
      const found: unknown = runInNewContext('typeof gc === "function" ? gc : null');
      collect = typeof found === 'function' ? (found as Collect) : null;
    } catch {
      collect = null;
    }
  }
  if (!collect) return false;
  collect({ type: 'minor' });
  return true;
}
