import { Validator } from 'ip-num';

export interface Cidr {
  readonly family: 4 | 6;
  readonly prefix: number;
  /** First and last address of the range, as integers. */
  readonly first: bigint;
  readonly last: bigint;
  /** The network written canonically (`10.0.0.0/24` for `10.0.0.1/24`). */
  readonly canonical: string;
  /** False when host bits are set, like `10.0.0.1/24`. */
  readonly isCanonical: boolean;
}

export type CidrResult = { readonly ok: true; readonly cidr: Cidr } | { readonly ok: false; readonly reason: string };

/**
 * Parsed CIDRs by text. Files repeat a few ranges thousands of times (`0.0.0.0/0`, `10.0.0.0/8`),
 * and ip-num's parse costs microseconds each; results are immutable, so one serves every use.
 */
const parsed = new Map<string, CidrResult>();
const PARSED_MAX = 10_000;

/** Parse a CIDR the way Go's net.ParseCIDR (used by the API server) accepts it. Never throws. */
export function parseCidr(text: string): CidrResult {
  if (text.length > 64) return parseCidrText(text);
  let r = parsed.get(text);
  if (!r) {
    if (parsed.size >= PARSED_MAX) parsed.clear();
    r = parseCidrText(text);
    parsed.set(text, r);
  }
  return r;
}

function parseCidrText(text: string): CidrResult {
  const s = text.trim();
  if (s !== text || s === '') return { ok: false, reason: 'is empty or has surrounding spaces' };
  const slash = s.indexOf('/');
  if (slash < 0) return { ok: false, reason: 'has no prefix length (write it as address/prefix, for example 10.0.0.0/8 or 203.0.113.7/32)' };
  const addr = s.slice(0, slash);
  const pfx = s.slice(slash + 1);
  if (!/^\d{1,3}$/.test(pfx)) return { ok: false, reason: `has an invalid prefix length "${pfx}"` };
  const prefix = Number(pfx);
  try {
    if (addr.includes(':')) {
      if (prefix > 128) return { ok: false, reason: `has prefix length ${prefix}, but IPv6 allows 0 to 128` };
      if (addr.includes('%')) return { ok: false, reason: 'has an IPv6 zone, which a CIDR cannot have' };
      const [valid] = Validator.isValidIPv6CidrNotation(s);
      if (!valid) return { ok: false, reason: `has an invalid IPv6 address "${addr}"` };
      return { ok: true, cidr: ipv6Cidr(addr, prefix) };
    }
    if (prefix > 32) return { ok: false, reason: `has prefix length ${prefix}, but IPv4 allows 0 to 32` };
    if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(addr)) return { ok: false, reason: `has an invalid IPv4 address "${addr}"` };
    if (addr.split('.').some((o) => o.length > 1 && o.startsWith('0'))) {
      return { ok: false, reason: `has an octet with a leading zero in "${addr}" (ambiguous, rejected by Kubernetes)` };
    }
    if (addr.split('.').some((o) => Number(o) > 255)) return { ok: false, reason: `has an octet above 255 in "${addr}"` };
    return { ok: true, cidr: ipv4Cidr(addr, prefix) };
  } catch {
    return { ok: false, reason: 'is not a valid CIDR' };
  }
}

/**
 * An IPv4 range from a checked dotted quad and prefix, in 32-bit arithmetic: ip-num takes ~0.3 ms
 * per range (BigInt all the way), and a file with hundreds of distinct ranges paid that on open.
 * The test compares it with ip-num on random ranges.
 */
export function ipv4Cidr(addr: string, prefix: number): Cidr {
  let value = 0;
  for (const octet of addr.split('.')) value = value * 256 + Number(octet);
  const host = 2 ** (32 - prefix) - 1;
  const first = value - (value % (host + 1));
  const last = first + host;
  const dotted = `${Math.floor(first / 16777216)}.${(first >>> 16) & 255}.${(first >>> 8) & 255}.${first & 255}`;
  return { family: 4, prefix, first: BigInt(first), last: BigInt(last), canonical: `${dotted}/${prefix}`, isCanonical: value === first };
}

const ALL_128 = (1n << 128n) - 1n;

/** An IPv6 range from an address ip-num's validator accepted: ip-num's own range object costs ~0.1 ms. */
export function ipv6Cidr(addr: string, prefix: number): Cidr {
  const value = addressValue6(addr);
  const host = (1n << BigInt(128 - prefix)) - 1n;
  const first = value & (ALL_128 ^ host);
  return { family: 6, prefix, first, last: first | host, canonical: `${format6(first)}/${prefix}`, isCanonical: value === first };
}

function addressValue6(addr: string): bigint {
  const [head = '', tail] = addr.split('::');
  const parse = (part: string): number[] => (part === '' ? [] : part.split(':').flatMap((h) => (h.includes('.') ? v4Groups(h) : [parseInt(h, 16)])));
  const h = parse(head);
  const t = tail === undefined ? [] : parse(tail);
  const groups = [...h, ...new Array<number>(Math.max(0, 8 - h.length - t.length)).fill(0), ...t];
  return groups.reduce((acc, g) => (acc << 16n) + BigInt(g), 0n);
}

function v4Groups(dotted: string): number[] {
  const o = dotted.split('.').map(Number);
  return [((o[0] ?? 0) << 8) | (o[1] ?? 0), ((o[2] ?? 0) << 8) | (o[3] ?? 0)];
}

/** An IPv6 address the short way (RFC 5952): lowercase, no leading zeros, longest zero run as `::`. */
export function format6(value: bigint): string {
  const groups: string[] = [];
  for (let i = 7; i >= 0; i--) groups.push(((value >> BigInt(i * 16)) & 0xffffn).toString(16));
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== '0') {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  if (bestStart < 0) return groups.join(':');
  return `${groups.slice(0, bestStart).join(':')}::${groups.slice(bestStart + bestLen).join(':')}`;
}

/** Whether `inner` lies inside `outer` (same family). */
export function within(inner: Cidr, outer: Cidr): boolean {
  return inner.family === outer.family && inner.first >= outer.first && inner.last <= outer.last;
}

/** Whether two ranges share no address (another family shares none). */
export function disjoint(a: Cidr, b: Cidr): boolean {
  return a.family !== b.family || a.last < b.first || a.first > b.last;
}

/** Whether `inner` lies inside `outer` and is smaller: what an `except` entry must be. */
export function strictlyWithin(inner: Cidr, outer: Cidr): boolean {
  return within(inner, outer) && !(inner.first === outer.first && inner.last === outer.last);
}

/** Addresses in a range, for hovers: 2^(bits - prefix). */
export function size(c: Cidr): bigint {
  return c.last - c.first + 1n;
}
