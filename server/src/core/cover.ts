/**
 * Containment between the parts of policies, for every pod (declared or not): one label selector
 * selects at least what another selects, one peer matches at least what another matches, one rule
 * allows at least what another allows. Answers are sufficient, never guesses: "covers" means it
 * holds in any cluster; when it cannot be shown (invalid parts, selectors that only a particular
 * combination of requirements would imply), the answer is false. The NP211 and NP212 lints rely
 * on that: a false "covers" would tell people to delete a policy that matters.
 */
import { NAMESPACE_NAME_LABEL } from './inventory';
import { ipIsEmpty, ipSubtract } from './engine/ipset';
import { isAll, isEmpty, subtract, type ConnSet } from './engine/ports';
import type { CompiledPeer, CompiledRule } from './engine/policy';
import { labelRequirement, matches, type Labels, type Requirement } from './selector';

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
      // Most are matchLabels pairs: one value, no iteration.
      return a.op === 'In' && (a.only !== undefined ? b.values.has(a.only) : subset(a.values, b.values));
    case 'Exists':
      return a.op === 'In' || a.op === 'Exists';
    case 'DoesNotExist':
      return a.op === 'DoesNotExist';
    case 'NotIn':
      return a.op === 'DoesNotExist' || (a.op === 'In' && (a.only !== undefined ? !b.values.has(a.only) : disjoint(a.values, b.values))) || (a.op === 'NotIn' && subset(b.values, a.values));
  }
}

/** Whatever `a` selects, `b` selects too (each requirement of `b` follows from one of `a`). */
export function selectorImplies(a: readonly Requirement[], b: readonly Requirement[]): boolean {
  // Loops, not every/some: this runs thousands of times, and closures would be allocated each time.
  for (const rb of b) if (!impliedBy(a, rb)) return false;
  return true;
}

function impliedBy(a: readonly Requirement[], rb: Requirement): boolean {
  // Equal matchLabels pairs are one object (selector.ts): identity settles most comparisons.
  for (const ra of a) if (ra === rb || impliesOne(ra, rb)) return true;
  return false;
}

/** The namespace a peer without namespaceSelector means, as a requirement. */
const ownNamespaces = new Map<string, readonly Requirement[]>();

function ownNamespace(namespace: string): readonly Requirement[] {
  let r = ownNamespaces.get(namespace);
  if (!r) {
    r = [labelRequirement(NAMESPACE_NAME_LABEL, namespace)];
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

type PodsPeer = Extract<CompiledPeer, { kind: 'pods' }>;

/** Peer `b`'s namespaces include every namespace of peer `a`'s. */
function namespacesCovered(ctx: CoverContext, b: PodsPeer, a: PodsPeer): boolean {
  if (!a.namespaceSelector && !b.namespaceSelector) return true;
  const rb = b.namespaceSelector ? b.namespaceRequirements : ownNamespace(ctx.namespace);
  if (!rb) return false;
  if (!a.namespaceSelector) {
    // Only this namespace: b must select it. With declared labels the answer is exact; otherwise
    // only its name label is certain.
    if (ctx.declaredLabels && b.namespaceSelector) return matches(b.namespaceSelector, ctx.declaredLabels);
    return selectorImplies(ownNamespace(ctx.namespace), rb);
  }
  const ra = a.namespaceRequirements;
  return ra !== undefined && selectorImplies(ra, rb);
}

function podsCovered(b: PodsPeer, a: PodsPeer): boolean {
  const ra = a.podRequirements;
  const rb = b.podRequirements;
  return ra !== undefined && rb !== undefined && (ra === rb || selectorImplies(ra, rb));
}

/** Peer `b` matches every pod or address peer `a` matches (both of rules of policies in ctx.namespace). */
export function peerCovers(ctx: CoverContext, b: CompiledPeer, a: CompiledPeer): boolean {
  if (a.kind === 'invalid' || b.kind === 'invalid') return false;
  // Equal ipBlocks share one set (ipset.ts), so the subtraction is rarely needed.
  if (a.kind === 'ipBlock') return b.kind === 'ipBlock' && (a.set === b.set || ipIsEmpty(ipSubtract(a.set, b.set)));
  if (b.kind !== 'pods') return false;
  return namespacesCovered(ctx, b, a) && podsCovered(b, a);
}

function allOf(c: ConnSet, protocol: keyof ConnSet): boolean {
  const r = c[protocol];
  return r.length === 2 && r[0] === 1 && r[1] === 65535;
}

/** Whether a rule is exactly what it says: no peer or port entry that the API server would reject. */
export function ruleIsValid(r: CompiledRule): boolean {
  return r.exact;
}

function portsCovered(b: CompiledRule, a: CompiledRule): boolean {
  if (b.anyPort || a.ports === b.ports) return true;
  if (a.anyPort) return isAll(b.ports.numeric);
  if (a.ports.numeric !== b.ports.numeric && !isEmpty(a.ports.numeric) && !isEmpty(subtract(a.ports.numeric, b.ports.numeric))) return false;
  // A named port resolves to some number on each pod: covered by the same name or by every port.
  return a.ports.named.every((n) => b.ports.named.some((m) => m.name === n.name && m.protocol === n.protocol) || allOf(b.ports.numeric, n.protocol));
}

/** Rule `b` allows everything rule `a` allows (same direction, policies of one namespace). */
export function ruleCovers(ctx: CoverContext, b: CompiledRule, a: CompiledRule): boolean {
  if (a.direction !== b.direction || (a.anyPeer && !b.anyPeer) || !ruleIsValid(a)) return false;
  // Peers first: with selectors read once, they are the cheaper test and usually the one that fails.
  if (!b.anyPeer) for (const pa of a.peers) if (!anyPeerCovers(ctx, b.peers, pa)) return false;
  return portsCovered(b, a);
}

function anyPeerCovers(ctx: CoverContext, peers: readonly CompiledPeer[], a: CompiledPeer): boolean {
  for (const b of peers) if (peerCovers(ctx, b, a)) return true;
  return false;
}
