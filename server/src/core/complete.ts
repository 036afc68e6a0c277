import { fieldsAt, type Field } from './fields';
import { NAMESPACE_NAME_LABEL, type Inventory } from './inventory';
import type { ParsedFile } from './model';
import type { Span } from './text';

export interface CompletionItem {
  readonly label: string;
  readonly kind: 'field' | 'value' | 'labelKey' | 'labelValue';
  readonly detail?: string;
  /** Markdown. */
  readonly documentation?: string;
  /** Text to insert; a snippet (with `$1`) when `snippet` is true. */
  readonly insertText: string;
  readonly snippet: boolean;
  /** What the item replaces: the word under the cursor. */
  readonly replace: Span;
  readonly sortText?: string;
}

interface Line {
  readonly start: number;
  readonly text: string;
}

/** Where the cursor is, in YAML terms, read from the indentation of the lines above it. */
interface Context {
  /** Keys from the document root to the map the cursor is in; `[]` marks a sequence item. */
  readonly path: string[];
  /** Key position (typing a key) or value position (after `key: `, or a `- ` item of a scalar list). */
  readonly at: 'key' | 'value';
  /** For a value: the key it belongs to. */
  readonly key: string | undefined;
  readonly word: Span;
  /** Keys already present in the map the cursor is in. */
  readonly siblings: ReadonlySet<string>;
}

