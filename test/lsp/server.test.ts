import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeAction, CompletionItem, Hover, InitializeResult, TextEdit } from 'vscode-languageserver-protocol';
import { dnsForPod } from '../../server/src/core/dns';
import { ROOT } from '../util/paths';
import { analyse, withCursor } from '../util/fixture';
import { TestClient } from './client';

let client: TestClient;
let init: InitializeResult;
const brokenPath = join(ROOT, 'examples', 'frontend-backend', 'broken.yaml');
const brokenUri = 'file:///ws/broken.yaml';
const broken = readFileSync(brokenPath, 'utf8');

before(async () => {
  client = new TestClient();
  init = (await client.initialize()) as InitializeResult;
});
after(async () => client.stop());

async function open(uri: string, text: string, version = 1): Promise<void> {
  await client.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version, text } });
}

/** Documents are analysed together: close what a test opened so copies do not count as duplicates. */
async function close(uri: string): Promise<void> {
  await client.conn.sendNotification('textDocument/didClose', { textDocument: { uri } });
}

test('initialize: incremental sync, hover, completion, quick fixes', () => {
  const caps = init.capabilities;
  assert.deepEqual(caps.textDocumentSync, { openClose: true, change: 2 });
  assert.equal(caps.hoverProvider, true);
  assert.ok(caps.completionProvider);
  assert.ok(caps.codeActionProvider);
  assert.equal(init.serverInfo?.name, 'netpol');
});

test('diagnostics, the DNS quick fix applied through the protocol, and re-checked', async () => {
  await open(brokenUri, broken);
  const d1 = await client.diagnosticsFor(brokenUri, 1);
  assert.equal(d1.version, 1);
  const dns = d1.diagnostics.filter((d) => d.code === 'NP201');
  assert.equal(dns.length, 1);
  const diag = dns[0];
  assert.ok(diag);
  assert.equal(diag.source, 'netpol');
  assert.match(diag.codeDescription?.href ?? '', /NP201\.md$/);
  const doc = TextDocument.create(brokenUri, 'yaml', 1, broken);
  assert.equal(doc.getText(diag.range), 'egress');

  const actions = (await client.conn.sendRequest('textDocument/codeAction', {
    textDocument: { uri: brokenUri },
    range: diag.range,
    context: { diagnostics: [diag], only: ['quickfix'] },
  })) as CodeAction[];
  const fix = actions.find((a) => a.title.startsWith('Allow DNS egress'));
  assert.ok(fix?.edit?.documentChanges, 'quick fix with a versioned edit');
  assert.equal(fix.kind, 'quickfix');
  assert.equal(fix.isPreferred, true);
  assert.deepEqual(fix.diagnostics?.map((d) => d.code), ['NP201']);
  const change = fix.edit.documentChanges[0];
  assert.ok(change && 'edits' in change);
  const fixed = TextDocument.applyEdits(doc, change.edits as TextEdit[]);

  await client.conn.sendNotification('textDocument/didChange', { textDocument: { uri: brokenUri, version: 2 }, contentChanges: [{ text: fixed }] });
  const d2 = await client.diagnosticsFor(brokenUri, 2);
  assert.deepEqual(d2.diagnostics, []);
  const re = analyse(fixed);
  const policy = re.inv.policies.find((p) => p.policy.name === 'frontend-egress');
  assert.ok(policy);
  const frontend = re.inv.workloads.find((w) => w.workload.name === 'frontend');
  const status = dnsForPod(re.inv, policy.namespace, frontend?.labels);
  assert.deepEqual([status.udp, status.tcp], ['selector', 'selector']);

  // Back to the broken text with an incremental (range) edit: the warning returns.
  const doc2 = TextDocument.create(brokenUri, 'yaml', 2, fixed);
  const start = fixed.indexOf('    - to:\n        - namespaceSelector:');
  const end = fixed.indexOf('---', start);
  await client.conn.sendNotification('textDocument/didChange', {
    textDocument: { uri: brokenUri, version: 3 },
    contentChanges: [{ range: { start: doc2.positionAt(start), end: doc2.positionAt(end) }, text: '' }],
  });
  const d3 = await client.diagnosticsFor(brokenUri, 3);
  assert.deepEqual(d3.diagnostics.map((d) => d.code), ['NP201']);
  await close(brokenUri);
});

