/** Fixes that give pods DNS: the NP201 rule, TCP next to UDP (NP202), kube-system for a kube-dns peer (NP210). */
import { isMap, isScalar, isSeq, type Node, type Pair } from 'yaml';
import { blockEntry, blockSeqItem, column, flow, type Value } from '../emit';
import type { Finding } from '../diagnostics';
import { NAMESPACE_NAME_LABEL } from '../inventory';
import type { NetworkPolicy, ParsedFile, Peer } from '../model';
import { appendSeqItem, at, docContext, endOfContentLine, insertPair, lineEnd, mapAt, nodeEnd, nodeStart, pairOf, spanOf, type DocContext, type TextEdit } from './edit';
import { overlapsSpan, peerAt, policyAt, ruleAt, rulesOf } from './find';
import type { Fix, FixInput } from './fix';

/** The egress rule that allows DNS to the cluster's kube-dns pods, UDP and TCP. */
export const DNS_RULE: Value = {
  to: [
    {
      namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: 'kube-system' } },
      podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
    },
  ],
  ports: [
    { protocol: 'UDP', port: 53 },
    { protocol: 'TCP', port: 53 },
  ],
};

export const DNS_FIX_TITLE = 'Allow DNS egress to kube-system/kube-dns (UDP and TCP 53)';

export function policyContext(file: ParsedFile, policy: NetworkPolicy, prefer: readonly (Node | Pair | null | undefined)[] = []): DocContext | undefined {
  return docContext(file, policy.docIndex, [...prefer, mapAt(file, policy.docIndex, policy.span)]);
}

/**
 * Edits that add `rule` to the policy's egress list, creating `egress:` when needed, and adding
 * Egress to an explicit policyTypes that lacks it (without it the rule would be ignored).
 */
export function insertEgressRule(file: ParsedFile, policy: NetworkPolicy, rule: Value): TextEdit[] | undefined {
  const spec = mapAt(file, policy.docIndex, policy.specSpan);
  const egress = spec ? pairOf(spec, 'egress') : undefined;
  const ctx = policyContext(file, policy, [egress]);
  if (!ctx || !spec || !spec.range) return undefined;
  const edits = egressRuleEdits(ctx, policy, rule);
  if (!edits) return undefined;
  const types = pairOf(spec, 'policyTypes');
  if (policy.policyTypes && policy.policyTypes.length > 0 && !policy.policyTypes.some((t) => t.value === 'Egress') && types && isSeq(types.value)) {
    const more = appendSeqItem(ctx, types.value, 'Egress');
    if (!more) return undefined;
    edits.push(...more);
  }
  return edits;
}

function egressRuleEdits(ctx: DocContext, policy: NetworkPolicy, rule: Value): TextEdit[] | undefined {
  const spec = mapAt(ctx.file, policy.docIndex, policy.specSpan);
  if (!spec?.range) return undefined;
  const { text, style } = ctx;
  const egress = pairOf(spec, 'egress');
  const value = egress?.value as Node | null | undefined;

  if (egress && isSeq(value) && value.range) {
    if (value.flow || value.items.length) return appendSeqItem(ctx, value, rule);
    return undefined;
  }

  if (spec.flow) {
    if (egress) {
      const v = egress.value as Node | null;
      if (v && v.range) return [{ span: spanOf(ctx, v), newText: flow([rule], style) }];
      return undefined;
    }
    const close = nodeEnd(ctx, spec) - 1;
    if (text[close] !== '}') return undefined;
    const key = style.json ? '"egress"' : 'egress';
    const sep = spec.items.length ? ', ' : '';
    return [{ span: at(close), newText: `${sep}${key}: ${flow([rule], style)}` }];
  }

  if (egress && isScalar(egress.key) && egress.key.range) {
    // `egress:` with no value, or `egress: null`: write the list under the key.
    const keyCol = column(text, nodeStart(ctx, egress.key));
    const edits: TextEdit[] = [];
    const v = egress.value as Node | null;
    let lineEndFrom = nodeEnd(ctx, egress.key);
    if (v && v.range && v.range[1] > v.range[0]) {
      edits.push({ span: spanOf(ctx, v), newText: '' });
      lineEndFrom = nodeEnd(ctx, v);
    }
    edits.push({ span: at(lineEnd(text, lineEndFrom)), newText: style.eol + blockSeqItem(rule, keyCol + style.seqIndent, style) });
    return edits;
  }

  // No `egress` key: add one at the spec's indentation, after its last entry.
  const firstKey = spec.items[0]?.key as Node | undefined;
  if (!firstKey?.range) return undefined;
  const col = column(text, nodeStart(ctx, firstKey));
  const pos = endOfContentLine(text, nodeEnd(ctx, spec));
  return [{ span: at(pos), newText: style.eol + blockEntry('egress', [rule], col, style) }];
}

