/**
 * Expected findings written in a fixture's YAML comments (see test/fixtures/rules/README.md):
 *
 *     port: true
 *   #       ^^^^ NP105 must be a port number
 *
 * carets under the flagged range of the nearest line above that is not itself a caret line, then
 * the code, then optionally a fragment the message must contain; or, where carets cannot sit
 * under the range (it starts in column 0), a line-only marker at the end of the flagged line:
 *
 *   specs: {}   # expect: NP104
 */
import type { Finding } from '../../server/src/core/diagnostics';
import { LineMap } from '../../server/src/core/text';

export interface Expectation {
  /** 0-based line of the flagged text. */
  readonly line: number;
  /** Caret columns [start, end); undefined for a line-only marker. */
  readonly columns: { readonly start: number; readonly end: number } | undefined;
  readonly code: string;
  readonly fragment: string | undefined;
}

export interface Actual {
  readonly line: number;
  readonly start: number;
  /** End column on `line`: the range's end, or the end of the line's text when the range goes on. */
  readonly end: number;
  readonly code: string;
  readonly message: string;
}

const CARET = /^(\s*#\s*)(\^+)\s+(NP\d{3})(?:\s+(.*?))?\s*$/;
const LINE_MARK = /\s+#\s*expect:\s*(NP\d{3}(?:[\s,]+NP\d{3})*)\s*$/;

export function lines(text: string): string[] {
  return text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
}

export function isCaretLine(line: string): boolean {
  return CARET.test(line);
}

export function parseMarkers(text: string): Expectation[] {
  const out: Expectation[] = [];
  const ls = lines(text);
  let target = -1;
  ls.forEach((l, i) => {
    const caret = CARET.exec(l);
    if (caret) {
      if (target < 0) throw new Error(`caret marker on line ${i + 1} has no line above it`);
      const start = (caret[1] ?? '').length;
      const fragment = caret[4] === undefined || caret[4] === '' ? undefined : caret[4];
      out.push({ line: target, columns: { start, end: start + (caret[2] ?? '').length }, code: caret[3] ?? '', fragment });
      return;
    }
    target = i;
    const mark = LINE_MARK.exec(l);
    if (mark) for (const code of (mark[1] ?? '').split(/[\s,]+/)) out.push({ line: i, columns: undefined, code, fragment: undefined });
  });
  return out;
}

export function actuals(text: string, findings: readonly Finding[]): Actual[] {
  const map = new LineMap(text);
  const ls = lines(text);
  return findings.map((f) => {
    const s = map.position(f.span.start);
    const e = map.position(f.span.end);
    const end = e.line === s.line ? e.character : (ls[s.line] ?? '').trimEnd().length;
    return { line: s.line, start: s.character, end, code: f.code, message: f.message };
  });
}

export function matches(x: Expectation, a: Actual): boolean {
  if (x.code !== a.code || x.line !== a.line) return false;
  if (x.columns && (x.columns.start !== a.start || x.columns.end !== a.end)) return false;
  return x.fragment === undefined || a.message.includes(x.fragment);
}

/** Pairs expectations with findings; what is left on either side is a test failure. */
export function compare(expected: readonly Expectation[], actual: readonly Actual[]): { missing: Expectation[]; extra: Actual[]; pairs: [Expectation, Actual][] } {
  const left = [...actual];
  const missing: Expectation[] = [];
  const pairs: [Expectation, Actual][] = [];
  // Caret markers first: they are the more specific, so a line-only marker cannot steal their finding.
  const ordered = [...expected].sort((a, b) => Number(b.columns !== undefined) - Number(a.columns !== undefined));
  for (const x of ordered) {
    const i = left.findIndex((a) => matches(x, a));
    const hit = i >= 0 ? left[i] : undefined;
    if (hit) {
      pairs.push([x, hit]);
      left.splice(i, 1);
    } else missing.push(x);
  }
  return { missing, extra: left, pairs };
}

/**
 * The fixture text with its markers rewritten from the findings (UPDATE_EXPECT=1): old markers
 * removed, a caret line under each finding (a line-only marker when it starts in column 0).
 * Fragments of markers that still match are kept.
 */
export function rewrite(text: string, actual: readonly Actual[], keep: readonly [Expectation, Actual][]): string {
  const eolMark = text.includes('\r\n') ? '\r\n' : '\n';
  const src = lines(text);
  // Map old line numbers to the lines left after removing caret lines.
  const body: string[] = [];
  const newIndex: number[] = [];
  src.forEach((l, i) => {
    newIndex[i] = body.length;
    if (!isCaretLine(l)) body.push(l.replace(LINE_MARK, ''));
  });
  const fragmentOf = new Map<Actual, string>();
  for (const [x, a] of keep) if (x.fragment !== undefined) fragmentOf.set(a, x.fragment);
  const after = new Map<number, string[]>();
  const lineCodes = new Map<number, string[]>();
  const sorted = [...actual].sort((a, b) => a.line - b.line || a.start - b.start || a.code.localeCompare(b.code));
  for (const a of sorted) {
    const line = newIndex[a.line] ?? a.line;
    if (a.start === 0) {
      lineCodes.set(line, [...(lineCodes.get(line) ?? []), a.code]);
      continue;
    }
    const indent = /^\s*/.exec(body[line] ?? '')?.[0].length ?? 0;
    const hash = Math.min(indent, a.start - 1);
    const fragment = fragmentOf.get(a);
    const caret = `${' '.repeat(hash)}#${' '.repeat(a.start - hash - 1)}${'^'.repeat(Math.max(1, a.end - a.start))} ${a.code}${fragment ? ` ${fragment}` : ''}`;
    after.set(line, [...(after.get(line) ?? []), caret]);
  }
  const out: string[] = [];
  body.forEach((l, i) => {
    const codes = lineCodes.get(i);
    out.push(codes ? `${l}  # expect: ${codes.join(', ')}` : l);
    out.push(...(after.get(i) ?? []));
  });
  return out.join(eolMark);
}
