// Conformance with np-guard/netpol-analyzer, run in place on ../shared/conformance/netpol-analyzer:
// every case's default connlist report line for line, and a diagnostic from `netpol check` for every
// invalid case. Decisions where we follow the Kubernetes docs are data in test/fixtures/engine/conformance.yaml.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { fixture, SHARED } from '../util/paths';
import { analyze, connectivity, formatReport, type ReportFormat } from '../../server/src/core/engine';
import { main } from '../../server/src/cli/main';
import { loadInventory } from './load';

const DIR = join(SHARED, 'conformance', 'netpol-analyzer');

interface Case {
  name: string;
  input: string;
  primary_expected: string;
  primary_is_exposure_output: boolean;
  expected: { file: string; options: { format?: string } }[];
}

interface InvalidCase {
  case: string;
  file: string;
  lines: number[];
  severity: string | string[];
  differs: string;
  pending?: string;
}

interface Decisions {
  docsOverAnalyzer: { case: string; reason: string; expected: string }[];
  invalid: InvalidCase[];
}

const decisions = parse(readFileSync(fixture('engine', 'conformance.yaml'), 'utf8')) as Decisions;

function normalize(text: string, exposure: boolean): string[] {
  let lines = text.replace(/\r/g, '').split('\n');
  if (exposure) {
    // Exposure reports start with the plain connlist report.
    const i = lines.findIndex((l) => l.startsWith('Exposure Analysis Result:'));
    if (i >= 0) lines = lines.slice(0, i);
  }
  return lines.filter((l) => l.trim() !== '');
}

const index = existsSync(join(DIR, 'index.json')) ? (JSON.parse(readFileSync(join(DIR, 'index.json'), 'utf8')) as { cases: Case[] }) : { cases: [] };

test('conformance data is present', () => {
  assert.ok(index.cases.length >= 36, `expected the netpol-analyzer cases in ${DIR}`);
});

for (const c of index.cases) {
  test(`netpol-analyzer ${c.name}: default connlist report`, async () => {
    const base = join(DIR, c.name);
    const { inventory } = await loadInventory([join(base, c.input)]);
    const report = connectivity(analyze(inventory, { ipBlocks: 'external-only' }));
    const actual = normalize(formatReport(report, 'txt'), false);
    const override = decisions.docsOverAnalyzer.find((d) => d.case === c.name);
    const expected = override ? normalize(override.expected, false) : normalize(readFileSync(join(base, c.primary_expected), 'utf8'), c.primary_is_exposure_output);
    assert.deepEqual(actual, expected);
    // The other formats of the plain report, where upstream has them.
    for (const e of c.expected) {
      const fmt = e.options.format;
      if (override || !fmt || fmt === 'txt' || !e.file.endsWith(`${c.name}_connlist_output.${fmt}`)) continue;
      const want = readFileSync(join(base, e.file), 'utf8').replace(/\r/g, '').trim();
      assert.equal(formatReport(report, fmt as ReportFormat).trim(), want, e.file);
    }
  });
}

interface CheckJson {
  files: { path: string; diagnostics: { range: { start: { line: number } }; severity: string; code: string; message: string }[] }[];
}

for (const inv of decisions.invalid) {
  const file = join(DIR, inv.file);
  const dir = resolve(file, '..');
  test(`netpol-analyzer invalid ${inv.case}: netpol check flags it`, { todo: inv.pending }, async () => {
    let out = '';
    await main(['check', '--format', 'json', dir], { out: (t) => (out += t), err: () => undefined });
    const json = JSON.parse(out) as CheckJson;
    const severities = Array.isArray(inv.severity) ? inv.severity : [inv.severity];
    const found = json.files
      .filter((f) => resolve(f.path) === resolve(file))
      .flatMap((f) => f.diagnostics)
      .filter((d) => inv.lines.includes(d.range.start.line + 1) && severities.includes(d.severity));
    assert.ok(found.length > 0, `${inv.file}: no ${severities.join('/')} on line ${inv.lines.join(' or ')} (${inv.differs})`);
  });
  test(`netpol-analyzer invalid ${inv.case}: the engine still answers`, async () => {
    const { inventory } = await loadInventory([dir]);
    const a = analyze(inventory);
    assert.doesNotThrow(() => formatReport(connectivity(a), 'txt'));
    for (const p of inventory.policies) assert.doesNotThrow(() => a.namedPortProblems(p));
  });
}

test('the engine finds the named-port problems of bad_netpols subdir5 and subdir6', async () => {
  for (const [sub, reason, line] of [['subdir5', 'no-container-port', 13], ['subdir6', 'ipblock-only', 11]] as const) {
    const dir = join(DIR, 'bad_netpols', 'input', sub);
    const { inventory, files } = await loadInventory([dir]);
    const a = analyze(inventory);
    const problems = inventory.policies.flatMap((p) => a.namedPortProblems(p));
    assert.equal(problems.length, 1, sub);
    const p = problems[0];
    assert.ok(p);
    assert.equal(p.reason, reason);
    const text = files.find((f) => f.source === p.rule.policy.policy.source)?.text ?? '';
    assert.equal(text.slice(0, p.port.span.start).split('\n').length, line, sub);
  }
});
