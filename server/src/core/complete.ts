import { peerWorkloads } from './describe';
import { fieldsAt, type Field } from './fields';
import { NAMESPACE_NAME_LABEL, type Inventory, type NamespaceInfo, type WorkloadInfo } from './inventory';
import type { ContainerPort, Direction, NetworkPolicy, ParsedDocument, ParsedFile, Peer, PolicyPort, Protocol, Rule, Selector } from './model';
import { kubeDnsView } from './engine/pods';
import { matches } from './selector';
import { documentSnippets, layout, preview, ruleSnippets, type Snippet, type SnippetData } from './snippets';
import { eol, type Span } from './text';

export interface CompletionItem {
  readonly label: string;
  readonly kind: 'field' | 'value' | 'labelKey' | 'labelValue' | 'port' | 'snippet';
  readonly detail?: string;
  /** Shown next to the label in the list (LSP `labelDetails.description`). */
  readonly description?: string;
  /** Markdown. */
  readonly documentation?: string;
  /**
   * Text to insert; a snippet (with `$1`) when `snippet` is true. Lines after the first are
   * indented relative to the cursor's line, as editors do with LSP's `adjustIndentation`.
   */
  readonly insertText: string;
  readonly snippet: boolean;
  /** What the item replaces: the word under the cursor. */
  readonly replace: Span;
  readonly sortText?: string;
  readonly filterText?: string;
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
  /** The cursor's line starts a sequence item (`- `). */
  readonly dash: boolean;
  /**
   * Columns between the line's indentation and the key: what continuation lines of a multi-line
   * insertion need on top of the line's indentation (2 after `- `).
   */
  readonly prefix: number;
  /** Only the word is on the cursor's line. */
  readonly bare: boolean;
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
  // Not t.replace(/\s+#.*$/, ''): that regex backtracks over leading whitespace, quadratic in the
  // indentation (a completion in a 600 KB deeply indented document took over a second).
  const hash = t.search(/\s#/);
  const noComment = hash < 0 ? t : t.slice(0, hash).trimEnd();
  if (noComment.trim() === '' || noComment.trim().startsWith('#')) return undefined;
  const m = KEY_LINE.exec(noComment);
  const indent = noComment.length - noComment.trimStart().length;
  if (!m) return { indent, dash: false, keyCol: indent, key: undefined, hasColon: false, value: noComment.trim() };
  const dash = m[2] !== undefined;
  const keyCol = indent + (m[2]?.length ?? 0);
  return { indent, dash, keyCol, key: m[3]?.trim(), hasColon: m[4] !== undefined, value: (m[5] ?? '').trim() };
}

/** Lines of the document that hold YAML content (not `---`, directives, comments or blanks). */
function isContentLine(t: string): boolean {
  const s = t.trim();
  return s !== '' && !s.startsWith('#') && !s.startsWith('%') && !/^---(\s|$)/.test(s) && !/^\.\.\.(\s|$)/.test(s);
}

function context(text: string, docStart: number, docEnd: number, offset: number): { ctx: Context; empty: boolean } | undefined {
  const lines = linesOf(text, docStart, docEnd);
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
  const bare = line.text.trim() === text.slice(word.start, word.end).trim() && !dash && !/^(---|\.\.\.)/.test(line.text);
  const prefix = dash ? (p[2]?.length ?? 2) : 0;
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
  // An empty document: nothing but the word on the cursor's line (a new file, or after `---`).
  const empty = at === 'key' && bare && indent === 0 && lines.every((l, i) => i === cur || !isContentLine(l.text));
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
    // `key:` then `- item` at the key's own column (a flush sequence): the key is the list's parent.
    if (path[path.length - 1] === '[]' && l.keyCol === col && l.key !== undefined && l.hasColon && l.value === '') {
      path.push(l.key);
      if (l.dash) {
        path.push('[]');
        col = l.indent;
      }
      continue;
    }
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
      return { ctx: { path: path.slice(0, -2), at: 'value', key: listKey, word, siblings: new Set(), dash, prefix, bare }, empty };
    }
  }
  const siblings = new Set<string>();
  const myCol = indent + (dash ? (p[2]?.length ?? 2) : 0);
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
  // A `- ` on the cursor's line starts a new item: keys above belong to earlier items.
  if (!dash) scan(cur - 1, -1);
  scan(cur + 1, 1);
  return { ctx: { path, at, key, word, siblings, dash, prefix, bare }, empty };
}

