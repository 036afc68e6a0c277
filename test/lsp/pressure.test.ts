/**
 * The server under pressure: bursts of edits with requests in between (some cancelled), requests
 * for documents never opened and positions past the end, versions out of order, malformed
 * notifications, and a feature that throws. Every request is answered (a result or a clean
 * error), the server stays up, and the last diagnostics for a document are what a fresh server
 * publishes for its final text.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CancellationTokenSource, ResponseError } from 'vscode-jsonrpc/node';
import type { Diagnostic, PublishDiagnosticsParams, TextDocumentContentChangeEvent } from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { diagnose } from '../../server/src/core/diagnostics';
import { buildInventory } from '../../server/src/core/inventory';
import { parseFile } from '../../server/src/core/parse';
import { isKubernetes } from '../../server/src/lsp/workspace';
import { ROOT } from '../util/paths';
import { TestClient } from './client';
import { rng } from '../util/random';

const broken = readFileSync(join(ROOT, 'examples', 'frontend-backend', 'broken.yaml'), 'utf8');


const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Error codes a request may end with when the client cancels it or the text moved on. */
const CANCEL_CODES = new Set([-32800 /* RequestCancelled */, -32801 /* ContentModified */, -32802 /* ServerCancelled */]);

/** Wait until a publish for `uri` with `version` arrived and nothing new came for `quietMs`. */
async function settled(c: TestClient, uri: string, version: number, quietMs = 400, timeoutMs = 30_000): Promise<PublishDiagnosticsParams> {
  const deadline = Date.now() + timeoutMs;
  let seen = -1;
  let since = Date.now();
  for (;;) {
    const list = c.published(uri);
    if (list.length !== seen) {
      seen = list.length;
      since = Date.now();
    }
    const last = list[list.length - 1];
    if (last && last.version === version && Date.now() - since >= quietMs) return last;
    if (Date.now() > deadline) throw new Error(`no settled diagnostics for ${uri} v${version}; last: v${String(last?.version)}; stderr: ${c.stderr.join('')}`);
    await sleep(25);
  }
}

/** What a fresh server publishes when it opens `text`. */
async function freshDiagnostics(uri: string, text: string): Promise<Diagnostic[]> {
  const c = new TestClient();
  try {
    await c.initialize();
    await c.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text } });
    return (await c.diagnosticsFor(uri, 1)).diagnostics;
  } finally {
    await c.stop();
  }
}

async function open(c: TestClient, uri: string, text: string, version = 1): Promise<void> {
  await c.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version, text } });
}

/** A request that must be answered: resolves to the result or the ResponseError, rejects on anything else or a timeout. */
async function answered(p: Promise<unknown>, what: string, timeoutMs = 30_000): Promise<unknown> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([p.catch((e: unknown) => (e instanceof ResponseError ? e : Promise.reject(e))), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

test('a burst of edits with requests in between: every request answered, the last publish matches the final text', async () => {
  const seed = Number(process.env.NETPOL_FUZZ_SEED ?? 20240611);
  const random = rng(seed);
  const c = new TestClient();
  try {
    await c.initialize();
    const uri = 'file:///pressure/burst.yaml';
    let doc = TextDocument.create(uri, 'yaml', 1, '');
    await open(c, uri, '');
    // Type the example in small pieces, with some deletions and re-typing, as fast as the pipe goes.
    const pending: Promise<unknown>[] = [];
    let version = 1;
    let typed = 0;
    const t0 = Date.now();
    let edits = 0;
    while (typed < broken.length) {
      let change: TextDocumentContentChangeEvent;
      const text = doc.getText();
      if (random() < 0.15 && text.length > 10) {
        const start = Math.floor(random() * text.length);
        const end = Math.min(text.length, start + 1 + Math.floor(random() * 8));
        change = { range: { start: doc.positionAt(start), end: doc.positionAt(end) }, text: random() < 0.5 ? '' : ':- [{'.charAt(Math.floor(random() * 5)) };
      } else {
        const n = 1 + Math.floor(random() * 6);
        const piece = broken.slice(typed, typed + n);
        typed += piece.length;
        const end = doc.positionAt(text.length);
        change = { range: { start: end, end }, text: piece };
      }
      version++;
      edits++;
      doc = TextDocument.update(doc, [change], version);
      void c.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [change] });
      if (edits % 7 === 0) {
        const position = doc.positionAt(Math.floor(random() * (doc.getText().length + 1)));
        const method = ['textDocument/hover', 'textDocument/completion', 'textDocument/definition', 'textDocument/documentSymbol'][edits % 4] ?? 'textDocument/hover';
        const cts = new CancellationTokenSource();
        const params = method === 'textDocument/documentSymbol' ? { textDocument: { uri } } : { textDocument: { uri }, position };
        pending.push(answered(c.conn.sendRequest(method, params, cts.token), `${method} after edit ${edits}`));
        if (edits % 3 === 0) cts.cancel();
      }
    }
    // The document now holds the example with junk mixed in; the last edit replaces it all, so the
    // final text is one whose diagnostics are known (NP201).
    version++;
    const final = `${broken}\n# edited under pressure\n`;
    doc = TextDocument.update(doc, [{ text: final }], version);
    await c.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text: final }] });
    const elapsed = Date.now() - t0;
    const results = await Promise.all(pending);
    for (const r of results) {
      if (r instanceof ResponseError) assert.ok(CANCEL_CODES.has(r.code), `only cancellations may fail: ${r.code} ${r.message}`);
    }
    const last = await settled(c, uri, version);
    assert.equal(doc.getText(), final);
    assert.deepEqual(last.diagnostics, await freshDiagnostics(uri, final));
    assert.ok(last.diagnostics.some((d) => d.code === 'NP201'));
    console.log(`pressure: ${edits} edits and ${pending.length} requests sent in ${elapsed} ms (${Math.round((edits * 1000) / Math.max(1, elapsed))} edits/s), seed ${seed}`);
  } finally {
    await c.stop();
  }
});

