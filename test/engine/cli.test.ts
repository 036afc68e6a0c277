// `netpol reach` and `netpol connectivity`, called through their run() functions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, relative as relativePath } from 'node:path';
import { run as reach } from '../../server/src/cli/reach';
import { run as connectivity } from '../../server/src/cli/connectivity';
import type { CliIO } from '../../server/src/cli/io';
import { fixture, SHARED } from '../util/paths';

async function call(fn: (argv: string[], io: CliIO) => Promise<number>, ...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await fn(argv, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

const basic = fixture('engine', 'basic-isolation.yaml');
const minimal = join(SHARED, 'conformance', 'netpol-analyzer', 'netpol-analysis-example-minimal');

test('reach: allowed, one sentence with the deciding rules and their lines', async () => {
  const r = await call(reach, basic, '--from', 'shop/frontend', '--to', 'shop/backend', '--port', '9090');
  assert.equal(r.code, 0);
  assert.equal(
    r.out,
    'Deployment shop/frontend can connect to Deployment shop/backend on TCP 9090: egress: allowed by NetworkPolicy shop/frontend-egress, egress rule #1 (' +
      `${relative(basic)}:49); ingress: allowed by NetworkPolicy shop/backend-ingress, ingress rule #1 (${relative(basic)}:39).\n`,
  );
});

function relative(p: string): string {
  return relativePath(process.cwd(), p);
}

test('reach: denied is still exit 0; JSON has both directions with files and lines', async () => {
  const r = await call(reach, basic, '--from', 'shop/backend', '--to', 'shop/db', '--port', '5432/tcp', '--json');
  assert.equal(r.code, 0);
  const j = JSON.parse(r.out) as {
    allowed: boolean;
    protocol: string;
    egress: { allowed: boolean; reason: string; policies: { policy: string; file: string; line: number }[] };
    ingress: { allowed: boolean; rules: { policy: string; rule: number; peer: number; line: number }[] };
  };
  assert.equal(j.allowed, false);
  assert.equal(j.protocol, 'TCP');
  assert.equal(j.egress.allowed, false);
  assert.equal(j.egress.reason, 'no-rule-allows');
  assert.deepEqual(j.egress.policies.map((p) => [p.policy, p.line]), [['shop/default-deny', 26]]);
  assert.ok(j.egress.policies[0]?.file.endsWith('basic-isolation.yaml'));
  assert.equal(j.ingress.allowed, true);
  assert.deepEqual(j.ingress.rules.map((x) => [x.policy, x.rule, x.peer, x.line]), [['shop/db-ingress', 1, 1, 60]]);
});

test('reach: IP peers, UDP, and the ipBlock note', async () => {
  const r = await call(reach, fixture('engine', 'ipblock-v4.yaml'), '--from', 'ipb/client', '--to', 'ipb/web', '--port', '443');
  assert.equal(r.code, 0);
  assert.match(r.out, /^Deployment ipb\/client cannot connect to Deployment ipb\/web on TCP 443: .*would allow it if the network plugin matches pod IPs against ipBlocks\.\n$/);
  assert.match(r.err, /note: ipBlocks are taken to match only addresses outside the cluster; whether an ipBlock also matches pod IPs depends on the network plugin/);
  const quiet = await call(reach, fixture('engine', 'ipblock-v4.yaml'), '--from', 'ipb/client', '--to', 'ipb/web', '--port', '443', '--ipblocks', 'external-only');
  assert.equal(quiet.err, '');
  const ip = await call(reach, fixture('engine', 'ipblock-v4.yaml'), '--from', '10.2.3.4', '--to', 'ipb/web', '--port', '443/TCP');
  assert.match(ip.out, /^10\.2\.3\.4 can connect to Deployment ipb\/web on TCP 443: egress: 10\.2\.3\.4 is outside the cluster/);
});

test('reach: unknown or ambiguous workloads and bad ports are errors with exit 2', async () => {
  const unknown = await call(reach, basic, '--from', 'shop/nope', '--to', 'shop/db', '--port', '80');
  assert.equal(unknown.code, 2);
  assert.match(unknown.err, /--from: no workload "shop\/nope" in the manifests/);
  assert.equal(unknown.out, '');
  const ambiguous = await call(reach, fixture('engine', 'workload-kinds.yaml'), '--from', 'kinds/api', '--to', 'kinds/web', '--port', '80');
  assert.equal(ambiguous.code, 2);
  assert.match(ambiguous.err, /"kinds\/api" is ambiguous; say which: kinds\/DaemonSet\/api, kinds\/StatefulSet\/api/);
  const ok = await call(reach, fixture('engine', 'workload-kinds.yaml'), '--from', 'kinds/nightly', '--to', 'kinds/DaemonSet/api', '--port', '8080');
  assert.equal(ok.code, 0);
  assert.match(ok.out, /^CronJob kinds\/nightly can connect to DaemonSet kinds\/api on TCP 8080/);
  for (const port of ['0', '70000', 'http', '80/ICMP']) {
    const bad = await call(reach, basic, '--from', 'shop/frontend', '--to', 'shop/db', '--port', port);
    assert.equal(bad.code, 2, port);
  }
  assert.equal((await call(reach, basic, '--to', 'shop/db', '--port', '80')).code, 2);
  assert.equal((await call(reach, '--from', 'shop/frontend', '--to', 'shop/db', '--port', '80')).code, 2);
  assert.equal((await call(reach, basic, '--from', '1.2.3.4', '--to', '5.6.7.8', '--port', '80')).code, 2);
  assert.equal((await call(reach, join(basic, 'missing.yaml'), '--from', 'a/b', '--to', 'c/d', '--port', '80')).code, 2);
});

test('connectivity: every format of the netpol-analyzer report, JSON inputs included', async () => {
  for (const fmt of ['txt', 'json', 'csv', 'md']) {
    const r = await call(connectivity, join(minimal, 'input'), '--format', fmt);
    assert.equal(r.code, 0);
    const want = readFileSync(join(minimal, 'expected', `netpol-analysis-example-minimal_connlist_output.${fmt}`), 'utf8').replace(/\r/g, '');
    assert.equal(r.out.trim(), want.trim(), fmt);
  }
  const dot = await call(connectivity, join(minimal, 'input'), '--format', 'dot');
  assert.match(dot.out, /^digraph \{\n/);
  assert.match(dot.out, /"default\/frontend\[Deployment\]" -> "default\/backend\[Deployment\]" \[label="TCP 9090"/);
  const json = await call(connectivity, join(SHARED, 'conformance', 'netpol-analyzer', 'with_end_port_example', 'input'));
  assert.equal(json.code, 0);
  assert.match(json.out, /kube-system\/calico-node\[DaemonSet\]/);
  assert.equal((await call(connectivity, join(minimal, 'input'), '--format', 'svg')).code, 2);
  assert.equal((await call(connectivity)).code, 2);
  const note = await call(connectivity, fixture('engine', 'ipblock-v4.yaml'));
  assert.match(note.err, /note: ipBlocks are taken to match only addresses outside the cluster/);
});
