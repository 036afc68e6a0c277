// Validation benchmark: validateYaml (API-server parity) over every document of the given files,
// parsed as parse.ts parses them (blockyaml.ts, else the yaml library), timing only the validation.
// Prints the number of findings and a hash of them (code, message, span), which must not change
// with a speed-up.
// Usage: node bench/validate.mjs <file>... [--runs N] [--mutate] [--together] [--library]
//   --mutate  also validate each file with deterministic mistakes written in (misspelt keys, bad
//             CIDRs, quoted and out-of-range ports, bad labels), for a run with many findings.
//   --together  one input of all the files (each parsed alone), e.g. the test fixtures.
//   --library   every document through the yaml library (parse.ts's fallback), none through blockyaml.ts.
import { loadCore } from './bundle.mjs';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const args = process.argv.slice(2);
const runsArg = args.indexOf('--runs');
const RUNS = runsArg >= 0 ? Number(args[runsArg + 1]) : 7;
const mutate = args.includes('--mutate');
const together = args.includes('--together');
const library = args.includes('--library');
const files = args.filter((a, i) => !a.startsWith('--') && !(runsArg >= 0 && i === runsArg + 1));
if (files.length === 0) {
  console.error('usage: node bench/validate.mjs <file>... [--runs N] [--mutate] [--together] [--library]');
  process.exit(2);
}
const m = await loadCore('validate', `export { splitDocuments, isTemplate } from '../../server/src/core/parse';
export { parseBlockDocument } from '../../server/src/core/blockyaml';
export { validateYaml } from '../../server/src/core/validate';
export { expandedSize, nodeCount } from '../../server/src/core/alias';
export { parseDocument } from 'yaml';
`);

/** Mistakes at fixed line intervals: the same text every run. */
function withMistakes(text) {
  const swaps = [
    [/^(\s*)cidr: /, '$1cidrs: ', 7],
    [/^(\s*(?:- )?cidr: )(\d+)\.\d+\.\d+\.\d+\/(\d+)/, '$1$2.0.0.1/$3', 5],
    [/^(\s*- )(\d+\.\d+\.\d+\.\d+\/\d+)$/, '$1300.1.2.3/8', 3],
    [/^(\s*(?:- )?port: )(\d+)$/, '$1"$2"', 9],
    [/^(\s*(?:- )?port: )(\d+)$/, '$170000', 11],
    [/^(\s*(?:- )?protocol: )TCP$/, '$1tcp', 6],
    [/^(\s*)matchLabels:/, '$1matchlabels:', 13],
    [/^(\s*)podSelector:/, '$1podselector:', 17],
    [/^(\s*)(app|tier|team): (\S+)$/, '$1$2: -$3-', 8],
    [/^(\s*)(app|tier|team): /, '$1Bad Key/$2/x: ', 10],
    [/^(\s*)name: (\S+)$/, '$1name: $2_X', 12],
    [/^(\s*- )(Ingress|Egress)$/, '$1ingres', 5],
    [/^(\s*)operator: In$/, '$1operator: in', 3],
    [/^(\s*)endPort: (\d+)$/, '$1endPort: "$2"', 4],
  ];
  const seen = swaps.map(() => 0);
  return text
    .split('\n')
    .map((line) => {
      for (const [i, [re, to, every]] of swaps.entries()) {
        if (!re.test(line)) continue;
        if (++seen[i] % every === 0) return line.replace(re, to);
      }
      return line;
    })
    .join('\n');
}

/** The documents of a text as parse.ts reads them (templates and alias bombs are not validated). */
function* documents(file) {
  // As parseFile: a lone CR ends a line, a BOM is not YAML (offsets stay those of the file).
  const text = file.includes('\r') ? file.replace(/\r(?!\n)/g, '\n') : file;
  const bom = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (const [i, piece] of m.splitDocuments(text).entries()) {
    if (i === 0) piece.start += bom;
    const t = text.slice(piece.start, piece.end);
    if (m.isTemplate(t)) continue;
    const fast = library ? undefined : m.parseBlockDocument(t);
    if (fast !== undefined) {
      yield { doc: { contents: fast }, base: piece.start }; // the fast path takes no aliases
      continue;
    }
    const doc = m.parseDocument(t, { keepSourceTokens: false, uniqueKeys: false, prettyErrors: false, strict: true });
    const limit = Math.max(400_000, 10 * m.nodeCount(doc));
    if (m.expandedSize(doc, limit) > limit) continue;
    yield { doc, base: piece.start };
  }
}

/**
 * Each document validated right after its parse, as parse.ts does (its nodes still in the CPU
 * cache); only validateYaml is timed. Returns the findings and the milliseconds.
 */
function afterParse(texts) {
  const all = [];
  let ms = 0;
  for (const text of texts) {
    for (const { doc, base } of documents(text)) {
      const t = performance.now();
      const found = m.validateYaml(doc, base);
      ms += performance.now() - t;
      for (const f of found) all.push(f);
    }
  }
  return { all, ms };
}

/** validateYaml over documents parsed beforehand (nodes no longer cached: memory-bound). */
function overParsed(docs) {
  const t = performance.now();
  for (const { doc, base } of docs) m.validateYaml(doc, base);
  return performance.now() - t;
}

const med = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const inputs = [];
for (const f of files) {
  const text = readFileSync(f, 'utf8');
  inputs.push({ name: f, texts: [text] });
  if (mutate) inputs.push({ name: `${f} (mutated)`, texts: [withMistakes(text)] });
}
if (together) inputs.splice(0, inputs.length, { name: `${files.length} files${mutate ? ' and their mutations' : ''}`, texts: inputs.flatMap((i) => i.texts) });
console.log(`validate bench: validateYaml alone, median of ${RUNS} after a warm-up${library ? ', documents parsed by the yaml library' : ''}`);
for (const { name, texts } of inputs) {
  // The first pass is cold (JIT, the caches of distinct strings), as when the server opens a file.
  const { all: findings, ms: cold } = afterParse(texts);
  const hash = createHash('sha256')
    .update(JSON.stringify(findings.map((f) => [f.code, f.message, f.span.start, f.span.end])))
    .digest('hex')
    .slice(0, 16);
  const a = [];
  for (let i = 0; i < RUNS; i++) a.push(afterParse(texts).ms);
  const docs = texts.flatMap((t) => [...documents(t)]);
  overParsed(docs);
  const b = [];
  for (let i = 0; i < RUNS; i++) b.push(overParsed(docs));
  console.log(`  ${name}: ${docs.length} documents, ${findings.length} findings, hash ${hash}`);
  // The minimum too: on a busy machine the median carries other processes' time.
  console.log(`    after each parse (as parse.ts)  ${med(a).toFixed(1)} ms (min ${Math.min(...a).toFixed(1)})   first pass ${cold.toFixed(1)} ms`);
  console.log(`    over parsed documents           ${med(b).toFixed(1)} ms (min ${Math.min(...b).toFixed(1)})`);
}
