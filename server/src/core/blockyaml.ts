// A fast parser for the plain block subset of YAML that Kubernetes manifests are written in. It
// builds the same nodes, with the same ranges, as `yaml`'s parseDocument, and gives up
// (`undefined`) on anything outside the subset or in doubt, so that the caller parses with `yaml`.
//
// Block scalars (`|`, `>`) in their usual forms and plain and quoted values wrapped over lines are in
// the subset: `kubectl get -o yaml` writes a block scalar for every last-applied-configuration and
// wraps long values, and charts hold scripts and config files; without them, most of a cluster's
// dump went the slow way.
//
// The ranges follow yaml 2.9's parser, including where it puts comment lines: a comment line more
// indented than the collection around a scalar extends that scalar's range; a trailing comment line at
// a nested collection's own indent or deeper extends the collection's; comments after `key:` with no
// value extend the null's. test/core/blockyaml.test.ts checks all of it against `yaml` itself.
import { Pair, Scalar, YAMLMap, YAMLSeq, type Node, type Range } from 'yaml';
import { intern } from './text';

// yaml's node constructors define the node-type tag on every instance (Object.defineProperty),
// which costs as much as the rest of this parse; these make the same objects with the tag on a
// shared prototype, so isMap/isScalar/instanceof and the nodes' methods all work.
const NODE_TYPE = Symbol.for('yaml.node.type');
function tagged(base: object, type: string): object {
  return Object.create(base, { [NODE_TYPE]: { value: Symbol.for(type) }, constructor: { value: base.constructor } });
}
// `declare` fields: plain assignments in the constructor, no define-then-assign per field.
class FastScalar {
  declare value: unknown;
  declare range: Range;
  declare source: string;
  declare type: Scalar.Type;
  constructor(value: unknown, range: Range, source: string, type: Scalar.Type) {
    this.value = value;
    this.range = range;
    this.source = source;
    this.type = type;
  }
}
class FastPair {
  declare key: Scalar;
  declare value: Node;
  constructor(key: Scalar, value: Node) {
    this.key = key;
    this.value = value;
  }
}
class FastMap {
  declare items: Pair[];
  declare range: Range;
  constructor(range: Range) {
    this.items = [];
    this.range = range;
  }
}
class FastSeq {
  declare items: Node[];
  declare range: Range;
  constructor(range: Range) {
    this.items = [];
    this.range = range;
  }
}
Object.setPrototypeOf(FastScalar.prototype, tagged(Scalar.prototype, 'yaml.scalar'));
Object.setPrototypeOf(FastPair.prototype, tagged(Pair.prototype, 'yaml.pair'));
Object.setPrototypeOf(FastMap.prototype, tagged(YAMLMap.prototype, 'yaml.map'));
Object.setPrototypeOf(FastSeq.prototype, tagged(YAMLSeq.prototype, 'yaml.seq'));

// String values are interned (text.ts): no view of the file's text, one copy of repeated keys and labels.
const scalar = (value: unknown, type: Scalar.Type, start: number, end: number, source: string): Scalar => {
  if (typeof value !== 'string') return new FastScalar(value, [start, end, end], source, type) as unknown as Scalar;
  const v = intern(value);
  return new FastScalar(v, [start, end, end], source === value ? v : source, type) as unknown as Scalar;
};
const pair = (key: Scalar, value: Node): Pair => new FastPair(key, value) as unknown as Pair;
const nullAt = (at: number, end: number): Scalar => new FastScalar(null, [at, at, end], '', Scalar.PLAIN) as unknown as Scalar;
const newMap = (start: number): YAMLMap => new FastMap([start, start, start]) as unknown as YAMLMap;
const newSeq = (start: number): YAMLSeq => new FastSeq([start, start, start]) as unknown as YAMLSeq;

// The core schema's tests, as yaml 2.9 has them (schema/core/*.js), in its order.
const NULL = /^(?:~|[Nn]ull|NULL)?$/;
const BOOL = /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/;
const OCT = /^0o[0-7]+$/;
const INT = /^[-+]?[0-9]+$/;
const HEX = /^0x[0-9a-fA-F]+$/;
const NAN_INF = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
const EXP = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/;
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/;

/** A plain scalar's value under the core schema. */
function plainValue(s: string): unknown {
  const c = s.charCodeAt(0);
  const n = s.length;
  // The tests can only match by their first character and length: most scalars skip them all.
  if (c >= 48 && c <= 57) {
    // All digits: the int test, and nothing before it in yaml's order can match.
    let i = 1;
    while (i < n && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) i++;
    if (i === n) return parseInt(s, 10);
  } else if (c === 126 || c === 110 || c === 78) return n <= 4 && NULL.test(s) ? null : s; // ~ n N
  else if (c === 116 || c === 84 || c === 102 || c === 70) return (n === 4 || n === 5) && BOOL.test(s) ? c === 116 || c === 84 : s; // t T f F
  else if (c !== 43 && c !== 45 && c !== 46) return s; // + - .
  if (OCT.test(s)) return parseInt(s.substring(2), 8);
  if (INT.test(s)) return parseInt(s, 10);
  if (HEX.test(s)) return parseInt(s.substring(2), 16);
  if (NAN_INF.test(s)) return s.slice(-3).toLowerCase() === 'nan' ? NaN : c === 45 ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  if (EXP.test(s) || FLOAT.test(s)) return parseFloat(s);
  return s;
}

