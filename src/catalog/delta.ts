/** Sorted integers as base-36 deltas joined by '.': compact and diff-friendly in JSON. */
export function deltaEncode(sorted: readonly number[]): string {
  let prev = 0;
  return sorted
    .map((n) => {
      const d = n - prev;
      prev = n;
      return d.toString(36);
    })
    .join('.');
}

export function deltaDecode(encoded: string): number[] {
  const out: number[] = [];
  let cur = 0;
  for (const part of encoded ? encoded.split('.') : []) {
    cur += parseInt(part, 36);
    out.push(cur);
  }
  return out;
}
