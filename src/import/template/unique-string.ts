/**
 * ARM's uniqueString(): the arguments joined with '-', hashed with the
 * 64-bit MurmurHash variant Azure Resource Manager uses (two 32-bit lanes,
 * Murmur3 finalisers), written as 13 base-32 characters [a-z2-7]. Tests pin
 * it to values Azure itself produced, so names built from it are the names
 * Azure gives.
 */
const C1 = 0xab0e9789;
const C2 = 0x239b961b;
const C3 = 0x85ebca6b;
const C4 = 0xc2b2ae35;
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';

const rotl = (x: number, r: number): number => ((x << r) | (x >>> (32 - r))) >>> 0;
const mul = (a: number, b: number): number => Math.imul(a, b) >>> 0;

function fmix(x: number): number {
  x = mul(x ^ (x >>> 16), C3);
  x = mul(x ^ (x >>> 13), C4);
  return (x ^ (x >>> 16)) >>> 0;
}

function le32(b: Uint8Array, at: number, count: number): number {
  let v = 0;
  for (let i = count - 1; i >= 0; i--) v = (v * 256 + b[at + i]) >>> 0;
  return v;
}

export function armHash64(bytes: Uint8Array): bigint {
  const len = bytes.length;
  let h1 = 0;
  let h2 = 0;
  let i = 0;
  for (; i + 8 <= len; i += 8) {
    const k1 = mul(rotl(mul(le32(bytes, i, 4), C2), 15), C1);
    const k2 = mul(rotl(mul(le32(bytes, i + 4, 4), C1), 17), C2);
    h1 = (rotl((h1 ^ k1) >>> 0, 19) + h2) >>> 0;
    h1 = (mul(h1, 5) + 0x561ccd1b) >>> 0;
    h2 = (rotl((h2 ^ k2) >>> 0, 13) + h1) >>> 0;
    h2 = (mul(h2, 5) + 0x0bcaa747) >>> 0;
  }
  const rest = len - i;
  if (rest > 0) {
    h1 = (h1 ^ mul(rotl(mul(le32(bytes, i, Math.min(rest, 4)), C2), 15), C1)) >>> 0;
    if (rest > 4) h2 = (h2 ^ mul(rotl(mul(le32(bytes, i + 4, rest - 4), C1), 17), C2)) >>> 0;
  }
  const r0 = (h2 ^ len) >>> 0;
  let r1 = (((h1 ^ len) >>> 0) + r0) >>> 0;
  let r2 = (r0 + r1) >>> 0;
  r1 = fmix(r1);
  r2 = fmix(r2);
  r1 = (r1 + r2) >>> 0;
  r2 = (r2 + r1) >>> 0;
  return (BigInt(r2) << 32n) | BigInt(r1);
}

export function uniqueString(parts: readonly string[]): string {
  let h = armHash64(new TextEncoder().encode(parts.join('-')));
  let out = '';
  for (let i = 0; i < 13; i++) {
    out += ALPHABET[Number((h >> 59n) & 31n)];
    h = (h << 5n) & 0xffffffffffffffffn;
  }
  return out;
}
