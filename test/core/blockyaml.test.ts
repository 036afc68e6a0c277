/**
 * Differential test of the block-subset fast path (server/src/core/blockyaml.ts) against `yaml`:
 * wherever parseBlockDocument returns a tree, yaml must parse the same text without errors or
 * warnings into an equal one (node kinds, ranges, values with Object.is, styles, tags, flow, items).
 * Inputs: hand-written edge cases, every YAML file of the fixtures, examples and the shared
 * conformance corpus, the LSP benchmark generator's output, seeded mutants of all of those, and
 * seeded random documents that put comments, nulls and compact forms where the ranges are subtle.
 * Repeated keys too: as many as yaml's own unique-key check reports, where yaml's tree has them.
 * Coverage is asserted too, so that the fast path cannot pass by giving up.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { isMap, isPair, isScalar, isSeq, parseDocument } from 'yaml';
import { parseBlockDocument } from '../../server/src/core/blockyaml';
import { splitDocuments } from '../../server/src/core/parse';
import { ROOT, SHARED } from '../util/paths';
import { rng } from '../util/random';

const OPTIONS = { keepSourceTokens: false, uniqueKeys: false, prettyErrors: false, strict: true } as const;
/** Keys repeat when their values are the same to a Set (SameValueZero: NaN repeats NaN), as parse.ts counts them. */
const sameKey = (a: unknown, b: unknown): boolean => isScalar(a) && isScalar(b) && (a.value === b.value || (Number.isNaN(a.value) && Number.isNaN(b.value)));

/** The first difference between yaml's tree and ours, as a path and what differs; null when equal. */
function difference(a: unknown, b: unknown, path = '$'): string | null {
  if (a === null || b === null || a === undefined || b === undefined) return a === b ? null : `${path}: ${String(a)} vs ${String(b)}`;
  const kind = (n: unknown): string => `${isMap(n)} ${isSeq(n)} ${isScalar(n)} ${isPair(n)}`;
  if (kind(a) !== kind(b)) return `${path}: node kind ${kind(a)} vs ${kind(b)}`;
  if (isPair(a) && isPair(b)) return difference(a.key, b.key, `${path}.key`) ?? difference(a.value, b.value, `${path}.value`);
  if (!(isScalar(a) || isMap(a) || isSeq(a)) || !(isScalar(b) || isMap(b) || isSeq(b))) return `${path}: not a node`;
  if (JSON.stringify(a.range) !== JSON.stringify(b.range)) return `${path}: range ${JSON.stringify(a.range)} vs ${JSON.stringify(b.range)}`;
  if (a.tag !== b.tag) return `${path}: tag ${a.tag} vs ${b.tag}`;
  if (isScalar(a) && isScalar(b)) {
    if (!Object.is(a.value, b.value)) return `${path}: value ${typeof a.value} ${String(a.value)} vs ${typeof b.value} ${String(b.value)}`;
    if (a.type !== b.type) return `${path}: type ${a.type} vs ${b.type}`;
    if (a.source !== b.source) return `${path}: source ${a.source} vs ${b.source}`;
    return null;
  }
  if ((isMap(a) || isSeq(a)) && (isMap(b) || isSeq(b))) {
    if (a.flow !== b.flow) return `${path}: flow ${a.flow} vs ${b.flow}`;
    if (a.items.length !== b.items.length) return `${path}: ${a.items.length} vs ${b.items.length} items`;
    for (let i = 0; i < a.items.length; i++) {
      const d = difference(a.items[i], b.items[i], `${path}[${i}]`);
      if (d) return d;
    }
  }
  return null;
}

/** Where a key in yaml's tree repeats an earlier key of its map, sorted. */
function repeatedKeys(node: unknown, out: number[] = []): number[] {
  if (isSeq(node)) for (const item of node.items) repeatedKeys(item, out);
  if (isMap(node)) {
    node.items.forEach((p, i) => {
      if (node.items.slice(0, i).some((q) => sameKey(q.key, p.key)) && isScalar(p.key) && p.key.range) out.push(p.key.range[0]);
      repeatedKeys(p.value, out);
    });
  }
  return out.sort((a, b) => a - b);
}

interface Outcome {
  readonly fast: boolean;
  /** Why the fast result is wrong; undefined when it is right or when the fast path gave up. */
  readonly problem?: string;
}

