import type { WorkloadInfo } from '../inventory';
import type { Selector } from '../model';
import { matches } from '../selector';
import type { EngineContext } from './analysis';
import { cutAddressSpace, formatIpRange, type Family, type IpSet } from './ipset';
import { workloadPeerName, type PodClass } from './pods';
import { resolvePorts, type CompiledPeer, type NamedPort, type PortSpec } from './policy';
import { ALL, NONE, intersect, isEmpty, union, type ConnSet } from './ports';

/** A node of the connectivity report: a workload (pods of one owner are one peer) or an address range outside the cluster. */
export type ReportPeer =
  | {
      readonly kind: 'workload';
      /** `ns/name[Kind]`, netpol-analyzer's naming. */
      readonly name: string;
      readonly namespace: string;
      /** The workloads (for Pods, the pods of one owner) this peer stands for; the first decides. */
      readonly workloads: readonly WorkloadInfo[];
    }
  | { readonly kind: 'external'; readonly name: string; readonly family: Family; readonly lo: bigint; readonly hi: bigint };

export interface Connection {
  readonly src: ReportPeer;
  readonly dst: ReportPeer;
  readonly conns: ConnSet;
}

export interface Connectivity {
  /** Every allowed connection, sorted by source then destination name (byte order). */
  readonly connections: readonly Connection[];
  readonly workloads: readonly ReportPeer[];
  /** Whether IPv6 ranges are reported (only when some ipBlock is IPv6). */
  readonly ipv6: boolean;
  /** The policies have ipBlock peers, and the mode is plugin-dependent: pod-to-pod results may differ by plugin. */
  readonly ipBlockCaveat: boolean;
}

/** What one class of pods allows in one direction, gathered from the rules of its isolating policies. */
interface Profile {
  readonly isolated: boolean;
  /** Rules with no peers. Egress keeps named ports to resolve per destination. */
  everyPeer: PortSpec;
  /** Per peer class (source for ingress, destination for egress): allowed connections. */
  readonly byClass: Map<number, ConnSet>;
  /** ipBlock peers with their (numbered) ports. */
  readonly ip: { set: IpSet; conns: ConnSet }[];
}

/**
 * Every allowed connection between workloads, and between workloads and address ranges outside
 * the cluster. Computed per class of pods with identical namespace, labels and named ports, from
 * each class's ingress and egress profiles, never pod pair by pod pair.
 */
