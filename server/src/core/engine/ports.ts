import { PROTOCOLS, type Protocol } from '../model';

/**
 * Port sets as sorted, disjoint, non-touching inclusive intervals, flattened: `[lo0, hi0, lo1, hi1, …]`.
 * Ports are 1–65535; nothing here ever holds port 0.
 */
export type PortRanges = readonly number[];

export const MIN_PORT = 1;
export const MAX_PORT = 65535;
export const NO_PORTS: PortRanges = Object.freeze([]) as PortRanges;
export const ALL_PORTS: PortRanges = Object.freeze([MIN_PORT, MAX_PORT]) as PortRanges;

export function portRange(lo: number, hi: number): PortRanges {
  const a = Math.max(MIN_PORT, lo);
  const b = Math.min(MAX_PORT, hi);
  if (a > b) return NO_PORTS;
  if (a === MIN_PORT && b === MAX_PORT) return ALL_PORTS;
  return [a, b];
}

export function isFullRanges(r: PortRanges): boolean {
  return r.length === 2 && r[0] === MIN_PORT && r[1] === MAX_PORT;
}

export function unionRanges(a: PortRanges, b: PortRanges): PortRanges {
  if (a.length === 0 || a === b) return b;
  if (b.length === 0) return a;
  if (isFullRanges(a)) return a;
  if (isFullRanges(b)) return b;
  // Merge two sorted lists, joining overlapping or touching intervals.
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    let lo: number;
    let hi: number;
    if (j >= b.length || (i < a.length && (a[i] ?? 0) <= (b[j] ?? 0))) {
      lo = a[i] ?? 0;
      hi = a[i + 1] ?? 0;
      i += 2;
    } else {
      lo = b[j] ?? 0;
      hi = b[j + 1] ?? 0;
      j += 2;
    }
    const n = out.length;
    if (n > 0 && lo <= (out[n - 1] ?? 0) + 1) {
      if (hi > (out[n - 1] ?? 0)) out[n - 1] = hi;
    } else {
      out.push(lo, hi);
    }
  }
  return isFullRanges(out) ? ALL_PORTS : out;
}

export function intersectRanges(a: PortRanges, b: PortRanges): PortRanges {
  if (a.length === 0 || b.length === 0) return NO_PORTS;
  if (a === b || isFullRanges(b)) return a;
  if (isFullRanges(a)) return b;
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const lo = Math.max(a[i] ?? 0, b[j] ?? 0);
    const ahi = a[i + 1] ?? 0;
    const bhi = b[j + 1] ?? 0;
    const hi = Math.min(ahi, bhi);
    if (lo <= hi) out.push(lo, hi);
    if (ahi < bhi) i += 2;
    else j += 2;
  }
  return out.length === 0 ? NO_PORTS : out;
}

export function subtractRanges(a: PortRanges, b: PortRanges): PortRanges {
  if (a.length === 0 || b.length === 0) return a;
  if (isFullRanges(b)) return NO_PORTS;
  const out: number[] = [];
  let j = 0;
  for (let i = 0; i < a.length; i += 2) {
    let lo = a[i] ?? 0;
    const hi = a[i + 1] ?? 0;
    while (j < b.length && (b[j + 1] ?? 0) < lo) j += 2;
    let k = j;
    while (k < b.length && (b[k] ?? 0) <= hi) {
      const blo = b[k] ?? 0;
      const bhi = b[k + 1] ?? 0;
      if (blo > lo) out.push(lo, blo - 1);
      lo = Math.max(lo, bhi + 1);
      if (lo > hi) break;
      k += 2;
    }
    if (lo <= hi) out.push(lo, hi);
  }
  return out.length === 0 ? NO_PORTS : out;
}

export function rangesEqual(a: PortRanges, b: PortRanges): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function rangesContain(r: PortRanges, port: number): boolean {
  for (let i = 0; i < r.length; i += 2) {
    if (port < (r[i] ?? 0)) return false;
    if (port <= (r[i + 1] ?? 0)) return true;
  }
  return false;
}

export function rangesSize(r: PortRanges): number {
  let n = 0;
  for (let i = 0; i < r.length; i += 2) n += (r[i + 1] ?? 0) - (r[i] ?? 0) + 1;
  return n;
}

/** `80`, `8000-8080`, joined by `sep`. */
export function formatRanges(r: PortRanges, sep = ','): string {
  const parts: string[] = [];
  for (let i = 0; i < r.length; i += 2) {
    const lo = r[i] ?? 0;
    const hi = r[i + 1] ?? 0;
    parts.push(lo === hi ? String(lo) : `${lo}-${hi}`);
  }
  return parts.join(sep);
}

/** Allowed connections: a port set per protocol. Immutable; `ALL` and `NONE` are shared. */
export interface ConnSet {
  readonly TCP: PortRanges;
  readonly UDP: PortRanges;
  readonly SCTP: PortRanges;
}

export const NONE: ConnSet = Object.freeze({ TCP: NO_PORTS, UDP: NO_PORTS, SCTP: NO_PORTS });
export const ALL: ConnSet = Object.freeze({ TCP: ALL_PORTS, UDP: ALL_PORTS, SCTP: ALL_PORTS });

