/**
 * Bad input as data. Each file in test/fixtures/bad/ goes the way `netpol check` takes it (read as
 * UTF-8, parseFile → buildInventory → diagnose) and the editor's (isKubernetes decides whether it
 * gets diagnostics at all); what comes out is compared with `<name>.expected.txt`, which
 * `UPDATE_EXPECT=1` rewrites for review. Every case also checks the invariants: no exception, every
 * range inside the text, bounded time. Inputs too large to keep as files are generated below.
 * (test/rules/robust.test.ts covers prefixes and line deletions of the rule fixtures.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { diagnose, type Finding } from '../../server/src/core/diagnostics';
import { complete } from '../../server/src/core/complete';
import { codeActions } from '../../server/src/core/fixes';
import { hover } from '../../server/src/core/hover';
import { buildInventory } from '../../server/src/core/inventory';
import type { ParsedFile } from '../../server/src/core/model';
import { DEFAULT_MAX_FILE_SIZE, parseFile, type ParseOptions } from '../../server/src/core/parse';
import { RULES } from '../../server/src/core/rules';
import { LineMap } from '../../server/src/core/text';
import { isKubernetes } from '../../server/src/lsp/workspace';
import { expectFile } from '../util/fixture';
import { fixture, ROOT } from '../util/paths';

const BAD = fixture('bad');

interface Outcome {
  readonly file: ParsedFile;
  readonly findings: Finding[];
  readonly ms: number;
}

/** The whole check of one text, with the invariants every input must keep. */
function check(label: string, text: string, options: ParseOptions = {}, budgetMs = 5000): Outcome {
  const t0 = performance.now();
  const file = parseFile(label, text, options);
  const inv = buildInventory([file]);
  const findings = diagnose(file, inv, { maxFileSize: options.maxFileSize });
  // Every fix on offer must be computable too (they re-read the document).
  codeActions(file, inv, findings, { start: 0, end: text.length });
  const ms = performance.now() - t0;
  for (const f of findings) {
    assert.ok(RULES.has(f.code), `${label}: unknown code ${f.code}`);
    assert.ok(0 <= f.span.start && f.span.start <= f.span.end && f.span.end <= text.length, `${label}: ${f.code} range ${f.span.start}-${f.span.end} outside 0-${text.length}`);
    assert.ok(f.message.length > 0 && f.message.length < 2000, `${label}: ${f.code} message of ${f.message.length} characters`);
  }
  assert.ok(ms < budgetMs, `${label}: ${Math.round(ms)} ms, budget ${budgetMs} ms`);
  return { file, findings, ms };
}

/** What a fixture's expected file holds: the editor's decision, the objects read, then the findings. */
function render(text: string, o: Outcome): string {
  const lines = new LineMap(text);
  const at = (offset: number): string => {
    const p = lines.position(offset);
    return `${p.line + 1}:${p.character + 1}`;
  };
  const out: string[] = [];
  out.push(`# editor: ${isKubernetes(o.file) ? 'diagnostics' : 'nothing (not Kubernetes)'}`);
  const skipped = o.file.documents.filter((d) => d.skipped).map((d) => `document ${d.index + 1} (${d.skipped ?? ''})`);
  if (skipped.length) out.push(`# skipped: ${skipped.join(', ')}`);
  out.push(`# objects: ${o.file.objects.map((x) => `${x.kind} ${x.namespace ?? '-'}/${x.name || '(unnamed)'}`).join(', ') || 'none'}`);
  const sorted = [...o.findings].sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end || a.code.localeCompare(b.code));
  for (const f of sorted) {
    // Where (and how often) the parser runs out of stack depends on the stack in use: the line is
    // stable, the column and the count are not.
    const where = /nested too deeply/.test(f.message) ? `${at(f.span.start).split(':')[0] ?? ''}:*` : `${at(f.span.start)}-${at(f.span.end)}`;
    const line = `${where} ${f.severity} ${f.code} ${f.message}`;
    if (!(where.endsWith(':*') && out.includes(line))) out.push(line);
  }
  return `${out.join('\n')}\n`;
}

const files = readdirSync(BAD)
  .filter((f) => /\.ya?ml$/.test(f))
  .sort();

