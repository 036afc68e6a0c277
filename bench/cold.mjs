// Cold-start A/B: the first analysis of a file in a fresh process (what an open costs before V8 has
// compiled anything), for a git revision (the baseline) and the working tree, in alternating fresh
// processes so that both see the same minutes of a noisy machine. Each run parses the file and
// diagnoses it through the server's Workspace, with the server's V8 settings, and prints both
// times; the report gives medians, the working tree's ratio to the baseline, and whether both
// found the same diagnostics (a hash of them).
// Usage: node bench/cold.mjs [--base REV] [--runs N] [file.yaml]
// The default file is the 1000-policy one `npm run bench` generates (seed 42); REV defaults to HEAD.
import * as esbuild from 'esbuild';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const base = arg('base', 'HEAD');
const runs = Number(arg('runs', '12'));
const file = process.argv.slice(2).find((a, i, all) => !a.startsWith('--') && !all[i - 1]?.startsWith('--')) ?? join(root, 'out', 'lsp-bench', 'out', 'n1000', 'policies.yaml');
if (!existsSync(file)) {
  console.error(`cold: ${file} not found (npm run bench -- --sizes 1000 generates it)`);
  process.exit(2);
}

const work = mkdtempSync(join(tmpdir(), 'netpol-cold-'));
/** Bundle the server's workspace from a source tree, as scripts/build.mjs bundles the server. */
async function bundle(tree, out) {
  // A revision from before the server's V8 settings has no io/v8.ts: it runs without them, as it did.
  const v8 = existsSync(join(tree, 'server/src/io/v8.ts')) ? "export { tuneForColdStart } from './server/src/io/v8';\n" : '';
  writeFileSync(join(tree, 'cold-entry.ts'), `export { Workspace } from './server/src/lsp/workspace';\n${v8}`);
  await esbuild.build({
    entryPoints: [join(tree, 'cold-entry.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    outfile: out,
    logLevel: 'warning',
    nodePaths: [join(root, 'node_modules')],
    alias: { yaml: join(root, 'node_modules/yaml/browser/index.js') },
  });
}

// The one run, in a fresh process: `node cold.mjs --child BUNDLE FILE`.
const CHILD = `
const { readFileSync } = require('node:fs');
const { createHash } = require('node:crypto');
const { setFlagsFromString } = require('node:v8');
setFlagsFromString('--heap-growing-percent=20'); // as lsp/main.ts
const m = require(process.argv[2]);
m.tuneForColdStart?.();
const text = readFileSync(process.argv[3], 'utf8');
const t0 = performance.now();
const w = new m.Workspace();
w.update('file:///cold.yaml', text, 1);
const t1 = performance.now();
const f = w.findings('file:///cold.yaml');
const t2 = performance.now();
const hash = createHash('sha256').update(JSON.stringify(f.map((x) => [x.code, x.message, x.span.start, x.span.end]))).digest('hex').slice(0, 12);
console.log(JSON.stringify({ parse: t1 - t0, diagnose: t2 - t1, findings: f.length, hash }));
`;

try {
  const baseTree = join(work, 'base');
  mkdirSync(baseTree);
  execFileSync('sh', ['-c', `git archive ${JSON.stringify(base)} server | tar -x -C ${JSON.stringify(baseTree)}`], { cwd: root });
  const bundles = { base: join(work, 'base.cjs'), tree: join(work, 'tree.cjs') };
  await bundle(baseTree, bundles.base);
  // The working tree's sources, copied so that the entry file is not written into the checkout.
  const tree = join(work, 'tree');
  cpSync(join(root, 'server'), join(tree, 'server'), { recursive: true });
  await bundle(tree, bundles.tree);
  const child = join(work, 'child.cjs');
  writeFileSync(child, CHILD);

  const results = { base: [], tree: [] };
  for (let i = 0; i < runs; i++) {
    for (const k of ['base', 'tree']) {
      let out;
      try {
        out = execFileSync(process.execPath, [child, bundles[k], file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      } catch (e) {
        console.error(`cold: the ${k} build failed on ${file}:\n${String(e.stderr ?? e).slice(-2000)}`);
        process.exitCode = 1;
        throw e;
      }
      results[k].push(JSON.parse(out.trim().split('\n').pop()));
    }
  }
  const med = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const row = (k) => {
    const r = results[k];
    return { parse: med(r.map((x) => x.parse)), diagnose: med(r.map((x) => x.diagnose)), total: med(r.map((x) => x.parse + x.diagnose)), findings: r[0].findings, hash: r[0].hash };
  };
  const a = row('base');
  const b = row('tree');
  console.log(`cold bench: ${file}, ${runs} alternating fresh processes each, medians`);
  console.log(`  base ${base.padEnd(12)} parse ${a.parse.toFixed(0)} ms  diagnose ${a.diagnose.toFixed(0)} ms  total ${a.total.toFixed(0)} ms  findings ${a.findings} ${a.hash}`);
  console.log(`  working tree      parse ${b.parse.toFixed(0)} ms  diagnose ${b.diagnose.toFixed(0)} ms  total ${b.total.toFixed(0)} ms  findings ${b.findings} ${b.hash}`);
  console.log(`  ratio (tree / base)  parse ${(b.parse / a.parse).toFixed(2)}  diagnose ${(b.diagnose / a.diagnose).toFixed(2)}  total ${(b.total / a.total).toFixed(2)}`);
  const varied = Object.values(results).some((r) => r.some((x) => x.hash !== r[0].hash));
  if (varied) console.log('  NOTE: one build found different diagnostics from one run to the next');
  else if (a.hash !== b.hash) console.log('  the two builds find different diagnostics (expected only when the change means to)');
} finally {
  rmSync(work, { recursive: true, force: true });
}
