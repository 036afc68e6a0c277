/**
 * Hovers as data: a fixture is a YAML file with a `$0` cursor, or a folder of files read as one
 * workspace (one of them holds the cursor); its hover must equal `<name>.expected.md`
 * (UPDATE_EXPECT=1 rewrites it). Sources are named relative to the fixture folder, so links in
 * the markdown read `policies.yaml#L12`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { hover } from '../../server/src/core/hover';
import { buildInventory } from '../../server/src/core/inventory';
import { lookup } from '../../server/src/core/lookup';
import type { ParsedFile } from '../../server/src/core/model';
import { parseFile } from '../../server/src/core/parse';
import { fixture } from '../util/paths';
import { analyse, CURSOR, expectFile, withCursor } from '../util/fixture';

const dir = fixture('hover');

for (const entry of readdirSync(dir).sort()) {
  const path = join(dir, entry);
  const isDir = statSync(path).isDirectory();
  if (!isDir && (!entry.endsWith('.yaml') || entry.endsWith('.expected.yaml'))) continue;
  const name = isDir ? entry : entry.slice(0, -'.yaml'.length);
  test(`hover: ${name}`, () => {
    const paths = isDir ? readdirSync(path).filter((f) => f.endsWith('.yaml')).sort().map((f) => join(path, f)) : [path];
    let cursor: { source: string; offset: number } | undefined;
    const files: ParsedFile[] = paths.map((p) => {
      const source = isDir ? `${p.slice(path.length + 1)}` : entry;
      let text = readFileSync(p, 'utf8');
      if (text.includes(CURSOR)) {
        const c = withCursor(text);
        text = c.text;
        cursor = { source, offset: c.offset };
      }
      return parseFile(source, text);
    });
    assert.ok(cursor, `${name} has no ${CURSOR} cursor`);
    const { source, offset } = cursor;
    const file = files.find((f) => f.source === source);
    assert.ok(file);
    const inv = buildInventory(files);
    const h = hover(file, inv, offset, { fileOf: (s) => files.find((f) => f.source === s) });
    assert.ok(h, 'a hover at the cursor');
    assert.ok(h.span.start <= offset && offset <= h.span.end, 'the hover range holds the cursor');
    const expected = expectFile(join(dir, `${name}.expected.md`), `${h.contents}\n`);
    assert.equal(`${h.contents}\n`, expected, 'differs from .expected.md (UPDATE_EXPECT=1 to rewrite)');
  });
}

test('no hover outside policies and workloads', () => {
  const { file, inv } = analyse('apiVersion: v1\nkind: Namespace\nmetadata: {name: x}\n');
  assert.equal(hover(file, inv, 20), undefined);
  const w = analyse('apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec: {replicas: 2}\n');
  assert.equal(hover(w.file, w.inv, w.file.text.indexOf('replicas')), undefined);
});

test('hovers never throw, anywhere in odd documents', () => {
  const rules = fixture('rules');
  const texts = readdirSync(rules).filter((f) => f.endsWith('.yaml')).map((f) => readFileSync(join(rules, f), 'utf8'));
  texts.push('', 'kind: NetworkPolicy\nspec:\n  podSelector: [1]\n  ingress: {from: 3}\n', 'kind: NetworkPolicy\napiVersion: networking.k8s.io/v1\nmetadata: {name: x}\nspec: {podSelector: {matchExpressions: [{key: a, operator: NotIn, values: [b]}]}, egress: [{ports: [{port: dns, protocol: UDP}]}]}\n');
  for (const text of texts) {
    const { file, inv } = analyse(text, 'odd.yaml');
    for (let o = 0; o <= text.length; o++) {
      const h = hover(file, inv, o);
      if (h) assert.equal(typeof h.contents, 'string');
    }
  }
});

/** A workspace like a big cluster's: many namespaces, workloads with named ports, policies of every shape. */
function bigWorkspace(policies: number): string {
  const docs: string[] = [];
  const namespaces = 20;
  for (let n = 0; n < namespaces; n++) docs.push(`apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ns${n}\n  labels:\n    team: t${n % 5}\n`);
  for (let w = 0; w < 500; w++) {
    docs.push(
      `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app${w}\n  namespace: ns${w % namespaces}\nspec:\n  template:\n    metadata:\n      labels:\n        app: app${w}\n        tier: t${w % 7}\n    spec:\n      containers:\n        - name: c\n          ports:\n            - name: http\n              containerPort: ${8000 + (w % 50)}\n`,
    );
  }
  for (let i = 0; i < policies; i++) {
    docs.push(
      `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: p${i}\n  namespace: ns${i % namespaces}\nspec:\n  podSelector:\n    matchLabels:\n      tier: t${i % 7}\n  policyTypes:\n    - Ingress\n    - Egress\n  ingress:\n    - from:\n        - namespaceSelector:\n            matchLabels:\n              team: t${i % 5}\n          podSelector:\n            matchLabels:\n              app: app${i % 500}\n      ports:\n        - port: http\n        - protocol: UDP\n          port: ${1000 + (i % 100)}\n          endPort: ${1100 + (i % 100)}\n  egress:\n    - to:\n        - ipBlock:\n            cidr: 10.${i % 256}.0.0/16\n            except:\n              - 10.${i % 256}.1.0/24\n      ports:\n        - port: 443\n`,
    );
  }
  return docs.join('---\n');
}

test('hovers on every kind of spot of a 5000-policy file answer from one lookup of the inventory', () => {
  // How fast is `npm run bench`'s to say (hover p95 against the yaml parse of the same file); here,
  // that the analysis behind the hovers is built once per inventory and every spot has an answer.
  const text = bigWorkspace(5000);
  const file: ParsedFile = parseFile('big.yaml', text);
  const inv = buildInventory([file]);
  // Cursors on every kind of hover: policy names and selectors, peers, ipBlocks, ports, workloads.
  const marks = ['name: p', 'podSelector:\n    matchLabels:\n      tier', 'namespaceSelector', 'cidr: 10.', 'port: http', 'endPort', 'policyTypes', 'name: app', 'tier: t'];
  const offsets: number[] = [];
  for (let k = 0; offsets.length < 400; k++) {
    const mark = marks[k % marks.length] ?? '';
    const from = Math.floor(((k * 7919) % 1000) / 1000 * text.length);
    const at = text.indexOf(mark, from);
    offsets.push((at < 0 ? text.indexOf(mark) : at) + mark.length - 1);
  }
  const built = lookup(inv);
  const answers = offsets.map((o) => hover(file, inv, o)?.contents ?? '');
  assert.equal(lookup(inv), built, 'the same lookup (and analysis) after 400 hovers');
  assert.deepEqual(answers.filter((a) => a === ''), [], 'every spot has a hover');
  assert.deepEqual(offsets.map((o) => hover(file, inv, o)?.contents ?? ''), answers, 'the same answers asked again');
});
