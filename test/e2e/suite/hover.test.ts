import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { hoverText, openClean, workspaceFile } from './editor';
import { readManifests, selected } from './manifests';
import { poll } from './poll';

describe('hover', () => {
  it('on a podSelector names the workload it selects', async () => {
    const uri = workspaceFile('frontend-backend', 'broken.yaml');
    const doc = await openClean(uri);
    const { workloads, policies } = readManifests(doc.getText());
    const policy = policies.find((p) => selected(p, workloads).length > 0);
    assert.ok(policy, 'broken.yaml has no policy whose podSelector.matchLabels selects a workload in the file');
    const names = selected(policy, workloads).map((w) => w.name);
    const pos = doc.positionAt(policy.podSelectorKey + 2);

    const text = await poll(`a hover naming ${names.join(' or ')}`, async () => {
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, pos);
      const t = hoverText(hovers);
      return { value: names.some((n) => t.includes(n)) ? t : undefined, seen: t || 'no hover' };
    });
    assert.ok(text.length > 0);
  });

  it('on a workload\'s pod label names the policies that select it and what they allow', async () => {
    const uri = workspaceFile('frontend-backend', 'broken.yaml');
    const doc = await openClean(uri);
    const text0 = doc.getText();
    const at = text0.indexOf('tier: api');
    assert.ok(at > 0, 'broken.yaml has the backend-api pod label tier: api');
    const pos = doc.positionAt(at + 2);
    const text = await poll('a hover naming the selecting policy', async () => {
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, pos);
      const t = hoverText(hovers);
      return { value: t.includes('backend-api-ingress') ? t : undefined, seen: t || 'no hover' };
    });
    assert.match(text, /8080/, 'the named port http-api is resolved to 8080');
  });
});
