import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeLens, CompletionItem, DocumentSymbol, InitializeResult, Location, LocationLink, Position, SymbolInformation } from 'vscode-languageserver-protocol';
import { TestClient } from './client';

// A workspace on disk: namespaces, workloads and policies in separate files. Only the file being
// edited is opened; everything else is known from the index.
const NAMESPACES = `apiVersion: v1
kind: Namespace
metadata:
  name: shop
---
apiVersion: v1
kind: Namespace
metadata:
  name: monitoring
  labels:
    team: ops
`;
const WORKLOADS = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: web
          ports:
            - name: http
              containerPort: 8080
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: shop
spec:
  template:
    metadata:
      labels:
        app: api
        tier: backend
    spec:
      containers:
        - name: api
          ports:
            - name: grpc
              containerPort: 9001
            - name: syslog
              containerPort: 514
              protocol: UDP
---
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: prometheus
  namespace: monitoring
spec:
  template:
    metadata:
      labels:
        app: prometheus
`;
const OTHER_POLICIES = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: api-ingress
  namespace: shop
spec:
  podSelector:
    matchLabels:
      tier: backend
  ingress:
    - from:
        - podSelector:
            matchLabels:
              app: web
`;
const POLICY = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: web-egress
  namespace: shop
spec:
  podSelector:
    matchLabels:
      app: web
  policyTypes: [Egress]
  egress:
    - to:
        - podSelector:
            matchLabels:
              app: api
      ports:
        - port: grpc
    - to:
        - namespaceSelector:
            matchLabels:
              kubernetes.io/metadata.name: monitoring