function joinPath(path: readonly string[]): string {
  return path.reduce((acc, k) => (k === '[]' ? `${acc}[]` : acc ? `${acc}.${k}` : k), '');
}

function fieldItem(f: Field, ctx: Context, nl: string, index: number): CompletionItem {
  const insert = f.shape === 'scalar' ? `${f.name}: ` : f.shape === 'map' ? `${f.name}:\n  $0` : `${f.name}:\n  - $0`;
  return {
    label: f.name,
    kind: 'field',
    detail: f.shape === 'scalar' ? 'field' : f.shape === 'map' ? 'field (map)' : 'field (list)',
    documentation: f.doc,
    insertText: layout(insert, ctx.prefix, nl),
    snippet: insert.includes('$'),
    replace: ctx.word,
    sortText: `1${String(index).padStart(3, '0')}`,
  };
}

/** What the model knows about the cursor's place in a policy (the YAML may be half typed). */
interface Place {
  readonly policy: NetworkPolicy | undefined;
  readonly namespace: string;
  readonly direction: Direction | undefined;
  readonly rule: Rule | undefined;
  readonly peer: Peer | undefined;
  readonly port: PolicyPort | undefined;
}

/** The last item starting at or before the offset: the one being typed, even when its range ends early. */
function lastBefore<T extends { readonly span: Span }>(items: readonly T[] | undefined, offset: number): T | undefined {
  let found: T | undefined;
  for (const x of items ?? []) if (x.span.start <= offset) found = x;
  return found;
}

function place(doc: ParsedDocument, inv: Inventory, path: readonly string[], offset: number): Place {
  const policy = doc.objects.find((o): o is NetworkPolicy => o.kind === 'NetworkPolicy');
  const namespace = policy?.namespace ?? inv.defaultNamespace;
  const direction = path[0] === 'spec' && (path[1] === 'ingress' || path[1] === 'egress') ? path[1] : undefined;
  const rule = direction && path[2] === '[]' ? lastBefore(policy?.[direction], offset) : undefined;
  const inPeers = path[3] === 'from' || path[3] === 'to';
  const peer = inPeers ? lastBefore(rule?.peers, offset) : undefined;
  const port = path[3] === 'ports' ? lastBefore(rule?.ports, offset) : undefined;
  return { policy, namespace, direction, rule, peer, port };
}

