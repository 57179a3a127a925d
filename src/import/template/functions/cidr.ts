/** parseCidr, cidrSubnet and cidrHost, on ip-num's IPv4/IPv6 ranges. */
import { IPv4, IPv4CidrRange, IPv6, IPv6CidrRange } from 'ip-num';
import { EvalError, type FunctionImpl } from '../evaluate.js';
import type { Value } from '../values.js';
import { int, str, strict } from './args.js';

type Range = IPv4CidrRange | IPv6CidrRange;

function rangeOf(text: string, fn: string): { range: Range; v6: boolean; len: number } {
  const v6 = text.includes(':');
  try {
    const range = v6 ? IPv6CidrRange.fromCidr(text) : IPv4CidrRange.fromCidr(text);
    return { range, v6, len: Number(range.getPrefix().getValue()) };
  } catch {
    throw new EvalError(`${fn}(): '${text}' is not a CIDR range`);
  }
}

/** IPv6 in its compressed form, as ARM prints it. */
function compress6(full: string): string {
  const groups = full.split(':').map((g) => g.replace(/^0+(?=.)/, ''));
  let best = { at: -1, len: 0 };
  for (let i = 0; i < groups.length; ) {
    if (groups[i] !== '0') {
      i++;
      continue;
    }
    let j = i;
    while (j < groups.length && groups[j] === '0') j++;
    if (j - i > best.len && j - i > 1) best = { at: i, len: j - i };
    i = j;
  }
  if (best.at < 0) return groups.join(':');
  return `${groups.slice(0, best.at).join(':')}::${groups.slice(best.at + best.len).join(':')}`;
}

function address(value: bigint, v6: boolean): string {
  return v6 ? compress6(IPv6.fromBigInt(value).toString()) : IPv4.fromNumber(value).toString();
}

export const CIDR_FUNCTIONS: Record<string, FunctionImpl> = {
  parsecidr: strict('parseCidr', ([n]): Value => {
    const { range, v6, len } = rangeOf(str(n, 'parseCidr'), 'parseCidr');
    const first = range.getFirst().getValue();
    const last = range.getLast().getValue();
    if (v6) return { network: address(first, true), netmask: address(((1n << 128n) - 1n) ^ ((1n << BigInt(128 - len)) - 1n), true), firstUsable: address(first, true), lastUsable: address(last, true), cidr: len };
    return {
      network: address(first, false),
      netmask: address((0xffffffffn ^ ((1n << BigInt(32 - len)) - 1n)) & 0xffffffffn, false),
      broadcast: address(last, false),
      firstUsable: address(len >= 31 ? first : first + 1n, false),
      lastUsable: address(len >= 31 ? last : last - 1n, false),
      cidr: len,
    };
  }, [1, 1]),
  cidrsubnet: strict('cidrSubnet', ([n, c, i]) => {
    const { range, v6, len } = rangeOf(str(n, 'cidrSubnet'), 'cidrSubnet');
    const newLen = int(c, 'cidrSubnet');
    const index = BigInt(int(i, 'cidrSubnet'));
    const bits = v6 ? 128 : 32;
    if (newLen < len || newLen > bits) throw new EvalError(`cidrSubnet(): /${newLen} does not fit inside /${len}`);
    if (index < 0n || index >= 1n << BigInt(newLen - len)) throw new EvalError(`cidrSubnet(): index ${index} is outside the ${1n << BigInt(newLen - len)} subnets`);
    return `${address(range.getFirst().getValue() + (index << BigInt(bits - newLen)), v6)}/${newLen}`;
  }, [3, 3]),
  cidrhost: strict('cidrHost', ([n, i]) => {
    const { range, v6 } = rangeOf(str(n, 'cidrHost'), 'cidrHost');
    const index = BigInt(int(i, 'cidrHost'));
    // Index 0 is the network address + 1, for IPv6 too (as the ARM documentation shows).
    const host = range.getFirst().getValue() + 1n + index;
    if (index < 0n || host > range.getLast().getValue()) throw new EvalError(`cidrHost(): host ${index} is outside ${String(n)}`);
    return address(host, v6);
  }, [2, 2]),
};
