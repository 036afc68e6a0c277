/**
 * Containment between the parts of policies, for every pod (declared or not): one label selector
 * selects at least what another selects, one peer matches at least what another matches, one rule
 * allows at least what another allows. Answers are sufficient, never guesses: "covers" means it
 * holds in any cluster; when it cannot be shown (invalid parts, selectors that only a particular
 * combination of requirements would imply), the answer is false. The NP211 and NP212 lints rely
 * on that: a false "covers" would tell people to delete a policy that matters.
 */
import { NAMESPACE_NAME_LABEL } from './inventory';
import type { Selector } from './model';
import { ipIsEmpty, ipSubtract } from './engine/ipset';
import { isAll, isEmpty, subtract, type ConnSet } from './engine/ports';
import { compilePort, type CompiledPeer, type CompiledRule } from './engine/policy';
import { matches, type Labels } from './selector';

/** One requirement of a selector; matchLabels `k: v` is `k In [v]`. */
export interface Requirement {
  readonly key: string;
  readonly op: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  readonly values: ReadonlySet<string>;
}

/**
 * A selector as requirements; undefined selector (absent) is the empty list (every pod). Undefined
 * when it is malformed or has an operator the API server rejects: such a selector matches nothing,
 * and nothing is claimed about it.
 */
const requirementMemo = new WeakMap<Selector, readonly Requirement[] | null>();

export function requirements(s: Selector | undefined): readonly Requirement[] | undefined {
  if (!s) return [];
  const known = requirementMemo.get(s);
  if (known !== undefined) return known ?? undefined;
  const r = readRequirements(s);
  requirementMemo.set(s, r ?? null);
  return r;
}

function readRequirements(s: Selector): readonly Requirement[] | undefined {
  if (s.malformed) return undefined;
  const out: Requirement[] = s.matchLabels.map((l) => ({ key: l.key, op: 'In', values: new Set([l.value]) }));
  for (const e of s.matchExpressions) {
    if (e.operator !== 'In' && e.operator !== 'NotIn' && e.operator !== 'Exists' && e.operator !== 'DoesNotExist') return undefined;
    // In/NotIn with no values is rejected by the API server; say nothing about it.
    if ((e.operator === 'In' || e.operator === 'NotIn') && e.values.length === 0) return undefined;
    out.push({ key: e.key, op: e.operator, values: new Set(e.values.map((v) => v.value)) });
  }
  return out;
}

function subset(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  for (const x of a) if (!b.has(x)) return false;
  return true;
}

function disjoint(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  for (const x of a) if (b.has(x)) return false;
  return true;
}

/** Every label set that satisfies `a` satisfies `b` (same key). */
function impliesOne(a: Requirement, b: Requirement): boolean {
  if (a.key !== b.key) return false;
  switch (b.op) {
    case 'In':
      return a.op === 'In' && subset(a.values, b.values);
    case 'Exists':
      return a.op === 'In' || a.op === 'Exists';
    case 'DoesNotExist':
      return a.op === 'DoesNotExist';
    case 'NotIn':
      return a.op === 'DoesNotExist' || (a.op === 'In' && disjoint(a.values, b.values)) || (a.op === 'NotIn' && subset(b.values, a.values));
  }
}

/** Whatever `a` selects, `b` selects too (each requirement of `b` follows from one of `a`). */
export function selectorImplies(a: readonly Requirement[], b: readonly Requirement[]): boolean {
  return b.every((rb) => a.some((ra) => impliesOne(ra, rb)));
}

/** The namespace a peer without namespaceSelector means, as a requirement. */
const ownNamespaces = new Map<string, readonly Requirement[]>();

function ownNamespace(namespace: string): readonly Requirement[] {
  let r = ownNamespaces.get(namespace);
  if (!r) {
    r = [{ key: NAMESPACE_NAME_LABEL, op: 'In', values: new Set([namespace]) }];
    if (ownNamespaces.size > 10000) ownNamespaces.clear();
    ownNamespaces.set(namespace, r);
  }
  return r;
}

