import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { completionLabel } from './editor';
import { poll } from './poll';

// Two files, both opened: go to definition crosses from the policy to the workload, and port
// completion offers the ports of the pods the rule reaches (not those of other workloads).
const WORKLOADS = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: shop
spec:
  template:
    metadata:
      labels:
        app: api
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
kind: Deployment
metadata:
  name: other
  namespace: shop
spec:
  template:
    metadata:
      labels:
        app: other
    spec:
      containers:
        - name: other
          ports:
            - containerPort: 8080
`;
const POLICY = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: to-api
  namespace: shop
spec:
  podSelector: {}
  policyTypes: [Egress]
  egress:
    - to:
        - podSelector:
            matchLabels:
              app: api
      ports:
        - port: grpc
        - port: 
`;

describe('navigation and port completion', () => {
  let dir: string;
  let workloads: vscode.Uri;
  let policy: vscode.Uri;
  let doc: vscode.TextDocument;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-e2e-nav-'));
    fs.writeFileSync(path.join(dir, 'workloads.yaml'), WORKLOADS);
    fs.writeFileSync(path.join(dir, 'policy.yaml'), POLICY);
    workloads = vscode.Uri.file(path.join(dir, 'workloads.yaml'));
    policy = vscode.Uri.file(path.join(dir, 'policy.yaml'));
    await vscode.workspace.openTextDocument(workloads);
    doc = await vscode.workspace.openTextDocument(policy);
    await vscode.window.showTextDocument(doc, { preview: false });
  });

  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('go to definition on a selector label lands on the workload that carries it, in the other file', async () => {
    const at = doc.positionAt(POLICY.indexOf('app: api') + 6);
    const target = await poll('a definition in workloads.yaml', async () => {
      const result = await vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>('vscode.executeDefinitionProvider', policy, at);
      const links = (result ?? []).map((r) => ('targetUri' in r ? { uri: r.targetUri, range: r.targetSelectionRange ?? r.targetRange } : { uri: r.uri, range: r.range }));
      const hit = links.find((l) => l.uri.fsPath === workloads.fsPath);
      return { value: hit, seen: links.map((l) => `${path.basename(l.uri.fsPath)}:${l.range.start.line}`).join(', ') || 'none' };
    });
    const labelLine = WORKLOADS.split('\n').findIndex((l) => l.trim() === 'app: api');
    assert.equal(target.range.start.line, labelLine);
  });

  it('port completion offers the destination pods’ ports with their protocol', async () => {
    const line = POLICY.split('\n').findIndex((l) => l === '        - port: ');
    const at = new vscode.Position(line, '        - port: '.length);
    const items = await poll('port items', async () => {
      const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', policy, at);
      const labels = list.items.map(completionLabel);
      return { value: labels.includes('syslog') ? list.items : undefined, seen: labels.slice(0, 20).join(', ') || 'no items' };
    });
    const labels = items.map(completionLabel);
    for (const want of ['9001', '514', 'syslog']) assert.ok(labels.includes(want), `${want} in [${labels.join(', ')}]`);
    assert.ok(!labels.includes('8080'), 'ports of pods the rule does not reach are not offered');
  });
});
