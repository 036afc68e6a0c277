import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Diagnostic, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { TestClient } from './client';

// Two open files of one folder with a policy of the same name: NP108 in each links the other.
const policy = 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  podSelector: {}\n';
const a = 'file:///netpol-related/a.yaml';
const b = 'file:///netpol-related/b.yaml';

async function latest(client: TestClient, uri: string, until: (p: PublishDiagnosticsParams) => boolean): Promise<PublishDiagnosticsParams> {
  for (let i = 0; i < 200; i++) {
    const list = client.published(uri);
    const last = list[list.length - 1];
    if (last && until(last)) return last;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`no diagnostics as expected for ${uri}: ${JSON.stringify(client.published(uri).slice(-1))}`);
}

const np108 = (p: PublishDiagnosticsParams): Diagnostic | undefined => p.diagnostics.find((d) => d.code === 'NP108');

test('NP108 links the other copy, and the link follows an edit of that file', async () => {
  const client = new TestClient();
  client.relatedInformation = true;
  try {
    await client.initialize();
    await client.conn.sendNotification('textDocument/didOpen', { textDocument: { uri: a, languageId: 'yaml', version: 1, text: `apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n---\n${policy}` } });
    await client.conn.sendNotification('textDocument/didOpen', { textDocument: { uri: b, languageId: 'yaml', version: 1, text: `# a copy\n${policy}` } });
    const first = np108(await latest(client, b, (p) => np108(p) !== undefined));
    assert.deepEqual(first?.relatedInformation, [{ location: { uri: a, range: { start: { line: 7, character: 8 }, end: { line: 7, character: 11 } } }, message: 'NetworkPolicy "web" is also defined here' }]);
    assert.deepEqual(np108(await latest(client, a, (p) => np108(p) !== undefined))?.relatedInformation?.map((r) => [r.location.uri, r.location.range.start.line]), [[b, 4]]);
    // Two lines added to the Namespace above the policy in a.yaml: the policy's document is kept and
    // moved, b.yaml's findings are the same, and its link moves with the policy.
    await client.conn.sendNotification('textDocument/didChange', { textDocument: { uri: a, version: 2 }, contentChanges: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '# one\n# two\n' }] });
    const moved = np108(await latest(client, b, (p) => np108(p)?.relatedInformation?.[0]?.location.range.start.line !== 7));
    assert.deepEqual(moved?.relatedInformation?.[0]?.location.range, { start: { line: 9, character: 8 }, end: { line: 9, character: 11 } });
  } finally {
    await client.stop();
  }
});

test('no related information for a client that does not show it', async () => {
  const client = new TestClient();
  try {
    await client.initialize();
    await client.conn.sendNotification('textDocument/didOpen', { textDocument: { uri: a, languageId: 'yaml', version: 1, text: policy } });
    await client.conn.sendNotification('textDocument/didOpen', { textDocument: { uri: b, languageId: 'yaml', version: 1, text: policy } });
    const d = np108(await latest(client, b, (p) => np108(p) !== undefined));
    assert.ok(d && !('relatedInformation' in d));
  } finally {
    await client.stop();
  }
});
