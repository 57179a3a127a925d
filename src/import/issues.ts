/**
 * What the importer tells the user. Errors stop the import (exit 2);
 * warnings and notes go with a written scenario. Unresolved template values
 * are reported once per place they are written, however often they are read.
 */
import type { Unresolved } from './template/values.js';

export type IssueSeverity = 'error' | 'warning' | 'note';

export interface At {
  readonly file: string;
  readonly line?: number;
  readonly col?: number;
}

export interface ImportIssue {
  readonly severity: IssueSeverity;
  readonly message: string;
  readonly at?: At;
  readonly hint?: string;
}

export class Issues {
  readonly list: ImportIssue[] = [];
  private readonly seen = new Set<string>();

  add(severity: IssueSeverity, message: string, at?: At, hint?: string): void {
    const key = `${severity}|${at?.file ?? ''}|${at?.line ?? ''}|${message}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.list.push({ severity, message, ...(at ? { at } : {}), ...(hint ? { hint } : {}) });
  }

  error(message: string, at?: At, hint?: string): void {
    this.add('error', message, at, hint);
  }

  warning(message: string, at?: At, hint?: string): void {
    this.add('warning', message, at, hint);
  }

  note(message: string, at?: At, hint?: string): void {
    this.add('note', message, at, hint);
  }

  /**
   * One warning per unresolved expression, at the place it is written (its
   * cause: the parameter default or variable every use derives from), however
   * many values it makes unknown.
   */
  unresolved(u: Unresolved, consequence: string): void {
    const c = u.cause ?? (u.file ? { expr: u.expr ?? '', file: u.file, line: u.line } : undefined);
    const key = `unresolved|${c?.file ?? ''}|${c?.line ?? ''}|${c?.expr ?? u.reason}`;
    const count = this.unresolvedUses.get(key);
    if (count !== undefined) {
      this.unresolvedUses.set(key, count + 1);
      return;
    }
    this.unresolvedUses.set(key, 1);
    this.unresolvedAt.set(key, this.list.length);
    const expr = c?.expr ? `[${c.expr.length > 140 ? `${c.expr.slice(0, 137)}...` : c.expr}] ` : '';
    this.list.push({ severity: 'warning', message: `unresolved: ${expr}(${u.reason}); ${consequence}`, ...(c ? { at: { file: c.file, line: c.line } } : {}) });
  }

  /** Unresolved causes, and how many values each one leaves unknown. */
  readonly unresolvedUses = new Map<string, number>();
  private readonly unresolvedAt = new Map<string, number>();

  /** Adds to each unresolved warning how many values depend on it. */
  finish(): ImportIssue[] {
    for (const [key, count] of this.unresolvedUses) {
      const at = this.unresolvedAt.get(key)!;
      if (count > 1) this.list[at] = { ...this.list[at], message: `${this.list[at].message} (and ${count - 1} more value${count === 2 ? '' : 's'} derived from it)` };
    }
    return this.list;
  }

  get errors(): ImportIssue[] {
    return this.list.filter((i) => i.severity === 'error');
  }
}

/** A problem that makes the import impossible: bad input, exit 2. */
export class ImportFailure extends Error {
  constructor(
    message: string,
    readonly at?: At,
    readonly hint?: string,
  ) {
    super(message);
  }
}

export function formatAt(at: At | undefined): string {
  if (!at) return '';
  return `${at.file}${at.line ? `:${at.line}${at.col ? `:${at.col}` : ''}` : ''}`;
}
