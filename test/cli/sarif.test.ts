/**
 * `netpol check --format sarif` and `--format github`: the SARIF shape GitHub code scanning reads
 * (version, $schema, the rule table, results with 1-based regions and URIs relative to the working
 * directory) and workflow-command annotations; the same findings and exit codes as the text output.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { artifactUri, toGithub, SARIF_SCHEMA } from '../../server/src/cli/sarif';
import { RULES, ruleDocUrl } from '../../server/src/core/rules';
import { cli } from '../util/cli';
import { ROOT } from '../util/paths';
import { tempDir } from '../util/temp';


interface Region {
  startLine: number;
  startColumn: number;
  endLine: number;
  endColumn: number;
}

interface Sarif {
  $schema: string;
  version: string;
  runs: {
    tool: { driver: { name: string; version: string; rules: { id: string; name: string; shortDescription: { text: string }; helpUri: string; defaultConfiguration: { level: string } }[] } };
    columnKind: string;
    invocations: { executionSuccessful: boolean; toolExecutionNotifications: { level: string; message: { text: string } }[] }[];
    results: { ruleId: string; ruleIndex?: number; level: string; message: { text: string }; locations: { physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string }; region: Region } }[] }[];
  }[];
}

/** A workspace with an error (NP101), a warning (NP201), an information (NP203) and a hint (NP211). */
function workspace(): string {
  const dir = tempDir('sarif-', join(ROOT, 'out'));
  writeFileSync(
    join(dir, 'policies.yaml'),
    [
      'apiVersion: networking.k8s.io/v1',
      'kind: NetworkPolicy',
      'metadata: {name: web, namespace: shop}',
      'spec:',
      '  podSelector: {matchLabels: {app: web}}',
      '  policyTypes: [Ingress, Egress]',
      '  ingress:',
      '    - from:',
      '        - namespaceSelector: {matchLabels: {team: ops}}',
      '        - podSelector: {matchLabels: {app: api}}',
      '    - from:',
      '        - ipBlock: {cidr: 10.0.0.0/33}',
      '    - from: [{podSelector: {matchLabels: {app: api}}}]',
      '      ports: [{port: 80}]',
      '  egress:',
      '    - to: [{podSelector: {matchLabels: {app: db}}}]',
      '',
    ].join('\n'),
  );
  return dir;
}

/** `path:line:col: severity code message` lines of the text output, as comparable tuples. */
function textFindings(out: string): string[] {
  return out
    .trim()
    .split('\n')
    .filter((l) => l)
    .map((l) => {
      const m = /^(.*):(\d+):(\d+): (\w+) (NP\d{3}) /.exec(l);
      assert.ok(m, l);
      return `${m[1] ?? ''}:${m[2] ?? ''}:${m[3] ?? ''} ${m[5] ?? ''}`;
    })
    .sort();
}