export function connSet(parts: Partial<Record<Protocol, PortRanges>>): ConnSet {
  const c = { TCP: parts.TCP ?? NO_PORTS, UDP: parts.UDP ?? NO_PORTS, SCTP: parts.SCTP ?? NO_PORTS };
  return normalize(c);
}

/** One protocol: every port, one port, or the range `lo`–`hi`. */
export function conn(protocol: Protocol, lo?: number, hi?: number): ConnSet {
  if (lo === undefined) return connSet({ [protocol]: ALL_PORTS });
  return connSet({ [protocol]: portRange(lo, hi ?? lo) });
}

function normalize(c: ConnSet): ConnSet {
  if (c.TCP.length === 0 && c.UDP.length === 0 && c.SCTP.length === 0) return NONE;
  if (isFullRanges(c.TCP) && isFullRanges(c.UDP) && isFullRanges(c.SCTP)) return ALL;
  return c;
}

export function isEmpty(c: ConnSet): boolean {
  return c === NONE || (c.TCP.length === 0 && c.UDP.length === 0 && c.SCTP.length === 0);
}

export function isAll(c: ConnSet): boolean {
  return c === ALL || (isFullRanges(c.TCP) && isFullRanges(c.UDP) && isFullRanges(c.SCTP));
}

export function union(a: ConnSet, b: ConnSet): ConnSet {
  if (a === b || b === NONE || a === ALL) return a;
  if (a === NONE || b === ALL) return b;
  return normalize({ TCP: unionRanges(a.TCP, b.TCP), UDP: unionRanges(a.UDP, b.UDP), SCTP: unionRanges(a.SCTP, b.SCTP) });
}

export function intersect(a: ConnSet, b: ConnSet): ConnSet {
  if (a === b || b === ALL || a === NONE) return a;
  if (a === ALL || b === NONE) return b;
  return normalize({ TCP: intersectRanges(a.TCP, b.TCP), UDP: intersectRanges(a.UDP, b.UDP), SCTP: intersectRanges(a.SCTP, b.SCTP) });
}

export function subtract(a: ConnSet, b: ConnSet): ConnSet {
  if (b === NONE || a === NONE) return a;
  if (b === ALL || a === b) return NONE;
  return normalize({ TCP: subtractRanges(a.TCP, b.TCP), UDP: subtractRanges(a.UDP, b.UDP), SCTP: subtractRanges(a.SCTP, b.SCTP) });
}

export function equals(a: ConnSet, b: ConnSet): boolean {
  return a === b || (rangesEqual(a.TCP, b.TCP) && rangesEqual(a.UDP, b.UDP) && rangesEqual(a.SCTP, b.SCTP));
}

export function allows(c: ConnSet, protocol: Protocol, port: number): boolean {
  return rangesContain(c[protocol], port);
}

/**
 * netpol-analyzer's connection string: `All Connections`, `No Connections`, or
 * `SCTP 1-9002,TCP 80,8080,UDP 53` (protocols in alphabetical order, ranges merged).
 */
export function formatConnections(c: ConnSet): string {
  if (isAll(c)) return 'All Connections';
  if (isEmpty(c)) return 'No Connections';
  const parts: string[] = [];
  for (const p of ['SCTP', 'TCP', 'UDP'] as const) {
    if (c[p].length) parts.push(`${p} ${formatRanges(c[p])}`);
  }
  return parts.join(',');
}

/** Plain words for hovers and messages: `TCP 80, 8080 and UDP 53`, `all ports and protocols`. */
export function describeConnections(c: ConnSet): string {
  if (isAll(c)) return 'all ports and protocols';
  if (isEmpty(c)) return 'no ports';
  const parts: string[] = [];
  for (const p of PROTOCOLS) {
    const r = c[p];
    if (r.length === 0) continue;
    parts.push(isFullRanges(r) ? `all ${p} ports` : `${p} ${formatRanges(r, ', ')}`);
  }
  return joinWords(parts);
}

export function joinWords(parts: readonly string[]): string {
  if (parts.length <= 1) return parts[0] ?? '';
  return `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1] ?? ''}`;
}

/** Parse netpol-analyzer's connection string back into a set (for tests and comparisons). */
export function parseConnections(s: string): ConnSet | undefined {
  const t = s.trim();
  if (t === 'All Connections') return ALL;
  if (t === 'No Connections') return NONE;
  const acc: Record<Protocol, PortRanges> = { TCP: NO_PORTS, UDP: NO_PORTS, SCTP: NO_PORTS };
  let current: Protocol | undefined;
  for (const raw of t.split(',')) {
    let tok = raw.trim();
    const m = /^(TCP|UDP|SCTP)\s+(.*)$/.exec(tok);
    if (m) {
      current = m[1] as Protocol;
      tok = m[2] ?? '';
    }
    if (!current) return undefined;
    const r = /^(\d+)(?:-(\d+))?$/.exec(tok);
    if (!r) return undefined;
    const lo = Number(r[1]);
    const hi = r[2] !== undefined ? Number(r[2]) : lo;
    acc[current] = unionRanges(acc[current], portRange(lo, hi));
  }
  return connSet(acc);
}