/** Completions at an offset of a parsed file. Never throws. */
export function complete(file: ParsedFile, inv: Inventory, at: number): CompletionItem[] {
  // Between the CR and LF of a line end is not a place in the line: the word found there ran
  // backwards (replace ranges that ended before they started). Editors never put a cursor there.
  const offset = at > 0 && file.text.charCodeAt(at - 1) === 13 && file.text.charCodeAt(at) === 10 ? at - 1 : at;
  const doc = file.documents.find((d) => offset >= d.start && offset <= d.end);
  if (!doc) return [];
  const docText = file.text.slice(doc.start, doc.end);
  // Offer NetworkPolicy fields only in NetworkPolicy documents (or a document not yet given a kind).
  const kindMatch = /^kind:\s*(\S+)/m.exec(docText);
  if (kindMatch && kindMatch[1] !== 'NetworkPolicy') return [];
  const found = context(file.text, doc.start, doc.end, offset);
  if (!found) return [];
  const { ctx, empty } = found;
  const path = joinPath(ctx.path);
  const nl = eol(file.text);
  const where = place(doc, inv, ctx.path, offset);

  const last = ctx.path[ctx.path.length - 1];
  const selectorKind = selectorKindOf(ctx.path);
  if (selectorKind) {
    const selector = selectorAt(where, ctx.path);
    if (last === 'matchLabels') {
      if (ctx.at === 'key') return labelKeyItems(inv, where, selectorKind, selector, ctx, true);
      return ctx.key !== undefined ? labelValueItems(inv, where, selectorKind, selector, ctx.key, ctx) : [];
    }
    if (last === '[]' && ctx.path[ctx.path.length - 2] === 'matchExpressions' && ctx.at === 'value') {
      if (ctx.key === 'key') return labelKeyItems(inv, where, selectorKind, selector, ctx, false);
      if (ctx.key === 'values') {
        const expr = lastBefore(selector?.matchExpressions, offset);
        return expr?.key ? labelValueItems(inv, where, selectorKind, selector, expr.key, ctx) : [];
      }
    }
  }

  if (ctx.at === 'value') {
    if (where.direction && last === '[]' && ctx.path[ctx.path.length - 2] === 'ports') {
      if (ctx.key === 'port') return portItems(inv, where, ctx, nl);
      if (ctx.key === 'protocol') return protocolItems(inv, where, ctx);
    }
    const f = fieldsAt(path)?.find((x) => x.name === ctx.key);
    return (f?.values ?? []).map((v) => ({ label: v, kind: 'value' as const, documentation: f?.doc, insertText: v, snippet: false, replace: ctx.word }));
  }

  const out: CompletionItem[] = [];
  if (empty && kubernetesFile(file, doc)) out.push(...snippetItems(documentSnippets(snippetData(file, inv, undefined)), ctx, nl));
  // A new item of an ingress/egress list, or a line under the key where the list is still to come.
  const dir = where.direction;
  if (dir && ctx.path.length === 3 && last === '[]' && ctx.dash && ctx.siblings.size === 0) {
    out.push(...snippetItems(ruleSnippets(dir, snippetData(file, inv, where)), ctx, nl));
  } else if (dir && ctx.path.length === 2 && !ctx.dash && ctx.bare) {
    const items = ruleSnippets(dir, snippetData(file, inv, where)).map((s) => ({ ...s, body: `- ${s.body.replace(/\n/g, '\n  ')}` }));
    out.push(...snippetItems(items, ctx, nl));
  }
  const fields = fieldsAt(path);
  if (fields) out.push(...fields.filter((f) => !ctx.siblings.has(f.name)).map((f, i) => fieldItem(f, ctx, nl, i)));
  return out;
}

/** A new file, or one whose other documents include a Kubernetes object: not a CI or Compose file. */
function kubernetesFile(file: ParsedFile, doc: ParsedDocument): boolean {
  let others = false;
  for (const d of file.documents) {
    if (d === doc) continue;
    const text = file.text.slice(d.start, d.end);
    if (/^(apiVersion|kind)\s*:/m.test(text)) return true;
    others ||= text.split(/\r?\n/).some(isContentLine);
  }
  return !others;
}

function snippetItems(snippets: readonly Snippet[], ctx: Context, nl: string): CompletionItem[] {
  return snippets.map((s, i) => ({
    label: s.label,
    kind: 'snippet' as const,
    detail: s.detail,
    documentation: `${s.doc}\n\n\`\`\`yaml\n${preview(s.body)}\n\`\`\``,
    insertText: layout(s.body, ctx.prefix, nl),
    snippet: true,
    replace: ctx.word,
    sortText: `0${String(i).padStart(3, '0')}`,
    filterText: s.label.replace(/^(NetworkPolicy|rule): /, '$1 '),
  }));
}

