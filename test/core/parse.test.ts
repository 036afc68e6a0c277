import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Document, isMap, isScalar, visit, YAMLMap } from 'yaml';
import { DocumentCache, documentYaml, parseFile, primeFile, splitDocuments } from '../../server/src/core/parse';
import { rng } from '../util/random';
import type { NetworkPolicy, ParsedFile, Workload } from '../../server/src/core/model';
import { ROOT, SHARED } from '../util/paths';

const policy = (name: string, extra = ''): string => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: ${name}
spec:
  podSelector:
    matchLabels:
      app: ${name}${extra}
`;

test('documents are cut at --- lines and keep file offsets', () => {
  const text = `# leading comment\n${policy('a')}---\n${policy('b')}--- # trailing\n${policy('c')}`;
  const f = parseFile('f.yaml', text);
  assert.equal(f.documents.length, 3);
  assert.deepEqual(f.objects.map((o) => o.name), ['a', 'b', 'c']);
  for (const o of f.objects) {
    assert.ok(o.nameSpan);
    assert.equal(text.slice(o.nameSpan.start, o.nameSpan.end), o.name);
  }
  const b = f.objects[1] as NetworkPolicy;
  const label = b.podSelector?.matchLabels[0];
  assert.ok(label);
  assert.equal(text.slice(label.valueSpan.start, label.valueSpan.end), 'b');
});

test('a --- inside a line or a block scalar does not cut', () => {
  const text = 'a: "x --- y"\nb: |\n  ---\n  text\n';
  assert.equal(splitDocuments(text).length, 1);
});

/** The cut as the YAML spec words it, line by line: the reference for the regex-driven splitDocuments. */
function referenceSplit(text: string): { start: number; end: number }[] {
  const cuts: number[] = [];
  let sawContent = false;
  for (let lineStart = 0; lineStart <= text.length; ) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd < 0) lineEnd = text.length;
    const line = text.slice(lineStart, lineEnd);
    if (line.startsWith('---')) {
      if (sawContent && /^---(?:[ \t\r]|$)/.test(line)) cuts.push(lineStart);
      sawContent = true;
    } else if (!sawContent) {
      const t = line.trim();
      if (t !== '' && !t.startsWith('#') && !t.startsWith('%')) sawContent = true;
    }
    lineStart = lineEnd + 1;
  }
  return [0, ...cuts].map((start, i) => ({ start, end: cuts[i] ?? text.length }));
}

test('documents are cut where the line-by-line reading cuts them, on seeded random texts', () => {
  const r = rng(7);
  const parts = ['---', '--- ', '---\t', '----', '---x', '\n', '\r\n', ' ', '#c', '%YAML 1.2', 'a: 1', '-', '\u2028', '...', '\ufeff'];
  for (let n = 0; n < 3000; n++) {
    let text = '';
    const len = Math.floor(r() * 14);
    for (let i = 0; i < len; i++) text += parts[Math.floor(r() * parts.length)];
    assert.deepEqual(splitDocuments(text), referenceSplit(text), JSON.stringify(text));
  }
});

test('kind: List and typed lists yield their items', () => {
  const text = `apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: Namespace
    metadata: {name: shop}
---
apiVersion: v1
kind: PodList
items:
  - metadata: {name: p1, namespace: shop, labels: {app: x}}
    spec: {containers: [{name: c, ports: [{containerPort: 80, name: http}]}]}
`;
  const f = parseFile('l.yaml', text);
  assert.deepEqual(f.objects.map((o) => `${o.kind}/${o.name}`), ['Namespace/shop', 'Pod/p1']);
  const pod = f.objects[1] as Workload;
  assert.deepEqual(pod.podLabels.map((l) => `${l.key}=${l.value}`), ['app=x']);
  assert.deepEqual(pod.ports.map((p) => `${p.name}:${p.port}/${p.protocol}`), ['http:80/TCP']);
});