const SPACE = 32;
const TAB = 9;
const HASH = 35;
const DASH = 45;
const DOT = 46;
const COLON = 58;
const DQUOTE = 34;
const SQUOTE = 39;
const BACKSLASH = 92;
const COMMA = 44;
const LBRACKET = 91;
const RBRACKET = 93;
const LBRACE = 123;
const RBRACE = 125;
const PIPE = 124;
const GT = 62;
const PLUS = 43;

/** Characters a plain scalar may not start with (yaml reads them as indicators, or reports them). */
const NOT_PLAIN_START = new Uint8Array(128);
for (const ch of '#{[}]*&!|>\'"%@`,?') NOT_PLAIN_START[ch.charCodeAt(0)] = 1;
const isFlowIndicator = (c: number): boolean => c === COMMA || c === LBRACKET || c === RBRACKET || c === LBRACE || c === RBRACE;

/** Double-quoted escapes with a fixed meaning (yaml's resolve-flow-scalar.js); \x, \u, \U apart. */
const ESCAPES = new Map<string, string>([
  ['0', '\0'],
  ['a', '\x07'],
  ['b', '\b'],
  ['e', '\x1b'],
  ['f', '\f'],
  ['n', '\n'],
  ['r', '\r'],
  ['t', '\t'],
  ['v', '\v'],
  ['N', '\u0085'],
  ['_', '\u00a0'],
  ['L', '\u2028'],
  ['P', '\u2029'],
  [' ', ' '],
  ['"', '"'],
  ['/', '/'],
  ['\\', '\\'],
]);
const HEX_DIGITS = /^[0-9a-fA-F]+$/;
/** Whether a block scalar's line holds what the subset leaves to yaml (a lone CR is a line break to it); tabs are content. */
function hasControl(line: string): boolean {
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if ((c < 32 && c !== TAB) || c === 0xfeff) return true;
  }
  return false;
}

/** Collections nested deeper than this are left to yaml. */
const MAX_DEPTH = 64;
/** yaml reports an implicit key whose `:` is more than 1024 characters after its start. */
const MAX_KEY = 1000;

const BAIL = new Error('outside the block subset');
function bail(): never {
  throw BAIL;
}

/** An open block collection. */
interface Frame {
  readonly node: YAMLMap | YAMLSeq;
  readonly map: boolean;
  /** Column of its keys or dashes. */
  readonly indent: number;
  /** Where its last item's range ends: its own range[1]. */
  end: number;
  /** A map's key whose value is not read yet (nothing after `key:`, or a nested collection). */
  key: Scalar | null;
}

// What the last content line left open, which decides where the comment lines after it belong.
const VALUE = 0; // a scalar or flow collection: deeper comments extend its range
const KEY = 1; // `key:` with nothing after it yet
const ITEM = 2; // `-` with nothing after it yet

// Where a flow collection reader is.
const F_FIRST = 0; // an item or the closing bracket
const F_NEXT = 1; // an item, after a comma
const F_AFTER = 2; // a comma or the closing bracket
const F_COLON = 3; // a map's `:` after a key
const F_VALUE = 4; // a map's value

class BlockParser {
  private readonly t: string;
  private readonly len: number;
  /** The current line: its start, the end of its content (before \n or \r\n), the next line's start. */
  private ls = 0;
  private le = 0;
  private nx = 0;
  /** The current content line's first non-space offset. */
  private lc = 0;
  private readonly stack: Frame[] = [];
  private root: YAMLMap | YAMLSeq | null = null;
  /** Where a key repeats one before it in its map. */
  readonly duplicates: number[] = [];
  /** The keys of maps too long to search, by map. */
  private keySets: Map<YAMLMap, Set<unknown>> | undefined;

  private tail = VALUE;
  /** VALUE: the range of the scalar or flow collection that ended the last content line. */
  private tailRange: Range = [0, 0, 0];
  /** KEY, ITEM: where yaml puts the empty scalar (after the indicator and its spaces). */
  private tailPos = 0;
  /** KEY, ITEM: a comment since the indicator. */
  private anyComment = false;
  /** KEY: the newline yaml splits the comments at when the next key follows, and whether a comment came before it. */
  private splitAt = -1;
  private splitComment = false;
  private waitSplit = true;
  /** VALUE: comment lines still extend the value; then, comments that did not (and their deepest column). */
  private absorbing = true;
  /** The last content line ended a block scalar: comment lines after it never extend its range. */
  private blockTail = false;
  private pendComment = false;
  private pendMax = -1;

  /** Set by the scanners: end of the scalar read, and the `:` after it when it is a key (else -1). */
  private sEnd = 0;
  private colon = -1;
  /** Set by continueQuoted: what a quoted scalar's text up to its next line reads as. */
  private fold = ' ';

  constructor(text: string) {
    this.t = text;
    this.len = text.length;
  }