test('versions out of order: the last change wins, and the last publish says so', async () => {
  const c = new TestClient();
  try {
    await c.initialize();
    const uri = 'file:///pressure/versions.yaml';
    let doc = TextDocument.create(uri, 'yaml', 10, broken);
    await open(c, uri, broken, 10);
    const bad = broken.replace(/^ {2}egress:/m, '  egress: [');
    const sequence: [number, string][] = [
      [12, bad],
      [11, broken.replace('frontend', 'front end')],
      [15, `${broken}---\n`],
      [13, bad],
      [14, broken],
    ];
    for (const [v, text] of sequence) {
      doc = TextDocument.update(doc, [{ text }], v);
      void c.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version: v }, contentChanges: [{ text }] });
    }
    const last = await settled(c, uri, 14);
    assert.deepEqual(last.diagnostics, await freshDiagnostics(uri, doc.getText()));
  } finally {
    await c.stop();
  }
});

test('documents never opened, positions past the end, malformed requests and notifications: answered, and the server stays up', async () => {
  const c = new TestClient();
  try {
    await c.initialize();
    const nowhere = 'file:///pressure/never-opened.yaml';
    const far = { line: 1_000_000, character: 1_000_000 };
    const requests: [string, unknown][] = [
      ['textDocument/hover', { textDocument: { uri: nowhere }, position: { line: 0, character: 0 } }],
      ['textDocument/completion', { textDocument: { uri: nowhere }, position: far }],
      ['textDocument/codeAction', { textDocument: { uri: nowhere }, range: { start: far, end: far }, context: { diagnostics: [] } }],
      ['textDocument/definition', { textDocument: { uri: nowhere }, position: far }],
      ['textDocument/references', { textDocument: { uri: nowhere }, position: far, context: { includeDeclaration: true } }],
      ['textDocument/documentSymbol', { textDocument: { uri: nowhere } }],
      ['textDocument/codeLens', { textDocument: { uri: nowhere } }],
      ['codeLens/resolve', { range: { start: far, end: far }, data: { uri: nowhere, index: 99 } }],
      ['workspace/symbol', { query: '' }],
    ];
    const uri = 'file:///pressure/open.yaml';
    await open(c, uri, broken);
    await c.diagnosticsFor(uri, 1);
    for (const position of [far, { line: 3, character: 10_000 }, { line: -1, character: -5 }]) {
      requests.push(['textDocument/hover', { textDocument: { uri }, position }]);
      requests.push(['textDocument/completion', { textDocument: { uri }, position }]);
      requests.push(['textDocument/definition', { textDocument: { uri }, position }]);
      requests.push(['textDocument/references', { textDocument: { uri }, position, context: { includeDeclaration: false } }]);
      requests.push(['textDocument/codeAction', { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: position }, context: { diagnostics: [] } }]);
    }
    for (const [method, params] of requests) {
      const r = await answered(c.conn.sendRequest(method, params), method);
      assert.ok(!(r instanceof ResponseError), `${method} ${JSON.stringify(params)}: ${r instanceof ResponseError ? r.message : ''}`);
    }
    // Malformed parameters (a broken client): a clean error answer, never a crash.
    for (const [method, params] of [
      ['textDocument/hover', { textDocument: { uri } }],
      ['textDocument/completion', { textDocument: { uri }, position: 'x' }],
      ['textDocument/codeAction', { textDocument: { uri } }],
      ['textDocument/definition', {}],
    ] as const) {
      await answered(c.conn.sendRequest(method, params), method);
    }
    // Notifications about documents never opened, and odd watched-file events, are ignored.
    await c.conn.sendNotification('textDocument/didChange', { textDocument: { uri: nowhere, version: 2 }, contentChanges: [{ text: 'x' }] });
    await c.conn.sendNotification('textDocument/didClose', { textDocument: { uri: nowhere } });
    await c.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: 'file://remote-host/share/x.yaml', type: 1 }] });
    await c.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: 'file:///dev/null/nope.yaml', type: 2 }] });
    await c.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: 'nonsense' });
    await c.conn.sendNotification('workspace/didChangeConfiguration', { settings: { netpol: { maxFileSize: 'big', enable: 'yes' } } });
    await sleep(300);
    assert.equal(c.exitCode, undefined, `the server is still running; stderr: ${c.stderr.join('')}`);
    const h = await c.conn.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 0 } });
    assert.ok(h === null || typeof h === 'object');
    await c.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: broken }] });
    assert.ok((await c.diagnosticsFor(uri, 2)).diagnostics.some((d) => d.code === 'NP201'), 'still analysing');
  } finally {
    await c.stop();
  }
});