function compare(text: string): Outcome {
  const fast = parseBlockDocument(text);
  if (fast === undefined) return { fast: false };
  const ours = fast.contents;
  const doc = parseDocument(text, OPTIONS);
  const issues = [...doc.errors, ...doc.warnings];
  if (issues.length > 0) return { fast: true, problem: `yaml reports ${issues.map((e) => e.code).join(', ')}` };
  // The lookup downstream code uses must work on our nodes too.
  if (isMap(ours)) {
    const first = ours.items.find((p) => isScalar(p.key) && typeof p.key.value === 'string');
    if (first && isScalar(first.key) && ours.get(first.key.value, true) !== (first.value ?? undefined)) return { fast: true, problem: 'map.get' };
  }
  const d = difference(doc.contents, ours);
  if (d) return { fast: true, problem: d };
  // yaml's check counts them (it places some at the line break before the key); yaml's tree places them.
  const count = parseDocument(text, { ...OPTIONS, uniqueKeys: sameKey }).errors.filter((e) => e.code === 'DUPLICATE_KEY').length;
  const repeated = repeatedKeys(doc.contents);
  if (repeated.length !== count) return { fast: true, problem: `yaml finds ${count} repeated keys, the test ${repeated.length}` };
  if (JSON.stringify(repeated) !== JSON.stringify(fast.duplicates)) return { fast: true, problem: `repeated keys at ${JSON.stringify(repeated)} vs ${JSON.stringify(fast.duplicates)}` };
  return { fast: true };
}

function assertSame(text: string, label: string): Outcome {
  const r = compare(text);
  if (r.problem) assert.fail(`${label}: ${r.problem}\n--- input ---\n${JSON.stringify(text)}`);
  return r;
}

/** The documents of a file as parseFile cuts them. */
function documents(text: string): string[] {
  const t = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  return splitDocuments(t).map((p) => t.slice(p.start, p.end));
}

function yamlFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((e) => {
    const p = join(dir, e);
    return statSync(p).isDirectory() ? yamlFiles(p) : /\.ya?ml$/.test(e) ? [p] : [];
  });
}

const CONFORMANCE = join(SHARED, 'conformance', 'netpol-analyzer');
const corpusFiles = [...yamlFiles(join(ROOT, 'test', 'fixtures')), ...yamlFiles(join(ROOT, 'examples')), ...yamlFiles(CONFORMANCE)];
const corpus = corpusFiles.flatMap((f) => documents(readFileSync(f, 'utf8')).map((text) => ({ file: relative(ROOT, f), text })));

