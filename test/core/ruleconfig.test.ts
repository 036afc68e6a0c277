import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { diagnose } from '../../server/src/core/diagnostics';
import { applyRuleSettings, parseProjectConfig } from '../../server/src/core/ruleconfig';
import { RULES } from '../../server/src/core/rules';
import { analyse } from '../util/fixture';
import { ROOT } from '../util/paths';

const broken = readFileSync(join(ROOT, 'examples', 'frontend-backend', 'broken.yaml'), 'utf8');
const badCidr = (comment: string): string => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: c}
spec:
  podSelector: {}
  ingress:
    - from:
${comment}
        - ipBlock: {cidr: 10.0.0.0/33}
`;

function codes(text: string, settings = new Map()): string[] {
  const { file, inv } = analyse(text);
  return applyRuleSettings(diagnose(file, inv), file, settings).map((f) => `${f.code}:${f.severity}`);
}

test('settings turn a rule off or change its severity', () => {
  assert.deepEqual(codes(broken), ['NP201:warning']);
  assert.deepEqual(codes(broken, new Map([['NP201', 'off']])), []);
  assert.deepEqual(codes(broken, new Map([['NP201', 'error']])), ['NP201:error']);
});

test('disable comments: next line, same line, file; with and without codes', () => {
  assert.deepEqual(codes(badCidr('')), ['NP101:error']);
  assert.deepEqual(codes(badCidr('        # netpol-disable-next-line NP101')), []);
  assert.deepEqual(codes(badCidr('        # netpol-disable-next-line NP102')), ['NP101:error']);
  assert.deepEqual(codes(badCidr('        # netpol-disable-next-line')), []);
  assert.deepEqual(codes(badCidr('').replace('10.0.0.0/33}', '10.0.0.0/33} # netpol-disable-line NP101')), []);
  assert.deepEqual(codes(`# netpol-disable-file NP101\n${badCidr('')}`), []);
  assert.deepEqual(codes(`# netpol-disable-file NP999\n${badCidr('')}`), ['NP101:error']);
});

test('.netpol.yaml: rules, defaultNamespace, exclude, and clear problems', () => {
  const c = parseProjectConfig('rules:\n  NP201: off\n  NP202: error\n  NP999: off\n  NP103: loud\ndefaultNamespace: shop\nexclude: ["charts/**"]\ncolour: blue\n');
  assert.deepEqual([...c.rules], [['NP201', 'off'], ['NP202', 'error']]);
  assert.equal(c.defaultNamespace, 'shop');
  assert.deepEqual(c.exclude, ['charts/**']);
  assert.deepEqual(c.problems.map((p) => p.message), ['Unknown rule "NP999".', 'Rule NP103: expected one of off, hint, information, warning, error.', 'Unknown setting "colour" (rules, defaultNamespace and exclude are known).']);
  assert.deepEqual(parseProjectConfig('- a\n').problems.length, 1);
  assert.deepEqual(parseProjectConfig('').problems, []);
});

test('package.json offers a netpol.rules entry for every rule, with its default severity', () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    contributes: { configuration: { properties: Record<string, { properties?: Record<string, { default: string }> }> } };
  };
  const props = pkg.contributes.configuration.properties['netpol.rules']?.properties ?? {};
  assert.deepEqual(Object.keys(props).sort(), [...RULES.keys()].sort());
  for (const [code, r] of RULES) assert.equal(props[code]?.default, r.severity, code);
});
