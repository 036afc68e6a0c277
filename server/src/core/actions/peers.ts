/**
 * The AND/OR reading of peers: a namespaceSelector and a podSelector in one `from`/`to` item select
 * pods matching both (AND); in two items they select either (OR). NP203 merges two items into one;
 * the refactor splits one into two, and NP112's fix takes an ipBlock out of a peer with selectors.
 */
import { isSeq, type Node, type Pair, type YAMLSeq } from 'yaml';
import { column } from '../emit';
import type { Finding } from '../diagnostics';
import type { NetworkPolicy, Peer, Rule } from '../model';
import { orPairs } from '../lints';
import { describeSelector, isEmptySelector } from '../selector';
import type { Span } from '../text';
import { lineStart, mapAt, nodeEnd, nodeStart, pairEnd, pairOf, startsLine, type TextEdit } from './edit';
import { policyContext } from './dns';
import { overlapsSpan, peerAt, policyAt, ruleAt } from './find';
import type { Fix, FixInput } from './fix';

function peersSeq(input: FixInput, policy: NetworkPolicy, rule: Rule): YAMLSeq | undefined {
  const map = mapAt(input.file, policy.docIndex, rule.span);
  const v = map ? pairOf(map, rule.direction === 'ingress' ? 'from' : 'to')?.value : undefined;
  return isSeq(v) ? v : undefined;
}

const code = (s: string): string => `\`${s}\``;

function podsWords(peer: { podSelector: Peer['podSelector'] }): string {
  return peer.podSelector && !isEmptySelector(peer.podSelector) ? `pods ${code(describeSelector(peer.podSelector))}` : 'every pod';
}

function namespacesWords(peer: { namespaceSelector: Peer['namespaceSelector'] }): string {
  return peer.namespaceSelector && !isEmptySelector(peer.namespaceSelector) ? `namespaces ${code(describeSelector(peer.namespaceSelector))}` : 'every namespace';
}

/** NP203: merge an OR'd namespaceSelector item and podSelector item into one AND'ed peer. */
export function mergePeers(input: FixInput, f: Finding): Fix | undefined {
  const policy = policyAt(input.file, f.span.start);
  const rule = policy ? ruleAt(policy, f.span) : undefined;
  if (!policy || !rule) return undefined;
  const pairs = orPairs(rule);
  const pick = pairs.find(([a, b]) => overlapsSpan(a.span, f.span) || overlapsSpan(b.span, f.span)) ?? pairs[0];
  if (!pick) return undefined;
  const edits = mergeEdits(input, policy, rule, pick);
  if (!edits) return undefined;
  const [a, b] = pick;
  const ns = a.namespaceSelector ?? b.namespaceSelector;
  const pods = a.podSelector ?? b.podSelector;
  return { title: `Merge into one peer (AND): ${podsWords({ podSelector: pods })} in ${namespacesWords({ namespaceSelector: ns })}`, kind: 'quickfix', edits, fixes: [f], preferred: true };
}

export function mergeEdits(input: FixInput, policy: NetworkPolicy, rule: Rule, [a, b]: [Peer, Peer]): TextEdit[] | undefined {
  const seq = peersSeq(input, policy, rule);
  const ctx = policyContext(input.file, policy, [seq]);
  if (!seq || !ctx) return undefined;
  const items = seq.items as unknown[];
  const an = mapAt(input.file, policy.docIndex, a.span);
  const bn = mapAt(input.file, policy.docIndex, b.span);
  const ia = items.indexOf(an);
  const ib = items.indexOf(bn);
  if (!an || !bn || ia < 0 || ib !== ia + 1) return undefined;
  const text = ctx.text;
  const sa = nodeStart(ctx, an);
  const sb = nodeStart(ctx, bn);
  if (an.flow && bn.flow) {
    // `{namespaceSelector: …}, {podSelector: …}` (or on two `- ` lines) → `{namespaceSelector: …, podSelector: …}`
    const close = nodeEnd(ctx, an) - 1;
    if (text[close] !== '}' || text[sb] !== '{') return undefined;
    if (text.slice(close, sb).includes('#')) return undefined;
    const emptyB = (bn.items as Pair[]).length === 0;
    return [{ span: { start: close, end: sb + 1 }, newText: emptyB ? '' : ', ' }];
  }
  if (an.flow || bn.flow || seq.flow) return undefined;
  // Block items: turn the second item's `- ` into spaces so its key joins the first item's map.
  const dash = dashBefore(text, sb);
  if (dash === undefined || column(text, sa) !== column(text, sb)) return undefined;
  return [{ span: { start: lineStart(text, dash), end: sb }, newText: ' '.repeat(column(text, sa)) }];
}