  private setLine(p: number): void {
    const t = this.t;
    const nl = t.indexOf('\n', p);
    this.ls = p;
    if (nl < 0) {
      this.le = this.len;
      this.nx = this.len;
    } else {
      this.le = nl > p && t.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
      this.nx = nl + 1;
    }
  }

  /** The first non-space offset of the current line; tabs in the indentation are yaml errors, or in doubt. */
  private indentEnd(): number {
    const t = this.t;
    let c = this.ls;
    while (t.charCodeAt(c) === SPACE) c++;
    if (t.charCodeAt(c) === TAB) bail();
    return c;
  }

  /** Whether offset j is at the end of the line or at a space (what ends an indicator). */
  private blankAt(j: number): boolean {
    if (j >= this.le) return true;
    const c = this.t.charCodeAt(j);
    if (c === TAB) bail();
    return c === SPACE;
  }

  parse(): Node | null {
    const t = this.t;
    const len = this.len;
    let p = 0;
    let marker = -1;
    let markerComment = false;
    let c = 0;
    // Before the content: comment lines, blank lines and at most one `---` line.
    for (; p < len; p = this.nx) {
      this.setLine(p);
      c = this.indentEnd();
      if (c === this.le) continue;
      const ch = t.charCodeAt(c);
      if (ch === HASH) {
        if (marker >= 0) markerComment = true;
        continue;
      }
      if (c === p && this.markerLine()) {
        if (marker >= 0 || ch === DOT) bail();
        let j = p + 3;
        while (t.charCodeAt(j) === SPACE) j++;
        if (j < this.le) {
          if (t.charCodeAt(j) !== HASH || j === p + 3) bail();
          markerComment = true;
        }
        marker = j;
        continue;
      }
      break;
    }
    // No content: yaml's contents are null, or an empty scalar after `---` (reaching over comments).
    if (p >= len) return marker < 0 ? null : nullAt(marker, markerComment ? len : marker);
    if (c !== p) bail(); // an indented root collection: rare, left to yaml
    this.open(c, 0);
    for (;;) {
      if (!this.trivia()) break;
      this.content();
    }
    this.finish();
    return this.root;
  }

  /** A `---` or `...` line start (yaml's test: three characters, then white space or the end). */
  private markerLine(): boolean {
    const t = this.t;
    const p = this.ls;
    const ch = t.charCodeAt(p);
    if ((ch !== DASH && ch !== DOT) || t.charCodeAt(p + 1) !== ch || t.charCodeAt(p + 2) !== ch) return false;
    if (p + 3 >= this.le) return true;
    const c3 = t.charCodeAt(p + 3);
    if (c3 === TAB) bail();
    return c3 === SPACE;
  }

  /**
   * Read the blank and comment lines after a content line, placing their comments as yaml does.
   * Returns false at the end of the text, else the current line is the next content line.
   */
  private trivia(): boolean {
    const t = this.t;
    this.absorbing = !this.blockTail;
    this.blockTail = false;
    this.pendComment = false;
    this.pendMax = -1;
    this.splitAt = -1;
    this.waitSplit = true;
    for (let p = this.nx; p < this.len; p = this.nx) {
      this.setLine(p);
      const c = this.indentEnd();
      const comment = c < this.le && t.charCodeAt(c) === HASH;
      if (c < this.le && !comment) {
        if (c === p && this.markerLine()) bail(); // `---`/`...` after content: another document
        this.lc = c;
        return true;
      }
      const col = c - p;
      const indent = this.stack[this.stack.length - 1].indent;
      if (this.tail === VALUE) {
        if (!comment) continue;
        if (this.absorbing && col > indent) {
          // yaml adds a comment line more indented than the collection to the value before it.
          this.tailRange[2] = this.nx;
          this.stack[this.stack.length - 1].end = this.nx;
        } else {
          this.absorbing = false;
          this.pendComment = true;
          if (col > this.pendMax) this.pendMax = col;
        }
      } else {
        if (comment) this.anyComment = true;
        if (this.tail !== KEY) continue;
        // yaml's "empty nodes" rule (blockMap in parser.js): the newlines after `key:` restart at a
        // comment more indented than the map, and from the second one on go to the next key.
        if (comment && col > indent) {
          this.splitAt = -1;
          this.waitSplit = true;
        } else if (this.waitSplit) {
          this.splitAt = this.le;
          this.splitComment = this.anyComment;
          this.waitSplit = false;
        }
      }
    }
    this.setLine(this.len);
    return false;
  }

