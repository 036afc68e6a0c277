/**
 * Writes small YAML snippets in the style of the document they go into: its indentation unit,
 * whether sequences are indented under their key, flow or block, JSON or YAML quoting.
 */
import { isMap, isPair, isScalar, isSeq, Scalar, type Node, type Pair } from 'yaml';
import type { ParsedDocument, ParsedFile } from './model';
import { documentYaml } from './parse';
import { eol } from './text';

/** Other documents of a file read for its style when the edited one does not tell. */
const OTHER_DOCUMENTS = 8;

export type Value = string | number | boolean | readonly Value[] | { readonly [key: string]: Value };

export interface Style {
  /** Spaces per nesting level of maps. */
  readonly unit: number;
  /** Extra spaces before `-` of a sequence under a map key (0 for `key:\n- a`, usually `unit`). */
  readonly seqIndent: number;
  /** Columns from a `-` to its item's content (2 for `- a`, 4 for `-   a`). */
  readonly dashGap: number;
  readonly eol: string;
  /** How the document quotes string values when it does not need to (`"web"`); undefined: plain. */
  readonly quote?: '"' | "'";
  /** The document is JSON: every string quoted, flow only. */
  readonly json?: boolean;
}

export const DEFAULT_STYLE: Style = { unit: 2, seqIndent: 2, dashGap: 2, eol: '\n' };

const PLAIN = /^[A-Za-z0-9_./-]+$/;
const AMBIGUOUS = /^(true|false|yes|no|on|off|y|n|null|~|[-+]?[0-9.]+(e[-+]?[0-9]+)?|0x[0-9a-f]+|0o[0-7]+|[-+]?\.(inf|nan))$/i;

/** Whether a string can be written without quotes and still read back as the same string. */
export function plainSafe(v: string): boolean {
  return PLAIN.test(v) && !AMBIGUOUS.test(v) && !v.startsWith('-') && !v.startsWith('.');
}

/** A scalar as the style writes it: keys plain when they can be, values in the document's quoting. */
export function scalar(v: string | number | boolean, style: Pick<Style, 'json' | 'quote'> = {}, key = false): string {
  if (typeof v !== 'string') return String(v);
  if (style.json) return JSON.stringify(v);
  const quote = key ? undefined : style.quote;
  if (quote === "'") return `'${v.replace(/'/g, "''")}'`;
  if (quote === '"' || !plainSafe(v)) return JSON.stringify(v);
  return v;
}

function isValueMap(v: Value): v is { readonly [key: string]: Value } {
  return typeof v === 'object' && !Array.isArray(v);
}

/** `{a: 1, b: [x]}`, or JSON (`{"a": 1}`) when the document is JSON. */
export function flow(v: Value, style: Pick<Style, 'json' | 'quote'> | boolean = {}): string {
  const s = typeof style === 'boolean' ? { json: style } : style;
  if (Array.isArray(v)) return `[${v.map((x) => flow(x, s)).join(', ')}]`;
  if (isValueMap(v)) return `{${Object.entries(v).map(([k, x]) => `${scalar(k, s, true)}: ${flow(x, s)}`).join(', ')}}`;
  return scalar(v as string | number | boolean, s);
}

/**
 * Block lines for `v` as the item of a sequence whose `-` stands at column `col`.
 * Returns the lines joined by the style's end of line, without a trailing one.
 */
export function blockSeqItem(v: Value, col: number, style: Style): string {
  return lines(v, col, style, 'item').join(style.eol);
}

/** Block lines for `key: v` with the key at column `col`. */
export function blockEntry(key: string, v: Value, col: number, style: Style): string {
  return lines({ [key]: v }, col, style, 'map').join(style.eol);
}

/** Block lines for the entries of a map, each key at column `col`. */
export function blockMap(v: { readonly [key: string]: Value }, col: number, style: Style): string {
  return lines(v, col, style, 'map').join(style.eol);
}

function lines(v: Value, col: number, style: Style, as: 'item' | 'map'): string[] {
  const pad = (n: number): string => ' '.repeat(n);
  if (as === 'item') {
    const dash = `-${pad(style.dashGap - 1)}`;
    if (isValueMap(v) || Array.isArray(v)) {
      const inner = lines(v, col + style.dashGap, style, 'map');
      const first = inner[0] ?? '';
      return [`${pad(col)}${dash}${first.slice(col + style.dashGap)}`, ...inner.slice(1)];
    }
    return [`${pad(col)}${dash}${scalar(v as string | number | boolean, style)}`];
  }
  if (Array.isArray(v)) return v.flatMap((x) => lines(x, col, style, 'item'));
  if (!isValueMap(v)) return [`${pad(col)}${scalar(v as string | number | boolean, style)}`];
  const out: string[] = [];
  for (const [k, x] of Object.entries(v)) {
    const key = scalar(k, style, true);
    if (Array.isArray(x)) {
      if (x.length === 0) out.push(`${pad(col)}${key}: []`);
      else out.push(`${pad(col)}${key}:`, ...x.flatMap((y) => lines(y, col + style.seqIndent, style, 'item')));
    } else if (isValueMap(x)) {
      if (Object.keys(x).length === 0) out.push(`${pad(col)}${key}: {}`);
      else out.push(`${pad(col)}${key}:`, ...lines(x, col + style.unit, style, 'map'));
    } else {
      out.push(`${pad(col)}${key}: ${scalar(x as string | number | boolean, style)}`);
    }
  }
  return out;
}

