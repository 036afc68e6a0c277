/** Model lookups by offset, for fixes whose finding points somewhere inside what they edit. */
import type { NetworkPolicy, ParsedFile, Peer, Rule } from '../model';
import { contains, type Span } from '../text';

export function policyAt(file: ParsedFile, offset: number): NetworkPolicy | undefined {
  for (const o of file.objects) if (o.kind === 'NetworkPolicy' && contains(o.span, offset)) return o;
  return undefined;
}

export function rulesOf(p: NetworkPolicy): readonly Rule[] {
  return [...(p.ingress ?? []), ...(p.egress ?? [])];
}

/** The rule holding the span's start (its item, or its `from`/`to`/`ports` key). */
export function ruleAt(p: NetworkPolicy, s: Span): Rule | undefined {
  return rulesOf(p).find((r) => contains(r.span, s.start) || (r.peersKeySpan && contains(r.peersKeySpan, s.start)) || (r.portsKeySpan && contains(r.portsKeySpan, s.start)));
}

/** The peer holding an offset, with its rule. */
export function peerAt(p: NetworkPolicy, offset: number): { rule: Rule; peer: Peer } | undefined {
  for (const rule of rulesOf(p)) {
    if (!contains(rule.span, offset)) continue;
    for (const peer of rule.peers ?? []) if (contains(peer.span, offset)) return { rule, peer };
  }
  return undefined;
}

export function overlapsSpan(a: Span, b: Span): boolean {
  return a.start <= b.end && b.start <= a.end;
}