  /** The current line is a content line: close what it is outside of, then read its item. */
  private content(): void {
    const t = this.t;
    const c = this.lc;
    const col = c - this.ls;
    const dash = t.charCodeAt(c) === DASH && this.blankAt(c + 1);
    let top = this.stack[this.stack.length - 1];
    const flow = t.charCodeAt(c) === LBRACE || t.charCodeAt(c) === LBRACKET;
    if (this.tail === KEY) {
      // `key:` then a deeper line, or a `-` at the key's column: the value is a block collection,
      // or a flow one on that line (charts render an empty map or list so: `key:\n  {}`).
      if (col > top.indent && flow) return this.valueBelow(top);
      if (col > top.indent || (dash && col === top.indent)) return this.open(c, col);
      this.endKey(c, !dash && col === top.indent);
    } else if (this.tail === ITEM) {
      if (col > top.indent && flow) return this.valueBelow(top);
      if (col > top.indent) return this.open(c, col);
      this.endItem(c);
    } else if (col > top.indent) bail(); // a continuation line of a plain scalar, or a yaml error
    for (;;) {
      if (col < top.indent || (!top.map && col === top.indent && !dash)) {
        this.close(c);
        if (this.stack.length === 0) bail();
        top = this.stack[this.stack.length - 1];
        continue;
      }
      break;
    }
    if (col !== top.indent || dash === top.map) bail();
    if (top.map) this.entry(top, c);
    else this.item(top, c);
  }

  /**
   * Add an entry to a map, noting where its key repeats an earlier one: equal values, as parse.ts's
   * duplicateKeys finds them in the yaml library's trees. A short map is searched, a long one keeps a
   * set (comparing each key with all before it takes minutes for a map of 50,000 keys).
   */
  private add(map: YAMLMap, key: Scalar, value: Node): void {
    const items = map.items;
    const k = key.value;
    const n = items.length;
    if (n < 16) {
      for (let i = 0; i < n; i++) {
        const o = (items[i].key as Scalar).value;
        // SameValueZero, a Set's equality: NaN repeats NaN.
        if (o === k || (o !== o && k !== k)) {
          this.duplicates.push((key.range as Range)[0]);
          break;
        }
      }
    } else {
      this.keySets ??= new Map();
      let set = this.keySets.get(map);
      if (!set) {
        set = new Set(items.map((p) => (p.key as Scalar).value));
        this.keySets.set(map, set);
      }
      if (set.has(k)) this.duplicates.push((key.range as Range)[0]);
      else set.add(k);
    }
    items.push(pair(key, value));
  }

  /** Open a block collection at offset c (column col) whose first item is on this line. */
  private open(c: number, col: number): void {
    if (this.stack.length >= MAX_DEPTH) bail();
    const dash = this.t.charCodeAt(c) === DASH && this.blankAt(c + 1);
    const f: Frame = { node: dash ? newSeq(c) : newMap(c), map: !dash, indent: col, end: c, key: null };
    this.stack.push(f);
    if (dash) this.item(f, c);
    else this.entry(f, c);
  }

  /** Close the innermost collection; x is where the line that closes it starts its content (or the text's end). */
  private close(x: number): void {
    const stack = this.stack;
    const f = stack[stack.length - 1];
    let after = f.end;
    // Trailing comment lines at the collection's indent or deeper stay in it (parser.js pop()), but
    // not in a collection at column 0: they go up to its parent, and so on.
    if (this.pendComment && f.indent > 0 && this.pendMax >= f.indent) {
      after = x;
      this.pendComment = false;
    }
    const r = f.node.range;
    if (r) {
      r[1] = f.end;
      r[2] = after;
    }
    stack.pop();
    const parent = stack[stack.length - 1];
    if (!parent) {
      this.root = f.node;
      return;
    }
    if (parent.map) {
      if (!parent.key) bail();
      this.add(parent.node as YAMLMap, parent.key, f.node);
      parent.key = null;
    } else (parent.node as YAMLSeq).items.push(f.node);
    parent.end = after;
  }

  /** The value of `key:` or `-` is a flow collection that this line starts (and ends). */
  private valueBelow(f: Frame): void {
    this.tail = VALUE;
    const value = this.valueAt(this.lc);
    if (!f.map) {
      (f.node as YAMLSeq).items.push(value);
      return;
    }
    if (!f.key) bail();
    this.add(f.node as YAMLMap, f.key, value);
    f.key = null;
  }

  /** `key:` got no value: a null whose range yaml stretches over the comments that follow. */
  private endKey(x: number, nextKey: boolean): void {
    const f = this.stack[this.stack.length - 1];
    const at = this.tailPos;
    const end = nextKey && this.splitAt >= 0 ? (this.splitComment ? this.splitAt : at) : this.anyComment ? x : at;
    if (!f.key) bail();
    this.add(f.node as YAMLMap, f.key, nullAt(at, end));
    f.key = null;
    f.end = end;
    this.tail = VALUE;
    this.pendComment = false;
  }

  /** `-` got no value. */
  private endItem(x: number): void {
    const f = this.stack[this.stack.length - 1];
    const at = this.tailPos;
    const end = this.anyComment ? x : at;
    (f.node as YAMLSeq).items.push(nullAt(at, end));
    f.end = end;
    this.tail = VALUE;
    this.pendComment = false;
  }

  private finish(): void {
    const x = this.len;
    if (this.tail === KEY) this.endKey(x, false);
    else if (this.tail === ITEM) this.endItem(x);
    while (this.stack.length > 0) this.close(x);
  }

  /** A `key: ...` line (or the rest of `- key: ...`) at offset k in map f. */
  private entry(f: Frame, k: number): void {
    const key = this.scalarAt(k);
    if (this.colon < 0) bail();
    this.afterKey(f, key, k);
  }