for (const name of files) {
  test(`bad input: ${name}`, () => {
    // As the CLI reads it: invalid UTF-8 becomes U+FFFD, a BOM stays in the text.
    const text = readFileSync(join(BAD, name), 'utf8');
    const o = check(name, text);
    const actual = render(text, o);
    const expectedPath = join(BAD, name.replace(/\.ya?ml$/, '.expected.txt'));
    const expected = expectFile(expectedPath, actual);
    assert.ok(expected !== undefined, `missing ${expectedPath} (UPDATE_EXPECT=1 writes it)`);
    assert.equal(actual, expected);
  });
}

test('bad input: the expectations say what the issue asks', () => {
  const run = (name: string): Outcome => check(name, readFileSync(join(BAD, name), 'utf8'));
  const codes = (o: Outcome): string[] => o.findings.map((f) => f.code);

  for (const name of ['empty.yaml', 'whitespace.yaml', 'comments-only.yaml', 'only-markers.yaml', 'bom-only.yaml']) {
    assert.deepEqual(codes(run(name)), [], `${name}: nothing to say`);
  }
  const binary = run('binary.yaml');
  assert.deepEqual(binary.findings.map((f) => [f.code, f.severity]), [['NP003', 'information']], 'binary: one information diagnostic');
  assert.equal(binary.file.documents.length, 0, 'binary: not parsed');

  // Helm: the template document is skipped without errors; the plain document beside it is analysed.
  const helm = run('helm-template.yaml');
  assert.equal(helm.file.documents[0]?.skipped, 'template');
  assert.deepEqual(codes(helm), ['NP101'], 'helm: only the plain document is flagged');
  assert.deepEqual(codes(run('go-template-braces.yaml')), [], 'a {{ }} document gets no spurious errors');

  for (const name of ['not-kubernetes.yaml', 'docker-compose.yaml', 'not-kubernetes-broken.yaml']) {
    assert.equal(isKubernetes(run(name).file), false, `${name}: the editor leaves it alone`);
  }

  // One broken document among many: the others are still read and checked.
  const many = run('one-broken-among-many.yaml');
  assert.deepEqual(many.file.objects.map((o) => o.name), ['first', 'second', 'third']);
  assert.ok(codes(many).includes('NP001'), 'the broken document is reported');
  assert.ok(codes(many).includes('NP101'), 'the first document is still checked');
  assert.ok(codes(many).includes('NP116'), 'the third document is still checked');

  // BOM and CRLF: the same findings, on the same lines, as without them.
  const plain = (name: string): string => readFileSync(join(BAD, name), 'utf8').replace(/^\ufeff/, '').replace(/\r\n/g, '\n');
  for (const name of ['bom.yaml', 'crlf.yaml']) {
    const text = readFileSync(join(BAD, name), 'utf8');
    const withMarks = check(name, text);
    const without = check(`${name} (plain)`, plain(name));
    const where = (t: string, o: Outcome): string[] => o.findings.map((f) => `${f.code}@${new LineMap(t).position(f.span.start).line}:${t.slice(f.span.start, f.span.end).replace(/\r/g, '')}`);
    assert.deepEqual(where(text, withMarks), where(plain(name), without), name);
    assert.ok(withMarks.findings.length > 0, `${name}: something to compare`);
  }

  const bomb = run('alias-bomb.yaml');
  assert.ok(codes(bomb).includes('NP004'), 'the inline alias bomb is reported');
  assert.ok(bomb.file.objects.some((o) => o.name === 'bomb'), 'the policy beside the bomb document is read');
});

/**
 * Every error the yaml library can report has a fixture in bad/yaml-errors/ named by its code,
 * and comes out as NP001 on the library's range. The codes are read from yaml's own type
 * declarations, so an upgrade that adds one fails here until it has a fixture.
 */
