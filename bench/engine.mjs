// Engine benchmark: generates 500 workloads and 1000 policies in 50 namespaces, then times
// `connectivity` and a batch of `reach` queries against parsing the same files, in the same run.
// Usage: node bench/engine.mjs [--runs N] [--queries N] [--keep DIR]
// Prints ratios to the parse time (the budget: connectivity under 2x parse).
import { loadCore } from './bundle.mjs';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const RUNS = Number(arg('runs', '7'));
const QUERIES = Number(arg('queries', '1000'));

// Bundle the core (TypeScript) once for this run.
const core = await loadCore('core', `export * from '../../server/src/core/engine';
export { parseFile } from '../../server/src/core/parse';
export { buildInventory } from '../../server/src/core/inventory';
export { parseAllDocuments, LineCounter } from 'yaml';
`);

// --- input: 50 namespaces x 10 workloads, 20 policies per namespace ---

function rng(seed) {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
}
const rand = rng(42);
const pick = (xs) => xs[Math.floor(rand() * xs.length)];

const NS = 50;
const PER_NS = 10;
const KINDS = ['Deployment', 'Deployment', 'Deployment', 'StatefulSet', 'DaemonSet', 'CronJob'];
const TIERS = ['front', 'back', 'data'];
const TEAMS = ['red', 'green', 'blue', 'gold', 'teal'];

function workloadYaml(ns, i) {
  const kind = pick(KINDS);
  const app = `app-${i}`;
  const labels = `{ app: ${app}, tier: ${TIERS[i % 3]}, version: v${1 + (i % 2)} }`;
  const podSpec = `
        spec:
          containers:
            - name: main
              image: registry.example/${ns}/${app}:1.0
              ports:
                - { name: http, containerPort: ${8000 + i} }
                - { name: metrics, containerPort: 9090 }
                - { name: dns-probe, containerPort: 5353, protocol: UDP }`;
  if (kind === 'CronJob') {
    return `apiVersion: batch/v1
kind: CronJob
metadata: { name: ${app}, namespace: ${ns} }
spec:
  schedule: "*/5 * * * *"
  jobTemplate:
    spec:
      template:
        metadata: { labels: ${labels} }${podSpec.replace(/\n {8}/g, '\n        ')}
`;
  }
  return `apiVersion: apps/v1
kind: ${kind}
metadata: { name: ${app}, namespace: ${ns}, labels: { app: ${app} } }
spec:
  selector: { matchLabels: { app: ${app} } }
  template:
    metadata: { labels: ${labels} }${podSpec.replace(/\n {8}/g, '\n    ')}
`;
}

function policiesYaml(ns, n) {
  const docs = [];
  docs.push(`apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: default-deny, namespace: ${ns} }
spec:
  podSelector: {}
  policyTypes: [Ingress, Egress]
`);
  docs.push(`apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: allow-dns, namespace: ${ns} }
spec:
  podSelector: {}
  policyTypes: [Egress]
  egress:
    - to:
        - namespaceSelector: { matchLabels: { kubernetes.io/metadata.name: kube-system } }
          podSelector: { matchLabels: { k8s-app: kube-dns } }
      ports: [{ port: 53, protocol: UDP }, { port: 53, protocol: TCP }]
`);
  for (let i = 0; i < PER_NS; i++) {
    const from = [1, 2, 3].map((d) => `app-${(i + d) % PER_NS}`);
    const otherNs = `ns-${(n + 1 + Math.floor(rand() * (NS - 1))) % NS}`;
    docs.push(`apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: app-${i}-ingress, namespace: ${ns} }
spec:
  podSelector: { matchLabels: { app: app-${i} } }
  policyTypes: [Ingress]
  ingress:
    - from:
        - podSelector: { matchExpressions: [{ key: app, operator: In, values: [${from.join(', ')}] }] }
      ports: [{ port: http }, { port: ${8000 + i}, protocol: UDP }]
    - from:
        - namespaceSelector: { matchLabels: { team: ${pick(TEAMS)} } }
          podSelector: { matchLabels: { tier: ${pick(TIERS)} } }
        - namespaceSelector: { matchLabels: { kubernetes.io/metadata.name: ${otherNs} } }
      ports: [{ port: 8000, endPort: 8100 }]
    - from:
        - namespaceSelector: { matchLabels: { kubernetes.io/metadata.name: monitoring } }
      ports: [{ port: metrics }]
    - from:
        - ipBlock: { cidr: 10.${n}.0.0/16, except: [10.${n}.${i}.0/24] }
      ports: [{ port: 443 }]
`);
    docs.push(`apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: app-${i}-egress, namespace: ${ns} }
spec:
  podSelector: { matchLabels: { app: app-${i} } }
  policyTypes: [Egress]
  egress:
    - to:
        - podSelector: { matchLabels: { app: app-${(i + 1) % PER_NS} } }
        - podSelector: { matchLabels: { tier: data } }
      ports: [{ port: http }, { port: 9090 }]
    - to:
        - namespaceSelector: { matchExpressions: [{ key: team, operator: NotIn, values: [${pick(TEAMS)}] }] }
          podSelector: { matchLabels: { tier: front } }
      ports: [{ port: 8000, endPort: 8020 }, { protocol: SCTP, port: 3868 }]
    - to:
        - ipBlock: { cidr: 0.0.0.0/0, except: [10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16] }
      ports: [{ port: 443 }]
`);
  }
  return docs.join('---\n');
}

