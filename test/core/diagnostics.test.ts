import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diagnose, sameFindings, type Finding, type RelatedPlace } from '../../server/src/core/diagnostics';
import { buildInventory } from '../../server/src/core/inventory';
import type { ParsedFile } from '../../server/src/core/model';
import { DocumentCache, parseFile } from '../../server/src/core/parse';

const base: Finding = { code: 'NP209', severity: 'warning', message: 'Port 80 is the port of Service web', span: { start: 10, end: 12 }, replaceWith: 8080, replaceAt: { start: 10, end: 12 } };

/** One field changed at a time: each makes the lists differ. */
const changes: [string, Partial<Finding>][] = [
  ['code', { code: 'NP208' }],
  ['severity', { severity: 'error' }],
  ['message', { message: 'Port 80 is the port of Service api' }],
  ['span start', { span: { start: 11, end: 12 } }],
  ['span end', { span: { start: 10, end: 13 } }],
  ['replaceWith', { replaceWith: 'http' }],
  ['replaceWith dropped', { replaceWith: undefined }],
  ['replaceAt', { replaceAt: { start: 20, end: 22 } }],
  ['replaceAt dropped', { replaceAt: undefined }],
];

test('sameFindings: equal copies are the same, in order', () => {
  const other: Finding = { ...base, span: { ...base.span } };
  assert.equal(sameFindings([base, other], [{ ...base }, { ...other }]), true);
  assert.equal(sameFindings([], []), true);
  assert.equal(sameFindings([base], []), false);
  assert.equal(sameFindings([base, { ...base, code: 'NP201' }], [{ ...base, code: 'NP201' }, base]), false, 'order counts');
});

for (const [name, change] of changes) {
  test(`sameFindings: a different ${name} differs`, () => {
    assert.equal(sameFindings([base], [{ ...base, ...change }]), false);
  });
}

// --- related places: what NP108, NP211 and NP212 point to besides the flagged span ---

const policy = (name: string, spec: string): string => `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: ${name}, namespace: shop}\nspec: ${spec}\n`;

/** The text at each related place of the findings of a code: `source@text`. */
function places(files: readonly ParsedFile[], file: ParsedFile, code: string): string[] {
  const inv = buildInventory(files);
  const texts = new Map(files.map((f) => [f.source, f.text]));
  return diagnose(file, inv)
    .filter((f) => f.code === code)
    .flatMap((f) => (f.related ?? []).map((r) => `${r.object.source}@${(texts.get(r.object.source) ?? '').slice(r.span.start, r.span.end)}: ${r.message}`));
}

test('related places: NP108 links the other copies, in this file and in the folder', () => {
  const a = parseFile('file:///repo/a.yaml', `${policy('web', '{podSelector: {}}')}---\n${policy('web', '{podSelector: {matchLabels: {app: web}}}')}`);
  const b = parseFile('file:///repo/b.yaml', `# another copy\n${policy('web', '{podSelector: {}}')}`);
  assert.deepEqual(places([a, b], b, 'NP108'), ['file:///repo/a.yaml@web: NetworkPolicy "web" is also defined here', 'file:///repo/a.yaml@web: NetworkPolicy "web" is also defined here']);
  const inA = buildInventory([a, b]);
  const first = diagnose(a, inA).find((f) => f.code === 'NP108');
  assert.deepEqual(
    first?.related?.map((r) => [r.object.source, r.span.start]),
    [
      ['file:///repo/a.yaml', a.text.lastIndexOf('name: web') + 6],
      ['file:///repo/b.yaml', b.text.indexOf('name: web') + 6],
    ],
    'the second copy of this file and the one in b.yaml',
  );
  // Another folder is another environment: neither reported nor linked.
  const other = parseFile('file:///elsewhere/c.yaml', policy('web', '{podSelector: {}}'));
  assert.deepEqual(places([other, parseFile('file:///repo/d.yaml', policy('web', '{podSelector: {}}'))], other, 'NP108'), []);
});

