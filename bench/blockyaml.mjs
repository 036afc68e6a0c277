// Block-subset fast path benchmark: parse every document of a file with yaml's parseDocument
// (baseline), then with parseBlockDocument falling back to parseDocument when it gives up, in the
// same process and run. Prints medians and the ratio, and how many documents fell back.
// A directory is one set: every YAML file under it (the conformance corpus: kubectl dumps).
// Usage: node bench/blockyaml.mjs [file-or-dir ...] [--runs N]
//   (default: out/lsp-bench/out/n1000/policies.yaml, and n5000 when present)
import { loadCore } from './bundle.mjs';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const runsArg = args.indexOf('--runs');
const RUNS = runsArg >= 0 ? Number(args[runsArg + 1]) : 5;
let files = args.filter((a, i) => !a.startsWith('--') && (runsArg < 0 || i !== runsArg + 1));
if (files.length === 0) files = ['n1000', 'n5000'].map((n) => join(root, 'out', 'lsp-bench', 'out', n, 'policies.yaml')).filter((f) => existsSync(f));
if (files.length === 0) {
  console.error('usage: node bench/blockyaml.mjs <file.yaml ...> [--runs N]  (or generate out/lsp-bench/out/n1000/policies.yaml)');
  process.exit(2);
}

const m = await loadCore('blockyaml', `export { parseBlockDocument } from '../../server/src/core/blockyaml';
export { splitDocuments } from '../../server/src/core/parse';
export { parseDocument } from 'yaml';
`);
const OPTIONS = { keepSourceTokens: false, uniqueKeys: false, prettyErrors: false, strict: true };

const med = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** The YAML files under a directory, recursively, in a stable order. */
function yamlFiles(dir) {
  return readdirSync(dir)
    .sort()
    .flatMap((e) => {
      const p = join(dir, e);
      return statSync(p).isDirectory() ? yamlFiles(p) : /\.ya?ml$/.test(e) ? [p] : [];
    });
}

/** A file's documents, as parse.ts cuts them. */
function documentsOf(file) {
  let text = readFileSync(file, 'utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return m.splitDocuments(text).map((p) => text.slice(p.start, p.end));
}

for (const file of files) {
  const docs = statSync(file).isDirectory() ? yamlFiles(file).flatMap(documentsOf) : documentsOf(file);
  const chars = docs.reduce((n, d) => n + d.length, 0);
  let fellBack = 0;
  for (const d of docs) if (m.parseBlockDocument(d) === undefined) fellBack++;

  const baseline = () => {
    let n = 0;
    for (const d of docs) if (m.parseDocument(d, OPTIONS).contents) n++;
    return n;
  };
  const fast = () => {
    let n = 0;
    for (const d of docs) {
      const node = m.parseBlockDocument(d);
      if ((node === undefined ? m.parseDocument(d, OPTIONS).contents : node) !== null) n++;
    }
    return n;
  };
  // One warm-up of each, then alternate so that both see the same machine load.
  baseline();
  fast();
  const a = [];
  const b = [];
  for (let i = 0; i < RUNS; i++) {
    let t = performance.now();
    baseline();
    a.push(performance.now() - t);
    t = performance.now();
    fast();
    b.push(performance.now() - t);
  }
  const mb = (chars / 1e6).toFixed(1);
  console.log(`blockyaml bench: ${file} (${mb} MB, ${docs.length} documents, ${fellBack} fell back to yaml), median of ${RUNS}`);
  console.log(`  yaml parseDocument per document      ${med(a).toFixed(1).padStart(7)} ms  (baseline)`);
  console.log(`  parseBlockDocument, yaml on fallback ${med(b).toFixed(1).padStart(7)} ms  ${(med(a) / med(b)).toFixed(1)}x faster  (target 10x)`);
}
