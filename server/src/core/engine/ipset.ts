/**
 * IP address sets for ipBlocks: per family, sorted disjoint inclusive intervals of bigints,
 * flattened `[lo0, hi0, …]`. Parsing is strict (what Go's net.ParseCIDR accepts) and never throws.
 */
export type Family = 4 | 6;

export type IpRanges = readonly bigint[];

export interface IpSet {
  readonly v4: IpRanges;
  readonly v6: IpRanges;
}

export const MAX_V4 = (1n << 32n) - 1n;
export const MAX_V6 = (1n << 128n) - 1n;
export const EMPTY_IPSET: IpSet = Object.freeze({ v4: [], v6: [] });
export const ALL_IPV4: IpSet = Object.freeze({ v4: [0n, MAX_V4], v6: [] });
export const ALL_IPS: IpSet = Object.freeze({ v4: [0n, MAX_V4], v6: [0n, MAX_V6] });

export function maxOf(family: Family): bigint {
  return family === 4 ? MAX_V4 : MAX_V6;
}

export interface IpAddress {
  readonly family: Family;
  readonly value: bigint;
}

export interface Cidr {
  readonly family: Family;
  readonly lo: bigint;
  readonly hi: bigint;
  readonly prefix: number;
}

function parseV4(s: string): bigint | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  let v = 0n;
  for (const p of parts) {
    // Leading zeros are rejected, as Go does (they once meant octal).
    if (!/^(0|[1-9]\d{0,2})$/.test(p)) return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    v = (v << 8n) | BigInt(n);
  }
  return v;
}