test('related places: NP211 links the covering rule, NP212 the covering policies', () => {
  const rules = policy('api', '{podSelector: {}, ingress: [{from: [{podSelector: {}}]}, {from: [{podSelector: {matchLabels: {app: web}}}], ports: [{port: 80}]}]}');
  const f = parseFile('file:///repo/p.yaml', rules);
  const [shadow] = places([f], f, 'NP211');
  assert.equal(shadow, 'file:///repo/p.yaml@{from: [{podSelector: {}}]}: ingress rule #1, which allows all of it');
  const two = parseFile('file:///repo/q.yaml', `${policy('all', '{podSelector: {}, ingress: [{}]}')}---\n${policy('some', '{podSelector: {matchLabels: {app: web}}, ingress: [{ports: [{port: 80}]}]}')}`);
  assert.deepEqual(places([two], two, 'NP212'), ['file:///repo/q.yaml@all: policy all, which covers it']);
});

test('related places are the model spans: an edit above them moves them, and the finding with them', () => {
  const cache = new DocumentCache();
  const text = `${policy('web', '{podSelector: {}}')}---\n${policy('web', '{podSelector: {}}')}`;
  const v1 = parseFile('file:///repo/a.yaml', text, { cache });
  cache.sweep();
  const before = diagnose(v1, buildInventory([v1])).find((f) => f.code === 'NP108' && f.span.start < text.indexOf('---'));
  const at = before?.related?.[0]?.span.start;
  assert.equal(at, text.lastIndexOf('name: web') + 6);
  // A comment line added at the top: both documents are reused, moved by 12 characters.
  const v2 = parseFile('file:///repo/a.yaml', `# a comment\n${text}`, { cache });
  cache.sweep();
  assert.equal(before?.related?.[0]?.span.start, (at ?? 0) + 12, 'the place kept moved with its document');
  const after = diagnose(v2, buildInventory([v2])).find((f) => f.code === 'NP108' && f.span.start < v2.text.indexOf('---'));
  assert.equal(after?.related?.[0]?.span.start, (at ?? 0) + 12);
});

test('sameFindings: a different related place differs', () => {
  const object = { source: 'file:///a.yaml' } as unknown as RelatedPlace['object'];
  const with1: Finding = { ...base, related: [{ object, span: { start: 1, end: 2 }, message: 'here' }] };
  assert.equal(sameFindings([with1], [{ ...with1 }]), true);
  assert.equal(sameFindings([with1], [base]), false);
  assert.equal(sameFindings([with1], [{ ...base, related: [{ object, span: { start: 1, end: 2 }, message: 'there' }] }]), false);
  assert.equal(sameFindings([with1], [{ ...base, related: [{ object: { source: 'file:///b.yaml' } as unknown as RelatedPlace['object'], span: { start: 1, end: 2 }, message: 'here' }] }]), false);
});

test('related places: NP209 links the Service port and the pods\' port, NP206 the workloads with the label meant', () => {
  const deployment = 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop}\nspec:\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec: {containers: [{name: web, image: "web:1", ports: [{name: http, containerPort: 8080}]}]}\n';
  const service = 'apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: shop}\nspec: {selector: {app: web}, ports: [{port: 80, targetPort: http}]}\n';
  const f = parseFile('file:///repo/web.yaml', `${deployment}---\n${service}---\n${policy('in', '{podSelector: {matchLabels: {app: web}}, ingress: [{ports: [{port: 80}]}]}')}`);
  assert.deepEqual(places([f], f, 'NP209'), ['file:///repo/web.yaml@{port: 80, targetPort: http}: Service web: port 80 to targetPort http', "file:///repo/web.yaml@{name: http, containerPort: 8080}: the pods' port 8080 (Deployment web)"]);
  const typo = parseFile('file:///repo/typo.yaml', `${deployment}---\n${policy('in', '{podSelector: {matchLabels: {app: wbe}}}')}`);
  assert.deepEqual(places([typo], typo, 'NP206'), ['file:///repo/typo.yaml@{app: web}: Deployment web carries app: web']);
});

test('related places: NP108 links at most 20 copies, the first ones', () => {
  const text = Array.from({ length: 30 }, () => policy('web', '{podSelector: {}}')).join('---\n');
  const f = parseFile('file:///repo/many.yaml', text);
  const found = diagnose(f, buildInventory([f])).filter((x) => x.code === 'NP108');
  assert.equal(found.length, 30);
  const last = found[found.length - 1];
  assert.match(last?.message ?? '', /also defined in this file \(document 1\) and 28 more places/);
  assert.deepEqual(last?.related?.map((r) => r.object.docIndex), Array.from({ length: 20 }, (_, i) => i));
});