export function computeConnectivity(ctx: EngineContext): Connectivity {
  const { classes } = ctx.classes;
  const peerTargets = new Map<CompiledPeer, PodClass[]>();
  const namespaces = [...ctx.classes.byNamespace.keys()];

  // Peers written alike (same selectors, same namespace) match the same classes: match them once.
  const byShape = new Map<string, PodClass[]>();
  const targets = (peer: CompiledPeer): PodClass[] => {
    let r = peerTargets.get(peer);
    if (r) return r;
    if (peer.kind !== 'pods') {
      r = [];
      peerTargets.set(peer, r);
      return r;
    }
    const shape = `${peer.namespaceSelector ? selectorKey(peer.namespaceSelector) : `=${peer.namespace}`}\u0003${peer.podSelector ? selectorKey(peer.podSelector) : '*'}`;
    r = byShape.get(shape);
    if (!r) {
      r = [];
      const nsSel = peer.namespaceSelector;
      const nss = nsSel ? namespaces.filter((n) => matches(nsSel, ctx.inventory.namespaces.get(n)?.labels ?? new Map())) : [peer.namespace];
      for (const n of nss) {
        for (const c of ctx.classes.byNamespace.get(n) ?? []) {
          if (!peer.podSelector || matches(peer.podSelector, c.labels)) r.push(c);
        }
      }
      byShape.set(shape, r);
    }
    peerTargets.set(peer, r);
    return r;
  };

  const profile = (cls: PodClass, direction: 'ingress' | 'egress'): Profile => {
    const policies = ctx.isolating(cls, direction);
    const p: Profile = { isolated: policies.length > 0, everyPeer: { numeric: NONE, named: [] }, byClass: new Map(), ip: [] };
    for (const pol of policies) {
      for (const r of direction === 'ingress' ? pol.ingressRules : pol.egressRules) {
        if (direction === 'ingress') {
          const c = resolvePorts(r.ports, cls.ports);
          if (isEmpty(c)) continue;
          if (r.anyPeer) {
            p.everyPeer = { numeric: union(p.everyPeer.numeric, c), named: [] };
            continue;
          }
          for (const peer of r.peers) {
            if (peer.kind === 'ipBlock') p.ip.push({ set: peer.set, conns: c });
            else for (const t of targets(peer)) p.byClass.set(t.id, union(p.byClass.get(t.id) ?? NONE, c));
          }
        } else {
          if (r.anyPeer) {
            p.everyPeer = { numeric: union(p.everyPeer.numeric, r.ports.numeric), named: mergeNamed(p.everyPeer.named, r.ports.named) };
            continue;
          }
          for (const peer of r.peers) {
            if (peer.kind === 'ipBlock') {
              if (!isEmpty(r.ports.numeric)) p.ip.push({ set: peer.set, conns: r.ports.numeric });
            } else {
              for (const t of targets(peer)) {
                const c = resolvePorts(r.ports, t.ports);
                if (!isEmpty(c)) p.byClass.set(t.id, union(p.byClass.get(t.id) ?? NONE, c));
              }
            }
          }
        }
      }
    }
    return p;
  };

  const ingress: Profile[] = classes.map((c) => profile(c, 'ingress'));
  const egress: Profile[] = classes.map((c) => profile(c, 'egress'));

  // Report peers: workloads, with the pods of one owner merged into one peer.
  const peersByName = new Map<string, { name: string; namespace: string; workloads: WorkloadInfo[] }>();
  for (const w of ctx.inventory.workloads) {
    const name = workloadPeerName(w);
    const e = peersByName.get(name);
    if (e) e.workloads.push(w);
    else peersByName.set(name, { name, namespace: w.namespace, workloads: [w] });
  }
  const peers: ReportPeer[] = [];
  const peersByClass = new Map<number, ReportPeer[]>();
  for (const e of peersByName.values()) {
    const first = e.workloads[0];
    const cls = first ? ctx.classes.byWorkload.get(first) : undefined;
    if (!cls) continue;
    const peer: ReportPeer = { kind: 'workload', name: e.name, namespace: e.namespace, workloads: e.workloads };
    peers.push(peer);
    const list = peersByClass.get(cls.id);
    if (list) list.push(peer);
    else peersByClass.set(cls.id, [peer]);
  }

  const connections: Connection[] = [];

  // Workload to workload: source egress ∩ destination ingress, per pair of classes.
  for (const s of classes) {
    const srcPeers = peersByClass.get(s.id);
    if (!srcPeers) continue;
    const eg = egress[s.id];
    if (!eg) continue;
    const anyEgress = !eg.isolated || !isEmpty(eg.everyPeer.numeric) || eg.everyPeer.named.length > 0;
    const candidates: Iterable<PodClass> = anyEgress ? classes : [...eg.byClass.keys()].map((id) => classes[id]).filter((c): c is PodClass => c !== undefined);
    for (const d of candidates) {
      const dstPeers = peersByClass.get(d.id);
      if (!dstPeers) continue;
      const ing = ingress[d.id];
      if (!ing) continue;
      let out: ConnSet;
      if (!eg.isolated) out = ALL;
      else {
        out = eg.byClass.get(d.id) ?? NONE;
        if (eg.everyPeer.named.length > 0) out = union(out, resolvePorts(eg.everyPeer, d.ports));
        else out = union(out, eg.everyPeer.numeric);
      }
      if (isEmpty(out)) continue;
      const inn = !ing.isolated ? ALL : union(ing.everyPeer.numeric, ing.byClass.get(s.id) ?? NONE);
      const c = intersect(out, inn);
      if (isEmpty(c)) continue;
      for (const sp of srcPeers) for (const dp of dstPeers) if (sp !== dp) connections.push({ src: sp, dst: dp, conns: c });
    }
  }

  // Workloads and the outside: ranges cut at the edges of every ipBlock, per direction.
  const ingressSets: IpSet[] = [];
  const egressSets: IpSet[] = [];
  let ipv6 = false;
  let anyIpBlock = false;
  for (const p of ctx.policies) {
    for (const [rules, sets] of [[p.ingressRules, ingressSets], [p.egressRules, egressSets]] as const) {
      for (const r of rules) {
        for (const peer of r.peers) {
          if (peer.kind !== 'ipBlock') continue;
          anyIpBlock = true;
          sets.push(peer.set);
          if (peer.set.v6.length > 0 || peer.cidr.includes(':')) ipv6 = true;
        }
      }
    }
  }
  const families: Family[] = ipv6 ? [4, 6] : [4];
  for (const family of families) {
    const srcRanges = new RangeIndex(cutAddressSpace(ingressSets, family), family);
    const dstRanges = new RangeIndex(cutAddressSpace(egressSets, family), family);
    for (const s of classes) {
      const srcPeers = peersByClass.get(s.id);
      const eg = egress[s.id];
      if (!srcPeers || !eg) continue;
      dstRanges.each(eg, (dst, c) => {
        for (const sp of srcPeers) connections.push({ src: sp, dst, conns: c });
      });
    }
    for (const d of classes) {
      const dstPeers = peersByClass.get(d.id);
      const ing = ingress[d.id];
      if (!dstPeers || !ing) continue;
      srcRanges.each(ing, (src, c) => {
        for (const dp of dstPeers) connections.push({ src, dst: dp, conns: c });
      });
    }
  }

  connections.sort((a, b) => compareStrings(a.src.name, b.src.name) || compareStrings(a.dst.name, b.dst.name));
  peers.sort((a, b) => compareStrings(a.name, b.name));
  return { connections, workloads: peers, ipv6, ipBlockCaveat: anyIpBlock && ctx.mode === 'plugin-dependent' };
}