test('workload templates: CronJob through jobTemplate, Deployment through template', () => {
  const text = `apiVersion: batch/v1
kind: CronJob
metadata: {name: report, namespace: jobs}
spec:
  jobTemplate:
    spec:
      template:
        metadata: {labels: {app: report}}
        spec: {containers: [{name: r, ports: [{containerPort: 9000, protocol: UDP}]}]}
`;
  const w = parseFile('c.yaml', text).objects[0] as Workload;
  assert.equal(w.kind, 'CronJob');
  assert.equal(w.namespace, 'jobs');
  assert.deepEqual(w.podLabels.map((l) => l.value), ['report']);
  assert.equal(w.ports[0]?.protocol, 'UDP');
});

test('Helm templates are skipped without errors; plain documents beside them still count', () => {
  const text = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: {{ .Release.Name }}-deny
spec:
  podSelector: {}
---
${policy('plain')}`;
  const f = parseFile('t.yaml', text);
  assert.equal(f.documents[0]?.skipped, 'template');
  assert.deepEqual(f.documents.flatMap((d) => d.problems), []);
  assert.deepEqual(f.objects.map((o) => o.name), ['plain']);
});

test('syntax errors are reported on their range and do not stop later documents', () => {
  const text = `${policy('broken')}  bad: [1,\n---\n${policy('good')}`;
  const f = parseFile('e.yaml', text);
  const problems = f.documents.flatMap((d) => d.problems);
  assert.ok(problems.length > 0);
  for (const p of problems) assert.ok(p.span.start >= 0 && p.span.end <= text.length);
  assert.ok(f.objects.some((o) => o.name === 'good'));
});

test('an alias bomb is cut off with a problem, not expanded', () => {
  const lines = ['a0: &a0 {k: v}'];
  for (let i = 1; i < 12; i++) lines.push(`a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(', ')}]`);
  const text = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: bomb}
x:
${lines.map((l) => `  ${l}`).join('\n')}
spec:
  podSelector: {}
  ingress:
${Array.from({ length: 50 }, () => '    - from: *a11').join('\n')}
`;
  const started = Date.now();
  const f = parseFile('bomb.yaml', text, { maxAliases: 200 });
  assert.ok(Date.now() - started < 5000);
  assert.equal(f.documents[0]?.skipped, 'aliases');
  assert.ok(f.documents[0]?.problems.some((p) => p.code === 'ALIAS_LIMIT'));
});

test('BOM, CRLF, binary and oversized input', () => {
  const crlf = `\ufeff${policy('w').replace(/\n/g, '\r\n')}`;
  const f = parseFile('w.yaml', crlf);
  const o = f.objects[0];
  assert.ok(o?.nameSpan);
  assert.equal(crlf.slice(o.nameSpan.start, o.nameSpan.end), 'w');
  assert.equal(parseFile('b.bin', 'abc\u0000def').binary, true);
  assert.equal(parseFile('big.yaml', policy('x'), { maxFileSize: 10 }).tooLarge, true);
  assert.deepEqual(parseFile('empty.yaml', '').objects, []);
});

test('non-Kubernetes YAML and other API versions are ignored', () => {
  const f = parseFile('ci.yaml', 'jobs:\n  build:\n    runs-on: ubuntu-latest\n---\napiVersion: extensions/v1beta1\nkind: Ingress\nmetadata: {name: x}\n');
  assert.deepEqual(f.objects, []);
  assert.deepEqual(f.documents.flatMap((d) => d.problems), []);
});

/** Every yaml node reachable from a value (yaml marks its nodes with this symbol). */
function yamlNodesIn(root: unknown): number {
  const NODE_TYPE = Symbol.for('yaml.node.type');
  const seen = new Set<object>();
  const stack: unknown[] = [root];
  let n = 0;
  while (stack.length) {
    const v = stack.pop();
    if (v === null || typeof v !== 'object' || seen.has(v)) continue;
    seen.add(v);
    if (NODE_TYPE in v) n++;
    for (const x of Object.values(v)) stack.push(x);
  }
  return n;
}

