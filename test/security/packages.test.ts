/**
 * What ships is pinned and clean: package-lock.json pins every dependency (version and
 * integrity) and node_modules matches it; `npm audit --omit=dev` reports nothing for the shipped
 * dependencies (skipped, with the reason, when the registry's audit endpoint cannot be reached:
 * an outage is not a vulnerability). And the extension's Workspace Trust declaration is honest.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../util/paths';

interface LockPackage {
  version?: string;
  resolved?: string;
  integrity?: string;
  dev?: boolean;
  link?: boolean;
}

interface Manifest {
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  capabilities?: { untrustedWorkspaces?: { supported?: unknown; description?: unknown; restrictedConfigurations?: unknown } };
  contributes?: { configuration?: { properties?: Record<string, { type?: unknown; markdownDescription?: string; description?: string }> } };
}

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Manifest;

function npm(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', args, { cwd: ROOT, encoding: 'utf8', timeout: 120_000, shell: process.platform === 'win32' });
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

test('supply chain: package-lock.json pins every dependency with its integrity', () => {
  const path = join(ROOT, 'package-lock.json');
  assert.ok(existsSync(path), 'package-lock.json exists');
  const lock = JSON.parse(readFileSync(path, 'utf8')) as { lockfileVersion?: number; packages?: Record<string, LockPackage> };
  assert.ok((lock.lockfileVersion ?? 0) >= 2, 'lockfile v2 or later (per-package entries)');
  const packages = lock.packages ?? {};
  for (const name of [...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.devDependencies ?? {})]) {
    assert.ok(packages[`node_modules/${name}`], `${name} is in the lockfile`);
  }
  for (const [path, p] of Object.entries(packages)) {
    if (path === '' || p.link) continue;
    assert.ok(p.version, `${path}: a version`);
    // `resolved` is left out under omit-lockfile-registry-resolved (npm then uses the configured
    // registry); where present it must be the registry over https, never a git or file URL.
    if (p.resolved !== undefined) assert.match(p.resolved, /^https:\/\/registry\.npmjs\.org\//, `${path}: resolved from the npm registry over https`);
    assert.match(p.integrity ?? '', /^sha512-/, `${path}: a sha512 integrity`);
  }
  // Shipped (non-dev) packages: only what the bundles need.
  const shipped = Object.entries(packages)
    .filter(([path, p]) => path !== '' && !p.dev)
    .map(([path]) => path.replace(/^.*node_modules\//, ''))
    .sort();
  assert.deepEqual(
    shipped.filter((n) => !/^(ip-num|yaml|vscode-(jsonrpc|languageclient|languageserver|languageserver-protocol|languageserver-textdocument|languageserver-types)|minimatch|brace-expansion|balanced-match|semver)$/.test(n)),
    [],
    'no new runtime dependency without a look (add it here when it is meant)',
  );
});

test('supply chain: node_modules matches the lockfile (npm ls)', (t) => {
  const r = npm(['ls', '--all', '--json']);
  if (r.status === null) {
    t.skip(`npm did not run: ${r.stderr.trim().split('\n').pop() ?? ''}`);
    return;
  }
  const tree = JSON.parse(r.stdout || '{}') as { problems?: string[] };
  assert.deepEqual(tree.problems ?? [], [], 'no missing, extraneous or invalid packages');
  assert.equal(r.status, 0);
});

test('supply chain: npm audit --omit=dev finds nothing in the shipped dependencies', (t) => {
  const r = npm(['audit', '--omit=dev', '--audit-level=low', '--json']);
  let report: { metadata?: { vulnerabilities?: Record<string, number> }; vulnerabilities?: Record<string, unknown>; error?: unknown; statusCode?: number; message?: string };
  try {
    report = JSON.parse(r.stdout) as typeof report;
  } catch {
    t.skip(`npm audit gave no report (registry unreachable?): ${r.stderr.trim().split('\n').pop() ?? `exit ${String(r.status)}`}`);
    return;
  }
  if (!report.metadata) {
    // 4xx/5xx from the audit endpoint, DNS or connection failures: the registry, not our dependencies.
    const why = report.message ?? (report.error ? JSON.stringify(report.error) : `exit ${String(r.status)}`);
    t.skip(`the registry's audit endpoint could not be used, so no audit ran: ${why}`);
    return;
  }
  const counts = report.metadata.vulnerabilities ?? {};
  const found = Object.entries(counts).filter(([k, n]) => k !== 'total' && n > 0);
  assert.deepEqual(found, [], `vulnerable: ${Object.keys(report.vulnerabilities ?? {}).join(', ')}`);
});

test('workspace trust: supported in Restricted Mode, honestly', () => {
  const trust = pkg.capabilities?.untrustedWorkspaces;
  assert.equal(trust?.supported, true, 'the analysis only reads YAML, so it runs in Restricted Mode');
  assert.equal(typeof trust?.description, 'string', 'the manifest says why');
  // A setting that could name an executable, a module or a path to run must be restricted
  // (supported: "limited" with restrictedConfigurations). There is none; keep it that way.
  const restricted = Array.isArray(trust?.restrictedConfigurations) ? (trust.restrictedConfigurations as unknown[]) : [];
  for (const [name, p] of Object.entries(pkg.contributes?.configuration?.properties ?? {})) {
    const words = `${name} ${p.markdownDescription ?? p.description ?? ''}`;
    if (/\b(executable|command|binary|path to|script|node_?path|runtime|plugin)\b/i.test(words)) {
      assert.ok(restricted.includes(name), `${name} may name something to run: restrict it or change the check`);
    }
  }
});