test('an incremental edit that breaks a CIDR is flagged on its range', async () => {
  const uri = 'file:///ws/cidr.yaml';
  const text = 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: c}\nspec:\n  podSelector: {}\n  ingress:\n    - from:\n        - ipBlock:\n            cidr: 10.0.0.0/8\n';
  await open(uri, text);
  assert.deepEqual((await client.diagnosticsFor(uri, 1)).diagnostics, []);
  await client.conn.sendNotification('textDocument/didChange', {
    textDocument: { uri, version: 2 },
    contentChanges: [{ range: { start: { line: 8, character: 27 }, end: { line: 8, character: 28 } }, text: '33' }],
  });
  const d = await client.diagnosticsFor(uri, 2);
  assert.equal(d.diagnostics.length, 1);
  assert.equal(d.diagnostics[0]?.code, 'NP101');
  assert.equal(d.diagnostics[0]?.severity, 1);
  assert.deepEqual(d.diagnostics[0]?.range, { start: { line: 8, character: 18 }, end: { line: 8, character: 29 } });
});

test('a selector typo: "did you mean", still right after an edit above moves the policy, and its fix through the protocol', async () => {
  const uri = 'file:///ws/typo.yaml';
  const settings = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings, namespace: shop}\ndata: {a: b}\n';
  const web = 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop}\nspec:\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec: {containers: [{name: web, image: "web:1"}]}\n';
  const policy = 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: web, namespace: shop}\nspec:\n  podSelector:\n    matchLabels: {app: wbe}\n  policyTypes: [Ingress]\n';
  const text = [settings, web, policy].join('---\n');
  await open(uri, text);
  const first = await client.diagnosticsFor(uri, 1);
  assert.deepEqual(first.diagnostics.map((d) => d.code), ['NP206']);
  assert.match(first.diagnostics[0]?.message ?? '', /Did you mean `app: web`\?$/);
  // A line added to the first document moves the policy; its kept finding moves with it.
  const edited = text.replace('data: {a: b}\n', 'data: {a: b}\n# edited\n');
  await client.conn.sendNotification('textDocument/didChange', {
    textDocument: { uri, version: 2 },
    contentChanges: [{ range: { start: { line: 4, character: 0 }, end: { line: 4, character: 0 } }, text: '# edited\n' }],
  });
  const moved = await client.diagnosticsFor(uri, 2);
  const diag = moved.diagnostics[0];
  assert.ok(diag && diag.code === 'NP206');
  const doc = TextDocument.create(uri, 'yaml', 2, edited);
  assert.equal(doc.getText(diag.range), 'podSelector');
  const actions = (await client.conn.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: diag.range, context: { diagnostics: [diag], only: ['quickfix'] } })) as CodeAction[];
  const fix = actions.find((a) => a.title.startsWith('Write web'));
  assert.ok(fix, `the fix among ${JSON.stringify(actions.map((a) => a.title))}`);
  assert.deepEqual(fix.diagnostics?.map((d) => d.code), ['NP206']);
  const change = fix.edit?.documentChanges?.[0];
  assert.ok(change && 'edits' in change);
  const fixed = TextDocument.applyEdits(doc, change.edits as TextEdit[]);
  assert.equal(fixed, edited.replace('{app: wbe}', '{app: web}'));
  await client.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version: 3 }, contentChanges: [{ text: fixed }] });
  assert.deepEqual((await client.diagnosticsFor(uri, 3)).diagnostics, []);
  await close(uri);
});

test('hover on a podSelector names the selected workload and what is allowed', async () => {
  const at = broken.indexOf('podSelector', broken.indexOf('name: frontend-egress')) + 3;
  const doc = TextDocument.create(brokenUri, 'yaml', 1, broken);
  await open('file:///ws/hover.yaml', broken);
  const h = (await client.conn.sendRequest('textDocument/hover', { textDocument: { uri: 'file:///ws/hover.yaml' }, position: doc.positionAt(at) })) as Hover;
  assert.ok(h);
  const value = typeof h.contents === 'object' && 'value' in h.contents ? h.contents.value : '';
  assert.match(value, /`frontend` \(Deployment\)/);
  assert.match(value, /to pods `app=backend-api` in namespace `web` on TCP 8080/);
  await close('file:///ws/hover.yaml');
});

test('completion offers label keys from workloads and NetworkPolicy fields', async () => {
  const uri = 'file:///ws/complete.yaml';
  const { text, offset } = withCursor(broken.replace('  policyTypes:\n    - Egress\n  egress:', '  $0\n  policyTypes:\n    - Egress\n  egress:'));
  await open(uri, text);
  const doc = TextDocument.create(uri, 'yaml', 1, text);
  const items = (await client.conn.sendRequest('textDocument/completion', { textDocument: { uri }, position: doc.positionAt(offset) })) as CompletionItem[];
  assert.ok(items.some((i) => i.label === 'ingress'));
  assert.ok(!items.some((i) => i.label === 'egress'), 'fields already present are not offered');

  const labelAt = text.indexOf('app: frontend', text.indexOf('name: frontend-egress'));
  const items2 = (await client.conn.sendRequest('textDocument/completion', { textDocument: { uri }, position: doc.positionAt(labelAt) })) as CompletionItem[];
  assert.deepEqual(items2.map((i) => i.label).sort(), ['app', 'tier']);
  await close(uri);
});

