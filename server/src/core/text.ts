/** Offsets are UTF-16 code-unit indexes into the document text, like JavaScript strings and LSP. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

export interface LineCol {
  /** 0-based line. */
  readonly line: number;
  /** 0-based UTF-16 column. */
  readonly character: number;
}

export function span(start: number, end: number): Span {
  return { start, end };
}

/**
 * A copy of a string that shares no storage with it. V8 cuts a slice of 13 characters or more as a
 * view that keeps the whole text it came from alive; what outlives the text it was read from is
 * copied. (A JSON round trip: the one quick way to a flat copy, lone surrogates included.)
 */
export function flatCopy(s: string): string {
  return JSON.parse(JSON.stringify(s)) as string;
}

/**
 * One string per content: a cache, not state (clearing it changes nothing). For the strings the
 * model keeps and the lints compare and look up thousands of times: two equal strings read from
 * different places compare character by character, one string by identity. Stored as a flat copy,
 * so that an interned string never keeps alive the text of a file version it was cut from (the
 * model of an edited file's unchanged documents kept its first version: 7 MB at 5000 policies).
 * Bounded by count and by what it holds; long strings (no valid name or label is) are left alone.
 */
const interned = new Map<string, string>();
/** Strings code compares with as literals: interned as themselves, again after each clear. */
const literals: string[] = [];
const INTERN_LONGEST = 256;
const INTERN_MAX = 50_000;
/** Roughly in bytes (a string's characters, its header and its entry): 0.7 MB after a 5000-policy file. */
const INTERN_BUDGET = 4_000_000;
let internCost = 0;

export function intern(s: string): string {
  if (s.length > INTERN_LONGEST) return s;
  const hit = interned.get(s);
  if (hit !== undefined) return hit;
  if (interned.size >= INTERN_MAX || internCost > INTERN_BUDGET) {
    interned.clear();
    internCost = 0;
    for (const l of literals) interned.set(l, l);
  }
  const copy = s.length < 13 ? s : flatCopy(s); // V8 copies shorter slices itself
  interned.set(copy, copy);
  internCost += copy.length + 48;
  return copy;
}

/** A literal the code compares with, interned as itself: those comparisons are by identity too. */
export function internLiteral<T extends string>(s: T): T {
  literals.push(s);
  interned.set(s, s);
  return s;
}

export function contains(s: Span, offset: number): boolean {
  return s.start <= offset && offset <= s.end;
}

/** Maps offsets to line/column and back; built once per text. */
export class LineMap {
  /** Offset of each line's start. A typed array and indexOf: a 7 MB file has 330,000 lines, and a
   * map is built per version (pushing into an array took ~50 ms and ~10 MB of garbage there). */
  private readonly starts: Uint32Array;
  /** Whether the text holds a CR: only then can a break depend on the character after it. */
  private readonly cr: boolean;

  /** `starts` is for `replaced`, which passes those of a text without CR. */
  constructor(
    private readonly text: string,
    starts?: Uint32Array,
  ) {
    if (starts) {
      this.starts = starts;
      this.cr = false;
      return;
    }
    // A lone CR ends a line too (as for YAML and LSP); files without CR take the fast path.
    const cr = text.includes('\r');
    this.cr = cr;
    let n = 1;
    if (cr) {
      for (let i = 0; i < text.length; i++) if (isBreak(text, i)) n++;
    } else for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
    starts = new Uint32Array(n);
    let k = 1;
    if (cr) {
      for (let i = 0; i < text.length; i++) if (isBreak(text, i)) starts[k++] = i + 1;
    } else for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts[k++] = i + 1;
    this.starts = starts;
  }

  /**
   * The map of `text`, which is this map's text with [start, end) replaced by `inserted`: lines
   * before the edit are kept, those after it shifted (a keystroke in a 330,000-line file costs a
   * copy, not a scan). Texts with a CR are scanned again, as a CR's meaning depends on what follows.
   */
  replaced(text: string, start: number, end: number, inserted: string): LineMap {
    if (this.cr || inserted.includes('\r')) return new LineMap(text);
    const old = this.starts;
    // Line starts at or before `start` stay (their break is before the edit); those in (start, end]
    // go with the replaced text; those after `end` move by the change in length.
    const keep = this.lineIndex(start) + 1;
    const after = this.lineIndex(end) + 1;
    let added = 0;
    for (let i = inserted.indexOf('\n'); i >= 0; i = inserted.indexOf('\n', i + 1)) added++;
    const starts = new Uint32Array(keep + added + old.length - after);
    starts.set(old.subarray(0, keep));
    let k = keep;
    for (let i = inserted.indexOf('\n'); i >= 0; i = inserted.indexOf('\n', i + 1)) starts[k++] = start + i + 1;
    const delta = inserted.length - (end - start);
    for (let i = after; i < old.length; i++) starts[k++] = (old[i] ?? 0) + delta;
    return new LineMap(text, starts);
  }

  get lineCount(): number {
    return this.starts.length;
  }

  position(offset: number): LineCol {
    const o = Math.max(0, Math.min(offset, this.text.length));
    const line = this.lineIndex(o);
    return { line, character: o - (this.starts[line] ?? 0) };
  }

  /** The last line starting at or before `o`. */
  private lineIndex(o: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.starts[mid] ?? 0) <= o) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  offset(pos: LineCol): number {
    if (pos.line < 0) return 0;
    if (pos.line >= this.starts.length) return this.text.length;
    const start = this.starts[pos.line] ?? 0;
    const next = pos.line + 1 < this.starts.length ? (this.starts[pos.line + 1] ?? this.text.length) : this.text.length;
    return Math.max(start, Math.min(start + Math.max(0, pos.character), next));
  }

  lineStart(line: number): number {
    return this.starts[Math.max(0, Math.min(line, this.starts.length - 1))] ?? 0;
  }
}

const lineMaps = new WeakMap<object, LineMap>();

/** The LineMap of a parsed file's text, built once per version (a new version is a new object). */
export function lineMapOf(file: { readonly text: string }): LineMap {
  let m = lineMaps.get(file);
  if (!m) lineMaps.set(file, (m = new LineMap(file.text)));
  return m;
}

/** Whether the character at i ends a line: \n, or \r not followed by \n. */
function isBreak(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  return c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10);
}

/** The text of the line holding `offset`, without its end-of-line characters. */
export function lineAt(text: string, offset: number): { start: number; text: string } {
  let start = offset;
  while (start > 0 && text[start - 1] !== '\n' && text[start - 1] !== '\r') start--;
  let end = offset;
  while (end < text.length && text[end] !== '\n' && text[end] !== '\r') end++;
  return { start, text: text.slice(start, end) };
}

export function eol(text: string): string {
  const i = text.indexOf('\n');
  return i > 0 && text[i - 1] === '\r' ? '\r\n' : '\n';
}