test('a parsed file keeps no YAML nodes; its findings move with a reused document', () => {
  const bad = policy('b').replace('  podSelector:', '  podSelectr: {}\n  podSelector:');
  const text = `${policy('a')}---\n${bad}---\n${policy('c')}`;
  const cache = new DocumentCache();
  const f = parseFile('f.yaml', text, { cache });
  cache.sweep();
  assert.equal(yamlNodesIn(f), 0);
  const at = (file: typeof f): string[] => file.documents.flatMap((d) => d.findings.map((x) => `${x.code} ${file.text.slice(x.span.start, x.span.end)}`));
  assert.deepEqual(at(f), ['NP104 podSelectr']);
  // An edit above: the second document is reused (same object), its finding still on its key.
  const g = parseFile('f.yaml', `# a comment\n${text}`, { cache });
  assert.equal(g.documents[1], f.documents[1]);
  assert.deepEqual(at(g), ['NP104 podSelectr']);
});

test('documentYaml parses a document again, with ranges relative to it, the same object while recent', () => {
  const text = `\uFEFF${policy('a')}---\r${policy('b').replace(/\n/g, '\r')}`;
  const f = parseFile('f.yaml', text);
  for (const d of f.documents) {
    const y = documentYaml(f, d);
    assert.ok(y && isMap(y.contents));
    assert.equal(documentYaml(f, d), y);
    const o = f.objects[d.index];
    const range = y.contents.range;
    assert.ok(o && range);
    assert.deepEqual([d.start + range[0], d.start + range[1]], [o.span.start, o.span.end]);
  }
});

test('the fast path for plain YAML and the yaml library read every corpus file alike', () => {
  const files = [join(ROOT, 'test', 'fixtures'), join(ROOT, 'examples'), join(SHARED, 'conformance', 'netpol-analyzer')].flatMap((d) => yamlFilesUnder(d));
  assert.ok(files.length > 50, `corpus of ${files.length} files`);
  // Spans, objects, YAML problems and API-server findings: the whole ParsedFile, as data.
  const plain = (f: ParsedFile): unknown => JSON.parse(JSON.stringify({ documents: f.documents, objects: f.objects }));
  for (const path of files) {
    const text = readFileSync(path, 'utf8');
    const fast = parseFile(path, text);
    // Where yaml runs out of stack depends on how deep the caller's stack already is.
    if (fast.documents.some((d) => d.problems.some((p) => p.code === 'RESOURCE_EXHAUSTION'))) continue;
    assert.deepEqual(plain(fast), plain(parseFile(path, text, { fastPath: false })), path);
  }
});

/** Objects reachable twice from one document's model (but the shared empty list), and objects with a numeric `start` that are not bare spans. */
function notATree(d: ParsedFile['documents'][number]): string[] {
  const out: string[] = [];
  const seen = new Set<object>();
  const walk = (v: unknown, path: string): void => {
    if (v === null || typeof v !== 'object') return;
    // The model's lists share one frozen empty array: nothing in it to move.
    if (Array.isArray(v) && v.length === 0 && Object.isFrozen(v)) return;
    if (seen.has(v)) out.push(`${path} is reachable twice`);
    seen.add(v);
    if (Array.isArray(v)) return v.forEach((x, i) => walk(x, `${path}[${i}]`));
    if (v instanceof Map) return; // labels: strings only
    const o = v as Record<string, unknown>;
    if (typeof o.start === 'number' && Object.keys(o).join() !== 'start,end') out.push(`${path} has a numeric start but is no span`);
    for (const k of Object.keys(o)) walk(o[k], `${path}.${k}`);
  };
  d.objects.forEach((o, i) => walk(o, `objects[${i}]`));
  d.problems.forEach((p, i) => walk(p, `problems[${i}]`));
  d.findings.forEach((f, i) => walk(f, `findings[${i}]`));
  return out;
}