test('check --format sarif: SARIF 2.1.0 with the rule table and one result per finding, 1-based regions', async () => {
  const dir = workspace();
  const r = await cli('check', '--format', 'sarif', dir);
  const text = await cli('check', dir);
  assert.equal(r.code, 1, 'an error: exit 1, as with text');
  assert.equal(text.code, r.code);
  const sarif = JSON.parse(r.out) as Sarif;
  assert.equal(sarif.version, '2.1.0');
  assert.equal(sarif.$schema, SARIF_SCHEMA);
  assert.equal(sarif.runs.length, 1);
  const run = sarif.runs[0];
  assert.ok(run);
  assert.equal(run.tool.driver.name, 'netpol');
  assert.equal(run.columnKind, 'utf16CodeUnits');
  const rules = run.tool.driver.rules;
  assert.deepEqual(rules.map((x) => x.id), [...RULES.keys()], 'every rule, in table order');
  for (const rule of rules) {
    const info = RULES.get(rule.id);
    assert.ok(info);
    assert.equal(rule.name, info.name);
    assert.equal(rule.shortDescription.text, info.summary);
    assert.equal(rule.helpUri, ruleDocUrl(rule.id));
    assert.equal(rule.defaultConfiguration.level, { error: 'error', warning: 'warning', information: 'note', hint: 'note' }[info.severity]);
  }
  const ids = new Set(rules.map((x) => x.id));
  const codes = run.results.map((x) => x.ruleId);
  for (const c of ['NP101', 'NP201', 'NP203', 'NP211']) assert.ok(codes.includes(c), `${c} among ${codes.join(', ')}`);
  const uri = relative(process.cwd(), join(dir, 'policies.yaml')).split(/[\\/]/).join('/');
  const fromSarif: string[] = [];
  for (const res of run.results) {
    assert.ok(ids.has(res.ruleId), `${res.ruleId} is in tool.driver.rules`);
    assert.equal(rules[res.ruleIndex ?? -1]?.id, res.ruleId, 'ruleIndex points at the rule');
    assert.ok(['error', 'warning', 'note'].includes(res.level));
    assert.ok(res.message.text.length > 0);
    const loc = res.locations[0]?.physicalLocation;
    assert.ok(loc);
    assert.equal(loc.artifactLocation.uri, uri, 'relative to the working directory, with / separators');
    assert.equal(loc.artifactLocation.uriBaseId, '%SRCROOT%');
    const g = loc.region;
    assert.ok(g.startLine >= 1 && g.startColumn >= 1 && g.endLine >= g.startLine && g.endColumn >= 1, JSON.stringify(g));
    if (g.endLine === g.startLine) assert.ok(g.endColumn >= g.startColumn);
    fromSarif.push(`${uri}:${g.startLine}:${g.startColumn} ${res.ruleId}`);
  }
  // The same findings at the same places as the text output (which is 1-based too).
  assert.deepEqual(fromSarif.sort(), textFindings(text.out).map((l) => l.replace(/\\/g, '/')));
  const np101 = run.results.find((x) => x.ruleId === 'NP101');
  assert.equal(np101?.level, 'error');
  assert.equal(np101?.locations[0]?.physicalLocation.region.startLine, 12);
  assert.equal(run.results.find((x) => x.ruleId === 'NP203')?.level, 'note');
  assert.deepEqual(run.invocations[0]?.toolExecutionNotifications, []);
  assert.equal(run.invocations[0]?.executionSuccessful, true);
});

test('check --format sarif: warnings only exit 0; unreadable paths are tool notifications', async () => {
  const ok = await cli('check', '--format', 'sarif', join(ROOT, 'examples', 'frontend-backend', 'broken.yaml'));
  assert.equal(ok.code, 0);
  const sarif = JSON.parse(ok.out) as Sarif;
  assert.deepEqual(sarif.runs[0]?.results.map((x) => `${x.ruleId} ${x.level}`), ['NP201 warning']);
  const missing = await cli('check', '--format', 'sarif', join(ROOT, 'examples'), join(ROOT, 'examples', 'nope.yaml'));
  assert.equal(missing.code, 1, 'a read error fails, as with text');
  const run = (JSON.parse(missing.out) as Sarif).runs[0];
  assert.equal(run?.invocations[0]?.executionSuccessful, false);
  assert.match(run?.invocations[0]?.toolExecutionNotifications[0]?.message.text ?? '', /no such file/);
});

test('check --format github: one workflow command per finding, escaped', async () => {
  const dir = workspace();
  const r = await cli('check', '--format', 'github', dir);
  const text = await cli('check', dir);
  assert.equal(r.code, 1);
  const lines = r.out.trim().split('\n');
  assert.equal(lines.length, textFindings(text.out).length);
  const file = relative(process.cwd(), join(dir, 'policies.yaml')).split(/[\\/]/).join('/');
  const seen: string[] = [];
  for (const l of lines) {
    const m = /^::(error|warning|notice) file=([^,]+),line=(\d+),col=(\d+),endLine=(\d+),endColumn=(\d+),title=(NP\d{3})::(.+)$/.exec(l);
    assert.ok(m, l);
    assert.equal(m[2], file.replace(/:/g, '%3A').replace(/,/g, '%2C'));
    seen.push(`${m[1] ?? ''} ${m[7] ?? ''} ${m[3] ?? ''}`);
  }
  assert.ok(seen.includes('error NP101 12'), seen.join('; '));
  assert.ok(seen.some((s) => s.startsWith('warning NP201 ')));
  assert.ok(seen.some((s) => s.startsWith('notice NP203 ')));
  assert.ok(seen.some((s) => s.startsWith('notice NP211 ')));
});

