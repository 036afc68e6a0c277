// The engine API as hover and diagnostics use it: effective allow sets, their words, reach reasons.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze, describeDns, describeEffective, describeReach, findEndpoint, type Endpoint } from '../../server/src/core/engine';
import { DocumentCache, parseFile } from '../../server/src/core/parse';
import { buildInventory } from '../../server/src/core/inventory';
import { LineMap } from '../../server/src/core/text';

const TEXT = `apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: shop }
spec:
  template:
    metadata: { labels: { app: web } }
    spec: { containers: [{ name: w, image: w, ports: [{ name: http, containerPort: 8080 }] }] }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: client, namespace: shop }
spec: { template: { metadata: { labels: { app: client } } } }
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: web, namespace: shop }
spec:
  podSelector: { matchLabels: { app: web } }
  policyTypes: [Ingress, Egress]
  ingress:
    - from: [{ podSelector: { matchLabels: { app: client } } }]
      ports: [{ port: http }, { port: grpc }]
    - from: [{ ipBlock: { cidr: 10.0.0.0/8 } }]
      ports: [{ port: 443 }]
`;

function setup() {
  const file = parseFile('shop.yaml', TEXT);
  const inv = buildInventory([file]);
  const lines = new LineMap(TEXT);
  const locate = (source: string, offset: number): string => `${source}:${lines.position(offset).line + 1}`;
  const ep = (s: string): Endpoint => {
    const e = findEndpoint(inv, s);
    assert.ok(e.ok, s);
    return e.endpoint;
  };
  return { inv, a: analyze(inv), locate, ep };
}