`;

const dir = mkdtempSync(join(tmpdir(), 'netpol-nav-'));
const uriOf = (name: string): string => pathToFileURL(join(dir, name)).toString();
const policyUri = uriOf('web-egress.yaml');
let client: TestClient;
let init: InitializeResult;

/** The position of `needle` (its n-th occurrence) plus `delta` characters in `text`. */
function at(text: string, needle: string, delta = 0, n = 1): Position {
  let i = -1;
  for (let k = 0; k < n; k++) i = text.indexOf(needle, i + 1);
  assert.ok(i >= 0, `no ${needle}`);
  return TextDocument.create('x', 'yaml', 0, text).positionAt(i + delta);
}

function lineOf(text: string, line: number): string {
  return text.split('\n')[line] ?? '';
}

async function request<T>(method: string, params: unknown): Promise<T> {
  return (await client.conn.sendRequest(method, params)) as T;
}

async function until<T>(what: string, f: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await f();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; stderr: ${client.stderr.join('')}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

before(async () => {
  writeFileSync(join(dir, 'namespaces.yaml'), NAMESPACES);
  writeFileSync(join(dir, 'workloads.yaml'), WORKLOADS);
  writeFileSync(join(dir, 'api-ingress.yaml'), OTHER_POLICIES);
  writeFileSync(join(dir, 'web-egress.yaml'), POLICY);
  client = new TestClient();
  init = (await client.conn.sendRequest('initialize', {
    processId: process.pid,
    rootUri: pathToFileURL(dir).toString(),
    workspaceFolders: [{ uri: pathToFileURL(dir).toString(), name: 'ws' }],
    initializationOptions: { showReferencesCommand: 'netpol.showReferences' },
    capabilities: {
      window: { workDoneProgress: true },
      workspace: { configuration: true, didChangeWatchedFiles: { dynamicRegistration: true }, workspaceFolders: true, symbol: {} },
      textDocument: {
        completion: { completionItem: { snippetSupport: true } },
        definition: { linkSupport: true },
        documentSymbol: { hierarchicalDocumentSymbolSupport: true },
        codeLens: {},
      },
    },
  })) as InitializeResult;
  await client.conn.sendNotification('initialized', {});
  await client.conn.sendNotification('textDocument/didOpen', { textDocument: { uri: policyUri, languageId: 'yaml', version: 1, text: POLICY } });
  // The index is built in the background from initialize on: wait until it has ended (its
  // progress ends) and a policy that is only on disk is known. Files are read one by one, so one
  // file known does not mean the others are.
  await until('the workspace index', async () => {
    if (!client.progress.includes('end')) return undefined;
    const found = await request<SymbolInformation[]>('workspace/symbol', { query: 'api-ingress' });
    return found.length ? found : undefined;
  });
});

after(async () => {
  await client.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('initialize: definition, references, symbols and lenses', () => {
  const caps = init.capabilities;
  assert.equal(caps.definitionProvider, true);
  assert.equal(caps.referencesProvider, true);
  assert.ok(caps.documentSymbolProvider);
  assert.equal(caps.workspaceSymbolProvider, true);
  assert.deepEqual(caps.codeLensProvider, { resolveProvider: true });
});

test('completion: label values and namespaces from files that are not open', async () => {
  const text = POLICY.replace('              app: api\n', '              app: \n');
  await client.conn.sendNotification('textDocument/didChange', { textDocument: { uri: policyUri, version: 2 }, contentChanges: [{ text }] });
  const values = await request<CompletionItem[]>('textDocument/completion', { textDocument: { uri: policyUri }, position: at(text, 'app: \n', 5) });
  const ranked = [...values].sort((a, b) => (a.sortText ?? '').localeCompare(b.sortText ?? '') || a.label.localeCompare(b.label));
  assert.deepEqual(ranked.map((i) => i.label), ['api', 'web', 'prometheus'], "the policy's namespace first");
  assert.ok(values.every((i) => i.documentation), 'each item is documented');
  const ns = await request<CompletionItem[]>('textDocument/completion', { textDocument: { uri: policyUri }, position: at(text, 'metadata.name: ', 15) });
  for (const n of ['shop', 'monitoring', 'kube-system']) assert.ok(ns.some((i) => i.label === n), `namespace ${n} offered`);
  await client.conn.sendNotification('textDocument/didChange', { textDocument: { uri: policyUri, version: 3 }, contentChanges: [{ text: POLICY }] });
});

test('completion: ports of the destination pods, with their protocol', async () => {
  const text = POLICY.replace('        - port: grpc\n', '        - port: \n');
  await client.conn.sendNotification('textDocument/didChange', { textDocument: { uri: policyUri, version: 4 }, contentChanges: [{ text }] });
  const items = await request<CompletionItem[]>('textDocument/completion', { textDocument: { uri: policyUri }, position: at(text, '- port: ', 8) });
  const labels = items.map((i) => i.label);
  for (const l of ['9001', 'grpc', '514', 'syslog']) assert.ok(labels.includes(l), `${l} in [${labels.join(', ')}]`);
  assert.ok(!labels.includes('8080') && !labels.includes('http'), 'only ports of the pods the rule goes to');
  const syslog = items.find((i) => i.label === 'syslog');
  assert.equal(syslog?.labelDetails?.description, 'UDP');
  assert.ok(syslog?.textEdit && 'range' in syslog.textEdit);
  assert.equal(syslog.textEdit.newText, 'syslog\n  protocol: UDP', 'a UDP port brings its protocol along');
  assert.equal(syslog.insertTextMode, 2, 'continuation lines follow the cursor line indentation');
  await client.conn.sendNotification('textDocument/didChange', { textDocument: { uri: policyUri, version: 5 }, contentChanges: [{ text: POLICY }] });
});

test('completion: snippets in a new document after ---', async () => {
  const uri = uriOf('new.yaml');
  const text = `${OTHER_POLICIES}---\n`;
  await client.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text } });
  const items = await request<CompletionItem[]>('textDocument/completion', { textDocument: { uri }, position: { line: text.split('\n').length - 1, character: 0 } });
  const dns = items.find((i) => i.label === 'NetworkPolicy: allow DNS');
  assert.equal(dns?.kind, 15, 'kind Snippet');
  assert.equal(dns?.insertTextFormat, 2, 'snippet syntax');
  assert.match(dns?.textEdit?.newText ?? '', /namespace: \$\{2\|shop,monitoring\|\}/, 'namespaces of the workspace as choices');
  await client.conn.sendNotification('textDocument/didClose', { textDocument: { uri } });
});

test('definition: from a selector label to the workloads in another file', async () => {
  const links = await request<LocationLink[]>('textDocument/definition', { textDocument: { uri: policyUri }, position: at(POLICY, 'app: api', 6) });
  assert.equal(links.length, 1);
  const link = links[0];
  assert.ok(link);
  assert.equal(link.targetUri, uriOf('workloads.yaml'));
  assert.equal(lineOf(WORKLOADS, link.targetSelectionRange.start.line).trim(), 'app: api');
  assert.equal(lineOf(POLICY, link.originSelectionRange?.start.line ?? -1).trim(), 'app: api');

  // A named port: the container port on the destination pods.
  const port = await request<LocationLink[]>('textDocument/definition', { textDocument: { uri: policyUri }, position: at(POLICY, 'port: grpc', 7) });
  assert.deepEqual(port.map((l) => lineOf(WORKLOADS, l.targetSelectionRange.start.line).trim()), ['- name: grpc']);

  // A namespaceSelector: the Namespace object.
  const ns = await request<LocationLink[]>('textDocument/definition', { textDocument: { uri: policyUri }, position: at(POLICY, 'metadata.name: monitoring', 18) });
  assert.deepEqual(ns.map((l) => [l.targetUri, lineOf(NAMESPACES, l.targetSelectionRange.start.line).trim()]), [[uriOf('namespaces.yaml'), 'name: monitoring']]);
});

test('references: from a workload (file not open) to the policies that select it', async () => {
  const refs = await request<Location[]>('textDocument/references', { textDocument: { uri: uriOf('workloads.yaml') }, position: at(WORKLOADS, 'name: api', 7), context: { includeDeclaration: false } });
  const found = refs.map((r) => `${r.uri.slice(r.uri.lastIndexOf('/') + 1)}:${r.range.start.line}`).sort();
  const policyLine = POLICY.split('\n').findIndex((l) => l.includes('- podSelector:'));
  const otherLine = OTHER_POLICIES.split('\n').findIndex((l) => l.includes('podSelector:'));
  assert.deepEqual(found, [`api-ingress.yaml:${otherLine}`, `web-egress.yaml:${policyLine}`].sort());
});

test('document symbols: each policy with its rules', async () => {
  const symbols = await request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri: policyUri } });
  assert.equal(symbols.length, 1);
  assert.equal(symbols[0]?.name, 'web-egress');
  assert.deepEqual(symbols[0]?.children?.map((c) => `${c.name}: ${c.detail ?? ''}`), ['egress #1: to app=api · TCP grpc', 'egress #2: to namespace monitoring · any port']);
});

test('workspace symbols: policies by name, from every file', async () => {
  const found = await request<SymbolInformation[]>('workspace/symbol', { query: 'egr' });
  assert.deepEqual(found.map((s) => `${s.containerName ?? ''}/${s.name}`), ['shop/web-egress']);
  assert.equal(found[0]?.location.uri, policyUri);
});

test('code lens: workloads selected and rule counts, resolved on demand', async () => {
  const lenses = await request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri: policyUri } });
  assert.equal(lenses.length, 1);
  const lens = lenses[0];
  assert.ok(lens);
  assert.equal(lens.command, undefined, 'filled in by codeLens/resolve');
  const resolved = await request<CodeLens>('codeLens/resolve', lens);
  assert.equal(resolved.command?.title, 'selects 1 workload · 0 ingress / 2 egress rules');
  assert.equal(resolved.command?.command, 'netpol.showReferences');
  const [uri, position, locations] = (resolved.command?.arguments ?? []) as [string, Position, Location[]];
  assert.equal(uri, policyUri);
  assert.deepEqual(position, { line: 0, character: 0 });
  assert.deepEqual(locations.map((l) => [l.uri, lineOf(WORKLOADS, l.range.start.line).trim()]), [[uriOf('workloads.yaml'), 'name: web']]);
});

test('the index follows a change on disk', async () => {
  const more = `${WORKLOADS}---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: api-replica
  namespace: shop
spec:
  template:
    metadata:
      labels:
        app: api
`;
  writeFileSync(join(dir, 'workloads.yaml'), more);
  await client.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf('workloads.yaml'), type: 2 }] });
  const links = await until('the new workload', async () => {
    const l = await request<LocationLink[]>('textDocument/definition', { textDocument: { uri: policyUri }, position: at(POLICY, 'app: api', 6) });
    return l.length === 2 ? l : undefined;
  });
  assert.deepEqual(links.map((l) => l.targetSelectionRange.start.line), [more.split('\n').findIndex((l) => l.trim() === 'app: api'), more.split('\n').lastIndexOf('        app: api')]);
});
