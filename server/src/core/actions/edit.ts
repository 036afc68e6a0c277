/**
 * Text edits on one YAML document of a file, made as insertions and small replacements at the
 * offsets the parser gives, so that everything outside the edit (comments, quoting, layout) stays
 * byte for byte. Every function returns undefined rather than guess when the layout is unusual.
 */
import { isAlias, isMap, isScalar, isSeq, Scalar, type Document, type Node, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';
import { blockEntry, blockSeqItem, column, flow, scalar, styleOf, type Style, type Value } from '../emit';
import type { ParsedDocument, ParsedFile } from '../model';
import { documentYaml } from '../parse';
import type { Span } from '../text';

export interface TextEdit {
  readonly span: Span;
  readonly newText: string;
}

/** One document of a file, ready for edits: its offsets are relative to `base`. */
export interface DocContext {
  readonly file: ParsedFile;
  readonly doc: ParsedDocument;
  /** The document's YAML nodes (parsed again: see documentYaml); ranges relative to `base`. */
  readonly yaml: Document.Parsed;
  readonly base: number;
  readonly text: string;
  readonly style: Style;
}

export function docContext(file: ParsedFile, docIndex: number, prefer: readonly (Node | Pair | null | undefined)[] = []): DocContext | undefined {
  const doc = file.documents[docIndex];
  const yaml = doc && !doc.skipped ? documentYaml(file, doc) : undefined;
  if (!doc || !yaml) return undefined;
  return { file, doc, yaml, base: doc.start, text: file.text, style: styleOf(file, docIndex, prefer) };
}

/**
 * The YAML map a model object was read from (a policy, its spec, a rule, a peer), found by its
 * span in the document's nodes: the model keeps spans, not nodes.
 */
export function mapAt(file: ParsedFile, docIndex: number, s: Span | undefined): YAMLMap | undefined {
  const d = file.documents[docIndex];
  const yaml = d && s && !d.skipped ? documentYaml(file, d) : undefined;
  if (!d || !s || !yaml) return undefined;
  const start = s.start - d.start;
  const end = s.end - d.start;
  for (const step of pathIn(yaml.contents, start)) if (isMap(step.node) && step.node.range?.[0] === start && step.node.range[1] === end) return step.node;
  return undefined;
}

/** The document holding an offset of the file. */
export function documentAt(file: ParsedFile, offset: number): ParsedDocument | undefined {
  return file.documents.find((d) => d.start <= offset && offset <= d.end);
}

export function at(offset: number): Span {
  return { start: offset, end: offset };
}

/** Apply edits to a text (for tests and the CLI); edits must not overlap. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => b.span.start - a.span.start || b.span.end - a.span.end);
  let out = text;
  for (const e of sorted) out = out.slice(0, e.span.start) + e.newText + out.slice(e.span.end);
  return out;
}

/** Whether two edits touch the same text (two insertions at one offset count: their order is unclear). */
export function overlaps(a: TextEdit, b: TextEdit): boolean {
  if (a.span.start === b.span.start) return true;
  return a.span.start < b.span.end && b.span.start < a.span.end;
}

// --- offsets ---

export function nodeStart(ctx: DocContext, n: Node): number {
  return ctx.base + (n.range?.[0] ?? 0);
}

export function nodeEnd(ctx: DocContext, n: Node): number {
  return ctx.base + (n.range?.[1] ?? 0);
}

export function spanOf(ctx: DocContext, n: Node): Span {
  return { start: nodeStart(ctx, n), end: nodeEnd(ctx, n) };
}

/** Where a pair's text ends: its value's end, or its key's when the value is empty. */
export function pairEnd(ctx: DocContext, p: Pair): number {
  const v = p.value as Node | null;
  const k = p.key as Node | null;
  const ends = [v?.range ? nodeEnd(ctx, v) : 0, k?.range ? nodeEnd(ctx, k) : 0];
  return Math.max(...ends);
}

export function lineStart(text: string, offset: number): number {
  let i = offset;
  while (i > 0 && text[i - 1] !== '\n' && text[i - 1] !== '\r') i--;
  return i;
}

export function lineEnd(text: string, offset: number): number {
  let i = offset;
  while (i < text.length && text[i] !== '\n' && text[i] !== '\r') i++;
  return i;
}

/** The offset just after the end of line at `offset` (its `\n` or `\r\n` included). */
export function nextLine(text: string, offset: number): number {
  const e = lineEnd(text, offset);
  if (text[e] === '\r' && text[e + 1] === '\n') return e + 2;
  return e < text.length ? e + 1 : e;
}

/** The end of the line holding the last non-space character before `offset`. */
export function endOfContentLine(text: string, offset: number): number {
  let i = offset;
  while (i > 0 && /\s/.test(text[i - 1] ?? '')) i--;
  return lineEnd(text, i);
}

/** Whether only spaces stand between the start of the line and `offset`. */
export function startsLine(text: string, offset: number): boolean {
  return /^[ \t]*$/.test(text.slice(lineStart(text, offset), offset));
}

const pad = (n: number): string => ' '.repeat(Math.max(0, n));

// --- finding nodes ---

export interface PathStep {
  readonly node: Node;
  /** The pair of the parent map this node is the key or value of. */
  readonly pair: Pair | undefined;
  readonly isKey: boolean;
}

/** The nodes holding a document-relative offset, outermost first. Aliases are not followed. */
export function pathAt(ctx: DocContext, relOffset: number): PathStep[] {
  return pathIn(ctx.yaml.contents, relOffset);
}

function pathIn(root: unknown, relOffset: number): PathStep[] {
  const out: PathStep[] = [];
  const within = (n: Node): boolean => n.range !== undefined && n.range !== null && n.range[0] <= relOffset && relOffset <= n.range[1];
  let current = root as Node | null | undefined;
  if (!current || !within(current)) return out;
  out.push({ node: current, pair: undefined, isKey: false });
  for (let depth = 0; depth < 200; depth++) {
    let next: PathStep | undefined;
    if (isMap(current)) {
      for (const p of current.items as Pair[]) {
        const k = p.key as Node | null;
        const v = p.value as Node | null;
        if (k && isScalar(k) && within(k)) next = { node: k, pair: p, isKey: true };
        else if (v && !isAlias(v) && within(v)) next = { node: v, pair: p, isKey: false };
        if (next) break;
      }
    } else if (isSeq(current)) {
      for (const i of current.items as Node[]) {
        if (i && !isAlias(i) && within(i)) {
          next = { node: i, pair: undefined, isKey: false };
          break;
        }
      }
    }
    if (!next) break;
    out.push(next);
    current = next.node;
  }
  return out;
}

/** The scalar whose range is exactly (or, failing that, holds) the span. */
export function scalarAt(ctx: DocContext, s: Span): { node: Scalar; step: PathStep; parent: Node | undefined } | undefined {
  const path = pathAt(ctx, s.start - ctx.base);
  for (let i = path.length - 1; i >= 0; i--) {
    const step = path[i];
    if (step && isScalar(step.node)) return { node: step.node, step, parent: path[i - 1]?.node };
  }
  return undefined;
}

export function pairOf(map: YAMLMap | undefined | null, key: string): Pair | undefined {
  if (!map) return undefined;
  return (map.items as Pair[]).find((p) => isScalar(p.key) && p.key.value === key);
}

/** The map a pair belongs to, found from the pair (maps do not know their parents). */
export function mapHolding(path: readonly PathStep[], pair: Pair): YAMLMap | undefined {
  for (const s of path) if (isMap(s.node) && (s.node.items as Pair[]).includes(pair)) return s.node;
  return undefined;
}

// --- edits ---

/** Replace a scalar's text with `value`, keeping its quotes when it had any. */
export function replaceScalar(ctx: DocContext, node: Scalar, value: string | number, options: { key?: boolean; unquote?: boolean } = {}): TextEdit | undefined {
  if (!node.range) return undefined;
  const s = spanOf(ctx, node);
  let newText: string;
  if (typeof value === 'number') newText = String(value);
  else if (options.unquote) newText = value;
  else if (node.type === Scalar.QUOTE_DOUBLE) newText = JSON.stringify(value);
  else if (node.type === Scalar.QUOTE_SINGLE) newText = `'${value.replace(/'/g, "''")}'`;
  else newText = scalar(value, { json: ctx.style.json }, options.key ?? false);
  return { span: s, newText };
}

/** Add an item at the end of a sequence, in its flow or block style. */
export function appendSeqItem(ctx: DocContext, seq: YAMLSeq, v: Value): TextEdit[] | undefined {
  if (!seq.range) return undefined;
  const items = seq.items as (Node | null)[];
  const last = items[items.length - 1];
  if (seq.flow) {
    if (last?.range) return [{ span: at(nodeEnd(ctx, last)), newText: `, ${flow(v, ctx.style)}` }];
    const open = nodeStart(ctx, seq);
    if (ctx.text[open] !== '[') return undefined;
    return [{ span: at(open + 1), newText: flow(v, ctx.style) }];
  }
  if (!last?.range) return undefined;
  const dashCol = column(ctx.text, nodeStart(ctx, seq));
  const pos = endOfContentLine(ctx.text, nodeEnd(ctx, last));
  return [{ span: at(pos), newText: ctx.style.eol + blockSeqItem(v, dashCol, ctx.style) }];
}

/**
 * Add `key: v` to a map: after the pair `after`, before the pair `before`, or at the end. Block maps
 * get the entry on its own lines at the keys' column; flow maps inline.
 */
export function insertPair(ctx: DocContext, map: YAMLMap, key: string, v: Value, where: { after?: Pair; before?: Pair } = {}): TextEdit[] | undefined {
  if (!map.range) return undefined;
  const pairs = map.items as Pair[];
  const k = scalar(key, ctx.style, true);
  if (map.flow) {
    const entry = `${k}: ${flow(v, ctx.style)}`;
    const beforeKey = where.before?.key as Node | null | undefined;
    if (beforeKey?.range) return [{ span: at(nodeStart(ctx, beforeKey)), newText: `${entry}, ` }];
    const after = where.after ?? pairs[pairs.length - 1];
    if (after) return [{ span: at(pairEnd(ctx, after)), newText: `, ${entry}` }];
    const open = nodeStart(ctx, map);
    if (ctx.text[open] !== '{') return undefined;
    return [{ span: at(open + 1), newText: entry }];
  }
  const firstKey = pairs[0]?.key as Node | null | undefined;
  if (!firstKey?.range) return undefined;
  const col = column(ctx.text, nodeStart(ctx, firstKey));
  const beforeKey = where.before?.key as Node | null | undefined;
  if (beforeKey?.range) {
    const pos = nodeStart(ctx, beforeKey);
    if (column(ctx.text, pos) !== col) return undefined;
    const text = blockEntry(key, v, col, ctx.style).slice(col);
    return [{ span: at(pos), newText: `${text}${ctx.style.eol}${pad(col)}` }];
  }
  const after = where.after ?? pairs[pairs.length - 1];
  if (!after) return undefined;
  const pos = endOfContentLine(ctx.text, pairEnd(ctx, after));
  return [{ span: at(pos), newText: ctx.style.eol + blockEntry(key, v, col, ctx.style) }];
}

/** Replace a pair's value (or fill an empty one) with `v`: flow when the value sits on the key's line. */
export function setPairValue(ctx: DocContext, map: YAMLMap, pair: Pair, v: Value): TextEdit[] | undefined {
  const key = pair.key as Node | null;
  if (!key?.range) return undefined;
  const value = pair.value as Node | null;
  // An empty map or list has no block form: `{}` and `[]` stay on the key's line.
  const isCollection = typeof v === 'object' && Object.keys(v).length > 0;
  if (map.flow || !isCollection) {
    if (value?.range && value.range[1] > value.range[0]) return [{ span: spanOf(ctx, value), newText: flow(v, ctx.style) }];
    // `key:` (or `key :`) with nothing after it.
    let colon = nodeEnd(ctx, key);
    while (ctx.text[colon] === ' ' || ctx.text[colon] === '\t') colon++;
    if (ctx.text[colon] !== ':') return undefined;
    return [{ span: at(colon + 1), newText: ` ${flow(v, ctx.style)}` }];
  }
  // A block value under the key, replacing what was there (null, `[]`, `{}`).
  const keyCol = column(ctx.text, nodeStart(ctx, key));
  const entry = blockEntry(scalarKeyText(ctx, key), v, keyCol, ctx.style);
  const start = nodeStart(ctx, key);
  const end = value?.range ? Math.max(nodeEnd(ctx, value), nodeEnd(ctx, key)) : nodeEnd(ctx, key);
  const tail = ctx.text.slice(nodeEnd(ctx, key), end);
  if (tail.includes('#') || tail.includes('\n')) return undefined;
  return [{ span: { start, end: end + (value?.range ? 0 : ctx.text[end] === ':' ? 1 : 0) }, newText: entry.slice(keyCol) }];
}

function scalarKeyText(ctx: DocContext, key: Node): string {
  return isScalar(key) ? String(key.value) : ctx.text.slice(nodeStart(ctx, key), nodeEnd(ctx, key));
}

/** Comment lines found in removed text, re-indented at `col`, so that a removal keeps them. */
function keptComments(removed: string, col: number, eolText: string): string {
  const out: string[] = [];
  for (const line of removed.split(/\r?\n/)) {
    const i = commentStart(line);
    if (i >= 0) out.push(pad(col) + line.slice(i).trim());
  }
  return out.map((l) => l + eolText).join('');
}

/** Where a `#` comment starts in a line of plain YAML (not inside quotes); -1 when none. */
function commentStart(line: string): number {
  let q: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (q) {
      if (c === q) q = undefined;
    } else if (c === '"' || c === "'") q = c;
    else if (c === '#' && (i === 0 || line[i - 1] === ' ' || line[i - 1] === '\t')) return i;
  }
  return -1;
}

