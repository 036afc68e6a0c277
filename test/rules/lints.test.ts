/**
 * The NP2xx lints are kept across edits (per policy, per namespace); an edit elsewhere must still
 * change them where it should. Each step diagnoses a cached parse (documents reused and moved) and
 * compares with a fresh parse of the same text.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diagnose, type Finding } from '../../server/src/core/diagnostics';
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

/** A finding as compared: where, what, and what its quick fix writes where. */
const shown = (d: Finding): string => `${d.code} ${d.span.start}-${d.span.end} ${d.message}${d.replaceWith === undefined ? '' : ` → ${d.replaceWith}`}${d.replaceAt ? ` at ${d.replaceAt.start}-${d.replaceAt.end}` : ''}`;

/** A document that is no workload and no policy, `lines` long: editing it moves the documents below. */
const filler = (lines: number): string => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\ndata:\n${Array.from({ length: lines }, (_, i) => `  k${i}: v\n`).join('')}`;

function fresh(text: string): string[] {
  const f = parseFile('lints.yaml', text);
  return diagnose(f, buildInventory([f])).map(shown);
}

interface Version {
  readonly text: string;
  /** The codes found, sorted. */
  readonly codes: readonly string[];
}

/**
 * Diagnose the versions of a file in turn through one cache, then check each against a fresh parse
 * of its text and the codes it should have. The edits first, in one run: a fresh parse in between
 * would be another workspace, and the lints keep their results for the latest one only.
 */
function inTurn(versions: readonly Version[]): Finding[][] {
  const cache = new DocumentCache();
  const cached = versions.map((v) => {
    const f = parseFile('lints.yaml', v.text, { cache });
    cache.sweep();
    return diagnose(f, buildInventory([f]));
  });
  for (const [i, v] of versions.entries()) {
    const got = cached[i] ?? [];
    assert.deepEqual(got.map(shown), fresh(v.text), `version ${i}: cached equals fresh`);
    assert.deepEqual(got.map((d) => d.code).sort(), v.codes, `version ${i}`);
  }
  return cached;
}

test('lints: kept findings follow edits to other documents of the namespace and to workloads', () => {
  const versions: Version[] = [
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
    // Labels and a port name a typo away: the fixes' replacements (at a label inside the flagged
    // selector for NP206) move with their policies when an edit in a document above moves them.
    { text: [filler(1), deployment('wbe'), policy('a', 'htpp'), policy('b', '8080')].join('---\n'), codes: ['NP206', 'NP206'] },
    { text: [filler(2), deployment('wbe'), policy('a', 'htpp'), policy('b', '8080')].join('---\n'), codes: ['NP206', 'NP206'] },
    { text: [filler(2), deployment('web'), policy('a', 'htpp'), policy('b', '8080')].join('---\n'), codes: ['NP208'] },
    { text: [filler(3), deployment('web'), policy('a', 'htpp'), policy('b', '8080')].join('---\n'), codes: ['NP208'] },
  ];
  const cached = inTurn(versions);
  for (const [i, got] of cached.entries()) {
    if (i >= 5) assert.ok(got.every((d) => d.replaceWith !== undefined), `version ${i}: each finding has its replacement`);
  }
});

/** A custom resource whose operator runs pods labelled `app: <app>` in namespace shop. */
const operated = (app: string): string => `apiVersion: monitoring.coreos.com/v1
kind: Prometheus
metadata: {name: k8s, namespace: shop}
spec:
  podMetadata: {labels: {app: ${app}}}
`;

const selecting = (app: string): string => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: p-${app}, namespace: shop}
spec:
  podSelector: {matchLabels: {app: ${app}}}
  policyTypes: [Ingress]
`;

test("lints: a custom resource's pod labels count for NP206, and an edit to them alone redoes the policies that read them", () => {
  inTurn([
    // The Prometheus's pods carry app: prometheus: the selector is not a typo.
    { text: [deployment('web'), operated('prometheus'), selecting('prometheus')].join('---\n'), codes: [] },
    // Only the custom resource's document changes: the kept lint result must not stand.
    { text: [deployment('web'), operated('prom'), selecting('prometheus')].join('---\n'), codes: ['NP206'] },
    { text: [deployment('web'), operated('prometheus'), selecting('prometheus')].join('---\n'), codes: [] },
    // Gone: the selector matches nothing the namespace runs.
    { text: [deployment('web'), selecting('prometheus')].join('---\n'), codes: ['NP206'] },
  ]);
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