// `fast`: must be taken (and right); `bail`: must be left to yaml; `any`: right if taken.
type Expect = 'fast' | 'bail' | 'any';
const CASES: [string, Expect][] = [
  // Scalar resolution, as the core schema does it.
  ...['~', 'null', 'Null', 'NULL', 'nULL', 'true', 'True', 'TRUE', 'tRUE', 'false', 'False', 'FALSE', 'yes', 'no', 'on', 'y'].map((v): [string, Expect] => [`a: ${v}\n`, 'fast']),
  ...['0', '-0', '+0', '1', '+1', '-1', '007', '0777', '12345678901234567890', '0x1F', '0xff', '0X1F', '0x', '0o17', '0o8', '0o', '0b101', '1_000', '1,000'].map((v): [string, Expect] => [`a: ${v}\n`, 'fast']),
  ...['1.0', '1.50', '-1.5', '+.5', '.5', '1.', '-.0', '1e3', '1E3', '1e+3', '1.5e-3', '.5e3', '1e', 'e3', '1.2.3', '.inf', '.Inf', '.INF', '+.inf', '-.inf', '-.Inf', '.nan', '.NaN', '.NAN', '-.nan', '.iNF', 'inf', 'NaN'].map((v): [string, Expect] => [`a: ${v}\n`, 'fast']),
  ...['"1"', "'1'", '"true"', "'null'", '""', "''", '"a\\"b"', "'it''s'", '"\\u00e9\\x41\\U0001F600\\t\\n\\\\\\/\\ \\0\\_"', '"tab\\tend"', '"x: y # z"', "'# not a comment'"].map((v): [string, Expect] => [`a: ${v}\n`, 'fast']),
  ...['"\\q"', '"\\x4"', '"\\uZZZZ"', '"\\U00110000"', '"open', "'open", '"a"b', '"a"#c'].map((v): [string, Expect] => [`a: ${v}\n`, 'bail']),
  // Quoted scalars on more lines (kubectl wraps long ones): folded, trimmed, blank lines kept.
  ...['"', "'"].flatMap((q): [string, Expect][] => [
    [`a: ${q}line\n  two${q}\n`, 'fast'],
    [`a: ${q}x  \n   y \n\n  z  ${q} # c\n  # d\nb: 1\n`, 'fast'],
    [`a: ${q}\n  x\n  ${q}\n`, 'fast'],
    [`a: ${q}x\n\n\n  y\n     \n  z${q}\n`, 'fast'],
    [`m:\n  a: ${q}x\n   y${q}\n  b: ${q}p\n      q${q}\n`, 'fast'],
    [`- ${q}x\n y${q}\n- ${q}{k: v,\n  w: [1]}${q}\n`, 'fast'],
    [`- a: ${q}x\n    y${q}\n  b: 1\n`, 'fast'],
    [`a: ${q}it''s\n  ''q'' # not a comment\n  - not an item: x${q}\n`, q === "'" ? 'fast' : 'any'],
    [`a: ${q}x\ny${q}\n`, 'bail'],
    [`m:\n  a: ${q}x\n  y${q}\n`, 'bail'],
    [`- ${q}x\ny${q}\n`, 'bail'],
    [`a: ${q}x\n  y\n`, 'bail'],
    [`a: ${q}x\n  y`, 'bail'],
    [`${q}a\n b${q}: 1\n`, 'bail'],
    [`- ${q}a\n  b${q}: 1\n`, 'bail'],
    [`a: ${q}x\n\ty${q}\n`, 'bail'],
    [`a: ${q}x\t\n  y${q}\n`, 'bail'],
    [`a: [${q}x\n  y${q}]\n`, 'bail'],
    [`a: ${q}x\n---\n  y${q}\n`, 'bail'],
    [`a: ${q}x\n  y${q} z\n`, 'bail'],
  ]),
  ['a: "x\\\n  y"\n', 'bail'],
  ['a: "x\\ \n  y\\t \n  z"\n', 'fast'],
  ['a: "\\u00e9\n  \\x41 b"\n', 'fast'],
  // Keys.
  ['"x": 1\n', 'fast'],
  ["'x y': 1\n", 'fast'],
  ['1: a\ntrue: b\nnull: c\n~: d\n0x10: e\n', 'fast'],
  // Repeated keys: equal values, whatever the spelling; nested, in flow maps, in maps long enough for a set.
  ['a: 1\nb: 2\na: 3\n', 'fast'],
  ['1: a\n"1": b\n0x1: c\n.nan: d\n.NaN: e\n-0: f\n0: g\n', 'fast'],
  ['a:\n  b: 1\n  b:\n  c: {x: 1, y: 2, x: 3}\na:\n- {}\n', 'fast'],
  [`${Array.from({ length: 40 }, (_, i) => `k${i % 25}: ${i}\n`).join('')}`, 'fast'],
  [`m:\n${Array.from({ length: 20 }, (_, i) => `  k${i}: {}\n`).join('')}  k3: again\n  k19:\n`, 'fast'],
  ['a b: c\n', 'fast'],
  ['a : b\n', 'fast'],
  ['"a"  : b\n', 'fast'],
  ['a#b: c\n', 'fast'],
  [':x: 1\n', 'fast'],
  ['-x: 1\n', 'fast'],
  ['app.kubernetes.io/name: web\n', 'fast'],
  ['é: ü\n日本: 語\n', 'fast'],
  [`${'k'.repeat(1100)}: v\n`, 'bail'],
  ['? a\n: b\n', 'bail'],
  [': a\n', 'bail'],
  ['[a]: b\n', 'bail'],
  ['&x a: b\n', 'bail'],
  // Plain scalars: what ends them.
  ['a: b #c\n', 'fast'],
  ['a: b#c\n', 'fast'],
  ['a: b   \n', 'fast'],
  ['a: b   # c   \n', 'fast'],
  ['a:b\n', 'bail'],
  ['a: b: c\n', 'bail'],
  ['a: b:\n', 'bail'],
  ['a: b:c\n', 'fast'],
  ['a: ::/0\n', 'fast'],
  ['a: http://x:80/p?q=1#f\n', 'fast'],
  ['a: x, y] z}\n', 'fast'],
  ['a: ---\nb: ...\n', 'fast'],
  ['a: - x\n', 'bail'],
  ['a: -x\n', 'fast'],
  // Plain scalars on more lines (kubectl wraps long ones): folded, trimmed, then resolved as one.
  ['a: b\n  c\n', 'fast'],
  ['a: b\n\n  c\n', 'fast'],
  ['- a\n  b\n', 'fast'],
  ['a: b  \n  c  \n\n   d # e\n  # f\nb: 1\n', 'fast'],
  ['- chown x; chown\n  /var/log\n- y\n', 'fast'],
  ['a: 1\n  2\nb: true\n  false\nc: null\n  ~\n', 'fast'],
  ['m:\n  a: x\n   y\n    z\n  b: 1\n', 'fast'],
  ['- a: x\n    y\n  b: p\n   q\n', 'fast'],
  ['a: x\n  y\n  \n\n  z', 'fast'],
  ['a: x\n  http://h:80/p#f\n', 'fast'],
  ['a: b\n  # c\n  d\n', 'bail'],
  ['a: b # c\n  d\n', 'bail'],
  ['a: b\n  c: d\n', 'bail'],
  ['a: b\n  c:\n', 'bail'],
  ['a: b\n  - x\n', 'fast'],
  ['a: b\n  [x]\n', 'fast'],
  ['a: b\n  "x"\n', 'fast'],
  ...['? c', '&x c', '!t c', '*x', '{x', "'x", '| c', '% c', '@c', '-', ',x]', 'x#y', '---', '...', '"2m", "1h")'].map((v): [string, Expect] => [`a: b\n  ${v}\nc: d\n`, 'fast']),
  ['a: b\n  : c\n', 'bail'],
  ['a: b\n  :c\n', 'bail'],
  // A flow collection on the line below `key:` or `-` (charts render empty maps and lists so).
  ['a:\n  {}\nb: 1\n', 'fast'],
  ['m:\n  a:\n    {}\n  b: []\n', 'fast'],
  ['a:\n  [x, y] # c\n    # d\nb: 1\n', 'fast'],
  ['- a:\n    {}\n  b: 1\n', 'fast'],
  ['-\n  {}\n- x\n', 'fast'],
  ['- # c\n  [x]\n-\n', 'fast'],
  ['a: # c\n  {}\n', 'fast'],
  ['a:\n\n  # c\n  {k: v}\n', 'fast'],
  ['a:\n  {}\n  b: 1\n', 'bail'],
  ['a:\n  {} x\n', 'bail'],
  ['a:\n  {\n', 'bail'],
  ['a:\n{}\n', 'bail'],
  ['m:\n  a: b\n  c\n', 'bail'],
  ['a: b\n\tc\n', 'bail'],
  ['a: b\n  c\td\n', 'bail'],
  // Block scalars: literal and folded, each chomping, where they end, and what is left to yaml.
  ['a: |\n  x\n', 'fast'],
  ['a: >-\n  x\n', 'fast'],
  ...['|', '|-', '|+', '>', '>-', '>+'].flatMap((h): [string, Expect][] => [
    [`a: ${h}\n  x\n  y\nb: 1\n`, 'fast'],
    [`a: ${h}\n  x\n\n  y\n\n\nb: 1\n`, 'fast'],
    [`a: ${h}\n\n  x\n  \n  y\n \n`, 'fast'],
    [`a: ${h}\n  x\n  y`, 'fast'],
    [`a: ${h}\n  x  \n  # not a comment\n# a comment\nb: 1\n`, 'fast'],
    [`m:\n  a: ${h}\n      x\n    # c\n  b: 1\n`, 'fast'],
    [`m:\n  a: ${h}\n    x\n\n# c\n  b: 1\nn: 2\n`, 'fast'],
    [`m:\n  a: ${h}\n    x\n\nn: 1\n`, 'fast'],
    [`m:\n  a: ${h}\n    x\n  # c\n`, 'fast'],
    [`- ${h}\n  x\n- ${h}\n   y\n  # c\n-\n`, 'fast'],
    [`a:\n- ${h}\n  x\n  y\n# c\n- z\n`, 'fast'],
    [`- a: ${h}\n    x\n  b: ${h}\n    y\n`, 'fast'],
    [`a: ${h}\n  {"k": [1, 2]}\n  - x: y\n  'q' "r" \\t\n`, 'fast'],
    [`a: ${h}\n  x\n b: 1\n`, 'any'],
    [`a: ${h}\nb: 1\n`, 'bail'],
    [`a: ${h}\n`, 'bail'],
    [`a: ${h} # c\n  x\n`, 'bail'],
    [`a: ${h}2\n  x\n`, 'bail'],
    [`a: ${h}\n    \n  x\n`, 'bail'],
    [`a: ${h}\n  x\n     \n  y\n`, 'bail'],
    [`a: ${h}\n\tx\n`, 'bail'],
    [`a: ${h}\n  x\n  `, 'bail'],
  ]),
  ['a: |\n  x\n    more\n  \ty\n', 'fast'],
  ['a: |\n  x\ry\n', 'bail'],
  ['a: |\n  x\u0007\n', 'bail'],
  ['a: >\n  x\n    more\n  y\n', 'bail'],
  ['a: >\n  x\n  \ty\n', 'bail'],
  ['a: |\n  x\n\tb: 1\n', 'bail'],
  ['a: |x\n  x\n', 'bail'],
  ['a: |-+\n  x\n', 'bail'],
  ['a: *x\n', 'bail'],
  ['a: !t x\n', 'bail'],
  ['a: @x\n', 'bail'],
  ['a: `x\n', 'bail'],
  ['a: %x\n', 'bail'],
  ['a: b\tc\n', 'bail'],
  ['a:\tb\n', 'bail'],
  ['\ta: b\n', 'bail'],
  ['a:\n\t- b\n', 'bail'],
  [`a: ${'x'.repeat(100_000)}\n`, 'fast'],
  // Block structure.
  ['a:\n- x\n- y\nb: 1\n', 'fast'],
  ['a:\n  - x\n  - y\n', 'fast'],
  ['- a: 1\n  b: 2\n- c\n', 'fast'],
  ['-   a: 1\n    b: 2\n', 'fast'],
  ['-\n  a: 1\n-\n- x\n', 'fast'],
  ['- - x\n', 'bail'],
  ['-\n  - x\n', 'fast'],
  ['- a:\n  - x\n  b: 1\n', 'fast'],
  ['- a:\n- b:\n', 'fast'],
  ['a:\nb:\nc:', 'fast'],
  ['a:  \nb: \n', 'fast'],
  ['a:\n    b: 1\n  c: 2\n', 'bail'],
  ['a: 1\n b: 2\n', 'bail'],
  ['a: 1\n- x\n', 'bail'],
  ['- a\nb: 1\n', 'bail'],
  ['  a: 1\n  b: 2\n', 'any'],
  ['a\n', 'any'],
  ['"a"\n', 'any'],
  ['[a]\n', 'any'],
  ['a: {}\nb: []\nc: { }\nd: [ ]\n', 'fast'],
  ['policyTypes: [Ingress, Egress]\nm: {app: web, tier: "db", n: 1}\n', 'fast'],
  ['a: [[x], {y: [z, {}]}, "q", \'r\', -1, ::/0]  # c\n', 'fast'],
  ['a: [ x , y ]\n', 'fast'],
  ['a: [x,]\n', 'bail'],
  ['a: [, x]\n', 'bail'],
  ['a: {x}\n', 'bail'],
  ['a: {x: }\n', 'bail'],
  ['a: {x:y}\n', 'bail'],
  ['a: {"x":y}\n', 'bail'],
  ['a: [x: y]\n', 'bail'],
  ['a: [x\n  , y]\n', 'bail'],
  ['a: [x] # c\n', 'fast'],
  ['a: [x]# c\n', 'bail'],
  ['a: [x] y\n', 'bail'],
  ['a: [\n', 'bail'],
  ['a: [x]]\n', 'bail'],
  [`a: ${'['.repeat(100)}${']'.repeat(100)}\n`, 'bail'],
  // Comments, blank lines and the ranges they stretch.
  ['# c\na: 1\n', 'fast'],
  ['a: 1\n# c\n', 'fast'],
  ['a: 1\n   # deeper than the map: part of the value\nb: 2\n', 'fast'],
  ['a: 1\n\n   # d\n# shallow\n   # deep again\nb: 2\n', 'fast'],
  ['a:\n  b: 1\n  # at the nested indent: part of the nested map\nc: 2\n', 'fast'],
  ['a:\n  b: 1\n # shallower: not\nc: 2\n', 'fast'],
  ['a:\n  b:\n    c: 1\n    # t\n  d: 2\n', 'fast'],
  ['a:\n  b: 1\n  # at the end\n', 'fast'],
  ['a:\n  b: 1\n  # at the end, no newline', 'fast'],
  ['a:\n# c\nb: 1\n', 'fast'],
  ['a: # c\n\nb: 1\n', 'fast'],
  ['a:\n  # deep\n\nb: 1\n', 'fast'],
  ['x:\n  a:\n    # deep\n  b: 1\n', 'fast'],
  ['x:\n  a:\n\n    # c\n\n  b: 1\n', 'fast'],
  ['- a: 1\n  # c\n- b\n', 'fast'],
  ['- a: 1\n # c\n- b\n', 'fast'],
  ['-\n# c\n- b\n', 'fast'],
  ['- # c\n- b\n', 'fast'],
  ['- x\n# c\n-\n', 'fast'],
  ['a:\n  - x\n  # c\n  -\n', 'fast'],
  ['a:\n  b:\n  - x\n  # c\n  d: 1\n', 'fast'],
  ['a: "x"  # c\n  # d\n', 'fast'],
  ['a: [x]\n  # d\n', 'fast'],
  ['a:\n  - b: [1, 2]   # c\n      # d\n    c: {}\n', 'fast'],
  ['a:    # c\n  b: 1\n', 'fast'],
  ['a:\n  # c\n  b: 1\n', 'fast'],
  // Documents: markers, empty ones, line ends.
  ['', 'fast'],
  ['\n\n', 'fast'],
  ['# only a comment\n', 'fast'],
  ['   \n  # c\n', 'fast'],
  ['---\n', 'fast'],
  ['---', 'fast'],
  ['--- # c\n', 'fast'],
  ['--- # c\n# x\n\n', 'fast'],
  ['---   \n\n', 'fast'],
  ['# lead\n---\na: 1\n', 'fast'],
  ['--- # c\na: 1\n', 'fast'],
  ['---\n# c\na: 1\n', 'fast'],
  ['--- a: 1\n', 'bail'],
  ['---#c\na: 1\n', 'bail'],
  ['--- |\n  x\n', 'bail'],
  ['%YAML 1.2\n---\na: 1\n', 'bail'],
  ['a: 1\n...\n', 'bail'],
  ['a: 1\n---\nb: 2\n', 'bail'],
  ['a: 1\r\nb:\r\n  - x # c\r\n\r\n  # d\r\n', 'fast'],
  ['a: 1\rb: 2\n', 'bail'],
  ['a: "x\ry"\n', 'bail'],
  ['a: 1\n\u0000\n', 'bail'],
  ['a: b\u0007c\n', 'bail'],
  ['a: x\ufeffy\n', 'bail'],
  // Characters yaml gives no meaning to in block context.
  ...['\u2028', '\u2029', '\u0085', '\u00a0', '\u0080', '\u007f', '\ud83d\ude00', '\ud800', '\u200b'].map((c): [string, Expect] => [`a: x${c}y\nk${c}: "${c}"\nb: [${c}]\n`, 'fast']),
  // An empty item after comment lines: yaml counts them with the item, and stretches its null over them.
  ['- x\n# c\n-\n', 'fast'],
  ['- a: 1\n  # c\n-\n', 'fast'],
  ['- a: 1\n # c\n-', 'fast'],
  ['- x\n# c\n- a:\n', 'fast'],
  ['a: 1', 'fast'],
  ['a:', 'fast'],
  ['-', 'fast'],
  ['- ', 'fast'],
];

