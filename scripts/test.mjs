// `npm test`: builds, then runs every tier — unit (core, engine, rules, CLI), LSP (the server over
// stdio), and end to end (the VSIX in code-server). `npm test -- unit|lsp|e2e` runs one tier.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const only = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const want = (tier) => only.length === 0 || only.includes(tier);
const results = [];

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', ...opts });
  return r.status ?? 1;
}

function walk(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((e) => {
    const p = join(dir, e);
    return statSync(p).isDirectory() ? walk(p) : p.endsWith('.test.js') ? [p] : [];
  });
}

/** Runs node's test runner on files, printing spec output and counting from a TAP copy. */
function nodeTests(tier, files) {
  mkdirSync(join(root, 'out'), { recursive: true });
  const tap = join(root, 'out', `${tier}.tap`);
  const code = run(process.execPath, [
    '--enable-source-maps',
    '--test',
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    '--test-reporter=tap',
    `--test-reporter-destination=${tap}`,
    ...files.map((f) => relative(root, f)),
  ]);
  const text = existsSync(tap) ? readFileSync(tap, 'utf8') : '';
  const num = (k) => Number(new RegExp(`^# ${k} (\\d+)`, 'm').exec(text)?.[1] ?? 0);
  results.push({ tier, passed: num('pass'), failed: num('fail') + (code !== 0 && num('fail') === 0 ? 1 : 0) });
}

if (run(process.execPath, ['scripts/build.mjs']) !== 0) process.exit(1);

const all = walk(join(root, 'out', 'test'));
if (want('unit')) nodeTests('unit', all.filter((f) => !f.includes(`${join('out', 'test', 'lsp')}`)));
if (want('lsp')) nodeTests('lsp', all.filter((f) => f.includes(`${join('out', 'test', 'lsp')}`)));
if (want('e2e')) {
  const ok =
    // Debian packages for code-server and the browser (idempotent; instant when present).
    run('bash', ['scripts/setup-system.sh']) === 0 &&
    run(process.execPath, ['scripts/package.mjs']) === 0 &&
    run(process.execPath, ['scripts/build.mjs']) === 0 && // restore dev bundles with source maps
    run(process.execPath, ['scripts/build-e2e.mjs']) === 0;
  if (!ok) results.push({ tier: 'e2e', passed: 0, failed: 1 });
  else {
    const r = spawnSync(process.execPath, ['scripts/e2e.mjs'], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
    process.stdout.write(r.stdout ?? '');
    const m = /e2e: (\d+) passed, (\d+) failed/.exec(r.stdout ?? '');
    results.push({ tier: 'e2e', passed: Number(m?.[1] ?? 0), failed: Number(m?.[2] ?? 0) + (r.status !== 0 && Number(m?.[2] ?? 0) === 0 ? 1 : 0) });
  }
}

const passed = results.reduce((a, r) => a + r.passed, 0);
const failed = results.reduce((a, r) => a + r.failed, 0);
console.log('');
for (const r of results) console.log(`  ${r.tier.padEnd(5)} ${r.passed} passed, ${r.failed} failed`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