test('a feature that throws answers an error for that request only, and says so in the log', async () => {
  const c = new TestClient({ NETPOL_TEST_THROW: 'hover,document symbols' });
  try {
    await c.initialize();
    const uri = 'file:///pressure/throws.yaml';
    await open(c, uri, broken);
    assert.ok((await c.diagnosticsFor(uri, 1)).diagnostics.some((d) => d.code === 'NP201'), 'diagnostics unaffected');
    const position = { line: 0, character: 0 };
    await assert.rejects(c.conn.sendRequest('textDocument/hover', { textDocument: { uri }, position }), (e: unknown) => e instanceof ResponseError && e.code === -32603 && /hover failed/.test(e.message));
    await assert.rejects(c.conn.sendRequest('textDocument/documentSymbol', { textDocument: { uri } }), (e: unknown) => e instanceof ResponseError && e.code === -32603);
    assert.ok(Array.isArray(await c.conn.sendRequest('textDocument/completion', { textDocument: { uri }, position })), 'completion still answers');
    assert.ok(c.logs.some((l) => /netpol: hover failed: Error: NETPOL_TEST_THROW/.test(l)), `logged: ${c.logs.join('\n')}`);
    assert.equal(c.exitCode, undefined);
  } finally {
    await c.stop();
  }
});

test('diagnostics that throw are logged; requests keep working', async () => {
  const c = new TestClient({ NETPOL_TEST_THROW: 'diagnostics' });
  try {
    await c.initialize();
    const uri = 'file:///pressure/diagnostics-throw.yaml';
    await open(c, uri, broken);
    const deadline = Date.now() + 10_000;
    while (!c.logs.some((l) => /analysis failed/.test(l)) && Date.now() < deadline) await sleep(25);
    assert.ok(c.logs.some((l) => /netpol: analysis failed for .*NETPOL_TEST_THROW/s.test(l)), `logged: ${c.logs.join('\n')}`);
    const h = await c.conn.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 0 } });
    assert.ok(h === null || typeof h === 'object');
  } finally {
    await c.stop();
  }
});