/** NP201: egress isolated without DNS. */
export function allowDns(input: FixInput, f: Finding): Fix | undefined {
  const policy = policyAt(input.file, f.span.start);
  const edits = policy ? insertEgressRule(input.file, policy, DNS_RULE) : undefined;
  return edits ? { title: DNS_FIX_TITLE, kind: 'quickfix', edits, fixes: [f], preferred: true } : undefined;
}

/** NP202: DNS on UDP only; add TCP 53 to the rule's ports, in the order its UDP entry writes keys. */
export function addDnsTcp(input: FixInput, f: Finding): Fix | undefined {
  const policy = policyAt(input.file, f.span.start);
  const rule = policy ? ruleAt(policy, f.span) : undefined;
  const ruleMap = policy && rule ? mapAt(input.file, policy.docIndex, rule.span) : undefined;
  const ports = ruleMap ? pairOf(ruleMap, 'ports')?.value : undefined;
  if (!policy || !rule || !isSeq(ports)) return undefined;
  const ctx = policyContext(input.file, policy, [ports]);
  if (!ctx) return undefined;
  const udp = (ports.items as unknown[]).find((i) => isMap(i) && scalarValue(pairOf(i, 'protocol')?.value) === 'UDP');
  const keys = isMap(udp) ? udp.items.map((p) => scalarValue(p.key)) : [];
  const portFirst = keys.includes('port') && keys.indexOf('port') < keys.indexOf('protocol');
  const entry: Value = portFirst ? { port: 53, protocol: 'TCP' } : { protocol: 'TCP', port: 53 };
  const edits = appendSeqItem(ctx, ports, entry);
  return edits ? { title: 'Allow DNS over TCP 53 too', kind: 'quickfix', edits, fixes: [f], preferred: true } : undefined;
}

function scalarValue(n: unknown): unknown {
  return isScalar(n) ? n.value : undefined;
}

/** NP210: a kube-dns podSelector without namespaceSelector looks in the policy's own namespace. */
export function addDnsNamespace(input: FixInput, f: Finding): Fix | undefined {
  const policy = policyAt(input.file, f.span.start);
  const lacking = (p: Peer): boolean => p.podSelector !== undefined && !p.namespaceSelector && !p.ipBlock;
  // The peer at the finding's start, else the one peer lacking a namespaceSelector that the finding covers.
  let found = policy ? peerAt(policy, f.span.start) : undefined;
  if (policy && !found) {
    const covered = rulesOf(policy).flatMap((rule) => (rule.peers ?? []).filter((p) => lacking(p) && overlapsSpan(p.span, f.span)).map((peer) => ({ rule, peer })));
    if (covered.length === 1) found = covered[0];
  }
  const node = policy && found ? mapAt(input.file, policy.docIndex, found.peer.span) : undefined;
  if (!policy || !found || !node || found.peer.namespaceSelector || found.peer.ipBlock) return undefined;
  const ctx = policyContext(input.file, policy);
  const podSelector = pairOf(node, 'podSelector');
  if (!ctx || !podSelector) return undefined;
  const edits = insertPair(ctx, node, 'namespaceSelector', { matchLabels: { [NAMESPACE_NAME_LABEL]: 'kube-system' } }, { before: podSelector });
  return edits ? { title: `Add namespaceSelector ${NAMESPACE_NAME_LABEL}: kube-system (where kube-dns runs)`, kind: 'quickfix', edits, fixes: [f], preferred: true } : undefined;
}