/** Placeholder choices from the workspace: the policy's namespace first for documents, last for peers. */
function snippetData(file: ParsedFile, inv: Inventory, where: Place | undefined): SnippetData {
  const known = [...inv.namespaces.keys()].sort();
  let namespaces: string[];
  if (where) {
    namespaces = [...known.filter((n) => n !== where.namespace), where.namespace];
  } else {
    const mine = new Set<string>();
    for (const o of file.objects) if (o.kind !== 'Namespace' && o.namespace) mine.add(o.namespace);
    namespaces = [...mine, ...known.filter((n) => !mine.has(n))];
  }
  const own = where ? inv.workloads.filter((w) => w.namespace === where.namespace) : inv.workloads;
  const others = where ? inv.workloads.filter((w) => w.namespace !== where.namespace) : inv.workloads;
  const keyCounts = new Map<string, number>();
  for (const w of inv.workloads) for (const k of w.labels.keys()) keyCounts.set(k, (keyCounts.get(k) ?? 0) + 1);
  let podLabelKey = 'app';
  let best = keyCounts.get('app') ?? 0;
  for (const [k, n] of keyCounts) if (n > best) [podLabelKey, best] = [k, n];
  const valuesOf = (ws: readonly WorkloadInfo[]): string[] => {
    const values = new Map<string, number>();
    for (const w of ws) {
      const v = w.labels.get(podLabelKey);
      if (v !== undefined) values.set(v, (values.get(v) ?? 0) + 1);
    }
    return [...values.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([v]) => v);
  };
  const podLabelValues = valuesOf(own.length ? own : inv.workloads);
  return { namespaces, podLabelKey, podLabelValues, peerLabelValues: valuesOf(others.length ? others : inv.workloads) };
}

// --- label keys and values, from the workloads and namespaces that exist ---

type SelectorKind = 'pod' | 'namespace';

function selectorKindOf(path: readonly string[]): SelectorKind | undefined {
  for (let i = path.length - 1; i >= 0; i--) {
    if (path[i] === 'podSelector') return 'pod';
    if (path[i] === 'namespaceSelector') return 'namespace';
  }
  return undefined;
}

function selectorAt(where: Place, path: readonly string[]): Selector | undefined {
  if (path[0] === 'spec' && path[1] === 'podSelector') return where.policy?.podSelector;
  if (path[5] === 'podSelector') return where.peer?.podSelector;
  if (path[5] === 'namespaceSelector') return where.peer?.namespaceSelector;
  return undefined;
}

/**
 * The namespaces a podSelector looks in: the policy's own, or those of the peer's namespaceSelector
 * (a podSelector alone selects pods of the policy's namespace only).
 */
function podScope(inv: Inventory, where: Place, selector: Selector | undefined): { namespaces: Set<string>; name: string } {
  const nsSel = where.peer && selector === where.peer.podSelector ? where.peer.namespaceSelector : undefined;
  if (!nsSel) return { namespaces: new Set([where.namespace]), name: `\`${where.namespace}\`` };
  const namespaces = new Set<string>();
  for (const ns of inv.namespaces.values()) if (matches(nsSel, ns.labels)) namespaces.add(ns.name);
  return { namespaces, name: namespaces.size === 1 ? `\`${[...namespaces][0] ?? ''}\`` : 'the selected namespaces' };
}

interface Holder {
  readonly name: string;
  readonly what: string;
  readonly local: boolean;
  readonly labels: ReadonlyMap<string, string>;
}

function holders(inv: Inventory, where: Place, kind: SelectorKind, selector: Selector | undefined): { list: Holder[]; scope: string } {
  if (kind === 'namespace') {
    const list = [...namespacesWithDns(inv).values()].map((ns) => ({ name: ns.name, what: ns.declared ? 'Namespace' : 'namespace', local: ns.declared !== undefined, labels: ns.labels }));
    return { list, scope: 'declared namespaces' };
  }
  const scope = podScope(inv, where, selector);
  const list: Holder[] = inv.workloads.map((w) => ({ name: w.workload.name, what: `${w.workload.kind}, \`${w.namespace}\``, local: scope.namespaces.has(w.namespace), labels: w.labels }));
  // The pods operators run, with the labels their custom resources declare for them (the pod
  // template's or podMetadata's, which come after the resource's own labels).
  for (const c of inv.customResources ?? []) {
    const labels = c.labelSets[c.labelSets.length - 1];
    if (labels) list.push({ name: c.resource.name, what: `${c.resource.kind}'s pods, \`${c.namespace}\``, local: scope.namespaces.has(c.namespace), labels });
  }
  return { list, scope: scope.name };
}

