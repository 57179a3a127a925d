/**
 * Reads a scenario file defensively: every failure is a diagnostic with the
 * byte position turned into line:col, never an exception. Hostile inputs
 * (directories, binary data, non-UTF-8, huge files) end here in bounded time.
 */
import { readFileSync, statSync } from 'node:fs';
import { diag, type Diagnostic } from './diagnostics.js';
import type { SourceLoc } from './source-loc.js';

/** Larger than any real design (tier L of the benchmark is ~40 MB). */
export const MAX_FILE_BYTES = 256 * 1024 * 1024;

export type ReadResult = { ok: true; text: string } | { ok: false; diagnostic: Diagnostic };

export function readScenarioText(path: string, display: string, referencedAt?: SourceLoc): ReadResult {
  const fail = (d: Diagnostic): ReadResult => ({ ok: false, diagnostic: d });
  const at = referencedAt ?? pointLoc(display, 1, 1);
  let size: number;
  try {
    const stat = statSync(path);
    if (stat.isDirectory()) {
      return fail(diag('TOPO002', `${display} is a directory, not a scenario file`, at, { hint: 'pass the path of a .yaml file' }));
    }
    if (!stat.isFile()) return fail(diag('TOPO002', `${display} is not a regular file`, at));
    size = stat.size;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return fail(diag('TOPO001', `${display} does not exist`, at));
    return fail(diag('TOPO007', `${display} cannot be read (${code ?? 'error'})`, at));
  }
  if (size > MAX_FILE_BYTES) {
    return fail(diag('TOPO006', `${display} is ${(size / 2 ** 20).toFixed(0)} MiB; topo reads scenario files up to ${MAX_FILE_BYTES / 2 ** 20} MiB`, at));
  }
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    return fail(diag('TOPO007', `${display} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`, at));
  }
  return decodeScenarioBytes(bytes, display);
}

export function decodeScenarioBytes(bytes: Uint8Array, display: string): ReadResult {
  const fail = (d: Diagnostic): ReadResult => ({ ok: false, diagnostic: d });
  if (bytes.length === 0) return fail(diag('TOPO003', `${display} is empty`, pointLoc(display, 1, 1), { hint: 'a scenario needs at least a name: see the format reference' }));
  if ((bytes[0] === 0xfe && bytes[1] === 0xff) || (bytes[0] === 0xff && bytes[1] === 0xfe)) {
    return fail(diag('TOPO005', `${display} is UTF-16 encoded`, pointLoc(display, 1, 1), { hint: 'save the file as UTF-8' }));
  }
  const nul = bytes.indexOf(0);
  if (nul >= 0) {
    const { line, col } = bytePosition(bytes, nul);
    return fail(diag('TOPO004', `${display} holds binary data (a NUL byte at ${line}:${col}), not YAML text`, pointLoc(display, line, col)));
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    const bad = firstInvalidUtf8(bytes);
    const { line, col } = bytePosition(bytes, bad);
    return fail(diag('TOPO005', `${display} is not valid UTF-8 (byte 0x${bytes[bad].toString(16).padStart(2, '0')} at ${line}:${col})`, pointLoc(display, line, col), { hint: 'save the file as UTF-8' }));
  }
  return { ok: true, text };
}

export function pointLoc(file: string, line: number, col: number): SourceLoc {
  return { file, line, col, endLine: line, endCol: col };
}

function bytePosition(bytes: Uint8Array, offset: number): { line: number; col: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    if (bytes[i] === 0x0a) {
      line += 1;
      lineStart = i + 1;
    }
  }
  return { line, col: offset - lineStart + 1 };
}

/** Offset of the first byte that breaks UTF-8 (only called once decoding failed). */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    let need = 0;
    if (b < 0x80) need = 0;
    else if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) need = 2;
    else if (b >= 0xf0 && b <= 0xf4) need = 3;
    else return i;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
    }
    i += need + 1;
  }
  return Math.max(0, bytes.length - 1);
}