const dir = arg('keep', undefined) ?? mkdtempSync(join(tmpdir(), 'netpol-bench-'));
mkdirSync(dir, { recursive: true });
let workloads = 0;
let policies = 0;
for (let n = 0; n < NS; n++) {
  const ns = `ns-${n}`;
  const wl = [`apiVersion: v1\nkind: Namespace\nmetadata: { name: ${ns}, labels: { team: ${TEAMS[n % TEAMS.length]} } }\n`];
  for (let i = 0; i < PER_NS; i++) wl.push(workloadYaml(ns, i));
  workloads += PER_NS;
  writeFileSync(join(dir, `${ns}-workloads.yaml`), wl.join('---\n'));
  // default-deny, allow-dns and an ingress and egress policy per app make 22; keep 20 so that
  // 50 namespaces give 1000 policies (the last app of each namespace gets only default-deny and allow-dns).
  const docs = policiesYaml(ns, n).split('---\n').slice(0, 20);
  policies += docs.length;
  writeFileSync(join(dir, `${ns}-policies.yaml`), docs.join('---\n'));
}
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.yaml'))
  .sort()
  .map((f) => join(dir, f));

// --- measurements ---

const now = () => process.hrtime.bigint();
const ms = (a, b) => Number(b - a) / 1e6;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function parseAll() {
  return files.map((f) => core.parseFile(f, readFileSync(f, 'utf8')));
}

// The baseline of every netpol benchmark: the yaml library parsing the same files (as lsp-bench's
// limit.mjs does). netpol's own parse is ~10x faster than that since blockyaml.ts.
function yamlParseAll() {
  for (const f of files) core.parseAllDocuments(readFileSync(f, 'utf8'), { keepSourceTokens: true, lineCounter: new core.LineCounter() });
}

const parsed = parseAll();
const inv = core.buildInventory(parsed);
if (inv.workloads.length !== workloads || inv.policies.length !== policies) {
  throw new Error(`generated ${inv.workloads.length} workloads and ${inv.policies.length} policies, expected ${workloads} and ${policies}`);
}

// Queries: random workload pairs and ports, some to addresses outside.
const queries = [];
for (let q = 0; q < QUERIES; q++) {
  const from = { kind: 'workload', workload: pick(inv.workloads) };
  const to = q % 10 === 9 ? { kind: 'ip', address: core.parseIp(`203.0.113.${q % 250}`) } : { kind: 'workload', workload: pick(inv.workloads) };
  queries.push([from, to, pick([53, 443, 8000 + (q % 10), 9090, 3868]), pick(['TCP', 'TCP', 'UDP', 'SCTP'])]);
}

const parseT = [];
const connT = [];
const reachT = [];
let lines = 0;
let allowed = 0;
for (let r = 0; r < RUNS + 1; r++) {
  let t0 = now();
  yamlParseAll();
  let t1 = now();
  if (r > 0) parseT.push(ms(t0, t1));

  t0 = now();
  const report = core.connectivity(core.analyze(core.buildInventory(parsed)));
  const txt = core.formatReport(report, 'txt');
  t1 = now();
  if (r > 0) connT.push(ms(t0, t1));
  lines = txt.length ? txt.split('\n').length - 1 : 0;

  t0 = now();
  const a = core.analyze(core.buildInventory(parsed));
  allowed = 0;
  for (const [from, to, port, proto] of queries) if (a.reach(from, to, port, proto).allowed) allowed++;
  t1 = now();
  if (r > 0) reachT.push(ms(t0, t1));
}

const p = median(parseT);
const c = median(connT);
const q = median(reachT);
const bytes = files.reduce((n, f) => n + readFileSync(f).length, 0);
console.log(`engine bench: ${workloads} workloads, ${policies} policies, ${files.length} files (${(bytes / 1024).toFixed(0)} KiB), median of ${RUNS} runs`);
console.log(`  yaml parse (read + parse)   ${p.toFixed(1)} ms  (baseline)`);
console.log(`  connectivity (${lines} lines)  ${c.toFixed(1)} ms  ratio ${(c / p).toFixed(2)}x parse  (budget 2.00x)`);
console.log(`  reach x${QUERIES} (${allowed} allowed)    ${q.toFixed(1)} ms  ratio ${(q / p).toFixed(2)}x parse`);
if (arg('keep', undefined) === undefined) rmSync(dir, { recursive: true, force: true });
if (c / p >= 2) {
  console.error('engine bench: connectivity is over its budget of 2x the parse time');
  process.exitCode = 1;
}
