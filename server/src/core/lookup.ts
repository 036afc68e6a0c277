/**
 * Per-inventory lookups, built once and kept as long as the inventory lives: the engine's analysis,
 * the inventory entries of model objects, and the workloads each peer matches. Hovers ask about one
 * policy or workload at a time; without this each would redo whole-workspace work.
 */
import { analyze, type Analysis } from './engine';
import { compilePeer, type CompiledPeer, type CompiledRule } from './engine/policy';
import type { PodView } from './engine/pods';
import type { Inventory, PolicyInfo, WorkloadInfo } from './inventory';
import type { Direction, K8sObject, NetworkPolicy, ParsedFile, Peer, Workload } from './model';
import { matches } from './selector';
import { lineMapOf } from './text';

export interface Lookup {
  readonly inventory: Inventory;
  readonly analysis: Analysis;
  readonly policies: ReadonlyMap<NetworkPolicy, PolicyInfo>;
  readonly workloads: ReadonlyMap<Workload, WorkloadInfo>;
  /** Workloads matched per peer, filled as hovers ask. */
  readonly matched: WeakMap<Peer, readonly WorkloadInfo[]>;
}

const lookups = new WeakMap<Inventory, Lookup>();

export function lookup(inv: Inventory): Lookup {
  let l = lookups.get(inv);
  if (l) return l;
  const policies = new Map<NetworkPolicy, PolicyInfo>();
  for (const pi of inv.policies) policies.set(pi.policy, pi);
  const workloads = new Map<Workload, WorkloadInfo>();
  for (const w of inv.workloads) workloads.set(w.workload, w);
  l = { inventory: inv, analysis: analyze(inv), policies, workloads, matched: new WeakMap() };
  lookups.set(inv, l);
  return l;
}

/**
 * The workloads a peer matches: namespaces first (by name, or by the namespaceSelector over the
 * namespaces of the manifests), then the pod classes of those namespaces. Same answer as the
 * engine's peer matching, without visiting every pod class of the workspace.
 */
export function matchedWorkloads(l: Lookup, peer: CompiledPeer): readonly WorkloadInfo[] {
  if (peer.kind !== 'pods') return [];
  const memo = l.matched.get(peer.peer);
  if (memo) return memo;
  const byNamespace = l.analysis.context.classes.byNamespace;
  const nsSel = peer.namespaceSelector;
  const names = nsSel ? [...l.inventory.namespaces.values()].filter((n) => matches(nsSel, n.labels)).map((n) => n.name) : [peer.namespace];
  const out: WorkloadInfo[] = [];
  for (const ns of names) {
    for (const cls of byNamespace.get(ns) ?? []) if (!peer.podSelector || matches(peer.podSelector, cls.labels)) out.push(...cls.members);
  }
  l.matched.set(peer.peer, out);
  return out;
}

/** The workloads a peer written in a policy of `namespace` matches. */
export function peerWorkloads(l: Lookup, peer: Peer, namespace: string): readonly WorkloadInfo[] {
  return matchedWorkloads(l, compilePeer(namespace, peer));
}

/** One allowing rule of an effective allow set, with the peer that makes it apply (undefined: every peer). */
export interface AllowedBy {
  readonly rule: CompiledRule;
  readonly peer: CompiledPeer | undefined;
}

export interface Effective {
  readonly direction: Direction;
  readonly isolated: boolean;
  readonly policies: readonly PolicyInfo[];
  readonly entries: readonly AllowedBy[];
}

/**
 * What a pod may receive (ingress) or send (egress), rule by rule: the engine's isolating policies
 * and compiled rules, with peers matched only when shown (see `matchedWorkloads`).
 */
export function effectiveOf(l: Lookup, view: PodView, direction: Direction): Effective {
  const policies = l.analysis.context.isolating(view, direction);
  const entries: AllowedBy[] = [];
  for (const p of policies) {
    for (const rule of direction === 'ingress' ? p.ingressRules : p.egressRules) {
      if (rule.anyPeer) entries.push({ rule, peer: undefined });
      else for (const peer of rule.peers) if (peer.kind !== 'invalid') entries.push({ rule, peer });
    }
  }
  return { direction, isolated: policies.length > 0, policies: policies.map((p) => p.info), entries };
}

/** The pod view of a declared workload (its class). */
export function viewOf(l: Lookup, w: WorkloadInfo): PodView | undefined {
  return l.analysis.context.classes.byWorkload.get(w);
}

/** 1-based line of an offset of a file. */
export function lineOf(file: ParsedFile, offset: number): number {
  return lineMapOf(file).position(offset).line + 1;
}

const objectStarts = new WeakMap<ParsedFile, { readonly objects: readonly K8sObject[]; readonly starts: Float64Array }>();

/** The object of a file holding an offset, by binary search (files can hold thousands). */
export function objectAt(file: ParsedFile, offset: number): K8sObject | undefined {
  let ix = objectStarts.get(file);
  if (!ix) {
    const objects = [...file.objects].sort((a, b) => a.span.start - b.span.start);
    ix = { objects, starts: Float64Array.from(objects.map((o) => o.span.start)) };
    objectStarts.set(file, ix);
  }
  let lo = 0;
  let hi = ix.starts.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if ((ix.starts[mid] ?? Infinity) <= offset) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  const o = found >= 0 ? ix.objects[found] : undefined;
  return o && o.span.start <= offset && offset <= o.span.end ? o : undefined;
}

/**
 * Build ahead what the first hover would otherwise pay for: the analysis, the first effective-set
 * computations, and the line and object indexes of the given files (a 7 MB file's line map alone
 * is ~100 ms). The server calls it when the editor is quiet.
 */
export function prepareHovers(inv: Inventory, files: readonly ParsedFile[]): void {
  const l = lookup(inv);
  const w = inv.workloads[0];
  if (w) {
    l.analysis.effective(w, 'ingress');
    l.analysis.effective(w, 'egress');
  }
  for (const f of files) {
    lineOf(f, 0);
    objectAt(f, 0);
  }
}