test('github annotations escape newlines, percent signs, colons and commas; SARIF URIs are encoded', () => {
  const out = toGithub(
    [{ path: 'a,b:c.yaml', diagnostics: [{ range: { start: { line: 0, character: 0 }, end: { line: 1, character: 4 } }, severity: 'hint', code: 'NP212', message: '100% sure\nreally' }] }],
    [{ path: 'gone.yaml', message: 'no such file or directory' }],
  );
  assert.equal(
    out,
    '::notice file=a%2Cb%3Ac.yaml,line=1,col=1,endLine=2,endColumn=5,title=NP212::100%25 sure%0Areally\n::error file=gone.yaml,title=netpol::no such file or directory\n',
  );
  const tmp = tempDir('netpol-sarif-');
  assert.deepEqual(artifactUri(join(tmp, 'my dir', 'a#1.yaml'), tmp), { uri: 'my%20dir/a%231.yaml', uriBaseId: '%SRCROOT%' });
  assert.match(artifactUri(join(tmp, 'x.yaml'), join(tmp, 'sub')).uri, /^file:\/\//, 'outside the working directory: an absolute URI');
});

test('check: related places (NP108 links the other copy) in JSON and as SARIF relatedLocations', async () => {
  const dir = tempDir('related-', join(ROOT, 'out'));
  const policy = 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  podSelector: {}\n';
  writeFileSync(join(dir, 'a.yaml'), policy);
  writeFileSync(join(dir, 'b.yaml'), `# a copy\n${policy}`);
  type Place = { path: string; range: { start: { line: number; character: number } }; message: string };
  const json = JSON.parse((await cli('check', dir, '--format', 'json')).out) as { files: { path: string; diagnostics: { code: string; related?: Place[] }[] }[] };
  const linked = (name: string): string[] => (json.files.find((f) => f.path.endsWith(name))?.diagnostics.find((d) => d.code === 'NP108')?.related ?? []).map((r) => `${r.path.split(/[\\/]/).pop()}:${r.range.start.line}:${r.range.start.character} ${r.message}`);
  assert.deepEqual(linked('a.yaml'), ['b.yaml:4:8 NetworkPolicy "web" is also defined here']);
  assert.deepEqual(linked('b.yaml'), ['a.yaml:3:8 NetworkPolicy "web" is also defined here']);
  const sarif = JSON.parse((await cli('check', dir, '--format', 'sarif')).out) as { runs: { results: { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string } } }[]; relatedLocations?: { id: number; physicalLocation: { artifactLocation: { uri: string }; region: Region }; message: { text: string } }[] }[] }[] };
  const results = sarif.runs[0]?.results.filter((r) => r.ruleId === 'NP108') ?? [];
  assert.equal(results.length, 2);
  for (const r of results) {
    const own = r.locations[0]?.physicalLocation.artifactLocation.uri ?? '';
    const [rel, ...more] = r.relatedLocations ?? [];
    assert.ok(rel && more.length === 0, 'one related location');
    assert.equal(rel.id, 0);
    assert.notEqual(rel.physicalLocation.artifactLocation.uri, own, 'the other file');
    assert.equal(rel.physicalLocation.region.startColumn, 9, '1-based, at the name');
    assert.equal(rel.physicalLocation.region.startLine, own.endsWith('a.yaml') ? 5 : 4);
    assert.equal(rel.message.text, 'NetworkPolicy "web" is also defined here');
  }
});
