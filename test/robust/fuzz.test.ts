/**
 * A seeded mutation fuzzer over the examples and every YAML fixture: deletions, insertions of YAML
 * punctuation, truncation, moved and re-indented lines. Each mutant goes through the whole pipeline
 * (parseFile → buildInventory → diagnose → hover, completion and code actions at several offsets,
 * the fixes applied and parsed again → navigation → engine analyze, connectivity, reach, report)
 * and must not throw, must stay within a time budget, and must keep every range inside the text.
 * The editor's incremental parse (a DocumentCache warmed on the original) must agree with a fresh one.
 *
 * Reproducible: NETPOL_FUZZ_SEED picks the seed (printed on every run), NETPOL_FUZZ_N the number of
 * mutants. A failure prints the seed, the mutant's number, the file, the mutations and the input.
 * Our own small mutator rather than fast-check: no dependency, and YAML-aware mutations.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { complete } from '../../server/src/core/complete';
import { diagnose, type Finding } from '../../server/src/core/diagnostics';
import { analyze, connectivity, formatReport, type Endpoint } from '../../server/src/core/engine';
import { codeActions, type TextEdit } from '../../server/src/core/fixes';
import { hover } from '../../server/src/core/hover';
import { buildInventory } from '../../server/src/core/inventory';
import { definition, documentSymbols, lens, lensAnchors, references, workspaceSymbols, type SymbolNode } from '../../server/src/core/navigate';
import { DocumentCache, parseFile } from '../../server/src/core/parse';
import type { Span } from '../../server/src/core/text';
import { ROOT } from '../util/paths';
import { rng } from '../util/random';

const SEED = Number(process.env.NETPOL_FUZZ_SEED ?? 0x6e70_6f6c);
const COUNT = Number(process.env.NETPOL_FUZZ_N ?? 500);
/** Per mutant, whole pipeline: generous for a shared two-core machine, tiny next to a hang. */
const BUDGET_MS = Number(process.env.NETPOL_FUZZ_BUDGET_MS ?? 5000);


const PUNCTUATION = [
  ':', ': ', '-', '- ', '[', ']', '{', '}', ',', ' ', '\n', '\r\n', '\r', '\t', '#', '"', "'", '|', '>-', '? ',
  '&a ', '*a', '&a', '*', '&', '!!str ', '!!map ', '!x ', '<<: *a', '---\n', '...\n', '%YAML 1.2\n', '{{ .X }}', '\\',
  '~', 'null', '.inf', '0x1F', '1e400', '-1', '65536', 'Egress', 'UDP', '10.0.0.0/33', '::/0', '\u00a0', '\ufeff', '😀', '\u0000',
];

interface Mutant {
  readonly text: string;
  readonly steps: string[];
  /** Where the last mutation happened: an interesting cursor. */
  readonly at: number;
}

function mutate(text: string, random: () => number): Mutant {
  const pick = (n: number): number => Math.floor(random() * n);
  let t = text;
  let at = 0;
  const steps: string[] = [];
  const rounds = 1 + pick(4);
  for (let r = 0; r < rounds; r++) {
    const lines = t.split('\n');
    switch (pick(7)) {
      case 0: {
        const start = pick(t.length + 1);
        const n = 1 + pick(random() < 0.8 ? 8 : 200);
        t = t.slice(0, start) + t.slice(start + n);
        at = start;
        steps.push(`delete ${n} at ${start}`);
        break;
      }
      case 1:
      case 2: {
        const start = pick(t.length + 1);
        const s = PUNCTUATION[pick(PUNCTUATION.length)] ?? ':';
        t = t.slice(0, start) + s + t.slice(start);
        at = start;
        steps.push(`insert ${JSON.stringify(s)} at ${start}`);
        break;
      }
      case 3: {
        at = pick(t.length + 1);
        t = t.slice(0, at);
        steps.push(`truncate at ${at}`);
        break;
      }
      case 4: {
        const i = pick(lines.length);
        const j = pick(lines.length);
        const line = lines[i] ?? '';
        lines.splice(i, 1);
        lines.splice(j, 0, line);
        t = lines.join('\n');
        steps.push(`move line ${i + 1} to ${j + 1}`);
        break;
      }
      case 5: {
        const i = pick(lines.length);
        const line = lines[i] ?? '';
        const d = pick(9) - 4;
        lines[i] = d >= 0 ? ' '.repeat(d) + line : line.replace(new RegExp(`^ {0,${-d}}`), '');
        t = lines.join('\n');
        steps.push(`indent line ${i + 1} by ${d}`);
        break;
      }
      default: {
        const i = pick(lines.length);
        lines.splice(i, 0, lines[pick(lines.length)] ?? '');
        t = lines.join('\n');
        steps.push(`duplicate a line at ${i + 1}`);
      }
    }
  }
  return { text: t, steps, at: Math.min(at, t.length) };
}

function corpus(): { name: string; text: string }[] {
  const out: { name: string; text: string }[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir).sort()) {
      const p = join(dir, e);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.ya?ml$/.test(e) && statSync(p).size < 20_000) out.push({ name: relative(ROOT, p), text: readFileSync(p, 'utf8') });
    }
  };
  walk(join(ROOT, 'examples'));
  walk(join(ROOT, 'test', 'fixtures'));
  return out;
}

function inside(s: Span, length: number, what: string): void {
  assert.ok(0 <= s.start && s.start <= s.end && s.end <= length, `${what}: range ${s.start}-${s.end} outside 0-${length}`);
}

function checkFindings(findings: readonly Finding[], length: number, what: string): void {
  for (const f of findings) {
    inside(f.span, length, `${what} ${f.code}`);
    assert.ok(f.message.length > 0 && f.message.length < 2000, `${what} ${f.code}: message of ${f.message.length} characters`);
  }
}