test('a watched FIFO named *.yaml does not stall the file index', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'netpol-fifo-'));
  if (spawnSync('mkfifo', [join(dir, 'pipe.yaml')]).status !== 0) {
    t.skip('no mkfifo here');
    return;
  }
  const c = new TestClient();
  try {
    await c.initialize(pathToFileURL(dir).toString());
    const uri = pathToFileURL(join(dir, 'broken.yaml')).toString();
    await open(c, uri, broken);
    assert.ok((await c.diagnosticsFor(uri, 1)).diagnostics.some((d) => d.code === 'NP201'));
    for (let i = 0; i < 200 && !c.progress.includes('end'); i++) await sleep(50); // the first index is done
    // The FIFO first: reading it must not hold up the allow-dns policy that follows.
    const allowDns = 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: allow-dns, namespace: web}\nspec:\n  podSelector: {}\n  policyTypes: [Egress]\n  egress:\n    - to: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}, podSelector: {matchLabels: {k8s-app: kube-dns}}}]\n      ports: [{protocol: UDP, port: 53}, {protocol: TCP, port: 53}]\n';
    writeFileSync(join(dir, 'allow-dns.yaml'), allowDns);
    await c.conn.sendNotification('workspace/didChangeWatchedFiles', {
      changes: [
        { uri: pathToFileURL(join(dir, 'pipe.yaml')).toString(), type: 1 },
        { uri: pathToFileURL(join(dir, 'allow-dns.yaml')).toString(), type: 1 },
      ],
    });
    const deadline = Date.now() + 15_000;
    let codes: string[] = ['NP201'];
    while (codes.includes('NP201') && Date.now() < deadline) {
      await sleep(100);
      const list = c.published(uri);
      codes = (list[list.length - 1]?.diagnostics ?? []).map((d) => String(d.code));
    }
    assert.ok(!codes.includes('NP201'), `the allow-dns file after the FIFO counts; codes: ${codes.join(', ')}`);
  } finally {
    await c.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('every bad input opened in the editor: what the core finds (nothing for other YAML), and the server stays up', async () => {
  const dir = join(ROOT, 'test', 'fixtures', 'bad');
  const c = new TestClient();
  try {
    await c.initialize();
    let n = 0;
    for (const name of readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort()) {
      const text = readFileSync(join(dir, name), 'utf8');
      const uri = `file:///bad/${name}`;
      await open(c, uri, text);
      const published = (await c.diagnosticsFor(uri, 1, 20_000)).diagnostics;
      const file = parseFile(uri, text);
      const expected = isKubernetes(file) ? diagnose(file, buildInventory([file])) : [];
      // How often the parser runs out of stack depends on the stack in use: counted once.
      const codes = (xs: { code?: string | number; message: string }[]): string[] => [...new Set(xs.map((x, i) => `${String(x.code)} ${/nested too deeply/.test(x.message) ? 'deep' : i}`))].map((k) => k.split(' ')[0] ?? '').sort();
      assert.deepEqual(codes(published), codes(expected), name);
      for (const d of published) assert.ok(d.range.start.line >= 0 && d.range.end.line >= d.range.start.line, `${name}: range`);
      await c.conn.sendNotification('textDocument/didClose', { textDocument: { uri } });
      n++;
    }
    assert.ok(n > 20);
    // Over the size limit (netpol.maxFileSize): one information diagnostic, no analysis.
    await c.conn.sendNotification('workspace/didChangeConfiguration', { settings: { netpol: { maxFileSize: 200 } } });
    const uri = 'file:///bad/too-large.yaml';
    await open(c, uri, broken);
    const d = (await c.diagnosticsFor(uri, 1)).diagnostics;
    assert.deepEqual(d.map((x) => [x.code, x.severity]), [['NP002', 3]]);
    assert.equal(c.exitCode, undefined);
  } finally {
    await c.stop();
  }
});

test('every request the server offers is guarded: with every feature failing, each answers an error and the server stays up', async () => {
  const c = new TestClient({ NETPOL_TEST_THROW: '*' });
  try {
    const init = (await c.initialize()) as { capabilities: Record<string, unknown> };
    const uri = 'file:///pressure/all-fail.yaml';
    await open(c, uri, broken);
    const td = { textDocument: { uri } };
    const position = { line: 10, character: 6 };
    const range = { start: { line: 0, character: 0 }, end: { line: 5, character: 0 } };
    // Every request capability of the initialize result, and the request that exercises it.
    const requests: Record<string, [string, unknown]> = {
      hoverProvider: ['textDocument/hover', { ...td, position }],
      completionProvider: ['textDocument/completion', { ...td, position }],
      codeActionProvider: ['textDocument/codeAction', { ...td, range, context: { diagnostics: [] } }],
      definitionProvider: ['textDocument/definition', { ...td, position }],
      referencesProvider: ['textDocument/references', { ...td, position, context: { includeDeclaration: true } }],
      documentSymbolProvider: ['textDocument/documentSymbol', td],
      workspaceSymbolProvider: ['workspace/symbol', { query: '' }],
      codeLensProvider: ['textDocument/codeLens', td],
    };
    const offered = Object.keys(init.capabilities).filter((k) => k.endsWith('Provider'));
    for (const k of offered) assert.ok(k in requests, `${k} is offered: add its request here`);
    for (const k of offered) {
      const [method, params] = requests[k] ?? ['', {}];
      await assert.rejects(c.conn.sendRequest(method, params), (e: unknown) => e instanceof ResponseError && e.code === -32603, `${method} answers an error`);
    }
    // A lens that cannot be resolved comes back as it was (VS Code shows nothing rather than an error).
    const lens = { range, data: { uri, index: 0 } };
    assert.deepEqual(await c.conn.sendRequest('codeLens/resolve', lens), lens);
    assert.ok(c.logs.filter((l) => /NETPOL_TEST_THROW/.test(l)).length >= offered.length, 'each failure is logged');
    assert.equal(c.exitCode, undefined);
  } finally {
    await c.stop();
  }
});
