import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from '../util/paths';
import { TestClient } from './client';

// A workspace on disk: the policy being edited is open, the allow-dns policy is only on disk.
const dir = mkdtempSync(join(tmpdir(), 'netpol-ws-'));
const shop = readFileSync(join(ROOT, 'examples', 'online-shop', 'policies.yaml'), 'utf8');
const allowDns = `${shop.split('---')[1] ?? ''}`;
const egressPolicy = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: cart-egress
  namespace: shop
spec:
  podSelector:
    matchLabels:
      app: cart
  policyTypes: [Egress]
  egress:
    - to:
        - podSelector:
            matchLabels:
              app: redis
`;
let client: TestClient;

before(async () => {
  mkdirSync(join(dir, 'policies'));
  mkdirSync(join(dir, 'node_modules', 'x'), { recursive: true });
  writeFileSync(join(dir, 'policies', 'allow-dns.yaml'), allowDns);
  writeFileSync(join(dir, 'policies', 'cart.yaml'), egressPolicy);
  // Indexing skips node_modules: a duplicate policy there must not count.
  writeFileSync(join(dir, 'node_modules', 'x', 'cart.yaml'), egressPolicy);
  writeFileSync(join(dir, 'binary.yaml'), Buffer.from([0, 1, 2, 3]));
  client = new TestClient();
  await client.initialize(pathToFileURL(dir).toString());
});
after(async () => {
  await client.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('files that are not open count, and the index follows changes on disk', async () => {
  const uri = pathToFileURL(join(dir, 'policies', 'cart.yaml')).toString();
  await client.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text: egressPolicy } });
  // The index may finish after the first publish: wait until the open file is clean.
  let version = 1;
  let codes: string[] = [];
  for (let i = 0; i < 50; i++) {
    codes = (await client.diagnosticsFor(uri, version)).diagnostics.map((d) => String(d.code));
    if (!codes.includes('NP201')) break;
    await new Promise((r) => setTimeout(r, 100));
    version++;
    await client.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text: egressPolicy }] });
  }
  assert.deepEqual(codes, [], 'allow-dns on disk counts; the open document and its disk copy are one file; node_modules is skipped');
  // The progress begins once the client is ready (the index started at initialize) and may end
  // after the first diagnostics.
  for (let i = 0; i < 100 && !client.progress.includes('end'); i++) await new Promise((r) => setTimeout(r, 50));
  assert.deepEqual(client.progress.slice(0, 1), ['begin'], 'indexing reports progress');
  assert.ok(client.progress.includes('end'), 'and ends it');

  rmSync(join(dir, 'policies', 'allow-dns.yaml'));
  await client.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(join(dir, 'policies', 'allow-dns.yaml')).toString(), type: 3 }] });
  version++;
  await client.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text: egressPolicy }] });
  assert.deepEqual((await client.diagnosticsFor(uri, version)).diagnostics.map((d) => d.code), ['NP201']);
});

/** A workspace folder with the policy at its top and a copy under charts/, which `charts/**` excludes. */
function withCharts(prefix: string): string {
  const ws = mkdtempSync(join(tmpdir(), prefix));
  mkdirSync(join(ws, 'charts'));
  writeFileSync(join(ws, 'cart.yaml'), egressPolicy);
  writeFileSync(join(ws, 'charts', 'cart.yaml'), egressPolicy);
  return ws;
}

test('the index starts before the client answers for its settings, with those it sent with initialize', async () => {
  const ws = withCharts('netpol-init-');
  const c = new TestClient();
  // What VS Code's client sends with initialize and answers when asked: the same settings.
  c.configuration = { exclude: ['charts/**'] };
  c.configurationDelayMs = 2000;
  try {
    await c.initialize(pathToFileURL(ws).toString(), { settings: { exclude: ['charts/**'] } });
    const indexed = (): string[] => c.logs.filter((l) => l.startsWith('netpol: indexed'));
    for (let i = 0; i < 24 && indexed().length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(indexed(), ['netpol: indexed 1 YAML files in 1 folder(s)'], 'indexed before the settings came, without the excluded folder');
    // The answer agrees with what initialize brought: no second walk.
    await new Promise((r) => setTimeout(r, 2300));
    assert.ok(c.configurationRequests > 0);
    assert.deepEqual(indexed(), ['netpol: indexed 1 YAML files in 1 folder(s)']);
  } finally {
    await c.stop();
    rmSync(ws, { recursive: true, force: true });
  }
});

test('settings pushed after a walk that change what is indexed start a new walk', async () => {
  const ws = withCharts('netpol-push-');
  const c = new TestClient();
  try {
    await c.initialize(pathToFileURL(ws).toString());
    const indexed = (): string[] => c.logs.filter((l) => l.startsWith('netpol: indexed'));
    // The first walk is done and the settings asked for at initialized are answered (and applied).
    for (let i = 0; i < 100 && !(indexed().length > 0 && c.configurationRequests > 0); i++) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 200));
    assert.deepEqual(indexed(), ['netpol: indexed 2 YAML files in 1 folder(s)']);
    // As VS Code does on a settings change: the new settings pushed, and the same when asked.
    c.configuration = { exclude: ['charts/**'] };
    await c.conn.sendNotification('workspace/didChangeConfiguration', { settings: { netpol: c.configuration } });
    for (let i = 0; i < 100 && indexed().length < 2; i++) await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(indexed(), ['netpol: indexed 2 YAML files in 1 folder(s)', 'netpol: indexed 1 YAML files in 1 folder(s)']);
  } finally {
    await c.stop();
    rmSync(ws, { recursive: true, force: true });
  }
});
