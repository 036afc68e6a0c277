/**
 * The NP2xx lints are kept across edits (per policy, per namespace); an edit elsewhere must still
 * change them where it should. Each step diagnoses a cached parse (documents reused and moved) and
 * compares with a fresh parse of the same text.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diagnose } from '../../server/src/core/diagnostics';
import { buildInventory } from '../../server/src/core/inventory';
import { DocumentCache, parseFile } from '../../server/src/core/parse';

const deployment = (app: string): string => `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  template:
    metadata: {labels: {app: ${app}}}
    spec: {containers: [{name: web, image: web, ports: [{name: http, containerPort: 8080}]}]}
`;

const policy = (name: string, port: string): string => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: ${name}, namespace: shop}
spec:
  podSelector: {matchLabels: {app: web}}
  policyTypes: [Ingress]
  ingress:
    - ports: [{port: ${port}}]
`;

function fresh(text: string): string[] {
  const f = parseFile('lints.yaml', text);
  return diagnose(f, buildInventory([f])).map((d) => `${d.code} ${d.span.start}-${d.span.end} ${d.message}`);
}

test('lints: kept findings follow edits to other documents of the namespace and to workloads', () => {
  const cache = new DocumentCache();
  const versions: { text: string; codes: string[] }[] = [
    // b copies a: b is redundant.
    { text: [deployment('web'), policy('a', '8080'), policy('b', '8080')].join('---\n'), codes: ['NP212'] },
    // A comment above moves every document: the same finding, moved.
    { text: `# moved\n${[deployment('web'), policy('a', '8080'), policy('b', '8080')].join('---\n')}`, codes: ['NP212'] },
    // a changes (b's document does not): b is no longer redundant, a's named port is fine.
    { text: `# moved\n${[deployment('web'), policy('a', 'http'), policy('b', '8080')].join('---\n')}`, codes: [] },
    // The workload's labels change (no policy document does): both selectors match nothing now.
    { text: `# moved\n${[deployment('api'), policy('a', 'http'), policy('b', '8080')].join('---\n')}`, codes: ['NP206', 'NP206'] },
    // A named port the pods do not declare.
    { text: `# moved\n${[deployment('web'), policy('a', 'grpc'), policy('b', '8080')].join('---\n')}`, codes: ['NP208'] },
  ];
  for (const [i, v] of versions.entries()) {
    const f = parseFile('lints.yaml', v.text, { cache });
    cache.sweep();
    const got = diagnose(f, buildInventory([f]));
    assert.deepEqual(
      got.map((d) => `${d.code} ${d.span.start}-${d.span.end} ${d.message}`),
      fresh(v.text),
      `version ${i}: cached equals fresh`,
    );
    assert.deepEqual(got.map((d) => d.code).sort(), v.codes, `version ${i}`);
  }
});

test('lints: a policy in another folder neither covers nor is covered (NP212 compares what is applied together)', () => {
  const a = parseFile('base/a.yaml', policy('a', '8080'));
  const b = parseFile('overlays/prod/b.yaml', policy('b', '8080'));
  const c = parseFile('base/c.yaml', policy('c', '8080'));
  const inv = buildInventory([a, b, c]);
  assert.deepEqual(diagnose(b, inv).map((d) => d.code), []);
  assert.deepEqual(diagnose(c, inv).map((d) => d.code), ['NP212']);
  assert.deepEqual(diagnose(a, inv).map((d) => d.code), []);
});
