import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, readFileSync, writeFileSync, symlinkSync } from 'node:fs';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { join } from 'node:path';
import { cli } from '../util/cli';
import { ROOT } from '../util/paths';
import { tempDir } from '../util/temp';


const examples = join(ROOT, 'examples');

test('check prints path:line:col: severity code message and exits 0 on warnings only', async () => {
  const r = await cli('check', join(examples, 'frontend-backend', 'broken.yaml'));
  assert.equal(r.code, 0);
  const lines = r.out.trim().split('\n');
  assert.equal(lines.length, 1);
  assert.match(lines[0] ?? '', /broken\.yaml:\d+:3: warning NP201 This policy isolates egress for frontend/);
  const lineNo = Number(/:(\d+):3:/.exec(lines[0] ?? '')?.[1]);
  assert.ok(lineNo > 1);
});

test('check reads directories recursively and analyses the files together', async () => {
  const r = await cli('check', examples, '--format', 'json');
  assert.equal(r.code, 0);
  const json = JSON.parse(r.out) as { files: { path: string; diagnostics: { code: string; severity: string; range: { start: { line: number; character: number } } }[] }[] };
  const paths = json.files.map((f) => f.path.replace(/\\/g, '/'));
  assert.ok(paths.some((p) => p.endsWith('online-shop/policies.yaml')));
  assert.ok(paths.some((p) => p.endsWith('frontend-backend/fixed.yaml')));
  const all = json.files.flatMap((f) => f.diagnostics.map((d) => ({ ...d, path: f.path })));
  // Only the broken example is flagged; the allow-dns policy in another file of online-shop counts.
  assert.deepEqual(all.map((d) => d.code), ['NP201']);
  assert.equal(all[0]?.range.start.character, 2);
});

test('errors make the exit code 1; usage errors 2', async () => {
  const dir = tempDir('netpol-cli-');
  writeFileSync(
    join(dir, 'bad.yml'),
    'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: x}\nspec:\n  podSelector: {}\n  ingress:\n    - from:\n        - ipBlock: {cidr: 10.0.0.0/33}\n',
  );
  const r = await cli('check', dir);
  assert.equal(r.code, 1);
  assert.match(r.out, /bad\.yml:8:\d+: error NP101 /);
  assert.equal((await cli('check')).code, 2);
  assert.equal((await cli('check', '--format', 'xml', dir)).code, 2);
  assert.equal((await cli('check', '--bogus', dir)).code, 2);
  assert.equal((await cli('frobnicate')).code, 2);
  const missing = await cli('check', join(dir, 'nope.yaml'));
  assert.equal(missing.code, 2);
  assert.match(missing.err, /no such file/);
});

test('symlink loops and links out of the root are not followed', async () => {
  const dir = tempDir('netpol-cli-');
  const outside = tempDir('netpol-out-');
  writeFileSync(join(outside, 'secret.yaml'), 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: y}\nspec: {podSelector: {}, ingress: [{from: [{ipBlock: {cidr: bad}}]}]}\n');
  mkdirSync(join(dir, 'sub'));
  symlinkSync(dir, join(dir, 'sub', 'loop'));
  symlinkSync(outside, join(dir, 'out'));
  writeFileSync(join(dir, 'sub', 'ok.yaml'), 'kind: ConfigMap\n');
  const r = await cli('check', dir, '--format', 'json');
  assert.equal(r.code, 0);
  const json = JSON.parse(r.out) as { files: { path: string }[] };
  assert.deepEqual(json.files.map((f) => f.path.replace(/\\/g, '/').split('/').pop()), ['ok.yaml']);
});

test('a file link out of the root is not followed; a dangling link is reported and the rest still checked', async () => {
  const dir = tempDir('netpol-cli-');
  const outside = tempDir('netpol-out-');
  writeFileSync(join(outside, 'secret.yaml'), 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: y}\nspec: {podSelector: {}, ingress: [{from: [{ipBlock: {cidr: bad}}]}]}\n');
  symlinkSync(join(outside, 'secret.yaml'), join(dir, 'linked.yaml'));
  symlinkSync(join(dir, 'gone.yaml'), join(dir, 'dangling.yaml'));
  writeFileSync(join(dir, 'ok.yaml'), 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: x}\nspec: {podSelector: {}, ingress: [{from: [{ipBlock: {cidr: 10.0.0.0/33}}]}]}\n');
  const r = await cli('check', dir, '--format', 'json');
  assert.equal(r.code, 1);
  const json = JSON.parse(r.out) as { files: { path: string; diagnostics: { code: string }[] }[]; errors: { path: string; message: string }[] };
  assert.deepEqual(json.files.map((f) => f.path.replace(/\\/g, '/').split('/').pop()), ['ok.yaml']);
  assert.deepEqual(json.files[0]?.diagnostics.map((d) => d.code), ['NP101'], 'the readable file is still checked');
  assert.deepEqual(json.errors.map((e) => [e.path.replace(/\\/g, '/').split('/').pop(), e.message]), [['dangling.yaml', 'no such file or directory']]);
});