function parseV6(s: string): bigint | undefined {
  if (s.length === 0 || s.length > 45) return undefined;
  let head = s;
  let tailV4: bigint | undefined;
  const lastColon = s.lastIndexOf(':');
  if (lastColon >= 0 && s.indexOf('.', lastColon) > lastColon) {
    tailV4 = parseV4(s.slice(lastColon + 1));
    if (tailV4 === undefined) return undefined;
    head = s.slice(0, lastColon + 1) + '0:0';
  }
  const dbl = head.indexOf('::');
  if (dbl >= 0 && head.indexOf('::', dbl + 1) >= 0) return undefined;
  const parseGroups = (t: string): number[] | undefined => {
    if (t === '') return [];
    const out: number[] = [];
    for (const g of t.split(':')) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  let groups: number[];
  if (dbl >= 0) {
    const left = parseGroups(head.slice(0, dbl));
    const right = parseGroups(head.slice(dbl + 2));
    if (!left || !right || left.length + right.length > 7) return undefined;
    groups = [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
  } else {
    const all = parseGroups(head);
    if (!all || all.length !== 8) return undefined;
    groups = all;
  }
  let v = 0n;
  for (const g of groups) v = (v << 16n) | BigInt(g);
  if (tailV4 !== undefined) v = (v & ~MAX_V4) | tailV4;
  return v;
}

export function parseIp(s: string): IpAddress | undefined {
  const t = s.trim();
  if (t.includes(':')) {
    const v = parseV6(t);
    return v === undefined ? undefined : { family: 6, value: v };
  }
  const v = parseV4(t);
  return v === undefined ? undefined : { family: 4, value: v };
}

/** `10.0.0.0/8`, `2001:db8::/32`. Host bits are masked off, as the API server's parser does. */
export function parseCidr(s: string): Cidr | undefined {
  const t = s.trim();
  const slash = t.indexOf('/');
  if (slash < 0) return undefined;
  const addr = parseIp(t.slice(0, slash));
  const bits = t.slice(slash + 1);
  if (!addr || !/^(0|[1-9]\d{0,2})$/.test(bits)) return undefined;
  const prefix = Number(bits);
  const width = addr.family === 4 ? 32 : 128;
  if (prefix > width) return undefined;
  const hostBits = BigInt(width - prefix);
  const hostMask = (1n << hostBits) - 1n;
  const lo = addr.value & ~hostMask & maxOf(addr.family);
  return { family: addr.family, lo, hi: lo | hostMask, prefix };
}

function unionFlat(a: IpRanges, b: IpRanges): IpRanges {
  if (a.length === 0) return b;
  if (b.length === 0) return a;
  const pairs: [bigint, bigint][] = [];
  for (let i = 0; i < a.length; i += 2) pairs.push([a[i] ?? 0n, a[i + 1] ?? 0n]);
  for (let i = 0; i < b.length; i += 2) pairs.push([b[i] ?? 0n, b[i + 1] ?? 0n]);
  pairs.sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
  const out: bigint[] = [];
  for (const [lo, hi] of pairs) {
    const n = out.length;
    if (n > 0 && lo <= (out[n - 1] ?? 0n) + 1n) {
      if (hi > (out[n - 1] ?? 0n)) out[n - 1] = hi;
    } else {
      out.push(lo, hi);
    }
  }
  return out;
}

function subtractFlat(a: IpRanges, b: IpRanges): IpRanges {
  if (a.length === 0 || b.length === 0) return a;
  const out: bigint[] = [];
  for (let i = 0; i < a.length; i += 2) {
    let lo = a[i] ?? 0n;
    const hi = a[i + 1] ?? 0n;
    for (let k = 0; k < b.length && lo <= hi; k += 2) {
      const blo = b[k] ?? 0n;
      const bhi = b[k + 1] ?? 0n;
      if (bhi < lo) continue;
      if (blo > hi) break;
      if (blo > lo) out.push(lo, blo - 1n);
      lo = bhi + 1n;
    }
    if (lo <= hi) out.push(lo, hi);
  }
  return out;
}

function intersectFlat(a: IpRanges, b: IpRanges): IpRanges {
  const out: bigint[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const lo = (a[i] ?? 0n) > (b[j] ?? 0n) ? (a[i] ?? 0n) : (b[j] ?? 0n);
    const ahi = a[i + 1] ?? 0n;
    const bhi = b[j + 1] ?? 0n;
    const hi = ahi < bhi ? ahi : bhi;
    if (lo <= hi) out.push(lo, hi);
    if (ahi < bhi) i += 2;
    else j += 2;
  }
  return out;
}

export function ipUnion(a: IpSet, b: IpSet): IpSet {
  return { v4: unionFlat(a.v4, b.v4), v6: unionFlat(a.v6, b.v6) };
}

export function ipSubtract(a: IpSet, b: IpSet): IpSet {
  return { v4: subtractFlat(a.v4, b.v4), v6: subtractFlat(a.v6, b.v6) };
}

export function ipIntersect(a: IpSet, b: IpSet): IpSet {
  return { v4: intersectFlat(a.v4, b.v4), v6: intersectFlat(a.v6, b.v6) };
}

export function ipIsEmpty(s: IpSet): boolean {
  return s.v4.length === 0 && s.v6.length === 0;
}

export function ipContains(s: IpSet, a: IpAddress): boolean {
  const r = a.family === 4 ? s.v4 : s.v6;
  for (let i = 0; i < r.length; i += 2) {
    if (a.value < (r[i] ?? 0n)) return false;
    if (a.value <= (r[i + 1] ?? 0n)) return true;
  }
  return false;
}

export function cidrSet(c: Cidr): IpSet {
  return c.family === 4 ? { v4: [c.lo, c.hi], v6: [] } : { v4: [], v6: [c.lo, c.hi] };
}

/**
 * The addresses of an ipBlock: `cidr` minus every `except`. Undefined when `cidr` does not parse;
 * an `except` entry that does not parse removes nothing (the API server rejects the policy anyway).
 */
export function ipBlockSet(cidr: string, except: readonly string[]): IpSet | undefined {
  // Length-prefixed, so that no two blocks share a key whatever characters they hold.
  let key = `${cidr.length}:${cidr}`;
  for (const e of except) key += `${e.length}:${e}`;
  if (key.length > 1000) return readIpBlock(cidr, except);
  let known = ipBlocks.get(key);
  if (known === undefined) {
    known = readIpBlock(cidr, except) ?? null;
    if (ipBlocks.size >= IP_BLOCKS_MAX) ipBlocks.clear();
    ipBlocks.set(key, known);
  }
  return known ?? undefined;
}

/**
 * ipBlocks by text: files repeat a few (`0.0.0.0/0` except the private ranges) thousands of times,
 * and sets are immutable, so one serves every use (and equal blocks compare by identity).
 */
const ipBlocks = new Map<string, IpSet | null>();
const IP_BLOCKS_MAX = 10_000;

function readIpBlock(cidr: string, except: readonly string[]): IpSet | undefined {
  const c = parseCidr(cidr);
  if (!c) return undefined;
  let set = cidrSet(c);
  for (const e of except) {
    const x = parseCidr(e);
    if (x) set = ipSubtract(set, cidrSet(x));
  }
  return set;
}

export function formatIp(family: Family, value: bigint): string {
  if (family === 4) {
    return [24n, 16n, 8n, 0n].map((s) => String((value >> s) & 255n)).join('.');
  }
  const groups: number[] = [];
  for (let i = 7; i >= 0; i--) groups.push(Number((value >> BigInt(i * 16)) & 0xffffn));
  // RFC 5952: compress the longest run (length ≥ 2) of zero groups, the first one on a tie.
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = (g: number[]): string => g.map((x) => x.toString(16)).join(':');
  if (bestStart < 0) return hex(groups);
  return `${hex(groups.slice(0, bestStart))}::${hex(groups.slice(bestStart + bestLen))}`;
}

/** `10.0.0.0-10.255.255.255`, netpol-analyzer's way of naming an address range. */
export function formatIpRange(family: Family, lo: bigint, hi: bigint): string {
  return `${formatIp(family, lo)}-${formatIp(family, hi)}`;
}

/** The set as CIDR-free interval text, for messages: `10.0.0.0-10.9.255.255, 10.11.0.0-10.255.255.255`. */
export function describeIpSet(s: IpSet): string {
  const parts: string[] = [];
  for (const [family, r] of [[4, s.v4], [6, s.v6]] as const) {
    for (let i = 0; i < r.length; i += 2) parts.push(formatIpRange(family, r[i] ?? 0n, r[i + 1] ?? 0n));
  }
  return parts.length ? parts.join(', ') : '(no addresses)';
}

/**
 * Cut each family's whole address space at the edges of the given sets: the pieces are disjoint,
 * cover the space, and each lies wholly inside or outside every one of the sets.
 */
export function cutAddressSpace(sets: readonly IpSet[], family: Family): bigint[] {
  const max = maxOf(family);
  const starts = new Set<bigint>([0n]);
  for (const s of sets) {
    const r = family === 4 ? s.v4 : s.v6;
    for (let i = 0; i < r.length; i += 2) {
      starts.add(r[i] ?? 0n);
      const after = (r[i + 1] ?? 0n) + 1n;
      if (after <= max) starts.add(after);
    }
  }
  const sorted = [...starts].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const out: bigint[] = [];
  for (let i = 0; i < sorted.length; i++) {
    const lo = sorted[i] ?? 0n;
    const next = sorted[i + 1];
    out.push(lo, next === undefined ? max : next - 1n);
  }
  return out;
}