  private afterKey(f: Frame, key: Scalar, k: number): void {
    if (this.colon - k > MAX_KEY) bail();
    f.key = key;
    const t = this.t;
    let v = this.colon + 1;
    while (t.charCodeAt(v) === SPACE) v++;
    if (this.noValue(v, KEY, false)) return;
    const value = this.valueAt(v);
    this.add(f.node as YAMLMap, key, value);
    f.key = null;
  }

  /** A `- ...` line at offset d in seq f. */
  private item(f: Frame, d: number): void {
    const t = this.t;
    let v = d + 1;
    while (t.charCodeAt(v) === SPACE) v++;
    // Comment lines after the previous item that reached this sequence belong to this item's start.
    if (this.noValue(v, ITEM, this.pendComment)) return;
    if (t.charCodeAt(v) === DASH && this.blankAt(v + 1)) bail(); // `- - x`
    const ch = t.charCodeAt(v);
    if (ch === PIPE || ch === GT) {
      (f.node as YAMLSeq).items.push(this.blockScalar(v));
      return;
    }
    if (ch !== LBRACKET && ch !== LBRACE) {
      const s = this.scalarAt(v);
      if (this.colon >= 0) {
        // `- key: value`: a map whose keys are at this column.
        if (this.stack.length >= MAX_DEPTH) bail();
        const m: Frame = { node: newMap(v), map: true, indent: v - this.ls, end: v, key: null };
        this.stack.push(m);
        this.afterKey(m, s, v);
        return;
      }
      (f.node as YAMLSeq).items.push(this.ends(s));
      return;
    }
    (f.node as YAMLSeq).items.push(this.valueAt(v));
  }

  /**
   * Whether nothing but a comment follows an indicator at v; if so, note `kind` as the open tail.
   * `before`: comment lines before the indicator that yaml counts with it (a seq item's).
   */
  private noValue(v: number, kind: number, before: boolean): boolean {
    if (v < this.le && this.t.charCodeAt(v) !== HASH) {
      this.tail = VALUE;
      return false;
    }
    this.tail = kind;
    this.tailPos = v;
    this.anyComment = before || v < this.le;
    return true;
  }

  /** A value that ends the line: a scalar or a flow collection at v. */
  private valueAt(v: number): Node {
    const ch = this.t.charCodeAt(v);
    if (ch === LBRACKET || ch === LBRACE) {
      const node = this.flow(v);
      this.restOfLine(this.sEnd);
      return this.ends(node);
    }
    if (ch === DASH && this.blankAt(v + 1)) bail(); // `key: - x`
    if (ch === PIPE || ch === GT) return this.blockScalar(v);
    const s = this.scalarAt(v);
    if (this.colon >= 0) bail(); // `a: b: c`
    return this.ends(s);
  }

  /** A value ends its line: its range reaches over the comment and the newline. */
  private ends<N extends Node>(node: N): N {
    const r = node.range;
    if (!r) bail();
    r[2] = this.nx;
    this.tailRange = r;
    const f = this.stack[this.stack.length - 1];
    f.end = this.nx;
    return node;
  }

  /**
   * A block scalar whose header (`|` or `>`, then `-`, `+` or nothing) ends the line at v: reads its
   * lines, and leaves the line cursor so that the next line read is the first one after them. Its
   * indentation is the first content line's. Left to yaml: an indentation indicator or a comment on
   * the header, no content line, a blank line with more spaces than the indentation (its spaces are
   * content), tabs before the indentation, and a folded scalar's more-indented lines (folded differently).
   */
  private blockScalar(v: number): Scalar {
    const t = this.t;
    const folded = t.charCodeAt(v) === GT;
    let h = v + 1;
    // -1 strip, 0 clip, 1 keep: what happens to the line breaks at the end.
    let chomp = 0;
    if (h < this.le) {
      const c = t.charCodeAt(h);
      if (c === DASH) chomp = -1;
      else if (c === PLUS) chomp = 1;
      else bail();
      h++;
    }
    if (h !== this.le) bail();
    const top = this.stack[this.stack.length - 1];
    let indent = -1;
    /** The most spaces on a blank line before the first content line. */
    let leading = 0;
    let value = '';
    /** Blank lines since the last content line (or the header). */
    let blanks = 0;
    /** Where the last content line and the last blank line after it end (their line break included). */
    let contentEnd = -1;
    let blankEnd = -1;
    let p = this.nx;
    while (p < this.len) {
      this.setLine(p);
      let c = p;
      while (c < this.le && t.charCodeAt(c) === SPACE) c++;
      const sp = c - p;
      if (c === this.le) {
        // Spaces that end the text without a line break: yaml counts them in the range, not the value.
        if (this.le === this.len) bail();
        if (indent < 0) leading = Math.max(leading, sp);
        else if (sp > indent) bail();
        blanks++;
        blankEnd = this.nx;
        p = this.nx;
        continue;
      }
      if (indent < 0) {
        // The first content line sets the indentation; one not deeper than the collection ends an empty scalar.
        if (sp <= top.indent || leading > sp) bail();
        indent = sp;
      }
      if (sp < indent) {
        if (t.charCodeAt(c) === TAB) bail();
        break;
      }
      const line = t.slice(p + indent, this.le);
      if (hasControl(line)) bail();
      if (folded && (sp > indent || t.charCodeAt(c) === TAB)) bail();
      if (contentEnd < 0) value = '\n'.repeat(blanks) + line;
      else if (folded) value += (blanks > 0 ? '\n'.repeat(blanks) : ' ') + line;
      else value += '\n'.repeat(blanks + 1) + line;
      blanks = 0;
      contentEnd = this.nx;
      p = this.nx;
    }
    if (indent < 0) bail();
    if (chomp >= 0) value += '\n';
    if (chomp > 0) value += '\n'.repeat(blanks);
    const end = chomp > 0 && blanks > 0 ? blankEnd : contentEnd;
    // The next line read (trivia starts at nx) is the one that ended the scalar, or none.
    this.nx = p;
    const node = scalar(value, folded ? Scalar.BLOCK_FOLDED : Scalar.BLOCK_LITERAL, v, end, value);
    this.tailRange = node.range as Range;
    top.end = end;
    this.blockTail = true;
    return node;
  }