function key(f: Finding): string {
  return `${f.code} ${f.severity} ${f.span.start}-${f.span.end} ${f.message}`;
}

/** Apply non-overlapping edits from the end; undefined when they overlap (a fix may do that on purpose: skip). */
function apply(text: string, edits: readonly TextEdit[]): string | undefined {
  const sorted = [...edits].sort((a, b) => b.span.start - a.span.start || b.span.end - a.span.end);
  let out = text;
  let limit = Infinity;
  for (const e of sorted) {
    if (e.span.end > limit) return undefined;
    out = out.slice(0, e.span.start) + e.newText + out.slice(e.span.end);
    limit = e.span.start;
  }
  return out;
}

/** The whole pipeline on one text; throws (an assertion or the bug itself) on any broken invariant. */
function pipeline(original: string, m: Mutant, random: () => number, incremental: boolean): void {
  const text = m.text;
  const n = text.length;
  // The CLI's path: fresh.
  const file = parseFile('fuzz.yaml', text);
  const inv = buildInventory([file]);
  const findings = diagnose(file, inv);
  checkFindings(findings, n, 'diagnose');
  if (incremental) {
    // The editor's path: a cache warmed on the original text, then the edit.
    const cache = new DocumentCache();
    parseFile('fuzz.yaml', original, { cache });
    cache.sweep();
    const again = parseFile('fuzz.yaml', text, { cache });
    cache.sweep();
    // Unless the parser ran out of stack: where, and how often, depends on the stack in use.
    if (!findings.some((f) => /nested too deeply/.test(f.message))) {
      assert.deepEqual(diagnose(again, buildInventory([again])).map(key).sort(), findings.map(key).sort(), 'an incremental parse finds what a fresh one does');
    }
  }
  for (const o of file.objects) inside(o.span, n, `object ${o.kind} ${o.name}`);

  const offsets = [0, n, m.at, ...Array.from({ length: 4 }, () => Math.floor(random() * (n + 1)))];
  for (const offset of offsets) {
    const h = hover(file, inv, offset, { fileOf: () => file });
    if (h) inside(h.span, n, `hover at ${offset}`);
    for (const c of complete(file, inv, offset)) inside(c.replace, n, `completion ${c.label} at ${offset}`);
    const def = definition(file, inv, offset);
    if (def) {
      inside(def.origin, n, `definition at ${offset}`);
      for (const t of def.targets) inside(t.span, n, `definition target at ${offset}`);
    }
    const refs = references(file, inv, offset, true);
    for (const t of refs?.targets ?? []) inside(t.span, n, `reference at ${offset}`);
  }
  const ranges: Span[] = [{ start: 0, end: n }, { start: m.at, end: m.at }, ...findings.slice(0, 5).map((f) => f.span)];
  for (const range of ranges) {
    codeActions(file, inv, findings, range).forEach((fix, i) => {
      for (const e of fix.edits) inside(e.span, n, `fix "${fix.title}"`);
      // Parsing every fix's result would double the run; the first of each range is checked.
      const fixed = i === 0 ? apply(text, fix.edits) : undefined;
      if (fixed === undefined) return;
      const again = parseFile('fixed.yaml', fixed);
      checkFindings(diagnose(again, buildInventory([again])), fixed.length, `after fix "${fix.title}"`);
    });
  }
  const walk = (s: readonly SymbolNode[]): void => {
    for (const x of s) {
      inside(x.span, n, `symbol ${x.name}`);
      walk(x.children);
    }
  };
  walk(documentSymbols(file, inv.defaultNamespace));
  workspaceSymbols(inv, '');
  for (const a of lensAnchors(file)) lens(file, inv, a.index);

  const a = analyze(inv);
  formatReport(connectivity(a), 'txt');
  const [w1, w2] = inv.workloads;
  if (w1) {
    const from: Endpoint = { kind: 'workload', workload: w1 };
    const to: Endpoint = w2 ? { kind: 'workload', workload: w2 } : from;
    a.reach(from, to, 53, 'UDP');
    a.dnsForWorkload(w1);
    a.effective(w1, 'egress');
  }
  for (const p of inv.policies) {
    a.dnsForPolicy(p);
    a.namedPortProblems(p);
  }
}

test(`fuzz: ${COUNT} mutants of the examples and fixtures through the whole pipeline (seed ${SEED})`, () => {
  const inputs = corpus();
  assert.ok(inputs.length > 50, 'a corpus to mutate');
  const random = rng(SEED);
  const t0 = performance.now();
  let slowest = { ms: 0, name: '' };
  for (let i = 0; i < COUNT; i++) {
    const input = inputs[Math.floor(random() * inputs.length)] ?? { name: '', text: '' };
    const m = mutate(input.text, random);
    const start = performance.now();
    try {
      pipeline(input.text, m, random, i % 2 === 0);
      const ms = performance.now() - start;
      if (ms > slowest.ms) slowest = { ms, name: input.name };
      assert.ok(ms < BUDGET_MS, `took ${Math.round(ms)} ms (budget ${BUDGET_MS})`);
    } catch (e) {
      const why = e instanceof Error ? (e.stack ?? e.message) : String(e);
      assert.fail(
        `fuzz failure: NETPOL_FUZZ_SEED=${SEED} mutant #${i} of ${input.name}\nmutations: ${m.steps.join('; ')}\ninput (JSON): ${JSON.stringify(m.text)}\n${why}`,
      );
    }
  }
  const total = performance.now() - t0;
  console.log(`fuzz: seed ${SEED}, ${COUNT} mutants in ${Math.round(total)} ms (${Math.round((COUNT * 1000) / total)}/s); slowest ${Math.round(slowest.ms)} ms (${slowest.name})`);
});