/** The `-` of a block sequence item whose content starts at `offset`, when it begins its line. */
function dashBefore(text: string, offset: number): number | undefined {
  let i = offset - 1;
  while (i > 0 && (text[i] === ' ' || text[i] === '\t')) i--;
  return text[i] === '-' && startsLine(text, i) ? i : undefined;
}

/** The AND'ed peer at an offset: one item with both a namespaceSelector and a podSelector. */
export function andPeerAt(policy: NetworkPolicy, offset: number): { rule: Rule; peer: Peer } | undefined {
  const found = peerAt(policy, offset);
  if (!found) return undefined;
  const { peer } = found;
  if (!peer.namespaceSelector || !peer.podSelector || peer.ipBlock || !peer.keys || peer.keys.length !== 2) return undefined;
  return found;
}

/** Refactor: one AND'ed peer → two OR'd items (which selects more: say so in the title). */
export function splitPeer(input: FixInput, range: Span): Fix | undefined {
  const policy = policyAt(input.file, range.start);
  const found = policy ? andPeerAt(policy, range.start) : undefined;
  if (!policy || !found) return undefined;
  const edits = splitEdits(input, policy, found.rule, found.peer);
  if (!edits) return undefined;
  const { peer } = found;
  const title = `Split into two peers (OR): ${podsWords({ podSelector: undefined })} in ${namespacesWords(peer)}, or ${podsWords(peer)} in this policy's namespace`;
  return { title, kind: 'refactor.rewrite', edits, fixes: [], preferred: false };
}

/** One peer item → two: the pairs before `at` stay, those from `at` on start a new item below. */
export function splitEdits(input: FixInput, policy: NetworkPolicy, rule: Rule, peer: Peer, at = 1): TextEdit[] | undefined {
  const seq = peersSeq(input, policy, rule);
  const ctx = policyContext(input.file, policy, [seq]);
  const map = mapAt(input.file, policy.docIndex, peer.span);
  if (!seq || !ctx || !map || !(seq.items as unknown[]).includes(map)) return undefined;
  const pairs = map.items as Pair[];
  const p1 = pairs[at - 1];
  const p2 = pairs[at];
  const k1 = p1?.key as Node | null | undefined;
  const k2 = p2?.key as Node | null | undefined;
  if (!p1 || !k1?.range || !k2?.range) return undefined;
  const text = ctx.text;
  const start = nodeStart(ctx, map);
  if (map.flow) {
    const between = { start: pairEnd(ctx, p1), end: nodeStart(ctx, k2) };
    if (!/^\s*,\s*$/.test(text.slice(between.start, between.end))) return undefined;
    if (seq.flow) return [{ span: between, newText: '}, {' }];
    const dash = dashBefore(text, start);
    if (dash === undefined) return undefined;
    return [{ span: between, newText: `}${ctx.style.eol}${' '.repeat(column(text, dash))}${text.slice(dash, start)}{` }];
  }
  if (seq.flow) return undefined;
  const dash = dashBefore(text, start);
  const s2 = nodeStart(ctx, k2);
  if (dash === undefined || !startsLine(text, s2) || column(text, s2) !== column(text, start)) return undefined;
  return [{ span: { start: lineStart(text, s2), end: s2 }, newText: ' '.repeat(column(text, dash)) + text.slice(dash, start) }];
}

/**
 * NP112: an ipBlock in one peer with a selector, which the API server rejects; separate peers are
 * OR-ed, as the message says, so the ipBlock becomes an item of its own. Offered when the ipBlock
 * is the first or the last key of the peer (the selectors stay together, AND-ed).
 */
export function separateIpBlock(input: FixInput, f: Finding): Fix | undefined {
  const policy = policyAt(input.file, f.span.start);
  const found = policy ? peerAt(policy, f.span.start) : undefined;
  if (!policy || !found) return undefined;
  const { peer } = found;
  const keys = peer.keys;
  if (!peer.ipBlock || !keys || keys.length < 2) return undefined;
  const first = keys.indexOf('ipBlock');
  if (first !== 0 && first !== keys.length - 1) return undefined;
  const edits = splitEdits(input, policy, found.rule, peer, first === 0 ? 1 : keys.length - 1);
  if (!edits) return undefined;
  const selectors = peer.namespaceSelector ? `${podsWords(peer)} in ${namespacesWords(peer)}` : `${podsWords(peer)} in this policy's namespace`;
  return { title: `Make ipBlock a peer of its own (OR): ${selectors}, or the addresses of the ipBlock`, kind: 'quickfix', edits, fixes: [f], preferred: true };
}
