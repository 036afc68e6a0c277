import { isMap, isScalar, isSeq, type Node, type Pair, type YAMLMap } from 'yaml';
import { blockEntry, blockSeqItem, flow, type Style, type Value } from './emit';
import type { Finding } from './diagnostics';
import { NAMESPACE_NAME_LABEL } from './inventory';
import type { NetworkPolicy, ParsedFile } from './model';
import { eol, type Span } from './text';

export interface TextEdit {
  readonly span: Span;
  readonly newText: string;
}

export interface Fix {
  readonly title: string;
  readonly kind: 'quickfix' | 'refactor' | 'source';
  readonly edits: readonly TextEdit[];
  /** The findings this fix resolves. */
  readonly fixes: readonly Finding[];
  readonly preferred: boolean;
}

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

/** Fixes for the findings that overlap `range`. Never throws on user input. */
export function codeActions(file: ParsedFile, findings: readonly Finding[], range: Span): Fix[] {
  const out: Fix[] = [];
  for (const f of findings) {
    if (f.span.end < range.start || f.span.start > range.end) continue;
    if (f.code === 'NP201') {
      const policy = policyAt(file, f.span.start);
      const edits = policy ? insertEgressRule(file, policy, DNS_RULE) : undefined;
      if (edits) out.push({ title: 'Allow DNS egress to kube-system/kube-dns (UDP and TCP 53)', kind: 'quickfix', edits, fixes: [f], preferred: true });
    }
  }
  return out;
}

export function policyAt(file: ParsedFile, offset: number): NetworkPolicy | undefined {
  for (const o of file.objects) if (o.kind === 'NetworkPolicy' && o.span.start <= offset && offset <= o.span.end) return o;
  return undefined;
}

/** Column of an offset (characters since the start of its line). */
function column(text: string, offset: number): number {
  let i = offset;
  while (i > 0 && text[i - 1] !== '\n' && text[i - 1] !== '\r') i--;
  return offset - i;
}

/** The offset just before the end of line that follows the last non-space character before `offset`. */
function endOfContentLine(text: string, offset: number): number {
  let i = offset;
  while (i > 0 && /\s/.test(text[i - 1] ?? '')) i--;
  while (i < text.length && text[i] !== '\n' && text[i] !== '\r') i++;
  return i;
}

function pairOf(map: YAMLMap, key: string): Pair | undefined {
  return map.items.find((p) => isScalar(p.key) && p.key.value === key);
}