// --- reading a document's style ---

/** Column of an offset (characters since the start of its line). */
export function column(text: string, offset: number): number {
  let i = offset;
  while (i > 0 && text[i - 1] !== '\n' && text[i - 1] !== '\r') i--;
  return offset - i;
}

/** Whether a document is JSON (its first content is `{` or `[`). */
export function isJsonDocument(file: ParsedFile, d: ParsedDocument): boolean {
  const head = file.text.slice(d.start, Math.min(d.end, d.start + 400));
  return /^\s*[{[]/.test(head.replace(/^(\s*#.*(\r?\n|$))*/, '').replace(/^---.*(\r?\n|$)/, ''));
}

interface Measured {
  unit?: number;
  seqIndent?: number;
  dashGap?: number;
  quoted: { '"': number; "'": number; plain: number };
}

/** Walk block nodes (not aliases), measuring indentation between a key and its block value. */
function measure(text: string, base: number, root: unknown, m: Measured, budget: { n: number }): void {
  const visit = (n: unknown, depth: number): void => {
    if (depth > 40 || budget.n-- <= 0) return;
    if (isMap(n)) {
      for (const p of n.items as Pair[]) {
        measurePair(text, base, p, m);
        visit(p.value, depth + 1);
      }
    } else if (isSeq(n)) {
      for (const i of n.items) visit(i, depth + 1);
    } else if (isScalar(n) && typeof n.value === 'string') {
      if (n.type === Scalar.QUOTE_DOUBLE) m.quoted['"']++;
      else if (n.type === Scalar.QUOTE_SINGLE) m.quoted["'"]++;
      else if (n.type === Scalar.PLAIN) m.quoted.plain++;
    }
  };
  visit(root, 0);
}

function measurePair(text: string, base: number, p: Pair, m: Measured): void {
  const k = p.key as Node | null;
  const v = p.value as Node | null;
  if (!isScalar(k) || !k.range || !v?.range) return;
  // Nothing left to learn from this pair: no column scan (each scans back to the line start, and a
  // flow map of 40,000 keys is one line: quadratic).
  if (!(m.unit === undefined && isMap(v) && !v.flow) && !(m.seqIndent === undefined && isSeq(v) && !v.flow)) return;
  const keyCol = column(text, base + k.range[0]);
  if (m.unit === undefined && isMap(v) && !v.flow && v.items.length) {
    const first = v.items[0]?.key as Node | null | undefined;
    if (first?.range && text.lastIndexOf('\n', base + first.range[0]) > base + k.range[0]) {
      const d = column(text, base + first.range[0]) - keyCol;
      if (d > 0) m.unit = d;
    }
  }
  if (m.seqIndent === undefined && isSeq(v) && !v.flow && v.items.length) {
    m.seqIndent = Math.max(0, column(text, base + v.range[0]) - keyCol);
    const first = v.items[0] as Node | undefined;
    if (first?.range) m.dashGap = Math.max(2, column(text, base + first.range[0]) - column(text, base + v.range[0]));
  }
}

/**
 * The style of the document at `docIndex`: the nodes in `prefer` (the list being edited, the policy)
 * speak first, then the rest of the document, then the other documents of the file. Quoting is
 * counted over the document itself.
 */
export function styleOf(file: ParsedFile, docIndex: number, prefer: readonly (Node | Pair | null | undefined)[] = []): Style {
  const text = file.text;
  const zero = (): Measured['quoted'] => ({ '"': 0, "'": 0, plain: 0 });
  const m: Measured = { quoted: zero() };
  const budget = { n: 20000 };
  const d = file.documents[docIndex];
  if (d) {
    for (const p of prefer) {
      if (isPair(p)) {
        measurePair(text, d.start, p, m);
        measure(text, d.start, p.value, m, budget);
      } else if (p) measure(text, d.start, p, m, budget);
    }
  }
  m.quoted = zero();
  const own = d ? documentYaml(file, d) : undefined;
  if (d && own) measure(text, d.start, own.contents, m, budget);
  const q = m.quoted;
  // A few other documents, parsed again to read (a parse keeps no nodes): the first ones usually tell.
  let others = OTHER_DOCUMENTS;
  for (const x of file.documents) {
    if (x === d || !x.parsed) continue;
    if ((m.unit !== undefined && m.seqIndent !== undefined) || others-- === 0) break;
    const y = documentYaml(file, x);
    m.quoted = zero();
    if (y) measure(text, x.start, y.contents, m, budget);
  }
  const unit = m.unit ?? 2;
  const quote = q['"'] > q.plain && q['"'] >= q["'"] ? '"' : q["'"] > q.plain ? "'" : undefined;
  const json = d ? isJsonDocument(file, d) : false;
  return { unit, seqIndent: m.seqIndent ?? unit, dashGap: m.dashGap ?? 2, eol: eol(text), quote: json ? undefined : quote, json };
}