test('hand-written edge cases agree with yaml, and the subset is taken', () => {
  for (const [text, expect] of CASES) {
    const r = assertSame(text, 'case');
    if (expect !== 'any') assert.equal(r.fast ? 'fast' : 'bail', expect, JSON.stringify(text));
    // The same with Windows line ends.
    if (text.includes('\n') && !text.includes('\r')) {
      const crlf = assertSame(text.replace(/\n/g, '\r\n'), 'CRLF case');
      if (expect !== 'any') assert.equal(crlf.fast ? 'fast' : 'bail', expect, JSON.stringify(text));
    }
  }
});

test('the corpus (fixtures, examples, conformance) agrees with yaml, and examples and cluster dumps are taken', () => {
  assert.ok(corpus.length > 100, `found only ${corpus.length} documents`);
  let examples = 0;
  let examplesFast = 0;
  const dumps: string[] = [];
  for (const d of corpus) {
    const r = assertSame(d.text, d.file);
    if (d.file.startsWith('examples')) {
      examples++;
      if (r.fast) examplesFast++;
    }
    // The conformance manifests are mostly `kubectl get -o yaml` output: block scalars
    // (last-applied-configuration) and long values wrapped over lines, all in the subset.
    if (d.file.includes('conformance') && !r.fast) dumps.push(d.file);
  }
  assert.ok(examples > 0);
  assert.ok(examplesFast >= 0.99 * examples, `${examplesFast}/${examples} example documents on the fast path`);
  if (existsSync(CONFORMANCE)) assert.deepEqual(dumps, [], 'conformance documents left to yaml');
});

