// Benchmarks run the TypeScript core in-process: bundle an entry of re-exports once per run, with
// the same `yaml` build as the server bundle (scripts/build.mjs), and load it.
import * as esbuild from 'esbuild';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/** `exports`: TypeScript re-export lines, paths relative to out/bench/. */
export async function loadCore(name, exports) {
  const dir = join(root, 'out', 'bench');
  mkdirSync(dir, { recursive: true });
  const entry = join(dir, `${name}-entry.ts`);
  const bundle = join(dir, `${name}.cjs`);
  writeFileSync(entry, exports);
  await esbuild.build({ entryPoints: [entry], bundle: true, platform: 'node', format: 'cjs', target: 'node18', outfile: bundle, logLevel: 'warning', alias: { yaml: './node_modules/yaml/browser/index.js' }, absWorkingDir: root });
  return createRequire(import.meta.url)(bundle);
}