/** Every namespace the workspace knows, and kube-system (cluster DNS) even when no manifest names it. */
function namespacesWithDns(inv: Inventory): Map<string, NamespaceInfo> {
  const m = new Map(inv.namespaces);
  if (!m.has('kube-system')) m.set('kube-system', { name: 'kube-system', labels: new Map([[NAMESPACE_NAME_LABEL, 'kube-system']]), declared: undefined });
  return m;
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

function names(hs: readonly Holder[], max = 8): string {
  const shown = hs.slice(0, max).map((h) => `\`${h.name}\` (${h.what})`);
  return hs.length > max ? `${shown.join(', ')} and ${hs.length - max} more` : shown.join(', ');
}

function labelKeyItems(inv: Inventory, where: Place, kind: SelectorKind, selector: Selector | undefined, ctx: Context, withColon: boolean): CompletionItem[] {
  const { list, scope } = holders(inv, where, kind, selector);
  const unit = kind === 'pod' ? 'workload' : 'namespace';
  const byKey = new Map<string, { local: Holder[]; other: Holder[]; values: Set<string> }>();
  for (const h of list) {
    for (const [k, v] of h.labels) {
      let e = byKey.get(k);
      if (!e) byKey.set(k, (e = { local: [], other: [], values: new Set() }));
      (h.local ? e.local : e.other).push(h);
      e.values.add(v);
    }
  }
  const ranked = [...byKey.entries()]
    .filter(([k]) => !withColon || !ctx.siblings.has(k))
    .sort((a, b) => Number(b[1].local.length > 0) - Number(a[1].local.length > 0) || b[1].local.length + b[1].other.length - (a[1].local.length + a[1].other.length) || a[0].localeCompare(b[0]));
  return ranked.map(([key, e], i) => {
    const total = e.local.length + e.other.length;
    const detail =
      kind === 'namespace'
        ? plural(total, unit)
        : e.local.length
          ? `${plural(e.local.length, unit)} in ${scope.replace(/`/g, '')}${e.other.length ? `, ${e.other.length} elsewhere` : ''}`
          : `${plural(total, unit)}, none in ${scope.replace(/`/g, '')}`;
    const values = [...e.values].slice(0, 10).map((v) => `\`${v}\``).join(', ');
    const note =
      kind === 'pod' && e.local.length === 0
        ? `\n\nNo workload in ${scope} carries it: ${where.peer?.namespaceSelector ? 'the namespaceSelector of this peer' : 'a podSelector without namespaceSelector'} looks only there.`
        : '';
    return {
      label: key,
      kind: 'labelKey' as const,
      detail,
      documentation: `Values: ${values}${e.values.size > 10 ? ', …' : ''}\n\nOn ${names([...e.local, ...e.other])}.${note}`,
      insertText: withColon ? `${key}: ` : key,
      snippet: false,
      replace: ctx.word,
      sortText: `${e.local.length ? 0 : 1}${String(i).padStart(5, '0')}`,
    };
  });
}

function labelValueItems(inv: Inventory, where: Place, kind: SelectorKind, selector: Selector | undefined, key: string, ctx: Context): CompletionItem[] {
  const { list, scope } = holders(inv, where, kind, selector);
  const unit = kind === 'pod' ? 'workload' : 'namespace';
  const byValue = new Map<string, { local: Holder[]; other: Holder[] }>();
  for (const h of list) {
    const v = h.labels.get(key);
    if (v === undefined) continue;
    let e = byValue.get(v);
    if (!e) byValue.set(v, (e = { local: [], other: [] }));
    (h.local ? e.local : e.other).push(h);
  }
  const counts = kind === 'namespace' && key === NAMESPACE_NAME_LABEL ? workloadsPerNamespace(inv) : undefined;
  // Namespace names: the busiest first, the policy's own last (a podSelector alone already means it).
  const rank = (v: string, e: { local: Holder[]; other: Holder[] }): number[] =>
    counts ? [Number(v === where.namespace), -(counts.get(v) ?? 0)] : [-Number(e.local.length > 0), -(e.local.length + e.other.length)];
  const ranked = [...byValue.entries()].sort((a, b) => {
    const ra = rank(a[0], a[1]);
    const rb = rank(b[0], b[1]);
    return (ra[0] ?? 0) - (rb[0] ?? 0) || (ra[1] ?? 0) - (rb[1] ?? 0) || a[0].localeCompare(b[0]);
  });
  return ranked.map(([value, e], i) => {
    const all = [...e.local, ...e.other];
    let detail: string;
    let documentation: string;
    if (counts) {
      const ns = all[0];
      const n = counts.get(value) ?? 0;
      detail = `namespace · ${plural(n, 'workload')}`;
      documentation =
        ns?.local === true
          ? `Namespace \`${value}\`, declared in these manifests; ${plural(n, 'workload')} run in it.`
          : value === 'kube-system' && n === 0
            ? 'Namespace `kube-system`: cluster DNS (kube-dns) runs there in every cluster.'
            : `Namespace \`${value}\` (not declared by a Namespace object; objects of these manifests live in it).`;
    } else {
      detail =
        kind === 'pod' && !e.local.length ? `${plural(all.length, unit)}, none in ${scope.replace(/`/g, '')}` : plural(kind === 'pod' ? e.local.length : all.length, unit) + (kind === 'pod' ? ` in ${scope.replace(/`/g, '')}` : '');
      documentation = `\`${key}: ${value}\` on ${names(all)}.`;
    }
    return { label: value, kind: 'labelValue' as const, detail, documentation, insertText: value, snippet: false, replace: ctx.word, sortText: String(i).padStart(5, '0') };
  });
}