  /** After a quoted scalar or flow collection: only spaces, then a comment or the end of the line. */
  private restOfLine(j: number): void {
    const t = this.t;
    let k = j;
    while (t.charCodeAt(k) === SPACE) k++;
    if (k < this.le && (t.charCodeAt(k) !== HASH || k === j)) bail();
  }

  /**
   * A scalar at offset i in block context, plain or quoted. Sets `colon` to the offset of a `:` that
   * makes it a key (else -1) and `sEnd` to its end. A value must end its line (checked here).
   */
  private scalarAt(i: number): Scalar {
    const t = this.t;
    const ch = t.charCodeAt(i);
    this.colon = -1;
    if (ch === DQUOTE || ch === SQUOTE) {
      const line = this.ls;
      const value = ch === DQUOTE ? this.doubleQuoted(i, true) : this.singleQuoted(i, true);
      const end = this.sEnd;
      let k = end;
      while (t.charCodeAt(k) === SPACE) k++;
      if (t.charCodeAt(k) === COLON && this.blankAt(k + 1)) {
        if (this.ls !== line) bail(); // a key on more than one line: a yaml error
        this.colon = k;
      } else if (k < this.le && (t.charCodeAt(k) !== HASH || k === end)) bail();
      return scalar(value, ch === DQUOTE ? Scalar.QUOTE_DOUBLE : Scalar.QUOTE_SINGLE, i, end, value);
    }
    const end = this.plain(i);
    if (this.colon < 0) {
      const next = this.continuation(end);
      if (next >= 0) return this.plainLines(i, end, next);
    }
    const src = t.slice(i, end);
    return scalar(plainValue(src), Scalar.PLAIN, i, end, src);
  }

  /**
   * Whether a plain scalar that ends at `end` goes on below: nothing but spaces after it on its line,
   * and the next line that is not blank is deeper than the collection around it and not a comment.
   * Returns that line's start (the cursor does not move), or -1.
   */
  private continuation(end: number): number {
    const t = this.t;
    let k = end;
    while (t.charCodeAt(k) === SPACE) k++;
    if (k < this.le) return -1; // a comment ends it
    const indent = this.stack[this.stack.length - 1].indent;
    for (let p = this.nx; p < this.len; ) {
      let c = p;
      while (t.charCodeAt(c) === SPACE) c++;
      const ch = t.charCodeAt(c);
      if (ch === 10 || (ch === 13 && t.charCodeAt(c + 1) === 10)) {
        p = t.indexOf('\n', c) + 1;
        continue;
      }
      if (c - p <= indent || ch === HASH || c >= this.len) return -1;
      return p;
    }
    return -1;
  }

  /**
   * A plain scalar on more lines, from i to `end` on this line and going on at line `next` (see
   * continuation): its lines are folded (a line break is a space, blank lines are newlines) and
   * trimmed, then resolved as one. Leaves the cursor on its last line. A line that would make a
   * key, or starts with `:`, is left to yaml.
   */
  private plainLines(i: number, end: number, next: number): Scalar {
    const t = this.t;
    let value = t.slice(i, end);
    let last = end;
    let p = next;
    while (p >= 0) {
      let blanks = 0;
      for (let q = this.nx; q < p; q = t.indexOf('\n', q) + 1) blanks++;
      this.setLine(p);
      const c = this.indentEnd();
      // Indicators mean nothing there (`- x`, `"q`, `{` are text), but for `:`, which yaml reads otherwise.
      if (t.charCodeAt(c) === COLON) bail();
      const e = this.plainText(c);
      if (this.colon >= 0) bail(); // `key: value` below a scalar: a yaml error
      value += (blanks > 0 ? '\n'.repeat(blanks) : ' ') + t.slice(c, e);
      last = e;
      p = this.continuation(e);
    }
    return scalar(plainValue(value), Scalar.PLAIN, i, last, value);
  }