test('a reused document moved by an edit above it equals a fresh parse, for every corpus file', () => {
  const files = [join(ROOT, 'test', 'fixtures'), join(ROOT, 'examples'), join(SHARED, 'conformance', 'netpol-analyzer')].flatMap((d) => yamlFilesUnder(d));
  const plain = (f: ParsedFile): unknown => JSON.parse(JSON.stringify({ documents: f.documents, objects: f.objects }));
  let moved = 0;
  for (const path of files) {
    const text = readFileSync(path, 'utf8');
    const cache = new DocumentCache();
    const before = parseFile(path, text, { cache });
    cache.sweep();
    // Where yaml runs out of stack depends on how deep the caller's stack already is.
    if (before.documents.some((d) => d.problems.some((p) => p.code === 'RESOURCE_EXHAUSTION'))) continue;
    // Relocation shifts spans in place without a visited set: it needs the model to be a tree.
    for (const d of before.documents) assert.deepEqual(notATree(d), [], path);
    // A line above the first document moves them all (the first one absorbs it, the others are reused).
    const edited = `# edited\n${text}`;
    const after = parseFile(path, edited, { cache });
    moved += after.documents.filter((d) => before.documents.includes(d)).length;
    assert.deepEqual(plain(after), plain(parseFile(path, edited)), path);
  }
  assert.ok(moved > 100, `${moved} documents reused`);
});

test('a file parsed ahead of need, a slice at a time, is the file a parse gives, its documents reused', () => {
  // A BOM, a lone CR, a duplicate document, a template and a broken one: every way a piece is cut.
  const text = `\uFEFF${policy('a')}---\r${policy('b').replace(/\n/g, '\r')}---\n${policy('c')}---\n${policy('c')}---\nkind: {{ .Values.kind }}\n---\nkind: [\n`;
  const plain = (f: ParsedFile): unknown => JSON.parse(JSON.stringify(f));
  const cache = new DocumentCache();
  const step = primeFile('f.yaml', text, cache);
  let slices = 0;
  while (step(() => true)) slices++;
  const fresh = parseFile('f.yaml', text);
  assert.equal(fresh.documents.length, 6);
  assert.equal(slices, 6, 'one document per slice when each slice is over at once, then a call that finds none');
  assert.equal(step(() => true), false, 'done stays done');
  const yaml = text.replace(/\r(?!\n)/g, '\n');
  const primed = fresh.documents.map((d) => cache.take(yaml.slice(d.start, d.end)));
  const f = parseFile('f.yaml', text, { cache });
  assert.deepEqual(plain(f), plain(fresh));
  // Every document came from the slices but the duplicate's second copy: one object per place.
  assert.deepEqual(
    f.documents.map((d, i) => d === primed[i]),
    f.documents.map((_, i) => i !== 3),
  );
  assert.equal(primed[3], primed[2]);
  // A slice that never ends parses all at once; binary and oversized files have nothing to parse.
  const all = new DocumentCache();
  assert.equal(primeFile('f.yaml', text, all)(() => false), false);
  assert.ok(all.has(text.slice(1, text.indexOf('---'))));
  assert.equal(primeFile('f.yaml', 'a\0b', new DocumentCache())(() => false), false);
  const tooLarge = new DocumentCache();
  assert.equal(primeFile('f.yaml', text, tooLarge, { maxFileSize: 10 })(() => false), false);
  assert.ok(!tooLarge.has(text.slice(1, text.indexOf('---'))));
});

