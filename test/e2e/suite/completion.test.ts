import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { completionLabel } from './editor';
import { poll } from './poll';

// Own fixture, written outside the repo: the cursor needs a blank line at a known place, and the
// label keys offered must come from the workload in this same file. `$1`/`$2` mark the cursors.
const FIXTURE = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: shop-web
  namespace: shop
spec:
  selector:
    matchLabels:
      app: shop-web
  template:
    metadata:
      labels:
        app: shop-web
        tier: frontend
    spec:
      containers:
        - name: web
          image: nginx:1.27
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: shop-web
  namespace: shop
spec:
  podSelector:
    matchLabels:
      $1
  $2
`;

function fixture(): { uri: vscode.Uri; at: Record<string, number> } {
  const at: Record<string, number> = {};
  const text = FIXTURE.replace(/\$(\d)/g, (_m: string, n: string, offset: number) => {
    // Offsets in the marker-free text: earlier markers are two characters each.
    at[n] = offset - 2 * Object.keys(at).length;
    return '';
  });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-e2e-'));
  const file = path.join(dir, 'completion.yaml');
  fs.writeFileSync(file, text);
  return { uri: vscode.Uri.file(file), at };
}

async function labelsAt(uri: vscode.Uri, pos: vscode.Position, want: string): Promise<string[]> {
  return poll(`completion offering ${want}`, async () => {
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', uri, pos);
    const labels = list.items.map(completionLabel);
    return { value: labels.includes(want) ? labels : undefined, seen: labels.slice(0, 30).join(', ') || 'no items' };
  });
}

describe('completion', () => {
  let uri: vscode.Uri;
  let doc: vscode.TextDocument;
  let at: Record<string, number>;

  before(async () => {
    ({ uri, at } = fixture());
    doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc, { preview: false });
  });

  after(() => {
    fs.rmSync(path.dirname(uri.fsPath), { recursive: true, force: true });
  });

  it('inside podSelector.matchLabels offers label keys of workloads in the file', async () => {
    const offset = at['1'];
    assert.ok(offset !== undefined);
    const labels = await labelsAt(uri, doc.positionAt(offset), 'app');
    assert.ok(labels.includes('tier'), `expected tier too, got ${labels.join(', ')}`);
  });

  it('at spec level offers the NetworkPolicy fields', async () => {
    const offset = at['2'];
    assert.ok(offset !== undefined);
    const labels = await labelsAt(uri, doc.positionAt(offset), 'policyTypes');
    for (const field of ['ingress', 'egress']) assert.ok(labels.includes(field), `expected ${field}, got ${labels.join(', ')}`);
  });
});