/** The ranges outside the cluster of one family, cut at the edges of every ipBlock of one direction. */
class RangeIndex {
  private readonly peers: ReportPeer[] = [];
  private readonly starts: bigint[] = [];

  constructor(
    cut: readonly bigint[],
    private readonly family: Family,
  ) {
    for (let i = 0; i < cut.length; i += 2) {
      const lo = cut[i] ?? 0n;
      const hi = cut[i + 1] ?? 0n;
      this.starts.push(lo);
      this.peers.push({ kind: 'external', name: `${formatIpRange(family, lo, hi)}[External]`, family, lo, hi });
    }
  }

  /** Calls `f` for each range with what the profile allows to or from it (each range lies wholly inside or outside each ipBlock). */
  each(p: Profile, f: (peer: ReportPeer, c: ConnSet) => void): void {
    const base = p.isolated ? p.everyPeer.numeric : ALL;
    // Only ranges inside some ipBlock differ from the base: collect those sparsely.
    const extra = new Map<number, ConnSet>();
    if (p.isolated) {
      for (const { set, conns } of p.ip) {
        const iv = this.family === 4 ? set.v4 : set.v6;
        for (let k = 0; k < iv.length; k += 2) {
          const lo = iv[k] ?? 0n;
          const hi = iv[k + 1] ?? 0n;
          // The first range starting at lo: ranges are cut at every ipBlock edge, so one starts there.
          let a = 0;
          let b = this.starts.length;
          while (a < b) {
            const m = (a + b) >> 1;
            if ((this.starts[m] ?? 0n) < lo) a = m + 1;
            else b = m;
          }
          for (let i = a; i < this.starts.length && (this.starts[i] ?? 0n) <= hi; i++) extra.set(i, union(extra.get(i) ?? base, conns));
        }
      }
    }
    if (isEmpty(base)) {
      for (const i of [...extra.keys()].sort((x, y) => x - y)) {
        const peer = this.peers[i];
        const c = extra.get(i);
        if (peer && c && !isEmpty(c)) f(peer, c);
      }
      return;
    }
    for (let i = 0; i < this.peers.length; i++) {
      const peer = this.peers[i];
      if (peer) f(peer, extra.get(i) ?? base);
    }
  }
}

/** A canonical text for a selector, so that selectors written alike share their matches. */
function selectorKey(s: Selector): string {
  if (s.malformed) return '!';
  const labels = s.matchLabels.map((l) => `${l.key}=${l.value}`).sort();
  const exprs = s.matchExpressions.map((e) => `${e.key} ${e.operator} ${e.values.map((v) => v.value).sort().join(',')}`).sort();
  return `${labels.join('\u0001')}\u0002${exprs.join('\u0001')}`;
}

function mergeNamed(a: readonly NamedPort[], b: readonly NamedPort[]): readonly NamedPort[] {
  if (b.length === 0) return a;
  const out = [...a];
  for (const n of b) if (!out.some((x) => x.name === n.name && x.protocol === n.protocol)) out.push(n);
  return out;
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