test('the LSP benchmark generator: every document taken, and equal', (t) => {
  const gen = join(SHARED, 'lsp-bench', 'gen.mjs');
  if (!existsSync(gen)) return t.skip(`${gen} is absent (../shared not checked out)`);
  const dir = mkdtempSync(join(tmpdir(), 'netpol-blockyaml-'));
  try {
    const out = join(dir, 'policies.yaml');
    const r = spawnSync(process.execPath, [gen, '--n', '100', '--seed', '7', '--out', out], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const docs = documents(readFileSync(out, 'utf8'));
    assert.ok(docs.length >= 100);
    let fast = 0;
    for (const text of docs) if (assertSame(text, 'generated').fast) fast++;
    assert.ok(fast >= 0.99 * docs.length, `${fast}/${docs.length} generated documents on the fast path`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** Characters that matter to YAML, for insertions. */
const PUNCTUATION = ' \n\n  #:-"\'{}[],\t\r!&*|>?%@`0.e\\~';

test('seeded mutants of the corpus agree with yaml', () => {
  const r = rng(0x626c6f63);
  const texts = corpus.map((d) => d.text).filter((t) => t.length < 20_000);
  let fast = 0;
  const N = 3000;
  for (let i = 0; i < N; i++) {
    let s = texts[Math.floor(r() * texts.length)];
    const edits = 1 + Math.floor(r() * 3);
    for (let e = 0; e < edits; e++) {
      const at = Math.floor(r() * (s.length + 1));
      const op = Math.floor(r() * 6);
      if (op === 0) s = s.slice(0, at) + s.slice(at + 1);
      else if (op === 1) s = s.slice(0, at) + PUNCTUATION[Math.floor(r() * PUNCTUATION.length)] + s.slice(at);
      else if (op === 2) s = s.slice(0, at) + s.charAt(at) + s.slice(at);
      else {
        const lines = s.split('\n');
        const li = Math.floor(r() * lines.length);
        if (op === 3) lines.splice(li, 1);
        else if (op === 4) lines.splice(li, 0, lines[Math.floor(r() * lines.length)]);
        else lines[li] = ' '.repeat(1 + Math.floor(r() * 3)) + lines[li];
        s = lines.join('\n');
      }
    }
    if (assertSame(s, `mutant ${i}`).fast) fast++;
  }
  assert.ok(fast > N / 4, `only ${fast}/${N} mutants on the fast path: the test would prove little`);
});

// Random documents in and around the subset: nesting, compact forms, empty values, flow, quoted and
// block scalars, values on more lines, and comment and blank lines at random columns between everything.
const SCALARS = ['a', 'web', 'x y', '1', '-1', '+1', '-0', '1.50', '1e3', '.5', '0x1F', '0o17', '0777', '.inf', '-.Inf', '.nan', 'true', 'False', 'null', '~', 'yes', '10.0.0.0/8', '::/0', ':x', '-x', 'a:b', 'a#b', '"q"', "'s'", '"a\\"b"', "'it''s'", '"\\u00e9"', '""', "''", '[]', '{}', '[a, b]', '{a: 1, b: [c]}', '[ x , "y" ]', '{ }', 'é', '---'];
const ODD = ['-', ':', '?', 'a: b', '- a', '&x a', '*x', '!t a', '|', '>', '@x', '%x', '"open', '[a,]', '{a}', 'a\tb', 'a # b: c'];
const KEYS = ['a', 'b', 'key', 'app.kubernetes.io/name', '"q"', "'s'", '1', 'true', 'null', '~', '-k', ':k', 'a b', 'k#', '"a: b"', "''"];

function randomDocument(r: () => number, odd: boolean): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  const scalar = (): string => (odd && r() < 0.1 ? pick(ODD) : pick(SCALARS));
  const lines: string[] = [];
  let budget = 6 + Math.floor(r() * 40);
  const trivia = (maxIndent: number): void => {
    while (r() < 0.25) {
      const indent = ' '.repeat(Math.floor(r() * (maxIndent + 5)));
      lines.push(r() < 0.5 ? (r() < 0.5 ? '' : indent) : `${indent}# c`);
    }
  };
  const tail = (): string => (r() < 0.15 ? ' # t' : '') + (r() < 0.05 ? '  ' : '');
  // A block scalar's lines below a header that `lead` ends: content deeper than `indent`, blank
  // lines with up to that many spaces, more-indented lines and lines that look like YAML.
  const blockLines = (indent: number): void => {
    const at = indent + 1 + Math.floor(r() * 3);
    const n = 1 + Math.floor(r() * 4);
    for (let i = 0; i < n; i++) {
      if (r() < 0.25) lines.push(' '.repeat(Math.floor(r() * (at + 1))));
      const extra = r() < 0.15 ? ' '.repeat(1 + Math.floor(r() * 2)) : '';
      lines.push(`${' '.repeat(at)}${extra}${pick(['x', 'two words', '# hash', 'k: v', '- item', '"q"', 'trailing  ', '{a: 1}'])}`);
    }
    if (r() < 0.3) lines.push('');
  };
  const HEADERS = ['|', '|-', '|+', '>', '>-', '>+'];
  // A value that goes on below its line (plain, or quoted and closed on the last line), with lines
  // at columns around the collection's, blank lines, and text that looks like YAML.
  const WORDS = ['x', 'two words', '1', 'true', '/var/log', 'a:b', 'k: v', '# c', '- i', '[x]', "it''s", '"q"', 'trail  ', '(e.g.', '{', '*x', ': y', '? q'];
  const wrapped = (start: string, indent: number): void => {
    const q = pick(['', '', "'", '"']);
    const word = (): string => {
      const w = pick(WORDS);
      return q === '"' ? w.replace(/"/g, '') : q === "'" ? w : w.replace(/'/g, '');
    };
    lines.push(`${start}${q}${word()}`);
    const n = 1 + Math.floor(r() * 3);
    for (let i = 0; i < n; i++) {
      if (r() < 0.2) lines.push(' '.repeat(Math.floor(r() * (indent + 3))));
      const col = r() < 0.9 ? indent + 1 + Math.floor(r() * 3) : Math.floor(r() * (indent + 1));
      lines.push(`${' '.repeat(col)}${word()}${i === n - 1 ? q : ''}`);
    }
  };
  const block = (indent: number, depth: number): void => {
    const seq = r() < 0.4;
    const n = 1 + Math.floor(r() * 4);
    for (let i = 0; i < n && budget > 0; i++, budget--) {
      const lead = ' '.repeat(indent);
      const k = r();
      if (seq) {
        const gap = r() < 0.8 ? ' ' : '   ';
        const col = indent + 1 + gap.length;
        if (k < 0.06) {
          lines.push(`${lead}-${gap}${pick(HEADERS)}`);
          blockLines(indent);
        } else if (k < 0.12) wrapped(`${lead}-${gap}`, indent);
        else if (k < 0.45 || depth > 5) lines.push(`${lead}-${gap}${scalar()}${tail()}`);
        else if (k < 0.65) lines.push(`${lead}-${gap}${pick(KEYS)}: ${scalar()}${tail()}`);
        else if (k < 0.8) {
          lines.push(`${lead}-${tail()}`);
          trivia(indent);
          if (r() < 0.7) block(indent + 1 + Math.floor(r() * 3), depth + 1);
        } else {
          lines.push(`${lead}-${gap}${pick(KEYS)}:${tail()}`);
          trivia(col);
          if (r() < 0.6) block(col + (r() < 0.5 ? 0 : 2), depth + 1);
        }
      } else if (k < 0.07) {
        lines.push(`${lead}${pick(KEYS)}: ${pick(HEADERS)}`);
        blockLines(indent);
      } else if (k < 0.14) wrapped(`${lead}${pick(KEYS)}: `, indent);
      else if (k < 0.17) {
        lines.push(`${lead}${pick(KEYS)}:${tail()}`);
        trivia(indent + 2);
        lines.push(`${' '.repeat(indent + (r() < 0.9 ? 1 + Math.floor(r() * 3) : 0))}${pick(['{}', '[]', '[a, b]', '{a: 1, b: [c]}'])}${tail()}`);
      } else if (k < 0.5 || depth > 5) lines.push(`${lead}${pick(KEYS)}:${r() < 0.1 ? '  ' : ' '}${scalar()}${tail()}`);
      else if (k < 0.65) lines.push(`${lead}${pick(KEYS)}:${tail()}`);
      else {
        lines.push(`${lead}${pick(KEYS)}:${tail()}`);
        trivia(indent);
        block(r() < 0.3 ? indent : indent + 1 + Math.floor(r() * 3), depth + 1);
      }
      trivia(indent + 2);
    }
  };
  if (r() < 0.3) lines.push('# lead');
  if (r() < 0.4) lines.push(r() < 0.5 ? '---' : '--- # c');
  trivia(0);
  if (r() > 0.05) block(0, 0);
  trivia(4);
  const nl = r() < 0.2 ? '\r\n' : '\n';
  let s = lines.join(nl) + (r() < 0.8 ? nl : '');
  if (odd && r() < 0.3) {
    const at = Math.floor(r() * s.length);
    s = s.slice(0, at) + s.slice(at + 1);
  }
  return s;
}

test('seeded random documents agree with yaml', () => {
  const r = rng(0x79616d6c);
  let fast = 0;
  const N = 3000;
  for (let i = 0; i < N; i++) if (assertSame(randomDocument(r, i % 2 === 1), `random document ${i}`).fast) fast++;
  assert.ok(fast > N / 2, `only ${fast}/${N} random documents on the fast path`);
});

test('never throws, and stays linear on pathological input', () => {
  const inputs = [
    '- '.repeat(50_000),
    `${'a:\n'.repeat(1)}${Array.from({ length: 2000 }, (_, i) => `${' '.repeat(i)}k:`).join('\n')}\n`,
    `${'- '.repeat(1)}${'x'.repeat(200_000)}`,
    `a: "${'\\\\'.repeat(50_000)}"\n`,
    `a: ${'['.repeat(50_000)}`,
    `${'# c\n'.repeat(50_000)}a: 1\n`,
    `${'a: 1\n   # c\n'.repeat(5_000)}`,
    `${' '.repeat(100_000)}\n`,
    `a:\n${'  - x\n'.repeat(50_000)}`,
    `a: |\n${'  x\n'.repeat(50_000)}`,
    `a: >+\n${'\n'.repeat(50_000)}  x\n${'\n'.repeat(50_000)}`,
    `a: x\n${'  y\n\n'.repeat(50_000)}`,
    `a: x\n${'\n'.repeat(100_000)}b: 1\n`,
    `a: 'x\n${'\n'.repeat(100_000)}  y'\n`,
    `- "${'x\n  '.repeat(50_000)}"\n`,
    `a:\n${' '.repeat(50_000)}{}\n`,
  ];
  for (const text of inputs) {
    const t0 = performance.now();
    const r = parseBlockDocument(text);
    const ms = performance.now() - t0;
    assert.ok(ms < 500, `${ms.toFixed(0)} ms on ${JSON.stringify(text.slice(0, 40))}…`);
    if (r !== undefined && text.length < 300_000) assertSame(text, 'pathological');
  }
});
