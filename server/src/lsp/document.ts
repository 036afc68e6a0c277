import type { Position, Range, TextDocument, TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';
import { LineMap } from '../core/text';

/**
 * An open document's text, with the positions of vscode-languageserver-textdocument's TextDocument
 * (a position inside a CRLF is moved before it) but its line index in a typed array: the library
 * keeps a number[] of line starts, ~2.6 MB for a 7 MB file of 330,000 lines and twice that in
 * garbage at each full-text change. The index is built when a position is first asked for, and a
 * range edit shifts it instead of scanning the text again.
 */
export class Document implements TextDocument {
  private map: LineMap | undefined;

  constructor(
    readonly uri: string,
    readonly languageId: string,
    private ver: number,
    private text: string,
  ) {}

  get version(): number {
    return this.ver;
  }

  get lineCount(): number {
    return this.lines().lineCount;
  }

  getText(range?: Range): string {
    // substring, as the library: a reversed range reads forwards.
    return range ? this.text.substring(this.offsetAt(range.start), this.offsetAt(range.end)) : this.text;
  }

  positionAt(offset: number): Position {
    const o = Math.max(0, Math.min(offset, this.text.length));
    const { line, character } = this.lines().position(o);
    const start = o - character;
    return { line, character: this.beforeEol(o, start) - start };
  }

  offsetAt(position: Position): number {
    // LineMap clamps lines and columns as the library does; past the last line, the text's end is
    // that line's end, which no EOL precedes.
    const lines = this.lines();
    return this.beforeEol(lines.offset(position), lines.lineStart(position.line));
  }

  /** Changes in the order the client sent them; a range is read in the text its predecessors left. */
  update(changes: readonly TextDocumentContentChangeEvent[], version: number): void {
    for (const c of changes) {
      if ('range' in c) {
        const [from, to] = ordered(c.range);
        const start = this.offsetAt(from);
        const end = this.offsetAt(to);
        const text = this.text.slice(0, start) + c.text + this.text.slice(end);
        this.map = this.map?.replaced(text, start, end, c.text);
        this.text = text;
      } else {
        this.text = c.text;
        this.map = undefined;
      }
    }
    this.ver = version;
  }

  private lines(): LineMap {
    return (this.map ??= new LineMap(this.text));
  }

  private beforeEol(offset: number, lineStart: number): number {
    let o = offset;
    while (o > lineStart) {
      const c = this.text.charCodeAt(o - 1);
      if (c !== 10 && c !== 13) break;
      o--;
    }
    return o;
  }
}

function ordered(r: Range): [Position, Position] {
  const { start, end } = r;
  return start.line > end.line || (start.line === end.line && start.character > end.character) ? [end, start] : [start, end];
}

/** For `new TextDocuments(documents)`. */
export const textDocuments = {
  create: (uri: string, languageId: string, version: number, text: string): Document => new Document(uri, languageId, version, text),
  update: (d: Document, changes: TextDocumentContentChangeEvent[], version: number): Document => {
    d.update(changes, version);
    return d;
  },
};