const KEY_LINE = /^(\s*)(- +)?([^\s:#][^:#]*?)?\s*(:(\s.*)?)?$/;

function linesOf(text: string, from: number, to: number): Line[] {
  const out: Line[] = [];
  let s = from;
  while (s <= to) {
    let e = text.indexOf('\n', s);
    if (e < 0 || e > to) e = to;
    out.push({ start: s, text: text.slice(s, e).replace(/\r$/, '') });
    if (e >= to) break;
    s = e + 1;
  }
  return out;
}

interface Parsed {
  readonly indent: number;
  readonly dash: boolean;
  readonly keyCol: number;
  readonly key: string | undefined;
  readonly hasColon: boolean;
  readonly value: string;
}

function parseLine(t: string): Parsed | undefined {
  const noComment = t.replace(/\s+#.*$/, '');
  if (noComment.trim() === '' || noComment.trim().startsWith('#')) return undefined;
  const m = KEY_LINE.exec(noComment);
  const indent = noComment.length - noComment.trimStart().length;
  if (!m) return { indent, dash: false, keyCol: indent, key: undefined, hasColon: false, value: noComment.trim() };
  const dash = m[2] !== undefined;
  const keyCol = indent + (m[2]?.length ?? 0);
  return { indent, dash, keyCol, key: m[3]?.trim(), hasColon: m[4] !== undefined, value: (m[5] ?? '').trim() };
}

function context(text: string, docStart: number, offset: number): Context | undefined {
  const lines = linesOf(text, docStart, text.length);
  let cur = lines.findIndex((l) => offset >= l.start && offset <= l.start + l.text.length);
  if (cur < 0) cur = lines.length - 1;
  const line = lines[cur];
  if (!line) return undefined;
  const before = line.text.slice(0, offset - line.start);
  const wordStartRel = before.search(/[^\s:'"[\]{},]*$/);
  const after = line.text.slice(offset - line.start);
  const wordEndRel = offset - line.start + (/^[^\s:'"[\]{},]*/.exec(after)?.[0].length ?? 0);
  const word: Span = { start: line.start + wordStartRel, end: line.start + wordEndRel };
  const p = /^(\s*)(- +)?(.*)$/.exec(before);
  if (!p) return undefined;
  const indent = p[1]?.length ?? 0;
  const dash = p[2] !== undefined;
  const rest = p[3] ?? '';
  const keyMatch = /^([^\s:#][^:#]*?):\s+(\S*)$/.exec(rest);
  let at: 'key' | 'value';
  let key: string | undefined;
  if (keyMatch) {
    at = 'value';
    key = keyMatch[1];
  } else if (/^[^\s:#]*$/.test(rest)) {
    at = 'key';
  } else {
    return undefined;
  }
  // Walk up: each line that is less indented than the cursor's column is an ancestor.
  let col = indent + (dash ? (p[2]?.length ?? 2) : 0);
  const path: string[] = [];
  if (dash) {
    path.push('[]');
    col = indent;
  }
  for (let i = cur - 1; i >= 0 && col > 0; i--) {
    const l = parseLine(lines[i]?.text ?? '');
    if (!l) continue;
    if (l.dash && l.keyCol === col) {
      // A sibling key in the same sequence item: the item is our parent.
      path.push('[]');
      col = l.indent;
      continue;
    }
    if (l.keyCol < col && l.key !== undefined && l.hasColon && l.value === '') {
      path.push(l.key);
      col = l.keyCol;
      if (l.dash) {
        path.push('[]');
        col = l.indent;
      }
    } else if (l.indent < col && l.dash && l.keyCol >= col) {
      path.push('[]');
      col = l.indent;
    }
  }
  path.reverse();
  // A `- ` item of a scalar list (policyTypes, except, values) is a value of that list's key.
  if (at === 'key' && dash && path.length >= 2 && path[path.length - 1] === '[]') {
    const listKey = path[path.length - 2];
    const parentPath = joinPath(path.slice(0, -2));
    const f = fieldsAt(parentPath)?.find((x) => x.name === listKey);
    if (f?.shape === 'scalarList') {
      return { path: path.slice(0, -2), at: 'value', key: listKey, word, siblings: new Set() };
    }
  }
  const siblings = new Set<string>();
  const myCol = at === 'key' ? indent + (dash ? (p[2]?.length ?? 2) : 0) : indent + (dash ? (p[2]?.length ?? 2) : 0);
  const scan = (from: number, step: number): void => {
    for (let i = from; i >= 0 && i < lines.length; i += step) {
      const l = parseLine(lines[i]?.text ?? '');
      if (!l) continue;
      if (l.keyCol < myCol) break;
      if (l.dash && l.keyCol === myCol && step < 0) {
        if (l.key) siblings.add(l.key);
        break;
      }
      if (l.dash && l.keyCol === myCol) break;
      if (l.keyCol === myCol && l.key && l.hasColon && !l.dash) siblings.add(l.key);
      if (/^---/.test(lines[i]?.text ?? '')) break;
    }
  };
  scan(cur - 1, -1);
  scan(cur + 1, 1);
  return { path, at, key, word, siblings };
}

function joinPath(path: readonly string[]): string {
  return path.reduce((acc, k) => (k === '[]' ? `${acc}[]` : acc ? `${acc}.${k}` : k), '');
}

function fieldItem(f: Field, word: Span, index: number): CompletionItem {
  const insert = f.shape === 'scalar' ? `${f.name}: ` : f.shape === 'map' ? `${f.name}:\n  $0` : `${f.name}:\n  - $0`;
  return { label: f.name, kind: 'field', detail: f.shape === 'scalar' ? 'field' : f.shape === 'map' ? 'field (map)' : 'field (list)', documentation: f.doc, insertText: insert, snippet: insert.includes('$'), replace: word, sortText: String(index).padStart(3, '0') };
}

/** Completions at an offset of a parsed file. Never throws. */
export function complete(file: ParsedFile, inv: Inventory, offset: number): CompletionItem[] {
  const doc = file.documents.find((d) => offset >= d.start && offset <= d.end);
  if (!doc) return [];
  const docText = file.text.slice(doc.start, doc.end);
  // Offer NetworkPolicy fields only in NetworkPolicy documents (or a document not yet given a kind).
  const kindMatch = /^kind:\s*(\S+)/m.exec(docText);
  if (kindMatch && kindMatch[1] !== 'NetworkPolicy') return [];
  const ctx = context(file.text, doc.start, offset);
  if (!ctx) return [];
  const path = joinPath(ctx.path);
  const policyNs = file.objects.find((o) => o.kind === 'NetworkPolicy' && o.docIndex === doc.index)?.namespace ?? inv.defaultNamespace;

  if (ctx.path[ctx.path.length - 1] === 'matchLabels') {
    const selectorKind = ctx.path[ctx.path.length - 2];
    const counts = selectorKind === 'namespaceSelector' ? namespaceLabelCounts(inv) : podLabelCounts(inv, policyNs);
    if (ctx.at === 'key') {
      return [...counts.entries()].map(([key, c], i) => ({
        label: key,
        kind: 'labelKey' as const,
        detail: `${c.total} ${selectorKind === 'namespaceSelector' ? 'namespace' : 'workload'}${c.total === 1 ? '' : 's'}`,
        documentation: `Values: ${[...c.values.keys()].slice(0, 10).map((v) => `\`${v}\``).join(', ')}`,
        insertText: `${key}: `,
        snippet: false,
        replace: ctx.word,
        sortText: `${c.local ? 0 : 1}${String(i).padStart(4, '0')}`,
      })).filter((x) => !ctx.siblings.has(x.label));
    }
    const c = ctx.key !== undefined ? counts.get(ctx.key) : undefined;
    if (!c) return [];
    return [...c.values.entries()].map(([v, n]) => ({ label: v, kind: 'labelValue' as const, detail: n ? `${n} ${selectorKind === 'namespaceSelector' ? 'namespace' : 'workload'}${n === 1 ? '' : 's'}` : 'not declared in these manifests', insertText: v, snippet: false, replace: ctx.word }));
  }

  if (ctx.at === 'value') {
    const f = fieldsAt(path)?.find((x) => x.name === ctx.key);
    return (f?.values ?? []).map((v) => ({ label: v, kind: 'value' as const, documentation: f?.doc, insertText: v, snippet: false, replace: ctx.word }));
  }
  const fields = fieldsAt(path);
  if (!fields) return [];
  return fields.filter((f) => !ctx.siblings.has(f.name)).map((f, i) => fieldItem(f, ctx.word, i));
}

interface LabelCount {
  total: number;
  local: boolean;
  values: Map<string, number>;
}

function podLabelCounts(inv: Inventory, namespace: string): Map<string, LabelCount> {
  const m = new Map<string, LabelCount>();
  // Workloads of the policy's own namespace first: a podSelector alone selects only there.
  const sorted = [...inv.workloads].sort((a, b) => Number(b.namespace === namespace) - Number(a.namespace === namespace));
  for (const w of sorted) {
    for (const [k, v] of w.labels) {
      const c = m.get(k) ?? { total: 0, local: false, values: new Map<string, number>() };
      c.total++;
      c.local ||= w.namespace === namespace;
      c.values.set(v, (c.values.get(v) ?? 0) + 1);
      m.set(k, c);
    }
  }
  return m;
}

function namespaceLabelCounts(inv: Inventory): Map<string, LabelCount> {
  const m = new Map<string, LabelCount>();
  // kube-system holds cluster DNS: policies name it even when no manifest declares it.
  m.set(NAMESPACE_NAME_LABEL, { total: 0, local: true, values: new Map([['kube-system', 0]]) });
  for (const ns of inv.namespaces.values()) {
    for (const [k, v] of ns.labels) {
      const c = m.get(k) ?? { total: 0, local: false, values: new Map<string, number>() };
      c.total++;
      c.local ||= ns.declared !== undefined || k === NAMESPACE_NAME_LABEL;
      c.values.set(v, (c.values.get(v) ?? 0) + 1);
      m.set(k, c);
    }
  }
  return m;
}