  /** A plain scalar in block context from i: returns its end; sets `colon` when `: ` ends it. */
  private plain(i: number): number {
    const c0 = this.t.charCodeAt(i);
    if (c0 < 128 && NOT_PLAIN_START[c0] === 1) bail();
    // `-` and `:` start a plain scalar unless white space follows (`::/0` is a scalar, `: x` is not).
    if ((c0 === DASH || c0 === COLON) && this.blankAt(i + 1)) bail();
    return this.plainText(i);
  }

  /** The rest of a plain scalar's line from i, whatever its first character: returns its end; sets `colon` when `: ` ends it. */
  private plainText(i: number): number {
    const t = this.t;
    const le = this.le;
    let last = i;
    for (let j = i; j < le; j++) {
      const ch = t.charCodeAt(j);
      // Letters and most punctuation: nothing to decide.
      if (ch > COLON && ch < 0xfeff) {
        last = j + 1;
        continue;
      }
      if (ch === SPACE) {
        if (t.charCodeAt(j + 1) === HASH) return last;
        continue;
      }
      if (ch === COLON) {
        if (j + 1 >= le) {
          this.colon = j;
          return last;
        }
        const n = t.charCodeAt(j + 1);
        if (n === SPACE) {
          this.colon = j;
          return last;
        }
      } else if (ch < 32 || ch === 0xfeff) bail(); // tabs, lone CRs, control characters, BOMs
      last = j + 1;
    }
    return last;
  }

  /**
   * Where a quoted scalar goes on after the end of its line (`multi`, in block context): the next
   * line that is not blank, where its text starts. `fold` is what the text from `from` to there
   * reads as: the rest of this line without its trailing spaces, then a space for the line break,
   * or a newline per blank line. The scalar's lines must be deeper than the collection around it.
   */
  private continueQuoted(from: number): number {
    const t = this.t;
    let e = this.le;
    while (e > from && t.charCodeAt(e - 1) === SPACE) e--;
    const kept = t.slice(from, e);
    const indent = this.stack[this.stack.length - 1].indent;
    let blanks = 0;
    for (;;) {
      if (this.nx >= this.len) bail(); // unterminated
      this.setLine(this.nx);
      let c = this.ls;
      while (c < this.le && t.charCodeAt(c) === SPACE) c++;
      if (c < this.le && t.charCodeAt(c) === TAB) bail();
      if (c === this.le) {
        blanks++;
        continue;
      }
      if (c - this.ls <= indent) bail();
      this.fold = kept + (blanks > 0 ? '\n'.repeat(blanks) : ' ');
      return c;
    }
  }

  /** A double-quoted scalar at i, on more lines when `multi`: its value; `sEnd` after the closing quote. */
  private doubleQuoted(i: number, multi: boolean): string {
    const t = this.t;
    let out = '';
    let from = i + 1;
    let j = from;
    for (;;) {
      if (j >= this.le) {
        // An escaped line break (`\` last) never gets here: the escape before it is refused.
        if (!multi) bail();
        from = j = this.continueQuoted(from);
        out += this.fold;
        continue;
      }
      const ch = t.charCodeAt(j);
      if (ch === DQUOTE) break;
      if (ch === BACKSLASH) {
        out += t.slice(from, j);
        const e = t.charAt(j + 1);
        const fixed = ESCAPES.get(e);
        if (fixed !== undefined) {
          out += fixed;
          j += 2;
        } else if (e === 'x' || e === 'u' || e === 'U') {
          const n = e === 'x' ? 2 : e === 'u' ? 4 : 8;
          if (j + 2 + n > this.le) bail();
          const hex = t.slice(j + 2, j + 2 + n);
          if (!HEX_DIGITS.test(hex)) bail();
          const code = parseInt(hex, 16);
          if (code > 0x10ffff) bail();
          out += String.fromCodePoint(code);
          j += 2 + n;
        } else bail();
        from = j;
        continue;
      }
      if (ch < 32 || ch === 0xfeff) bail();
      j++;
    }
    this.sEnd = j + 1;
    return from === i + 1 ? t.slice(from, j) : out + t.slice(from, j);
  }

  /** A single-quoted scalar at i, on more lines when `multi`. */
  private singleQuoted(i: number, multi: boolean): string {
    const t = this.t;
    let escaped = false;
    let out = '';
    let from = i + 1;
    let j = from;
    for (;;) {
      if (j >= this.le) {
        if (!multi) bail();
        from = j = this.continueQuoted(from);
        out += this.fold;
        continue;
      }
      const ch = t.charCodeAt(j);
      if (ch === SQUOTE) {
        if (t.charCodeAt(j + 1) !== SQUOTE) break;
        escaped = true;
        j += 2;
        continue;
      }
      if (ch < 32 || ch === 0xfeff) bail();
      j++;
    }
    this.sEnd = j + 1;
    // A fold adds a space or newlines, never a quote: the pairs left are the escapes.
    const raw = from === i + 1 ? t.slice(from, j) : out + t.slice(from, j);
    return escaped ? raw.replace(/''/g, "'") : raw;
  }

