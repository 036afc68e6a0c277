/** Fixes on whole rules and policies: NP211 (a rule another rule already covers) and NP212 (a policy others cover) go. */
import { isMap, isSeq } from 'yaml';
import type { Finding } from '../diagnostics';
import { docContext, documentAt, mapAt, pairOf, pathAt, removeDocument, removeSeqItem, spanOf, type TextEdit } from './edit';
import { policyAt } from './find';
import type { Fix, FixInput } from './fix';

/**
 * NP211: remove the rule. Another rule of the policy allows all it allows, so what the policy
 * allows stays the same (of two equal rules the lint flags the later, so one always stays).
 */
export function removeShadowedRule(input: FixInput, f: Finding): Fix | undefined {
  const d = documentAt(input.file, f.span.start);
  const ctx = d ? docContext(input.file, d.index) : undefined;
  if (!ctx) return undefined;
  const path = pathAt(ctx, f.span.start - ctx.base);
  for (let i = path.length - 1; i > 0; i--) {
    const seq = path[i - 1]?.node;
    const node = path[i]?.node;
    if (!node || !isSeq(seq)) continue;
    const s = spanOf(ctx, node);
    if (s.start !== f.span.start || s.end !== f.span.end) continue;
    const edits = removeSeqItem(ctx, seq, (seq.items as unknown[]).indexOf(node));
    return edits?.length ? { title: 'Remove this rule (another rule of the policy allows all it allows)', kind: 'quickfix', edits, fixes: [f], preferred: true } : undefined;
  }
  return undefined;
}

/**
 * NP212: remove the policy's document. The other policies of its namespace select, isolate and
 * allow all it does, so no connection changes; the lint reports the later of two equal policies
 * and sets each one aside before judging the earlier ones, so removing every reported one is safe
 * too. A policy that is an item of a `List` loses its item. Not preferred: a whole policy goes,
 * and someone may mean to change the copy that stays.
 */
export function removeRedundantPolicy(input: FixInput, f: Finding): Fix | undefined {
  const policy = policyAt(input.file, f.span.start);
  const ctx = policy ? docContext(input.file, policy.docIndex) : undefined;
  const map = policy && mapAt(input.file, policy.docIndex, policy.span);
  if (!policy || !ctx || !map) return undefined;
  const root = ctx.yaml.contents;
  let edits: TextEdit[] | undefined;
  if (map === root) edits = ctx.doc.objects.length === 1 ? removeDocument(ctx) : undefined;
  else {
    // An item of a `kind: List`: the item goes.
    const items = isMap(root) ? pairOf(root, 'items')?.value : undefined;
    const index = isSeq(items) ? (items.items as unknown[]).indexOf(map) : -1;
    if (isSeq(items) && index >= 0) edits = removeSeqItem(ctx, items, index);
  }
  return edits?.length ? { title: 'Remove this policy (the other policies of its namespace already do all it does)', kind: 'quickfix', edits, fixes: [f], preferred: false } : undefined;
}
