/**
 * Rule fixtures: every YAML file in test/fixtures/rules (and every folder there, read as one
 * workspace) is parsed, diagnosed with the whole workspace's inventory, and its findings compared
 * exactly with the markers in its comments. `UPDATE_EXPECT=1` rewrites the markers instead.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { diagnose } from '../../server/src/core/diagnostics';
import { buildInventory } from '../../server/src/core/inventory';
import type { ParsedFile } from '../../server/src/core/model';
import { parseFile } from '../../server/src/core/parse';
import { RULES } from '../../server/src/core/rules';
import { fixture, SHARED } from '../util/paths';
import { actuals, compare, lines, parseMarkers, rewrite, type Actual, type Expectation } from './markers';

const dir = fixture('rules');

function yamlFiles(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path)
    .sort()
    .flatMap((e) => yamlFiles(join(path, e)))
    .filter((p) => p.endsWith('.yaml') || p.endsWith('.yml'));
}

/** Each entry of the folder is one workspace: a file alone, or a folder's files together. */
const workspaces = readdirSync(dir)
  .filter((e) => e.endsWith('.yaml') || statSync(join(dir, e)).isDirectory())
  .sort();

function show(text: string, x: Expectation | Actual): string {
  const line = x.line + 1;
  const where = 'columns' in x ? (x.columns ? `${line}:${x.columns.start + 1}-${x.columns.end + 1}` : `${line}`) : `${line}:${x.start + 1}-${x.end + 1}`;
  const what = 'message' in x ? x.message : (x.fragment ?? '');
  return `  ${where} ${x.code} ${what}\n      | ${lines(text)[x.line] ?? ''}`;
}

for (const entry of workspaces) {
  test(`rules: ${entry}`, () => {
    const paths = yamlFiles(join(dir, entry));
    const texts = new Map(paths.map((p) => [p, readFileSync(p, 'utf8')]));
    const files: ParsedFile[] = paths.map((p) => parseFile(relative(dir, p), texts.get(p) ?? ''));
    const inv = buildInventory(files);
    const problems: string[] = [];
    files.forEach((file, i) => {
      const path = paths[i] ?? '';
      const text = texts.get(path) ?? '';
      const got = actuals(text, diagnose(file, inv));
      const want = parseMarkers(text);
      const { missing, extra, pairs } = compare(want, got);
      if (process.env.UPDATE_EXPECT === '1') {
        const next = rewrite(text, got, pairs);
        if (next !== text) writeFileSync(path, next);
        return;
      }
      if (missing.length || extra.length) {
        problems.push(
          `${relative(dir, path)}:` +
            (missing.length ? `\n missing:\n${missing.map((x) => show(text, x)).join('\n')}` : '') +
            (extra.length ? `\n unexpected:\n${extra.map((a) => show(text, a)).join('\n')}` : ''),
        );
      }
    });
    assert.equal(problems.join('\n'), '', 'findings differ from the markers (UPDATE_EXPECT=1 rewrites them)');
  });
}

test('rules: every NP1xx and NP2xx rule has a fixture that triggers it', () => {
  const seen = new Set<string>();
  for (const entry of workspaces) for (const p of yamlFiles(join(dir, entry))) for (const x of parseMarkers(readFileSync(p, 'utf8'))) seen.add(x.code);
  const untested = [...RULES.keys()].filter((c) => (c.startsWith('NP1') || c.startsWith('NP2')) && !seen.has(c));
  assert.deepEqual(untested, []);
});

test('rules: the clean set has no finding at all', () => {
  const paths = yamlFiles(join(dir, 'clean'));
  assert.ok(paths.length >= 3, 'clean fixtures exist');
  const files = paths.map((p) => parseFile(p, readFileSync(p, 'utf8')));
  const inv = buildInventory(files);
  assert.ok(inv.policies.length >= 5, 'the clean set has policies');
  for (const f of files) assert.deepEqual(diagnose(f, inv).map((d) => `${f.source}: ${d.code} ${d.message}`), []);
});

// The benchmark's own check (lsp-bench verify.mjs): each "# expect:" line gets a finding starting on
// it, the "# NOT" line none, and no other line either. Our copy with exact markers is
// test/fixtures/rules/bench-invalid-netpol.yaml; this runs the shared original when it is there.
const bench = join(SHARED, 'lsp-bench', 'fixtures', 'invalid', 'invalid-netpol.yaml');
test('rules: lsp-bench invalid-netpol.yaml expectations', { skip: !existsSync(bench) && 'lsp-bench not found' }, () => {
  const text = readFileSync(bench, 'utf8');
  const file = parseFile(bench, text);
  const flagged = new Set(actuals(text, diagnose(file, buildInventory([file]))).map((a) => a.line));
  lines(text).forEach((l, i) => {
    const expect = /^\s*[^#\s].*#\s*expect:/.test(l);
    assert.equal(flagged.has(i), expect, `line ${i + 1}: ${l.trim()}`);
  });
});