function isJson(file: ParsedFile, base: number): boolean {
  return /^\s*[{[]/.test(file.text.slice(base, base + 200).replace(/^(\s*#.*\n)*/, '').replace(/^---.*\n/, ''));
}

/**
 * The document's indentation style, read from the policy's own nodes: the spec's children give the
 * unit, a block sequence under a key tells whether sequences are indented.
 */
function styleOf(file: ParsedFile, base: number, policy: NetworkPolicy): Style {
  const text = file.text;
  let unit = 2;
  let seqIndent = 2;
  let dashGap = 2;
  const spec = policy.spec;
  const specPair = pairOf(policy.node, 'spec');
  if (spec && !spec.flow && specPair && isScalar(specPair.key) && specPair.key.range && spec.range) {
    const d = column(text, base + spec.range[0]) - column(text, base + specPair.key.range[0]);
    if (d > 0) unit = d;
  }
  seqIndent = unit;
  // A block sequence under a key shows how the author indents sequences and their items.
  const measure = (p: Pair): boolean => {
    if (!isSeq(p.value) || p.value.flow || !p.value.range || !isScalar(p.key) || !p.key.range || !p.value.items.length) return false;
    seqIndent = Math.max(0, column(text, base + p.value.range[0]) - column(text, base + p.key.range[0]));
    const first = p.value.items[0] as Node | undefined;
    if (first?.range) dashGap = Math.max(2, column(text, base + first.range[0]) - column(text, base + p.value.range[0]));
    return true;
  };
  const visit = (n: unknown, depth: number): boolean => {
    if (depth > 12) return false;
    if (isMap(n)) return n.items.some((p) => measure(p) || visit(p.value, depth + 1));
    if (isSeq(n)) return n.items.some((i) => visit(i, depth + 1));
    return false;
  };
  // The list being edited speaks first; any other block list in the policy otherwise.
  const egress = spec ? pairOf(spec, 'egress') : undefined;
  if (!(egress && measure(egress))) visit(policy.node, 0);
  return { unit, seqIndent, dashGap, eol: eol(text) };
}

/** Edits that add `rule` to the policy's egress list, creating `egress:` when needed. */
export function insertEgressRule(file: ParsedFile, policy: NetworkPolicy, rule: Value): TextEdit[] | undefined {
  const doc = file.documents[policy.docIndex];
  const spec = policy.spec;
  if (!doc || !spec || !spec.range) return undefined;
  const base = doc.start;
  const text = file.text;
  const json = isJson(file, base);
  const style = styleOf(file, base, policy);
  const egress = pairOf(spec, 'egress');
  const value = egress?.value as Node | null | undefined;

  if (egress && isSeq(value) && value.range) {
    if (value.flow) {
      const last = value.items[value.items.length - 1] as Node | undefined;
      if (last?.range) return [{ span: at(base + last.range[1]), newText: `, ${flow(rule, json)}` }];
      // `egress: []`: put the rule between the brackets.
      const open = base + value.range[0];
      return [{ span: { start: open + 1, end: open + 1 }, newText: flow(rule, json) }];
    }
    const first = value.items[0] as Node | undefined;
    const last = value.items[value.items.length - 1] as Node | undefined;
    if (!first?.range || !last?.range) return undefined;
    const dashCol = column(text, base + value.range[0]);
    const pos = endOfContentLine(text, base + last.range[1]);
    return [{ span: at(pos), newText: style.eol + blockSeqItem(rule, dashCol, style) }];
  }

  if (spec.flow) {
    if (egress) {
      const v = egress.value as Node | null;
      if (v && v.range) return [{ span: { start: base + v.range[0], end: base + v.range[1] }, newText: flow([rule], json) }];
      return undefined;
    }
    const close = base + spec.range[1] - 1;
    if (text[close] !== '}') return undefined;
    const key = json ? '"egress"' : 'egress';
    const sep = spec.items.length ? ', ' : '';
    return [{ span: at(close), newText: `${sep}${key}: ${flow([rule], json)}` }];
  }

  if (egress && isScalar(egress.key) && egress.key.range) {
    // `egress:` with no value, or `egress: null`: write the list under the key.
    const keyCol = column(text, base + egress.key.range[0]);
    const edits: TextEdit[] = [];
    const v = egress.value as Node | null;
    let lineEndFrom = base + egress.key.range[1];
    if (v && v.range && v.range[1] > v.range[0]) {
      edits.push({ span: { start: base + v.range[0], end: base + v.range[1] }, newText: '' });
      lineEndFrom = base + v.range[1];
    }
    let pos = lineEndFrom;
    while (pos < text.length && text[pos] !== '\n' && text[pos] !== '\r') pos++;
    edits.push({ span: at(pos), newText: style.eol + blockSeqItem(rule, keyCol + style.seqIndent, style) });
    return edits;
  }

  // No `egress` key: add one at the spec's indentation, after its last entry.
  const firstKey = spec.items[0]?.key as Node | undefined;
  if (!firstKey?.range) return undefined;
  const col = column(text, base + firstKey.range[0]);
  const pos = endOfContentLine(text, base + spec.range[1]);
  return [{ span: at(pos), newText: style.eol + blockEntry('egress', [rule], col, style) }];
}

function at(offset: number): Span {
  return { start: offset, end: offset };
}

/** Apply edits to a text (for tests and the CLI); edits must not overlap. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => b.span.start - a.span.start);
  let out = text;
  for (const e of sorted) out = out.slice(0, e.span.start) + e.newText + out.slice(e.span.end);
  return out;
}
