import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { parseAllDocuments } from 'yaml';
import { describeDiagnostics, netpolDiagnostics, openClean, revert, workspaceFile } from './editor';
import { poll } from './poll';

const BROKEN = ['frontend-backend', 'broken.yaml'];

describe('NP201: egress isolated without DNS', () => {
  let doc: vscode.TextDocument | undefined;

  after(async () => {
    if (doc) await revert(doc);
  });

  it('is reported on broken.yaml and fixed by "Allow DNS egress"', async () => {
    const uri = workspaceFile(...BROKEN);
    doc = await openClean(uri);

    const before = await poll('an NP201 diagnostic from netpol', () => {
      const found = netpolDiagnostics(uri, 'NP201');
      return { value: found.length > 0 ? found : undefined, seen: describeDiagnostics(uri) };
    });
    const target = before[0];
    assert.ok(target);
    assert.match(target.message, /DNS/i);

    // Some servers attach edits lazily (codeAction/resolve); let the command resolve them.
    const action = await poll('an "Allow DNS egress" quick fix', async () => {
      const actions = await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>(
        'vscode.executeCodeActionProvider', uri, target.range, vscode.CodeActionKind.QuickFix.value, 50);
      // A bare Command has a string `command`; a CodeAction's is an object or absent.
      const fix = actions.find((a): a is vscode.CodeAction => typeof a.command !== 'string' && a.title.startsWith('Allow DNS egress'));
      return { value: fix, seen: actions.map((a) => a.title).join(' | ') || 'no code actions' };
    }, 15_000);
    assert.ok(action.edit || action.command, 'quick fix has neither an edit nor a command');
    if (action.edit) assert.equal(await vscode.workspace.applyEdit(action.edit), true, 'applyEdit failed');
    if (action.command) await vscode.commands.executeCommand(action.command.command, ...(action.command.arguments ?? []));

    const text = doc.getText();
    assert.ok(text.includes('k8s-app: kube-dns'), 'fixed document lacks k8s-app: kube-dns');
    assert.match(text, /port: 53\b/);
    const yamlErrors = parseAllDocuments(text).flatMap((d) => ('errors' in d ? d.errors : []));
    assert.deepEqual(yamlErrors.map((e) => e.message), [], 'the fix left invalid YAML');

    await poll('the fixed NP201 diagnostic to go away', () => {
      const left = netpolDiagnostics(uri, 'NP201');
      return { value: left.length < before.length ? true : undefined, seen: describeDiagnostics(uri) };
    });
  });

  it('is fixed through the editor command a user runs (Quick Fix… on the squiggle, preferred fix)', async () => {
    const uri = workspaceFile(...BROKEN);
    doc = await openClean(uri);
    const editor = await vscode.window.showTextDocument(doc, { preview: false });
    const d = await poll('an NP201 diagnostic', () => ({ value: netpolDiagnostics(uri, 'NP201')[0], seen: describeDiagnostics(uri) }));
    editor.selection = new vscode.Selection(d.range.start, d.range.start);
    // Auto Fix (Shift+Alt+.): the editor applies the preferred quick fix at the cursor.
    await vscode.commands.executeCommand('editor.action.autoFix');
    const fixed = doc;
    await poll('the DNS rule inserted', () => ({ value: fixed.getText().includes('k8s-app: kube-dns') ? true : undefined, seen: 'no kube-dns in the text' }));
    await poll('NP201 gone', () => ({ value: netpolDiagnostics(uri, 'NP201').length === 0 ? true : undefined, seen: describeDiagnostics(uri) }));
    await revert(fixed);
  });
});
