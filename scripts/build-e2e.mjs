// Bundles the extension-host tests: test/e2e/index.ts -> out/e2e/index.js (the module VS Code
// loads as extensionTestsPath) and each test/e2e/suite/*.test.ts -> out/e2e/suite/*.test.js.
// `vscode` is provided by the host; mocha is resolved from the repo's node_modules at run time
// (it loads reporters and files dynamically, which bundling would break).
import * as esbuild from 'esbuild';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const suites = readdirSync(join(root, 'test', 'e2e', 'suite'))
  .filter((f) => f.endsWith('.test.ts'))
  .map((f) => `test/e2e/suite/${f}`);

rmSync(join(root, 'out', 'e2e'), { recursive: true, force: true });
await esbuild.build({
  absWorkingDir: root,
  entryPoints: ['test/e2e/index.ts', ...suites],
  outdir: 'out/e2e',
  outbase: 'test/e2e',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: 'inline',
  external: ['vscode', 'mocha'],
  logLevel: 'warning',
});
console.log(`build-e2e: out/e2e/index.js + ${suites.length} suites`);
