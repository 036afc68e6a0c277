/**
 * The validator never throws and always returns sane ranges, whatever the YAML: every prefix of
 * every rule fixture (what an editor sees while the user types), each fixture with one line
 * removed, and hand-made hostile documents (aliases, merge keys, odd scalars).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { diagnose } from '../../server/src/core/diagnostics';
import { buildInventory } from '../../server/src/core/inventory';
import { DocumentCache, parseFile } from '../../server/src/core/parse';
import { RULES } from '../../server/src/core/rules';
import { fixture } from '../util/paths';

function check(text: string, label: string): void {
  const file = parseFile('robust.yaml', text);
  const findings = diagnose(file, buildInventory([file]));
  for (const f of findings) {
    assert.ok(RULES.has(f.code), `${label}: unknown code ${f.code}`);
    assert.ok(0 <= f.span.start && f.span.start <= f.span.end && f.span.end <= text.length, `${label}: bad span ${JSON.stringify(f.span)} for ${f.code}`);
    assert.ok(f.message.length > 0, `${label}: empty message`);
  }
}

function yamlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((e) => {
    const p = join(dir, e);
    return statSync(p).isDirectory() ? yamlFiles(p) : p.endsWith('.yaml') ? [p] : [];
  });
}

test('robust: every prefix and every one-line deletion of the rule fixtures', () => {
  for (const path of yamlFiles(fixture('rules'))) {
    const text = readFileSync(path, 'utf8');
    const ls = text.split('\n');
    for (let cut = 0; cut <= text.length; cut += 7) check(text.slice(0, cut), `${path} cut at ${cut}`);
    for (let i = 0; i < ls.length; i++) check([...ls.slice(0, i), ...ls.slice(i + 1)].join('\n'), `${path} without line ${i + 1}`);
  }
});

const head = 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: x}\n';
const hostile: Record<string, string> = {
  empty: '',
  'only a marker': '---\n',
  'a bare scalar': 'NetworkPolicy\n',
  'a list at the top': '- kind: NetworkPolicy\n',
  'spec is a list': `${head}spec: [1, 2]\n`,
  'metadata is a number': 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: 5\n',
  'kind is a map': 'apiVersion: networking.k8s.io/v1\nkind: {a: 1}\n',
  'apiVersion is a list': 'apiVersion: [1]\nkind: NetworkPolicy\nmetadata: {name: x}\n',
  'complex keys': `${head}spec:\n  ? [a, b]\n  : 1\n  ? {a: 1}\n  : 2\n`,
  'null keys': `${head}spec:\n  : 1\n`,
  'odd scalars': `${head}spec:\n  ingress:\n    - ports:\n        - port: .inf\n        - port: .nan\n        - port: 0x50\n        - port: 1e3\n          endPort: 99999999999999999999\n        - port: !!binary aGk=\n        - protocol: !!int 6\n`,
  'self-referencing alias': `${head}spec: &s\n  ingress:\n    - from: *s\n`,
  'unknown alias': `${head}spec:\n  podSelector: *nope\n`,
  'merge of a scalar': `${head}spec:\n  <<: 5\n  podSelector: {}\n`,
  'merge of a list of maps': `${head.replace('{name: x}', '{name: x, labels: &l {a: b}, annotations: &n {c: d}}')}spec:\n  podSelector:\n    matchLabels:\n      <<: [*l, *n]\n`,
  'merge cycle': `${head}spec: &s\n  <<: *s\n`,
  'typed list of scalars': 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicyList\nitems: [1, null, "x"]\n',
  'list items not maps': 'apiVersion: v1\nkind: List\nitems: 5\n',
  'template': `${head}spec:\n  podSelector: {{ .Values.selector }}\n`,
  'duplicate keys': `${head}spec:\n  podSelector: {}\n  podSelector: {}\n`,
  'tabs and junk': `${head}spec:\n\tingress: [\n`,
  'unterminated flow': `${head}spec: {ingress: [{from: [{podSelector: {matchLabels: {a: b`,
  'deep nesting': `${head}spec:\n  podSelector:\n    matchLabels:\n${'      a:\n'.repeat(200)}`,
  'huge key': `${head}spec:\n  ${'x'.repeat(100000)}: 1\n`,
  'unicode': `${head.replace('name: x', 'name: "wéb-😀"')}spec:\n  podSelector:\n    matchLabels: {"ключ": "значение"}\n`,
};

for (const [name, text] of Object.entries(hostile)) {
  test(`robust: ${name}`, () => check(text, name));
}

test('robust: an alias bomb is cut short quickly', () => {
  const levels = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
  for (let i = 1; i < 8; i++) levels.push(`l${i}: &l${i} [${new Array(10).fill(i === 1 ? '*a' : `*l${i - 1}`).join(', ')}]`);
  const text = `${levels.join('\n')}\n---\n${head}spec:\n  policyTypes: *l7\n  ingress: *l7\n`;
  const t0 = Date.now();
  check(text, 'alias bomb in its own document');
  const inline = `${levels.join('\n')}\n${head}spec:\n  policyTypes: *l7\n  ingress:\n    - from: *l7\n      ports: *l7\n`;
  check(inline, 'alias bomb in the policy document');
  assert.ok(Date.now() - t0 < 5000, 'bounded time');
});

// Findings are kept per parsed document and shifted when an edit above only moves it: after any
// edit they must equal a fresh analysis of the new text.
test('robust: findings after edits equal a fresh analysis', () => {
  const fresh = (text: string): string[] => {
    const f = parseFile('edit.yaml', text);
    return diagnose(f, buildInventory([f])).map((d) => `${d.code} ${d.span.start}-${d.span.end} ${d.message}`);
  };
  for (const path of yamlFiles(fixture('rules'))) {
    const original = readFileSync(path, 'utf8');
    const cache = new DocumentCache();
    const versions = [original, `# a comment above\n${original}`, `---\nkind: ConfigMap\n---\n${original}`, original.replace('name:', 'name: x'), original];
    for (const text of versions) {
      const f = parseFile('edit.yaml', text, { cache });
      cache.sweep();
      const got = diagnose(f, buildInventory([f])).map((d) => `${d.code} ${d.span.start}-${d.span.end} ${d.message}`);
      assert.deepEqual(got, fresh(text), `${path} after an edit`);
    }
  }
});
