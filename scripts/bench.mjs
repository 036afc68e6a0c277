// `npm run bench`: netpol's speed as ratios to baselines measured in the same run.
//   1. the LSP server (dist/server.js) through ../shared/lsp-bench on fixed-seed generated files,
//      beside the bare `yaml` parse of the same file (limit.mjs);
//   2. `netpol check` on the 5000-policy file, beside the same parse;
//   3. the workspace index on the largest file (bench/index.mjs);
//   4. the connectivity engine (bench/engine.mjs);
//   5. the fast parser on cluster dumps (../shared/conformance, bench/blockyaml.mjs).
// Options: --sizes 1000,5000  --runs N  --iters N  --peer (also yaml-language-server: slow)
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const sizes = arg('sizes', '1000,5000').split(',').map(Number);
const runs = arg('runs', '3');
const iters = arg('iters', '3');
const peer = process.argv.includes('--peer');
const SEED = '42';

const shared = resolve(root, '..', 'shared', 'lsp-bench');
const work = join(root, 'out', 'lsp-bench');
const node = process.execPath;
const sh = (cmd, args, opts = {}) => execFileSync(cmd, args, { cwd: work, encoding: 'utf8', maxBuffer: 1 << 28, ...opts });

if (!existsSync(shared)) {
  console.error(`bench: ${shared} not found (the shared benchmark client lives beside the project)`);
  process.exit(2);
}
// A private copy, so that its node_modules never land in ../shared.
if (!existsSync(join(work, 'node_modules', 'vscode-jsonrpc'))) {
  mkdirSync(work, { recursive: true });
  cpSync(shared, work, { recursive: true, filter: (s) => !s.includes('node_modules') && !s.includes(`${'/'}out${'/'}`) });
  sh('npm', ['ci', '--no-audit', '--no-fund'], { stdio: 'inherit' });
}
execFileSync(node, ['scripts/build.mjs', '--production', '--no-tests'], { cwd: root, stdio: 'inherit' });
const server = `${node} ${join(root, 'dist', 'server.js')} --stdio`;

const rows = [];
const med = (x) => (x && typeof x.median === 'number' ? x.median : NaN);
const p95 = (x) => (x && typeof x.p95 === 'number' ? x.p95 : NaN);
const fmt = (n, d = 1) => (Number.isFinite(n) ? n.toFixed(d) : '—');

for (const n of sizes) {
  const dir = join(work, 'out', `n${n}`);
  const file = join(dir, 'policies.yaml');
  if (!existsSync(file)) sh(node, ['gen.mjs', '--n', String(n), '--seed', SEED, '--out', file], { stdio: 'inherit' });
  const limit = JSON.parse(sh(node, ['limit.mjs', '--file', file, '--runs', '5']).trim().split('\n').pop());
  const parse = med(limit.ms.parseAllDocuments);
  console.error(`bench: n=${n} yaml parse ${fmt(parse)} ms`);
  const ours = JSON.parse(sh(node, ['bench.mjs', '--server', server, '--file', file, '--runs', runs, '--iters', iters, '--label', 'netpol', '--diag-timeout', '120000']).trim().split('\n').pop());
  let theirs;
  if (peer) {
    theirs = JSON.parse(
      sh(node, ['bench.mjs', '--server', `${node} ${join(work, 'node_modules/yaml-language-server/bin/yaml-language-server')} --stdio`, '--file', file, '--settings', 'peer/yamlls-settings.json', '--runs', runs, '--iters', iters, '--diag-timeout', '120000'])
        .trim()
        .split('\n')
        .pop(),
    );
  }
  const t0 = process.hrtime.bigint();
  spawnSync(node, [join(root, 'dist', 'cli.js'), 'check', file, '--format', 'json'], { stdio: 'ignore' });
  const check = Number(process.hrtime.bigint() - t0) / 1e6;
  rows.push({ n, parse, ours, theirs, check });
}

const lines = [];
lines.push(`netpol benchmark — ${new Date().toISOString()}, node ${process.version}, seed ${SEED}, runs ${runs} × iters ${iters}`);
lines.push('');
lines.push('| policies | yaml parse ms | open → first diagnostics ms (÷ parse) | open → all diagnostics ms (÷ parse) | edit → diagnostics ms (÷ parse) | hover p95 ms (÷ parse) | completion p95 ms (÷ parse) | peak RSS MB | check ms (÷ parse) |' + (peer ? ' yaml-language-server open / edit ms (netpol first open, all open, edit: ×faster) |' : ''));
lines.push('|---|---|---|---|---|---|---|---|---|' + (peer ? '---|' : ''));
for (const r of rows) {
  const o = r.ours.ms;
  const open = med(o.open);
  const settled = med(o.openSettled);
  const edit = med(o.changeIncremental);
  const hover = p95(o.hover?.all);
  const compl = p95(o.completion?.all);
  const rss = med(r.ours.rssPeakMb);
  let cell = '';
  if (r.theirs) {
    const to = med(r.theirs.ms.open);
    const te = med(r.theirs.ms.changeIncremental);
    cell = ` ${fmt(to, 0)} / ${fmt(te, 0)} (${fmt(to / open)}×, ${fmt(to / settled)}×, ${fmt(te / edit)}×) |`;
  }
  lines.push(
    `| ${r.n} | ${fmt(r.parse, 0)} | ${fmt(open, 0)} (${fmt(open / r.parse, 2)}×) | ${fmt(settled, 0)} (${fmt(settled / r.parse, 2)}×) | ${fmt(edit, 0)} (${fmt(edit / r.parse, 3)}×) | ${fmt(hover, 1)} (${fmt(hover / r.parse, 4)}×) | ${fmt(compl, 1)} (${fmt(compl / r.parse, 4)}×) | ${fmt(rss, 0)} | ${fmt(r.check, 0)} (${fmt(r.check / r.parse, 2)}×) |${cell}`,
  );
}
const report = lines.join('\n');
console.log(report);
writeFileSync(join(root, 'out', 'bench-report.md'), `${report}\n`);

console.log('\nWorkspace index (bench/index.mjs):');
execFileSync(node, [join(root, 'bench', 'index.mjs'), join(work, 'out', `n${Math.max(...sizes)}`), '--runs', '3'], { cwd: root, stdio: 'inherit' });

console.log('\nEngine (bench/engine.mjs):');
execFileSync(node, [join(root, 'bench', 'engine.mjs')], { cwd: root, stdio: 'inherit' });

// kubectl dumps and rendered charts, not generated policies: block scalars, wrapped values.
const corpus = join(root, '..', 'shared', 'conformance', 'netpol-analyzer');
if (existsSync(corpus)) {
  console.log('\nFast parser on cluster dumps (bench/blockyaml.mjs, the conformance corpus):');
  execFileSync(node, [join(root, 'bench', 'blockyaml.mjs'), corpus, '--runs', '5'], { cwd: root, stdio: 'inherit' });
}
