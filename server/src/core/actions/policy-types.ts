/** policyTypes made explicit (NP204) or completed so that written rules take effect (NP205). */
import { isSeq, type Node, type Pair } from 'yaml';
import type { Finding } from '../diagnostics';
import type { NetworkPolicy } from '../model';
import { contains } from '../text';
import { appendSeqItem, insertPair, mapAt, pairOf, setPairValue, type TextEdit } from './edit';
import { policyContext } from './dns';
import { policyAt } from './find';
import type { Fix, FixInput } from './fix';

/** What the API server stores when policyTypes is omitted: Ingress, plus Egress when there are egress rules. */
export function defaultedPolicyTypes(p: NetworkPolicy): string[] {
  return ['Ingress', ...((p.egress?.length ?? 0) > 0 ? ['Egress'] : [])];
}

/** NP204: write the defaulted value, so that the policy says what it does. */
export function explicitPolicyTypes(input: FixInput, f: Finding): Fix | undefined {
  const policy = policyAt(input.file, f.span.start);
  if (!policy?.specSpan || (policy.policyTypes && policy.policyTypes.length > 0)) return undefined;
  const types = defaultedPolicyTypes(policy);
  const edits = writePolicyTypes(input, policy, types);
  return edits ? { title: `Make policyTypes explicit: [${types.join(', ')}] (the value it defaults to)`, kind: 'quickfix', edits, fixes: [f], preferred: true } : undefined;
}

export function writePolicyTypes(input: FixInput, policy: NetworkPolicy, types: readonly string[]): TextEdit[] | undefined {
  const spec = mapAt(input.file, policy.docIndex, policy.specSpan);
  const ctx = spec ? policyContext(input.file, policy) : undefined;
  if (!spec || !ctx) return undefined;
  const existing = pairOf(spec, 'policyTypes');
  if (existing) return setPairValue(ctx, spec, existing, types);
  const after = pairOf(spec, 'podSelector');
  const first = (spec.items as Pair[])[0];
  return insertPair(ctx, spec, 'policyTypes', types, after ? { after } : first ? { before: first } : {});
}

/** NP205: rules of a direction that policyTypes leaves out are ignored; add the direction. */
export function enableIgnoredRules(input: FixInput, f: Finding): Fix | undefined {
  const policy = policyAt(input.file, f.span.start);
  const spec = policy ? mapAt(input.file, policy.docIndex, policy.specSpan) : undefined;
  const types = spec ? pairOf(spec, 'policyTypes') : undefined;
  if (!policy || !spec || !types || !policy.policyTypes || policy.policyTypes.length === 0) return undefined;
  const has = (t: string): boolean => policy.policyTypes?.some((x) => x.value === t) ?? false;
  const ignored = (d: 'Ingress' | 'Egress'): boolean => !has(d) && ((d === 'Ingress' ? policy.ingress : policy.egress)?.length ?? 0) > 0;
  let dir: 'Ingress' | 'Egress' | undefined;
  if (policy.egressKeySpan && contains(policy.egressKeySpan, f.span.start)) dir = 'Egress';
  else if (policy.ingressKeySpan && contains(policy.ingressKeySpan, f.span.start)) dir = 'Ingress';
  else dir = ignored('Egress') ? 'Egress' : ignored('Ingress') ? 'Ingress' : undefined;
  if (!dir || has(dir)) return undefined;
  const ctx = policyContext(input.file, policy, [types]);
  if (!ctx) return undefined;
  const value = types.value as Node | null;
  const edits = isSeq(value) && (value.flow || value.items.length > 0) ? appendSeqItem(ctx, value, dir) : undefined;
  const kept = [...policy.policyTypes.map((t) => t.value), dir];
  return edits ? { title: `Add ${dir} to policyTypes ([${kept.join(', ')}]), so that the ${dir.toLowerCase()} rules take effect`, kind: 'quickfix', edits, fixes: [f], preferred: true } : undefined;
}