/** Remove the item at `index` of a sequence (its whole lines in block style). */
export function removeSeqItem(ctx: DocContext, seq: YAMLSeq, index: number): TextEdit[] | undefined {
  const items = seq.items as (Node | null)[];
  const item = items[index];
  if (!item?.range) return undefined;
  if (seq.flow) return removeFlowEntry(ctx, items.map((i) => (i?.range ? spanOf(ctx, i) : undefined)), index);
  let dash = nodeStart(ctx, item) - 1;
  while (dash > 0 && (ctx.text[dash] === ' ' || ctx.text[dash] === '\t')) dash--;
  if (ctx.text[dash] !== '-' || !startsLine(ctx.text, dash)) return undefined;
  return removeLines(ctx, dash, nodeEnd(ctx, item));
}

/** Remove a pair of a map (its whole lines in block style). */
export function removePair(ctx: DocContext, map: YAMLMap, pair: Pair): TextEdit[] | undefined {
  const pairs = map.items as Pair[];
  const index = pairs.indexOf(pair);
  const key = pair.key as Node | null;
  if (index < 0 || !key?.range) return undefined;
  if (map.flow) {
    return removeFlowEntry(
      ctx,
      pairs.map((p) => {
        const k = p.key as Node | null;
        return k?.range ? { start: nodeStart(ctx, k), end: pairEnd(ctx, p) } : undefined;
      }),
      index,
    );
  }
  const start = nodeStart(ctx, key);
  if (!startsLine(ctx.text, start)) return undefined;
  return removeLines(ctx, start, pairEnd(ctx, pair));
}

