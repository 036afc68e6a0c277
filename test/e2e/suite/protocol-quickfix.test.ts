import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { diagnosticCode, describeDiagnostics, netpolDiagnostics } from './editor';
import { poll } from './poll';

// A second quick fix through the real editor: a protocol in the wrong case (NP113).
const POLICY = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: web
  namespace: shop
spec:
  podSelector: {}
  ingress:
    - ports:
        - protocol: tcp   # lower case: the API server rejects it
          port: 8080
`;

describe('NP113: protocol case', () => {
  let dir: string;
  let uri: vscode.Uri;

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-e2e-proto-'));
    fs.writeFileSync(path.join(dir, 'policy.yaml'), POLICY);
    uri = vscode.Uri.file(path.join(dir, 'policy.yaml'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('is reported and fixed by the quick fix, keeping the comment', async () => {
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc, { preview: false });
    const diag = await poll('NP113', () => {
      const d = netpolDiagnostics(uri, 'NP113')[0];
      return { value: d, seen: describeDiagnostics(uri) };
    });
    const actions = await poll('a quick fix for NP113', async () => {
      const all = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, diag.range, vscode.CodeActionKind.QuickFix.value);
      const fixes = all.filter((a) => a.edit && (a.diagnostics?.some((d) => diagnosticCode(d) === 'NP113') || /\bTCP\b/.test(a.title)));
      return { value: fixes.length ? fixes : undefined, seen: all.map((a) => a.title).join(', ') || 'none' };
    });
    const fix = actions[0];
    assert.ok(fix?.edit);
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    assert.match(doc.getText(), /protocol: TCP {3}# lower case: the API server rejects it/);
    await poll('NP113 gone', () => ({ value: netpolDiagnostics(uri, 'NP113').length === 0 ? true : undefined, seen: describeDiagnostics(uri) }));
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('is fixed through the editor command a user runs (Quick Fix… at the cursor)', async () => {
    const doc = await vscode.workspace.openTextDocument(uri);
    const editor = await vscode.window.showTextDocument(doc, { preview: false });
    const diag = await poll('NP113', () => ({ value: netpolDiagnostics(uri, 'NP113')[0], seen: describeDiagnostics(uri) }));
    editor.selection = new vscode.Selection(diag.range.start, diag.range.start);
    // What Ctrl+. then Enter does: the editor's code action command, applying the quick fix.
    await vscode.commands.executeCommand('editor.action.codeAction', { kind: vscode.CodeActionKind.QuickFix.value, apply: 'first' });
    await poll('the protocol written TCP', () => ({ value: /protocol: TCP\b/.test(doc.getText()) ? true : undefined, seen: doc.getText().split('\n')[9] ?? '' }));
    await poll('NP113 gone', () => ({ value: netpolDiagnostics(uri, 'NP113').length === 0 ? true : undefined, seen: describeDiagnostics(uri) }));
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });
});