/** What rule coverage needs to know of the policies' namespace. */
export interface CoverContext {
  readonly namespace: string;
  /** The namespace's labels when a Namespace object declares them (else only its name is known). */
  readonly declaredLabels: Labels | undefined;
}

function namespacesCovered(ctx: CoverContext, a: Selector | undefined, b: Selector | undefined): boolean {
  if (!a && !b) return true;
  const rb = b ? requirements(b) : ownNamespace(ctx.namespace);
  if (!rb) return false;
  if (!a) {
    // Only this namespace: b must select it. With declared labels the answer is exact; otherwise
    // only its name label is certain.
    if (ctx.declaredLabels && b) return matches(b, ctx.declaredLabels);
    return selectorImplies(ownNamespace(ctx.namespace), rb);
  }
  const ra = requirements(a);
  return ra !== undefined && selectorImplies(ra, rb);
}

function podsCovered(a: Selector | undefined, b: Selector | undefined): boolean {
  const ra = requirements(a);
  const rb = requirements(b);
  return ra !== undefined && rb !== undefined && selectorImplies(ra, rb);
}

/** Peer `b` matches every pod or address peer `a` matches (both of rules of policies in ctx.namespace). */
export function peerCovers(ctx: CoverContext, b: CompiledPeer, a: CompiledPeer): boolean {
  if (a.kind === 'invalid' || b.kind === 'invalid') return false;
  if (a.kind === 'ipBlock') return b.kind === 'ipBlock' && ipIsEmpty(ipSubtract(a.set, b.set));
  if (b.kind !== 'pods') return false;
  return namespacesCovered(ctx, a.namespaceSelector, b.namespaceSelector) && podsCovered(a.podSelector, b.podSelector);
}

function allOf(c: ConnSet, protocol: keyof ConnSet): boolean {
  const r = c[protocol];
  return r.length === 2 && r[0] === 1 && r[1] === 65535;
}

/** Whether a rule is exactly what it says: no peer or port entry that the API server would reject. */
const validity = new WeakMap<CompiledRule, boolean>();

const PEER_KEYS: readonly string[] = ['podSelector', 'namespaceSelector', 'ipBlock'];

/** Only known keys: an unknown one (NP104) means the model may not be what the author wrote. */
function onlyKeys(written: readonly string[] | undefined, keys: readonly string[]): boolean {
  return !written || written.every((k) => keys.includes(k));
}

export function ruleIsValid(r: CompiledRule): boolean {
  let v = validity.get(r);
  if (v === undefined) {
    v =
      !r.peers.some((p) => p.kind === 'invalid' || !onlyKeys(p.peer.keys, PEER_KEYS)) &&
      onlyKeys(r.rule.keys, [r.direction === 'ingress' ? 'from' : 'to', 'ports']) &&
      (r.rule.ports ?? []).every((p) => compilePort(p) !== undefined);
    validity.set(r, v);
  }
  return v;
}

function portsCovered(b: CompiledRule, a: CompiledRule): boolean {
  if (b.anyPort) return true;
  if (a.anyPort) return isAll(b.ports.numeric);
  if (a.ports.numeric !== b.ports.numeric && !isEmpty(a.ports.numeric) && !isEmpty(subtract(a.ports.numeric, b.ports.numeric))) return false;
  // A named port resolves to some number on each pod: covered by the same name or by every port.
  return a.ports.named.every((n) => b.ports.named.some((m) => m.name === n.name && m.protocol === n.protocol) || allOf(b.ports.numeric, n.protocol));
}

/** Rule `b` allows everything rule `a` allows (same direction, policies of one namespace). */
export function ruleCovers(ctx: CoverContext, b: CompiledRule, a: CompiledRule): boolean {
  if (a.direction !== b.direction || (a.anyPeer && !b.anyPeer) || !ruleIsValid(a)) return false;
  // Peers first: with selectors read once, they are the cheaper test and usually the one that fails.
  if (!b.anyPeer && !a.peers.every((pa) => b.peers.some((pb) => peerCovers(ctx, pb, pa)))) return false;
  return portsCovered(b, a);
}