test('a rule or peer field is set exactly when its key is written (for a peer, not null), for every corpus file (the engine counts on it)', () => {
  const files = [join(ROOT, 'test', 'fixtures'), join(ROOT, 'examples'), join(SHARED, 'conformance', 'netpol-analyzer')].flatMap((d) => yamlFilesUnder(d));
  const known = (keys: readonly string[] | undefined, names: readonly string[]): string[] => [...new Set((keys ?? []).filter((k) => names.includes(k)))].sort();
  let checked = 0;
  let nulls = 0;
  for (const path of files) {
    const f = parseFile(path, readFileSync(path, 'utf8'));
    for (const o of f.objects) {
      if (o.kind !== 'NetworkPolicy') continue;
      for (const r of [...(o.ingress ?? []), ...(o.egress ?? [])]) {
        if (!r.keys) continue;
        const set = [r.peers !== undefined ? (r.direction === 'ingress' ? 'from' : 'to') : '', r.ports !== undefined ? 'ports' : ''].filter((k) => k).sort();
        assert.deepEqual(set, known(r.keys, ['from', 'to', 'ports']).filter((k) => k === 'ports' || k === (r.direction === 'ingress' ? 'from' : 'to')), `${path}: rule ${r.index}`);
        for (const p of r.peers ?? []) {
          if (!p.keys) continue;
          const fields = [p.podSelector ? 'podSelector' : '', p.namespaceSelector ? 'namespaceSelector' : '', p.ipBlock ? 'ipBlock' : ''].filter((k) => k).sort();
          // Pointers in the API: a key written with a null value is absent. The yaml library says which are null.
          const d = f.documents[o.docIndex];
          const yaml = d && documentYaml(f, d);
          let node: unknown;
          visit(yaml ?? new Document(), { Map: (_k, n) => (n.range?.[0] === p.span.start - (d?.start ?? 0) ? ((node = n), visit.BREAK) : undefined) });
          assert.ok(isMap(node), `${path}: the peer's map is found`);
          const isNull = (k: string): boolean => {
            const v: unknown = node instanceof YAMLMap ? node.get(k, true) : undefined;
            return v === null || (isScalar(v) && v.value === null);
          };
          const given = known(p.keys, ['podSelector', 'namespaceSelector', 'ipBlock']);
          assert.deepEqual(fields, given.filter((k) => !isNull(k)), `${path}: peer ${p.index}`);
          if (fields.length < given.length) nulls++;
          checked++;
        }
      }
    }
  }
  assert.ok(checked > 500, `${checked} peers`);
  assert.ok(nulls > 0, 'a null peer field is among them');
});

function yamlFilesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return yamlFilesUnder(p);
    return /\.ya?ml$/.test(e.name) ? [p] : [];
  });
}

test('an edited file keeps no view of the text it was first read from', () => {
  // Strings of 13 characters or more cut from a text are views that keep the whole text alive (V8).
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const heap = (): number => {
    gc();
    gc();
    return process.memoryUsage().heapUsed;
  };
  // Long names and labels (views if sliced); every 5th document has a block scalar, which the yaml library reads.
  const doc = (i: number): string =>
    i % 5 === 0 ? `${policy(`library-read-policy-${i}`, `-and-a-long-label-value-${i}`)}  ingress: []\nx-note: |\n  a block scalar\n` : policy(`a-rather-long-policy-name-${i}`, `-and-a-long-label-value-${i}`);
  // A long comment in each: the text is several times what the model keeps, as in real manifests.
  const pieces = Array.from({ length: 3000 }, (_, i) => `# ${'x'.repeat(2000)}\n${doc(i)}`);
  const fresh = (s: string): string => Buffer.from(s).toString(); // a string of its own, as a message gives
  const v1Size = pieces.join('---\n').length;
  assert.ok(v1Size > 6_000_000);
  // After an edit to the first document: the model of the others came from version 1.
  const edited = (): number => {
    const cache = new DocumentCache();
    let v1: string | undefined = fresh(pieces.join('---\n'));
    parseFile('f.yaml', v1, { cache });
    cache.sweep();
    v1 = undefined;
    const f = parseFile('f.yaml', fresh(`# edited\n${pieces.join('---\n')}`), { cache });
    cache.sweep();
    const h = heap();
    assert.equal(f.objects.length, 3000);
    return h;
  };
  // Version 2 read at once.
  const once = (): number => {
    const cache = new DocumentCache();
    const f = parseFile('f.yaml', fresh(`# edited\n${pieces.join('---\n')}`), { cache });
    cache.sweep();
    const h = heap();
    assert.equal(f.objects.length, 3000);
    return h;
  };
  // Read once first, so that blockyaml's string cache holds these strings in both measures.
  once();
  const base = heap();
  const a = edited() - base;
  const b = once() - base;
  assert.ok(a - b < v1Size / 2, `after the edit ${(a / 1e6).toFixed(1)} MB, read at once ${(b / 1e6).toFixed(1)} MB, version 1 ${(v1Size / 1e6).toFixed(1)} MB`);
});
