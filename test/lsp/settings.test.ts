import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readSettings, sameSettings } from '../../server/src/lsp/settings';
import { Workspace } from '../../server/src/lsp/workspace';

const text = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: web
spec:
  podSelector: {}
  policyTypes: [Egress]
`;

test('settings read again with the same content keep the analysis; a changed one redoes it', () => {
  const raw = { enable: true, defaultNamespace: 'apps', exclude: ['charts/**'], rules: { NP201: 'error', NP203: 'off' } };
  assert.ok(sameSettings(readSettings(raw), readSettings(JSON.parse(JSON.stringify(raw)))));
  for (const changed of [
    { ...raw, enable: false },
    { ...raw, defaultNamespace: 'other' },
    { ...raw, maxFileSize: 10 },
    { ...raw, exclude: ['charts/**', 'vendor/**'] },
    { ...raw, rules: { NP201: 'warning', NP203: 'off' } },
    { ...raw, rules: { NP201: 'error' } },
  ]) {
    assert.ok(!sameSettings(readSettings(raw), readSettings(changed)), JSON.stringify(changed));
  }

  const ws = new Workspace();
  const uri = 'file:///w/policy.yaml';
  ws.configure(readSettings(raw));
  ws.update(uri, text, 1);
  const first = ws.findings(uri);
  assert.ok(first.some((f) => f.code === 'NP201' && f.severity === 'error'), 'egress isolated without DNS, at the configured level');
  // VS Code sends the whole configuration again when any setting changes.
  ws.configure(readSettings(JSON.parse(JSON.stringify(raw))));
  assert.equal(ws.findings(uri), first, 'same settings: the cached findings');
  ws.configure(readSettings({ ...raw, rules: { NP201: 'warning' } }));
  const again = ws.findings(uri);
  assert.notEqual(again, first);
  assert.ok(again.some((f) => f.code === 'NP201' && f.severity === 'warning'));
});