function workloadsPerNamespace(inv: Inventory): Map<string, number> {
  const m = new Map<string, number>();
  for (const w of inv.workloads) m.set(w.namespace, (m.get(w.namespace) ?? 0) + 1);
  return m;
}

// --- ports: the container ports of the pods a rule's traffic goes to ---

interface PortUse {
  /** Markdown naming the pod's workload. */
  readonly who: string;
  readonly name: string;
  readonly port: ContainerPort;
}

/**
 * Egress: the pods the rule's `to` peers select (every pod without `to`), with cluster DNS standing
 * in for kube-dns when no manifest declares it. Ingress: the pods the policy selects.
 */
function destinationPorts(inv: Inventory, where: Place): PortUse[] {
  const policy = where.policy;
  if (!policy || !where.direction) return [];
  const uses: PortUse[] = [];
  const add = (ws: readonly WorkloadInfo[]): void => {
    const seen = new Set<WorkloadInfo>();
    for (const w of ws) {
      if (seen.has(w)) continue;
      seen.add(w);
      for (const p of w.workload.ports) uses.push({ who: `\`${w.workload.name}\` (${w.workload.kind}, \`${w.namespace}\`)`, name: w.workload.name, port: p });
    }
  };
  if (where.direction === 'ingress') {
    const sel = policy.podSelector;
    add(inv.workloads.filter((w) => w.namespace === where.namespace && (!sel || matches(sel, w.labels))));
    return uses;
  }
  const peers = where.rule?.peers;
  const everyPeer = !peers || peers.length === 0;
  add(everyPeer ? inv.workloads : peers.flatMap((p) => peerWorkloads(inv, p, where.namespace)));
  const dnsDeclared = inv.workloads.some((w) => w.namespace === 'kube-system' && w.labels.get('k8s-app') === 'kube-dns');
  if (!dnsDeclared) {
    const dns = kubeDnsView(inv);
    const reaches = everyPeer || peers.some((p) => !p.ipBlock && (p.namespaceSelector ? matches(p.namespaceSelector, dns.namespaceLabels) : where.namespace === dns.namespace) && (!p.podSelector || matches(p.podSelector, dns.labels)));
    if (reaches) for (const p of dns.ports) uses.push({ who: '`kube-dns` (cluster DNS in `kube-system`, as CoreDNS runs it; not in these manifests)', name: 'kube-dns', port: p });
  }
  return uses;
}