  /**
   * A flow collection on one line at i: items are scalars and flow collections, a map's entries
   * `key: value`. Sets `sEnd` after its closing bracket; its range[2] is the caller's to set.
   */
  private flow(i: number): YAMLMap | YAMLSeq {
    const t = this.t;
    const le = this.le;
    const open: (YAMLMap | YAMLSeq)[] = [];
    const keys: (Scalar | null)[] = [];
    /** The state each enclosing collection returns to when the one inside it closes. */
    const states: number[] = [];
    let state = F_FIRST;
    let j = i;
    for (;;) {
      while (t.charCodeAt(j) === SPACE) j++;
      if (j >= le) bail(); // unclosed on this line
      const ch = t.charCodeAt(j);
      const top = open[open.length - 1];
      const inMap = top instanceof FastMap;
      let node: Node;
      if (state === F_AFTER && ch === COMMA) {
        j++;
        state = F_NEXT;
        continue;
      }
      if ((state === F_AFTER || (state === F_FIRST && top)) && (ch === RBRACKET || ch === RBRACE)) {
        if (ch !== (inMap ? RBRACE : RBRACKET)) bail();
        open.pop();
        keys.pop();
        state = states.pop() ?? F_FIRST;
        j++;
        const r = top.range;
        if (!r) bail();
        r[1] = j;
        r[2] = j;
        if (open.length === 0) {
          this.sEnd = j;
          return top;
        }
        node = top;
      } else if (state === F_AFTER) {
        bail();
      } else if (state === F_COLON) {
        if (ch !== COLON || t.charCodeAt(j + 1) !== SPACE) bail();
        j++;
        state = F_VALUE;
        continue;
      } else if (ch === LBRACKET || ch === LBRACE) {
        if (open.length >= MAX_DEPTH || (inMap && state !== F_VALUE)) bail(); // too deep, or a collection as a key
        const c = ch === LBRACE ? newMap(j) : newSeq(j);
        c.flow = true;
        open.push(c);
        keys.push(null);
        states.push(state);
        j++;
        state = F_FIRST;
        continue;
      } else if (!top) {
        bail();
      } else if (ch === DQUOTE || ch === SQUOTE) {
        const value = ch === DQUOTE ? this.doubleQuoted(j, false) : this.singleQuoted(j, false);
        node = scalar(value, ch === DQUOTE ? Scalar.QUOTE_DOUBLE : Scalar.QUOTE_SINGLE, j, this.sEnd, value);
        j = this.sEnd;
      } else {
        const end = this.flowPlain(j);
        const src = t.slice(j, end);
        node = scalar(plainValue(src), Scalar.PLAIN, j, end, src);
        j = end;
      }
      // An item was read (a scalar, or a collection just closed): place it in the one around it.
      const d = open.length - 1;
      if (open[d] instanceof FastMap && state !== F_VALUE) {
        keys[d] = node as Scalar;
        state = F_COLON;
        continue;
      }
      // A flow item's range reaches over the spaces after it.
      while (t.charCodeAt(j) === SPACE) j++;
      const r = node.range;
      if (!r) bail();
      r[2] = j;
      const key = keys[d];
      if (key) {
        this.add(open[d] as YAMLMap, key, node);
        keys[d] = null;
      } else (open[d] as YAMLSeq).items.push(node);
      state = F_AFTER;
    }
  }

  /** A plain scalar inside a flow collection at j: returns its end. */
  private flowPlain(j: number): number {
    const t = this.t;
    const le = this.le;
    const c0 = t.charCodeAt(j);
    if (c0 < 128 && NOT_PLAIN_START[c0] === 1) bail();
    if (c0 === DASH || c0 === COLON) {
      const n = t.charCodeAt(j + 1);
      if (j + 1 >= le || n === SPACE || isFlowIndicator(n)) bail();
    }
    let last = j;
    for (let k = j; k < le; k++) {
      const c = t.charCodeAt(k);
      if (isFlowIndicator(c)) break;
      if (c === SPACE) {
        if (t.charCodeAt(k + 1) === HASH) bail(); // a comment inside: the collection spans lines
        continue;
      }
      if (c === COLON) {
        const n = t.charCodeAt(k + 1);
        if (k + 1 >= le || n === SPACE || isFlowIndicator(n)) break;
      } else if (c < 32 || c === 0xfeff) bail();
      last = k + 1;
    }
    return last;
  }
}

/**
 * The contents of one YAML document when it is in the plain block subset (block maps and
 * sequences, plain and quoted scalars, block scalars, one-line flow collections, comments);
 * `undefined` when not, or in doubt:
 * then parse it with `yaml`. Equal to `parseDocument(text).contents` (strict, no unique-key check)
 * in node types, values, styles and ranges; `duplicates` are the offsets of repeated keys, sorted.
 * Never throws.
 */
export function parseBlockDocument(text: string): { contents: Node | null; duplicates: number[] } | undefined {
  try {
    const parser = new BlockParser(text);
    const contents = parser.parse();
    return { contents, duplicates: parser.duplicates.sort((a, b) => a - b) };
  } catch {
    // BAIL, or a bug: either way yaml decides.
    return undefined;
  }
}