test('an unreadable file is reported as an error and the others are still checked', async (t) => {
  const dir = tempDir('netpol-cli-');
  writeFileSync(join(dir, 'a.yaml'), 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: x}\nspec: {podSelector: {}, ingress: [{from: [{ipBlock: {cidr: 10.0.0.0/33}}]}]}\n');
  writeFileSync(join(dir, 'locked.yaml'), 'kind: Namespace\nmetadata: {name: b}\n');
  chmodSync(join(dir, 'locked.yaml'), 0o000);
  let readable = true;
  try {
    readFileSync(join(dir, 'locked.yaml'));
  } catch {
    readable = false;
  }
  let code: number | null;
  let out: string;
  let err: string;
  if (!readable) {
    ({ code, out, err } = await cli('check', dir));
  } else if (process.getuid?.() === 0 && spawnSync('setpriv', ['--version']).status === 0) {
    // Root reads through mode 000: run the built CLI as nobody instead.
    chmodSync(dir, 0o755);
    const asNobody = (args: string[]): SpawnSyncReturns<string> => spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, ...args], { encoding: 'utf8' });
    const cliPath = join(ROOT, 'dist', 'cli.js');
    if (asNobody(['-e', `require('fs').accessSync(${JSON.stringify(cliPath)}, 4)`]).status !== 0) {
      t.skip('nobody cannot read the built CLI (the checkout is under a private directory): no other user to run it as');
      return;
    }
    const r = asNobody([cliPath, 'check', dir]);
    ({ status: code, stdout: out, stderr: err } = r);
  } else {
    t.skip('this user reads files of mode 000 and cannot run the CLI as another user: nothing unreadable to test with');
    return;
  }
  assert.equal(code, 1);
  assert.match(err, /locked\.yaml: permission denied/);
  assert.match(out, /a\.yaml:4:\d+: error NP101 /, 'the readable file is still checked');
});

test('a FIFO named *.yaml in a directory is skipped, not read (reading would wait forever)', async (t) => {
  const dir = tempDir('netpol-cli-');
  if (spawnSync('mkfifo', [join(dir, 'pipe.yaml')]).status !== 0) {
    t.skip('no mkfifo here');
    return;
  }
  writeFileSync(join(dir, 'ok.yaml'), 'kind: ConfigMap\n');
  // In a child process with a timeout: a regression would block this process for good.
  const r = spawnSync(process.execPath, [join(ROOT, 'dist', 'cli.js'), 'check', dir, '--format', 'json'], { encoding: 'utf8', timeout: 30_000 });
  assert.equal(r.signal, null, 'netpol check did not hang');
  assert.equal(r.status, 0);
  assert.deepEqual((JSON.parse(r.stdout) as { files: { path: string }[] }).files.map((f) => f.path.replace(/\\/g, '/').split('/').pop()), ['ok.yaml']);
});

test('--version and help', async () => {
  assert.match((await cli('--version')).out, /^\d+\.\d+\.\d+/);
  assert.match((await cli('help', 'check')).out, /--format text\|json/);
  // The overview names every format check takes, as check's own usage does.
  const formats = /--format ([a-z|]+)/.exec((await cli('help', 'check')).out)?.[1];
  assert.ok(formats?.includes('sarif'));
  assert.ok((await cli('help')).out.includes(`check <files or dirs…> [--format ${formats}]`), 'netpol help lists the formats of check');
});

test('a .netpol.yaml (--config) sets rule levels, the default namespace and excludes', async () => {
  const dir = tempDir('netpol-cfg-');
  mkdirSync(join(dir, 'charts'));
  const bad = 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: x}\nspec:\n  podSelector: {}\n  ingress:\n    - from:\n        - ipBlock: {cidr: 10.0.0.0/33}\n';
  writeFileSync(join(dir, 'a.yaml'), bad);
  writeFileSync(join(dir, 'charts', 'b.yaml'), bad);
  const before = await cli('check', dir, '--config', join(dir, 'missing.yaml'));
  assert.equal(before.code, 2);
  writeFileSync(join(dir, '.netpol.yaml'), 'rules:\n  NP101: warning\nexclude: ["charts/**"]\n');
  const r = await cli('check', dir, '--config', join(dir, '.netpol.yaml'), '--format', 'json');
  assert.equal(r.code, 0, 'NP101 lowered to a warning: no error, exit 0');
  const json = JSON.parse(r.out) as { files: { path: string; diagnostics: { code: string; severity: string }[] }[] };
  assert.deepEqual(json.files.map((f) => f.path.replace(/\\/g, '/').split('/').pop()), ['a.yaml']);
  assert.deepEqual(json.files[0]?.diagnostics.map((d) => `${d.code}:${d.severity}`), ['NP101:warning']);
});
