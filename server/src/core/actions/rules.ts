/** Fixes on whole rules of a policy: NP211 (a rule another rule already covers) goes. */
import { isSeq } from 'yaml';
import type { Finding } from '../diagnostics';
import { docContext, documentAt, pathAt, removeSeqItem, spanOf } from './edit';
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