test('bad input: every yaml error code is a diagnostic on its range', () => {
  const dts = readFileSync(join(ROOT, 'node_modules', 'yaml', 'dist', 'errors.d.ts'), 'utf8');
  const union = /export type ErrorCode = ([^;]+);/.exec(dts)?.[1] ?? '';
  const all = [...union.matchAll(/'([A-Z_0-9]+)'/g)].map((m) => m[1] ?? '');
  assert.ok(all.length > 15, 'read the codes from yaml');
  // Codes netpol cannot meet: internal checks, or options it does not use.
  const unreachable: Record<string, string> = {
    IMPOSSIBLE: 'internal consistency checks of the library',
    NON_STRING_KEY: 'only with the stringKeys option, which netpol does not set',
    BAD_COLLECTION_TYPE: 'only for custom collection tags; netpol registers none (!!map on a list is TAG_RESOLVE_FAILED)',
  };
  const dir = join(BAD, 'yaml-errors');
  const have = new Set(readdirSync(dir).map((f) => f.replace(/\.yaml$/, '')));
  for (const code of all) {
    if (code in unreachable) continue;
    assert.ok(have.has(code), `no fixture bad/yaml-errors/${code}.yaml`);
    const text = readFileSync(join(dir, `${code}.yaml`), 'utf8');
    const o = check(code, text);
    const problems = o.file.documents.flatMap((d) => d.problems.filter((p) => p.code === code));
    assert.ok(problems.length > 0, `${code}.yaml does not produce ${code}: ${o.file.documents.flatMap((d) => d.problems.map((p) => p.code)).join(', ')}`);
    for (const p of problems) {
      const f = o.findings.find((x) => x.code === 'NP001' && x.span.start === p.span.start && x.span.end === p.span.end && x.message === p.message);
      assert.ok(f, `${code}: no NP001 on ${p.span.start}-${p.span.end}`);
      assert.equal(f.severity, p.severity, `${code}: severity`);
      assert.doesNotMatch(f.message, /\n| at line \d/, `${code}: one line, no position in the words`);
    }
  }
});

// --- generated: too large to keep as files ---

const head = 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\n';

test('bad input: a file over the size limit gets one information diagnostic and no analysis', () => {
  const body = `${head}metadata: {name: big}\nspec:\n  podSelector: {}\n  ingress: [{from: [{ipBlock: {cidr: bad}}]}]\n`;
  const small = check('limit', body.repeat(20), { maxFileSize: 1000 });
  assert.deepEqual(small.findings.map((f) => [f.code, f.severity, f.span.start, f.span.end]), [['NP002', 'information', 0, 0]]);
  assert.equal(small.file.objects.length, 0);
  assert.equal(isKubernetes(small.file), true, 'a large manifest still shows the note in the editor');
  // The default limit, in characters, one past it.
  const text = `${body}#${'x'.repeat(DEFAULT_MAX_FILE_SIZE - body.length)}`;
  assert.equal(text.length, DEFAULT_MAX_FILE_SIZE + 1);
  const big = check('default limit', text);
  assert.deepEqual(big.findings.map((f) => f.code), ['NP002']);
  assert.match(big.findings[0]?.message ?? '', new RegExp(String(DEFAULT_MAX_FILE_SIZE + 1)));
  const atLimit = check('at the limit', text.slice(0, DEFAULT_MAX_FILE_SIZE), {}, 20_000);
  assert.ok(!atLimit.findings.some((f) => f.code === 'NP002'), 'exactly at the limit is analysed');
});

test('bad input: very long lines', () => {
  for (const [name, line] of [
    ['quoted label value', `"${'x'.repeat(1_000_000)}"`],
    ['plain label value', 'y'.repeat(1_000_000)],
    ['flow list', `[${'a, '.repeat(200_000)}b]`],
  ] as const) {
    const o = check(name, `${head}metadata: {name: long}\nspec:\n  podSelector:\n    matchLabels: {app: ${line}}\n`, {}, 10_000);
    assert.ok(o.findings.length <= 3, `${name}: ${o.findings.map((f) => f.code).join(', ')}`);
  }
});

test('bad input: deep nesting, block and flow, everywhere the reader and validator look', () => {
  const flow = (n: number): string => `${'['.repeat(n)}${']'.repeat(n)}`;
  const map = (n: number): string => `${'{a: '.repeat(n)}b${'}'.repeat(n)}`;
  for (const n of [100, 1000, 20_000]) {
    check(`flow ${n}`, `${head}metadata: {name: deep, labels: ${map(n)}}\nspec:\n  podSelector: {matchLabels: ${map(n)}, matchExpressions: ${flow(n)}}\n  ingress: [{from: [{podSelector: ${map(n)}, ipBlock: ${flow(n)}}], ports: ${flow(n)}}]\n  egress: ${flow(n)}\n  policyTypes: ${flow(n)}\n`, {}, 10_000);
    check(`unclosed ${n}`, `${head}metadata: {name: deep}\nspec: ${'[{a: '.repeat(n)}`, {}, 10_000);
  }
  const block = Array.from({ length: 400 }, (_, i) => `${' '.repeat(4 + 2 * i)}- k${i}:`).join('\n');
  check('block 400', `${head}metadata: {name: deep}\nspec:\n  ingress:\n${block}\n`, {}, 10_000);
});