function portItems(inv: Inventory, where: Place, ctx: Context, nl: string): CompletionItem[] {
  // With `protocol:` written, only ports of that protocol; without, a non-TCP port brings its protocol along.
  const written = ctx.siblings.has('protocol') ? (where.port?.protocol?.value ?? '') : undefined;
  const groups = new Map<string, { label: string; protocol: Protocol; named: boolean; uses: PortUse[] }>();
  for (const u of destinationPorts(inv, where)) {
    if (written !== undefined && written !== '' && u.port.protocol !== written) continue;
    const keys: [string, boolean][] = [[String(u.port.port), false]];
    if (u.port.name) keys.push([u.port.name, true]);
    for (const [label, named] of keys) {
      const id = `${u.port.protocol}/${label}`;
      let g = groups.get(id);
      if (!g) groups.set(id, (g = { label, protocol: u.port.protocol, named, uses: [] }));
      g.uses.push(u);
    }
  }
  const dir = where.direction === 'egress' ? 'destination' : 'selected';
  const ranked = [...groups.values()].sort((a, b) => b.uses.length - a.uses.length || Number(a.named) - Number(b.named) || Number(a.protocol !== 'TCP') - Number(b.protocol !== 'TCP') || a.label.localeCompare(b.label, undefined, { numeric: true }));
  return ranked.map((g, i) => {
    const workloads = [...new Set(g.uses.map((u) => u.name))];
    const numbers = [...new Set(g.uses.map((u) => u.port.port))].sort((a, b) => a - b);
    const portNames = [...new Set(g.uses.map((u) => u.port.name).filter((n): n is string => n !== undefined))];
    const on = `${workloads.slice(0, 3).join(', ')}${workloads.length > 3 ? ` +${workloads.length - 3}` : ''}`;
    const detail = g.named ? `${g.protocol} ${numbers.join(', ')} · ${on}` : `${g.protocol}${portNames.length ? ` (${portNames.join(', ')})` : ''} · ${on}`;
    const lines = g.uses.slice(0, 8).map((u) => `- ${u.who}, container \`${u.port.container || '?'}\`: ${u.port.name ? `\`${u.port.name}\` = ` : ''}${u.port.port}/${u.port.protocol}`);
    if (g.uses.length > 8) lines.push(`- and ${g.uses.length - 8} more`);
    const head = g.named
      ? `Named port \`${g.label}\` (${g.protocol} ${numbers.join(', ')}) of the ${dir} pods. A named port is resolved on each pod: pods without a container port of this name are not matched by it.`
      : `Port ${g.label}/${g.protocol} of the ${dir} pods.`;
    const needsProtocol = written === undefined && g.protocol !== 'TCP';
    return {
      label: g.label,
      kind: 'port' as const,
      detail,
      description: g.protocol,
      documentation: `${head}\n\n${lines.join('\n')}${needsProtocol ? `\n\nInserts \`protocol: ${g.protocol}\` too (the default is TCP).` : ''}`,
      insertText: needsProtocol ? `${g.label}${nl}${' '.repeat(ctx.prefix)}protocol: ${g.protocol}` : g.label,
      snippet: false,
      replace: ctx.word,
      sortText: String(i).padStart(5, '0'),
    };
  });
}

function protocolItems(inv: Inventory, where: Place, ctx: Context): CompletionItem[] {
  const doc = fieldsAt('spec.egress[].ports[]')?.find((f) => f.name === 'protocol')?.doc;
  const port = where.port?.port?.value;
  const uses = destinationPorts(inv, where).filter((u) => port === undefined || u.port.port === port || u.port.name === port);
  const protocols: Protocol[] = ['TCP', 'UDP', 'SCTP'];
  const count = (p: Protocol): number => uses.filter((u) => u.port.protocol === p).length;
  const ranked = [...protocols].sort((a, b) => Number(count(b) > 0) - Number(count(a) > 0) || protocols.indexOf(a) - protocols.indexOf(b));
  const dir = where.direction === 'egress' ? 'destination' : 'selected';
  return ranked.map((p, i) => {
    const n = count(p);
    const what = port === undefined ? `${plural(n, `${p} port`)} on the ${dir} pods` : n ? `port ${port} is ${p} on the ${dir} pods` : `no ${p} port ${port} on the ${dir} pods`;
    return { label: p, kind: 'value' as const, detail: what, documentation: doc, insertText: p, snippet: false, replace: ctx.word, sortText: String(i) };
  });
}