test('effective allow sets name peers, ports and the rules behind them', () => {
  const { inv, a, locate } = setup();
  const web = inv.workloads.find((w) => w.workload.name === 'web');
  assert.ok(web);
  const ing = a.effective(web, 'ingress');
  assert.equal(ing.isolated, true);
  assert.deepEqual(ing.policies.map((p) => p.policy.name), ['web']);
  assert.equal(ing.entries.length, 2);
  const first = ing.entries[0];
  assert.ok(first && first.peer.kind === 'pods');
  assert.deepEqual(first.peer.workloads.map((w) => w.workload.name), ['client']);
  assert.deepEqual(first.unresolvedPorts, [{ name: 'grpc', protocol: 'TCP' }]);
  const words = describeEffective(ing, locate).join('\n');
  assert.match(words, /^Ingress: isolated by shop\/web \(shop.yaml:14\); allowed:/);
  assert.match(words, /from pods with app=client in namespace shop — shop\/client on TCP 8080 \(named port grpc\/TCP matches no container port here\) \[NetworkPolicy shop\/web, ingress rule #1 \(shop.yaml:21\)\]/);
  assert.match(words, /from addresses in 10.0.0.0\/8 \(outside the cluster; whether an ipBlock also matches pod IPs depends on the network plugin\) on TCP 443/);
  const eg = a.effective(web, 'egress');
  assert.equal(eg.isolated, true);
  assert.deepEqual(describeEffective(eg), ['Egress: isolated by shop/web; nothing is allowed.']);
  const client = inv.workloads.find((w) => w.workload.name === 'client');
  assert.ok(client);
  assert.deepEqual(describeEffective(a.effective(client, 'egress')), ['Egress: not isolated (no policy selects it for Egress), so it may connect anywhere on every port.']);
  assert.deepEqual(a.isolation(client), { ingress: false, egress: false });
  assert.deepEqual(a.selectingPolicies(web).map((p) => p.policy.name), ['web']);
});

test('reach explains both directions in one sentence', () => {
  const { a, locate, ep } = setup();
  const ok = a.reach(ep('shop/client'), ep('shop/web'), 8080, 'TCP');
  assert.equal(ok.allowed, true);
  assert.equal(
    describeReach(ok, 'shop/client', 'shop/web', locate),
    'shop/client can connect to shop/web on TCP 8080: egress: no policy isolates shop/client for egress; ingress: allowed by NetworkPolicy shop/web, ingress rule #1 (shop.yaml:21).',
  );
  const no = a.reach(ep('shop/client'), ep('shop/web'), 443, 'TCP');
  assert.equal(no.allowed, false);
  assert.equal(no.ingress.portMismatches.length, 1);
  assert.equal(no.ingress.ipBlockCaveats.length, 1);
  assert.match(describeReach(no, 'shop/client', 'shop/web', locate), /cannot connect .* matches the peer but not the port\); NetworkPolicy shop\/web, ingress rule #2 \(shop.yaml:23\) would allow it if the network plugin matches pod IPs against ipBlocks\.$/);
  const out = a.reach(ep('shop/web'), ep('8.8.8.8'), 53, 'UDP');
  assert.equal(out.allowed, false);
  assert.equal(out.ingress.applies, false);
  const hypothetical = a.reach({ kind: 'pod', namespace: 'shop', labels: new Map([['app', 'client']]) }, ep('shop/web'), 8080);
  assert.equal(hypothetical.allowed, true);
  const web = ep('shop/web');
  assert.ok(web.kind === 'workload');
  assert.match(describeDns(a.dnsForWorkload(web.workload)), /^DNS: egress is isolated and no rule allows port 53/);
});

test('endpoints: unknown, ambiguous and IP peers', () => {
  const { inv } = setup();
  const unknown = findEndpoint(inv, 'shop/nope');
  assert.equal(unknown.ok, false);
  assert.equal(findEndpoint(inv, 'garbage').ok, false);
  assert.equal(findEndpoint(inv, 'shop/Deployment/web').ok, true);
  assert.equal(findEndpoint(inv, 'shop/StatefulSet/web').ok, false);
  const ip = findEndpoint(inv, '2001:db8::1');
  assert.ok(ip.ok && ip.endpoint.kind === 'ip');
});

test('an edit to a policy keeps the pod classes; an edit to a workload or a namespace label regroups them, as a fresh analysis would', () => {
  const ns = `apiVersion: v1
kind: Namespace
metadata: { name: shop, labels: { team: a } }
---
`;
  const cache = new DocumentCache();
  const step = (text: string) => {
    const f = parseFile('f.yaml', text, { cache });
    cache.sweep();
    return analyze(buildInventory([f]));
  };
  // What a classes object says, as data: namespace labels, pod labels, named ports and members.
  const shape = (a: ReturnType<typeof analyze>): string[] =>
    a.context.classes.classes.map((c) => `${c.key} ns:${[...c.namespaceLabels].join()} ${c.members.map((m) => m.workload.name).join()}`).sort();
  const fresh = (text: string): string[] => shape(analyze(buildInventory([parseFile('f.yaml', text)])));

  const a = step(ns + TEXT);
  const policyEdit = (ns + TEXT).replace('ports: [{ port: http }, { port: grpc }]', 'ports: [{ port: http }]');
  const b = step(policyEdit);
  assert.equal(b.context.classes, a.context.classes, 'only a policy changed: the same classes');
  assert.deepEqual(shape(b), fresh(policyEdit));

  const nsEdit = policyEdit.replace('team: a', 'team: b');
  const c = step(nsEdit);
  assert.notEqual(c.context.classes, b.context.classes);
  assert.deepEqual(shape(c), fresh(nsEdit));

  const workloadEdit = nsEdit.replace('labels: { app: client }', 'labels: { app: client, tier: x }');
  const d = step(workloadEdit);
  assert.notEqual(d.context.classes, c.context.classes);
  assert.deepEqual(shape(d), fresh(workloadEdit));
  // The answers follow the edits: the client still reaches web on http after the label change.
  const client = d.inventory.workloads.find((w) => w.workload.name === 'client');
  const web = d.inventory.workloads.find((w) => w.workload.name === 'web');
  assert.ok(client && web);
  assert.equal(d.reach({ kind: 'workload', workload: client }, { kind: 'workload', workload: web }, 8080).allowed, true);
});