test('bad input: completion and hover in a deeply indented document stay fast', () => {
  // 800 levels of block sequences, 640 KB of mostly indentation: reading the lines above the cursor
  // once took over a second per completion (a regex backtracking over the indentation).
  const text = `${head}metadata: {name: deep}\nspec:\n${Array.from({ length: 800 }, (_, i) => `${' '.repeat(2 * i + 1)}- `).join('\n')}\n`;
  const { file } = check('800 levels', text, {}, 10_000);
  const inv = buildInventory([file]);
  const t0 = performance.now();
  for (const offset of [text.length, text.length - 10, text.length >> 1]) {
    complete(file, inv, offset);
    hover(file, inv, offset);
  }
  const ms = performance.now() - t0;
  assert.ok(ms < 3000, `${Math.round(ms)} ms for three completions and hovers`);
});

test('bad input: documents, keys, aliases and duplicates by the thousand stay fast', () => {
  // Each of these took from 10 s to minutes before: yaml's per-alias document walk, its quadratic
  // duplicate-key check, a column scan per key on one long line, and NP108 comparing every pair.
  const keys = Array.from({ length: 40_000 }, (_, i) => `k${i}: v`).join(', ');
  const aliases = Array.from({ length: 999 }, () => '{podSelector: *p}').join(', ');
  check('40,000 keys and 999 aliases', `${head}metadata: {name: x, annotations: {${keys}}}\nspec:\n  podSelector: &p {}\n  ingress:\n    - from: [${aliases}]\n`, {}, 15_000);
  const block = Array.from({ length: 40_000 }, (_, i) => `    k${i}: v\n`).join('');
  check('40,000 block keys and a duplicate', `${head}metadata:\n  name: x\n  annotations:\n${block}    k7: again\nspec: {podSelector: {}}\n`, {}, 15_000);
  const same = `${head}metadata: {name: same}\nspec: {podSelector: {}}\n---\n`.repeat(5000);
  const o = check('5,000 policies of one name', same, {}, 20_000);
  assert.equal(o.findings.filter((f) => f.code === 'NP108').length, 5000);
  const broken = `${head}metadata: {name: p}\nspec: {podSelector: {}}\n---\n`.repeat(1000) + `${head}metadata: {name: [\n---\n`;
  check('1,000 documents and a broken one', broken, {}, 15_000);
});

test('bad input: runs of YAML punctuation stay linear', () => {
  // A run of `{` made the template check quadratic (40 KB: 3 s); every other punctuation is here too.
  for (const unit of ['{', '[', '{{', '}}', '- ', ': ', ' #', '&', '*', '"', "'", '\\', '!', '|', '?', ',', '%', '\t', '\r']) {
    const o = check(`a run of ${JSON.stringify(unit)}`, `${head}metadata: {name: x}\nspec:\n  podSelector: ${unit.repeat(Math.ceil(50_000 / unit.length))}`, {}, 3000);
    assert.ok(o.findings.length <= 110, `a run of ${JSON.stringify(unit)}: ${o.findings.length} findings (YAML problems are capped per document)`);
  }
});

test('bad input: an alias bomb is never expanded (bounded time and memory)', () => {
  const levels = ['l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
  for (let i = 1; i < 20; i++) levels.push(`l${i}: &l${i} [${new Array(10).fill(`*l${i - 1}`).join(', ')}]`);
  const before = process.memoryUsage().heapUsed;
  const o = check('10^20 laughs', `${head}metadata: {name: bomb}\n${levels.join('\n')}\nspec:\n  podSelector: {matchLabels: *l19}\n  policyTypes: *l19\n  ingress:\n    - from: *l19\n      ports: *l19\n`, {}, 5000);
  const grown = process.memoryUsage().heapUsed - before;
  assert.ok(grown < 200_000_000, `heap grew by ${Math.round(grown / 1e6)} MB`);
  assert.ok(o.findings.some((f) => f.code === 'NP004'), 'the bomb is reported');
});
