/**
 * Where something came from in the user's files. Every scenario and model
 * object carries one so that every verdict can name file:line:col.
 */
export interface SourceLoc {
  readonly file: string;
  readonly line: number;
  readonly col: number;
  readonly endLine: number;
  readonly endCol: number;
}

export function formatLoc(loc: SourceLoc): string {
  return `${loc.file}:${loc.line}:${loc.col}`;
}

/** A location for things that exist in no file (Azure defaults, system routes). */
export function builtinLoc(what: string): SourceLoc {
  return { file: `<azure:${what}>`, line: 0, col: 0, endLine: 0, endCol: 0 };
}

export function isBuiltin(loc: SourceLoc): boolean {
  return loc.line === 0;
}

export interface Located<T> {
  readonly value: T;
  readonly loc: SourceLoc;
}
