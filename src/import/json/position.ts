/** Offsets to 1-based line:col, counting columns in UTF-16 code units like editors do. */
export function lineColAt(text: string, offset: number): { line: number; col: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = text.indexOf('\n'); i >= 0 && i < end; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, col: end - lineStart + 1 };
}

/** The offset a JSON.parse error message names ("... at position 12"), if any. */
export function offsetInJsonError(error: unknown): number | undefined {
  const m = /position (\d+)/.exec(String((error as Error)?.message ?? ''));
  return m ? Number(m[1]) : undefined;
}
