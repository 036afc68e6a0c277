// Index benchmark: the workspace index's work on a folder (walk, read, parse every file, build the
// inventory), timed against the bare `yaml` parse of the same files, in the same process and run.
// Usage: node bench/index.mjs <folder> [--runs N]
import { loadCore } from './bundle.mjs';
import { readFileSync } from 'node:fs';

const folder = process.argv[2];
const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 5;
if (!folder) {
  console.error('usage: node bench/index.mjs <folder> [--runs N]');
  process.exit(2);
}
const m = await loadCore('index', `export { walk } from '../../server/src/io/walk';
export { readText } from '../../server/src/lsp/scan';
export { parseFile } from '../../server/src/core/parse';
export { buildInventory } from '../../server/src/core/inventory';
export { parseAllDocuments, LineCounter } from 'yaml';
`);

async function index() {
  const files = [];
  for await (const f of m.walk(folder, { extensions: ['.yaml', '.yml'], maxFileSize: 20_000_000 })) files.push(m.parseFile(f, await m.readText(f, 20_000_000)));
  return m.buildInventory(files).policies.length;
}
async function parseOnly() {
  let n = 0;
  for await (const f of m.walk(folder, { extensions: ['.yaml', '.yml'] })) n += m.parseAllDocuments(readFileSync(f, 'utf8'), { keepSourceTokens: true, lineCounter: new m.LineCounter() }).length;
  return n;
}
const med = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const a = [];
const b = [];
let policies = 0;
for (let i = 0; i < RUNS; i++) {
  let t = performance.now();
  await parseOnly();
  a.push(performance.now() - t);
  t = performance.now();
  policies = await index();
  b.push(performance.now() - t);
}
console.log(`index bench: ${policies} policies in ${folder}, median of ${RUNS}`);
console.log(`  yaml parse (read + parseAllDocuments)  ${med(a).toFixed(0)} ms  (baseline)`);
console.log(`  index (walk + read + parse + inventory) ${med(b).toFixed(0)} ms  ratio ${(med(b) / med(a)).toFixed(2)}x  (budget 1.50x)`);
