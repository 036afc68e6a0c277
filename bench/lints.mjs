// Lints benchmark: `buildInventory` + `diagnose` of one file, cold (fresh model objects, so the
// per-object caches are empty) and incremental (one character changed in a policy in the middle of
// the file, re-parsed with the same DocumentCache, as the server does). Parsing is outside the timed
// part; its own time, measured in the same runs, is the baseline of the ratios. Prints the findings
// count and a hash of the findings, to show an optimisation changes none of them.
// Usage: node bench/lints.mjs <file.yaml | folder>... [--runs N]
// Folders and several files are concatenated into one file (`---` between them): a workspace-like
// input, e.g. `node bench/lints.mjs test/fixtures/rules test/fixtures/engine examples`.
import { loadCore } from './bundle.mjs';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 7;
const inputs = process.argv.slice(2).filter((a, i, all) => a !== '--runs' && all[i - 1] !== '--runs');
if (inputs.length === 0) {
  console.error('usage: node bench/lints.mjs <file.yaml | folder>... [--runs N]');
  process.exit(2);
}
const yamlFiles = (p) =>
  statSync(p).isDirectory()
    ? readdirSync(p)
        .sort()
        .flatMap((n) => yamlFiles(join(p, n)))
    : /\.ya?ml$/.test(p)
      ? [p]
      : [];
const sources = inputs.flatMap(yamlFiles);
const file = sources.length === 1 ? sources[0] : `${inputs.join(' + ')} (${sources.length} files)`;
const m = await loadCore('lints', `export { parseFile, DocumentCache } from '../../server/src/core/parse';
export { buildInventory } from '../../server/src/core/inventory';
export { diagnose } from '../../server/src/core/diagnostics';
`);

const text = sources.map((f) => readFileSync(f, 'utf8').replace(/\n?$/, '\n')).join('---\n');
const med = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const hash = (fs) => createHash('sha256').update(JSON.stringify(fs.map((f) => [f.code, f.message, f.span.start, f.span.end]))).digest('hex').slice(0, 16);

// Runs before the timed ones, so that the code is compiled as in a server that has been up a while.
const WARMUP = 5;

// (a) Cold: a fresh parse per run, then inventory + diagnose.
let cold;
const parseTimes = [];
const coldTimes = [];
for (let i = 0; i < RUNS + WARMUP; i++) {
  let t = performance.now();
  const parsed = m.parseFile(file, text);
  if (i >= WARMUP) parseTimes.push(performance.now() - t);
  t = performance.now();
  const inv = m.buildInventory([parsed]);
  cold = m.diagnose(parsed, inv);
  if (i >= WARMUP) coldTimes.push(performance.now() - t);
}

// (b) Incremental: one character added to a `protocol: TCP` in the middle of the file.
const at = text.indexOf('protocol: TCP', Math.floor(text.length / 2));
if (at < 0) {
  console.error('no `protocol: TCP` in the second half of the file');
  process.exit(2);
}
const edited = `${text.slice(0, at)}protocol: TCPX${text.slice(at + 'protocol: TCP'.length)}`;
let incr;
let baseHash;
const incrTimes = [];
for (let i = 0; i < RUNS + WARMUP; i++) {
  const cache = new m.DocumentCache();
  const before = m.parseFile(file, text, { cache });
  cache.sweep(); // as the server does after each parse (lsp/workspace.ts)
  const base = m.diagnose(before, m.buildInventory([before]));
  // Before the next parse: it moves the spans of reused documents in place.
  baseHash = `${base.length} ${hash(base)}`;
  const after = m.parseFile(file, edited, { cache });
  cache.sweep();
  const t = performance.now();
  incr = m.diagnose(after, m.buildInventory([after]));
  if (i >= WARMUP) incrTimes.push(performance.now() - t);
}
// The incremental answer must be the cold answer of the edited text.
const fresh = m.parseFile(file, edited);
const check = m.diagnose(fresh, m.buildInventory([fresh]));

const ratio = (xs) => `${(med(xs) / med(parseTimes)).toFixed(2)}x parse`;
console.log(`lints bench: ${file}, median of ${RUNS}`);
console.log(`  parse                       ${med(parseTimes).toFixed(1)} ms  (baseline)`);
console.log(`  cold  inventory + diagnose  ${med(coldTimes).toFixed(1)} ms  ${ratio(coldTimes)}  findings ${cold.length}  hash ${hash(cold)}`);
console.log(`  incr  inventory + diagnose  ${med(incrTimes).toFixed(1)} ms  ${ratio(incrTimes)}  findings ${incr.length}  hash ${hash(incr)}  (before the edit: ${baseHash})`);
if (hash(incr) !== hash(check)) {
  console.error(`  MISMATCH: incremental findings differ from a cold diagnose of the edited text (${check.length} ${hash(check)})`);
  process.exit(1);
}
