#!/usr/bin/env node
// Installs code-server (a real VS Code workbench + extension host) into e2e/code-server from its
// lockfile, offline apart from the npm registry. Fast no-op when it is already installed.
//
// The one download that would leave the registry is @vscode/ripgrep's postinstall (a prebuilt rg
// from GitHub). It first looks in <tmpdir>/vscode-ripgrep-cache-<pkg version>/<asset>, so we put
// an archive of Debian's rg there. Which package version and asset it wants is read from the
// installed tree, not hard-coded, so a code-server bump keeps working.
//
// Usage: node scripts/install-code-server.mjs [--force]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, copyFileSync, chmodSync } from 'node:fs';
import { tmpdir, arch, platform } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const dir = join(root, 'e2e', 'code-server');
const entry = join(dir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
const vscodeDir = join(dir, 'node_modules', 'code-server', 'lib', 'vscode');
const force = process.argv.includes('--force');

function log(msg) {
  console.log(`install-code-server: ${msg}`);
}

function fail(msg) {
  console.error(`install-code-server: ${msg}`);
  process.exit(1);
}

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', ...opts });
  if (r.status !== 0) fail(`${cmd} ${args.join(' ')} failed (exit ${r.status ?? r.signal})`);
}

/** The installed code-server's version, or null when it is absent or broken. */
function installedVersion() {
  if (!existsSync(entry)) return null;
  // A half-finished install has entry.js but no VS Code dependencies; treat it as absent.
  if (!existsSync(join(vscodeDir, 'node_modules', '@vscode', 'ripgrep', 'bin'))) return null;
  // Its own HOME: even --version writes a default config file under XDG_CONFIG_HOME.
  const home = mkdtempSync(join(tmpdir(), 'netpol-cs-version-'));
  try {
    const env = { ...process.env, HOME: home, XDG_CONFIG_HOME: home, XDG_DATA_HOME: home, XDG_CACHE_HOME: home };
    const r = spawnSync(process.execPath, [entry, '--version'], { encoding: 'utf8', timeout: 30_000, env });
    if (r.status !== 0) return null;
    return r.stdout.split('\n').find((l) => /^\d+\.\d+\.\d+/.test(l))?.trim() ?? null;
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

/** rg's target triple as @vscode/ripgrep names it (only the platforms these machines have). */
function ripgrepTarget() {
  if (platform() !== 'linux') fail(`unsupported platform ${platform()}`);
  const a = process.env.npm_config_arch || arch();
  if (a === 'x64') return 'x86_64-unknown-linux-musl';
  if (a === 'arm64') return 'aarch64-unknown-linux-musl';
  return fail(`unsupported architecture ${a}`);
}

/** Version of @vscode/ripgrep that code-server's VS Code will install, from its shrinkwrap. */
function ripgrepPackageVersion() {
  const lock = JSON.parse(readFileSync(join(vscodeDir, 'npm-shrinkwrap.json'), 'utf8'));
  const v = lock.packages?.['node_modules/@vscode/ripgrep']?.version;
  if (typeof v !== 'string') fail('no @vscode/ripgrep in code-server/lib/vscode/npm-shrinkwrap.json');
  return v;
}

/** The rg release tag that this @vscode/ripgrep's postinstall downloads (its VERSION constant). */
function ripgrepReleaseTag(pkgVersion) {
  // npm pack goes through the npm cache, which the install below reuses: no extra download.
  const work = mkdtempSync(join(tmpdir(), 'netpol-rgpack-'));
  try {
    run('npm', ['pack', '--silent', `@vscode/ripgrep@${pkgVersion}`, '--pack-destination', work], { stdio: ['ignore', 'ignore', 'inherit'] });
    const tgz = readdirSync(work).find((f) => f.endsWith('.tgz'));
    if (!tgz) fail('npm pack of @vscode/ripgrep produced no tarball');
    run('tar', ['-xzf', join(work, tgz), '-C', work, 'package/lib/postinstall.js']);
    const src = readFileSync(join(work, 'package', 'lib', 'postinstall.js'), 'utf8');
    const m = /const VERSION = '([^']+)'/.exec(src);
    if (!m) fail('could not find VERSION in @vscode/ripgrep lib/postinstall.js');
    return m[1];
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Puts Debian's rg where @vscode/ripgrep's postinstall looks before it downloads. */
function seedRipgrepCache() {
  const rg = spawnSync('sh', ['-c', 'command -v rg'], { encoding: 'utf8' }).stdout.trim();
  if (!rg) fail('rg not found: run `bash scripts/setup-system.sh` first (installs ripgrep)');
  const pkgVersion = ripgrepPackageVersion();
  const asset = `ripgrep-${ripgrepReleaseTag(pkgVersion)}-${ripgrepTarget()}.tar.gz`;
  const cache = join(tmpdir(), `vscode-ripgrep-cache-${pkgVersion}`);
  const archive = join(cache, asset);
  if (existsSync(archive)) {
    log(`ripgrep cache present: ${archive}`);
    return;
  }
  const stage = join(cache, 'stage');
  mkdirSync(stage, { recursive: true });
  copyFileSync(rg, join(stage, 'rg'));
  chmodSync(join(stage, 'rg'), 0o755);
  run('tar', ['-czf', archive, '-C', stage, 'rg']);
  rmSync(stage, { recursive: true, force: true });
  log(`seeded ${archive} from ${rg}`);
}

/**
 * node-gyp downloads Node's headers unless told where they are; use the ones installed with this
 * Node (Debian's and the official builds ship include/node) when npm's config names none.
 */
function nodeHeaders() {
  if (process.env.npm_config_nodedir) return {};
  const prefix = dirname(dirname(process.execPath));
  return existsSync(join(prefix, 'include', 'node', 'node.h')) ? { npm_config_nodedir: prefix } : {};
}

function main() {
  if (!force) {
    const v = installedVersion();
    if (v) {
      log(`code-server ${v} already installed`);
      return;
    }
  }
  const major = Number(process.versions.node.split('.')[0]);
  if (major !== 20) fail(`code-server 4.100.x needs Node 20 (this is ${process.version})`);

  const t0 = Date.now();
  // Scripts off first: it unpacks code-server so we can read which ripgrep it wants.
  log('npm ci --ignore-scripts');
  run('npm', ['ci', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: dir });
  seedRipgrepCache();
  // Now the install scripts: argon2's native build and code-server's postinstall, which runs
  // `npm install` in lib/vscode (native modules from source, rg from the cache above).
  log('npm rebuild (install scripts; native modules build from source)');
  run('npm', ['rebuild', '--no-audit', '--no-fund'], {
    cwd: dir,
    // code-server's postinstall refuses to run as root without unsafe-perm; node-pty's runs
    // `npx node-gyp`, which must not stop to ask (a user npmrc may say yes=false).
    env: { ...process.env, npm_config_unsafe_perm: 'true', npm_config_yes: 'true', ...nodeHeaders() },
  });
  const v = installedVersion();
  if (!v) fail('code-server installed but does not answer --version');
  log(`code-server ${v} installed in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
}

main();
