/**
 * docs/rules stays in step with the rule table: one page per rule with the table's name and
 * severity, a README whose table is generated from rules.ts (`UPDATE_EXPECT=1` rewrites it), and
 * examples that do what they say — the "Bad" YAML triggers the rule, the "Good" YAML does not
 * (and has no error at all).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { diagnose } from '../../server/src/core/diagnostics';
import { QUICK_FIX_CODES } from '../../server/src/core/fixes';
import { buildInventory } from '../../server/src/core/inventory';
import { parseFile } from '../../server/src/core/parse';
import { RULES, type RuleInfo } from '../../server/src/core/rules';
import { ROOT } from '../util/paths';

const dir = join(ROOT, 'docs', 'rules');
const START = '<!-- rules-table:start (generated from server/src/core/rules.ts by test/rules/docs.test.ts; UPDATE_EXPECT=1 rewrites it) -->';
const END = '<!-- rules-table:end -->';
/** A page whose examples are not YAML (NP002, NP003) says so with this comment. */
const NOT_YAML = '<!-- examples: not yaml -->';

function table(rules: Iterable<RuleInfo>): string {
  const rows = [...rules].map((r) => `| [${r.code}](${r.code}.md) | ${r.name} | ${r.severity} | ${r.summary.replace(/\|/g, '\\|')} |`);
  return ['| Code | Name | Default severity | What it reports |', '|---|---|---|---|', ...rows].join('\n');
}

/** The first ```yaml block after a `## heading`. */
function example(page: string, heading: string): string | undefined {
  const at = page.indexOf(`\n## ${heading}\n`);
  if (at < 0) return undefined;
  const next = page.indexOf('\n## ', at + 1);
  const section = page.slice(at, next < 0 ? undefined : next);
  return /```yaml\n([\s\S]*?)```/.exec(section)?.[1];
}

function findings(yaml: string): { code: string; severity: string; message: string }[] {
  const file = parseFile('example.yaml', yaml);
  return diagnose(file, buildInventory([file]));
}

test('docs: the README table is the rule table', () => {
  const path = join(dir, 'README.md');
  const text = readFileSync(path, 'utf8');
  const a = text.indexOf(START);
  const b = text.indexOf(END);
  assert.ok(a >= 0 && b > a, `README.md has the ${START} … ${END} markers`);
  const want = `${START}\n${table(RULES.values())}\n${END}`;
  const got = text.slice(a, b + END.length);
  if (process.env.UPDATE_EXPECT === '1' && got !== want) writeFileSync(path, text.slice(0, a) + want + text.slice(b + END.length));
  else assert.equal(got, want, 'docs/rules/README.md table differs from rules.ts (UPDATE_EXPECT=1 rewrites it)');
});

test('docs: a page says what its quick fix does exactly when the rule has one', () => {
  const withSection = [...RULES.keys()].filter((code) => readFileSync(join(dir, `${code}.md`), 'utf8').includes('\n## Quick fix\n'));
  assert.deepEqual(withSection.sort(), [...QUICK_FIX_CODES].sort());
});

test('docs: a page for every rule and a rule for every page', () => {
  const pages = readdirSync(dir).filter((f) => /^NP\d{3}\.md$/.test(f)).map((f) => f.slice(0, -3));
  assert.deepEqual(pages.sort(), [...RULES.keys()].sort());
});

for (const r of RULES.values()) {
  test(`docs: ${r.code} ${r.name}`, () => {
    const path = join(dir, `${r.code}.md`);
    assert.ok(existsSync(path), `${path} exists`);
    const page = readFileSync(path, 'utf8');
    assert.equal(page.split('\n')[0], `# ${r.code} ${r.name}`, 'title is "# CODE name"');
    assert.ok(page.includes(`Default severity: **${r.severity}**`), `states the default severity ${r.severity}`);
    for (const h of ['What it checks', 'Why', 'Bad', 'Good', 'Silencing']) assert.ok(page.includes(`\n## ${h}\n`), `has a "## ${h}" section`);
    assert.ok(page.includes(`# netpol-disable-next-line ${r.code}`) && page.includes(`"${r.code}": "off"`), 'shows both ways to silence it');
    if (page.includes(NOT_YAML)) return;
    const bad = example(page, 'Bad');
    const good = example(page, 'Good');
    assert.ok(bad !== undefined && good !== undefined, 'has a yaml example under Bad and under Good');
    const b = findings(bad);
    assert.ok(
      b.some((f) => f.code === r.code),
      `the Bad example triggers ${r.code}; got ${JSON.stringify(b)}`,
    );
    const g = findings(good);
    assert.deepEqual(
      g.filter((f) => f.code === r.code || f.severity === 'error').map((f) => `${f.code} ${f.message}`),
      [],
      'the Good example neither triggers the rule nor has an error',
    );
  });
}
