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

export function contains(s: Span, offset: number): boolean {
  return s.start <= offset && offset <= s.end;
}

/** Maps offsets to line/column and back; built once per text. */
export class LineMap {
  /** Offset of each line's start. A typed array and indexOf: a 7 MB file has 330,000 lines, and a
   * map is built per version (pushing into an array took ~50 ms and ~10 MB of garbage there). */
  private readonly starts: Uint32Array;

  constructor(private readonly text: string) {
    // A lone CR ends a line too (as for YAML and LSP); files without CR take the fast path.
    const cr = text.includes('\r');
    let n = 1;
    if (cr) {
      for (let i = 0; i < text.length; i++) if (isBreak(text, i)) n++;
    } else for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
    const starts = new Uint32Array(n);
    let k = 1;
    if (cr) {
      for (let i = 0; i < text.length; i++) if (isBreak(text, i)) starts[k++] = i + 1;
    } else for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts[k++] = i + 1;
    this.starts = starts;
  }

  get lineCount(): number {
    return this.starts.length;
  }

  position(offset: number): LineCol {
    const o = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.starts[mid] ?? 0) <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: o - (this.starts[lo] ?? 0) };
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
