import type { Selector } from '../model';
import { matches } from '../selector';
import type { CompiledPeer, CompiledPolicy } from './policy';
import type { PodView } from './pods';

/** A policy selects a pod: same namespace and its podSelector (absent: every pod) matches. */
export function policySelects(p: CompiledPolicy, pod: PodView): boolean {
  return p.info.namespace === pod.namespace && selectorMatches(p.podSelector, pod);
}

function selectorMatches(s: Selector | undefined, pod: PodView): boolean {
  return s === undefined || matches(s, pod.labels);
}

/**
 * An in-cluster pod matches a peer: namespaceSelector (absent: the policy's namespace) AND
 * podSelector (absent: every pod). ipBlocks never match pods here; see `IpBlockMode`.
 */
export function peerMatchesPod(peer: CompiledPeer, pod: PodView): boolean {
  if (peer.kind !== 'pods') return false;
  if (peer.namespaceSelector) {
    if (!matches(peer.namespaceSelector, pod.namespaceLabels)) return false;
  } else if (pod.namespace !== peer.namespace) {
    return false;
  }
  return selectorMatches(peer.podSelector, pod);
}