/** Remove the whole document, its `---` line included; its comment lines stay, at the left margin. */
export function removeDocument(ctx: DocContext): TextEdit[] {
  const span = { start: ctx.doc.start, end: ctx.doc.end };
  let kept = keptComments(ctx.text.slice(span.start, span.end), 0, ctx.style.eol);
  // The last document may end without a line break: so do the comments left in its place.
  if (span.end === ctx.text.length && !/\r?\n$/.test(ctx.text)) kept = kept.replace(/\r?\n$/, '');
  return [{ span, newText: kept }];
}

function removeLines(ctx: DocContext, from: number, to: number): TextEdit[] {
  const start = lineStart(ctx.text, from);
  const end = nextLine(ctx.text, endOfContentLine(ctx.text, to));
  const removed = ctx.text.slice(start, end);
  return [{ span: { start, end }, newText: keptComments(removed, column(ctx.text, from), ctx.style.eol) }];
}

function removeFlowEntry(ctx: DocContext, spans: readonly (Span | undefined)[], index: number): TextEdit[] | undefined {
  const s = spans[index];
  if (!s) return undefined;
  const next = spans[index + 1];
  const prev = spans[index - 1];
  let span: Span;
  if (next) span = { start: s.start, end: next.start };
  else if (prev) span = { start: prev.end, end: s.end };
  else span = s;
  const removed = ctx.text.slice(span.start, span.end);
  if (removed.includes('#')) return undefined;
  return [{ span, newText: '' }];
}

/** The pair of `map` whose key or value holds the offset. */
export function pairHolding(ctx: DocContext, map: YAMLMap, offset: number): Pair | undefined {
  for (const p of map.items as Pair[]) {
    const k = p.key as Node | null;
    if (!k?.range) continue;
    if (nodeStart(ctx, k) <= offset && offset <= pairEnd(ctx, p)) return p;
  }
  return undefined;
}
