/** Whether a service tag is an exfiltration channel, with the reason (models/service-tag-classes.json). */
import { readFileSync } from 'node:fs';
import { packageFile } from '../util/package-root.js';

export interface TagClass {
  readonly exfiltration: boolean;
  readonly reason: string;
  /** Aggregate tags (AzureCloud) are judged by the addresses they hold, not as one service. */
  readonly aggregate: boolean;
}

interface ClassesFile {
  readonly classes: readonly { match: readonly string[]; exfiltration: boolean; reason: string; aggregate?: boolean }[];
  readonly default: { exfiltration: boolean; reason: string };
}

let file: ClassesFile | undefined;

function load(): ClassesFile {
  return (file ??= JSON.parse(readFileSync(packageFile('models', 'service-tag-classes.json'), 'utf8')) as ClassesFile);
}

function matches(pattern: string, name: string): boolean {
  const p = pattern.toLowerCase();
  const n = name.toLowerCase();
  return p.endsWith('.*') ? n.startsWith(p.slice(0, -1)) : p === n;
}

export function classifyTag(name: string): TagClass {
  for (const c of load().classes) {
    if (c.match.some((m) => matches(m, name))) return { exfiltration: c.exfiltration, reason: c.reason, aggregate: c.aggregate ?? false };
  }
  const d = load().default;
  return { exfiltration: d.exfiltration, reason: d.reason, aggregate: false };
}