test('policies in other open documents count (allow-dns in another file)', async () => {
  const uri = 'file:///ws/broken-again.yaml';
  await open(uri, broken);
  assert.equal((await client.diagnosticsFor(uri, 1)).diagnostics.filter((d) => d.code === 'NP201').length, 1);
  const allowDns = readFileSync(join(ROOT, 'examples', 'online-shop', 'policies.yaml'), 'utf8').split('---')[1]?.replace('namespace: shop', 'namespace: web') ?? '';
  await open('file:///ws/allow-dns.yaml', allowDns);
  await client.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '# edited\n' }] });
  const d = await client.diagnosticsFor(uri, 2);
  assert.deepEqual(d.diagnostics.filter((x) => x.code === 'NP201'), []);
  await close('file:///ws/allow-dns.yaml');
  await close(uri);
});

test('non-Kubernetes YAML gets nothing; unknown documents and positions are answered, not crashed', async () => {
  const uri = 'file:///ws/ci.yaml';
  await open(uri, 'jobs:\n  build: [1, 2\n');
  assert.deepEqual((await client.diagnosticsFor(uri, 1)).diagnostics, []);
  const h = await client.conn.sendRequest('textDocument/hover', { textDocument: { uri: 'file:///never-opened.yaml' }, position: { line: 0, character: 0 } });
  assert.equal(h, null);
  const c = await client.conn.sendRequest('textDocument/completion', { textDocument: { uri: brokenUri }, position: { line: 10_000, character: 99 } });
  assert.ok(Array.isArray(c));
});

test('settings: netpol.enable=false clears diagnostics', async () => {
  const uri = 'file:///ws/settings.yaml';
  client.configuration = { enable: false };
  await client.conn.sendNotification('workspace/didChangeConfiguration', { settings: { netpol: { enable: false } } });
  await open(uri, broken);
  assert.deepEqual((await client.diagnosticsFor(uri, 1)).diagnostics, []);
  client.configuration = {};
  await client.conn.sendNotification('workspace/didChangeConfiguration', { settings: { netpol: { enable: true } } });
  await client.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '# edited\n' }] });
  assert.deepEqual((await client.diagnosticsFor(uri, 2)).diagnostics.map((d) => d.code), ['NP201']);
  // netpol.rules: a rule turned off, another raised.
  await client.conn.sendNotification('workspace/didChangeConfiguration', { settings: { netpol: { rules: { NP201: 'error' } } } });
  await client.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version: 3 }, contentChanges: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '# edited\n' }] });
  assert.deepEqual((await client.diagnosticsFor(uri, 3)).diagnostics.map((d) => [d.code, d.severity]), [['NP201', 1]]);
  await client.conn.sendNotification('workspace/didChangeConfiguration', { settings: { netpol: { rules: { NP201: 'off' } } } });
  await client.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version: 4 }, contentChanges: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '# edited\n' }] });
  assert.deepEqual((await client.diagnosticsFor(uri, 4)).diagnostics, []);
});

test('a document whose diagnostics did not change is not published again; one whose did is', async () => {
  const a = 'file:///ws/unchanged-a.yaml';
  const b = 'file:///ws/unchanged-b.yaml';
  await open(a, broken);
  const first = await client.diagnosticsFor(a, 1);
  assert.ok(first.diagnostics.length > 0);
  // Another document opened: every open document is analysed again, and a's findings stay as they were.
  await open(b, 'jobs:\n  build: [1, 2]\n');
  await client.diagnosticsFor(b, 1);
  assert.equal(client.published(a).length, 1, 'a was not sent again');
  // A setting that changes a's findings: sent again, at the same version.
  client.configuration = { rules: { NP201: 'off' } }; // what the server pulls after the push
  await client.conn.sendNotification('workspace/didChangeConfiguration', { settings: { netpol: client.configuration } });
  await client.conn.sendNotification('textDocument/didChange', { textDocument: { uri: b, version: 2 }, contentChanges: [{ text: 'jobs: {}\n' }] });
  await client.diagnosticsFor(b, 2);
  const again = client.published(a);
  assert.equal(again.length, 2);
  assert.equal(again[1]?.version, 1);
  assert.equal(again[1]?.diagnostics.length, first.diagnostics.filter((d) => d.code !== 'NP201').length);
  client.configuration = {};
  await client.conn.sendNotification('workspace/didChangeConfiguration', { settings: { netpol: {} } });
  await close(a);
  await close(b);
});
