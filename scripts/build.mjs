// One esbuild script for every bundle the extension and the CLI ship, and for the test tiers.
import * as esbuild from 'esbuild';
import { readdirSync, readFileSync, statSync, mkdirSync, chmodSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const production = process.argv.includes('--production');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const common = {
  bundle: true,
  platform: 'node',
  target: 'node18',
  format: 'cjs',
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
  absWorkingDir: root,
  define: { NETPOL_VERSION: JSON.stringify(pkg.version) },
  // yaml's ESM build (the one it ships for browsers, same code): bundled as ES modules, its functions
  // are called directly; its CommonJS build would go through an interop getter on every call, which
  // costs a third of the validation time on large files.
  alias: { yaml: './node_modules/yaml/browser/index.js' },
};

/**
 * The server bundle carries no process spawning. vscode-languageserver's `Files.resolve*` helpers
 * (never used by netpol) require child_process to fork a module resolver; the bundle gets a stand-in
 * whose functions refuse, so no code path of the shipped server can start a process.
 */
const noChildProcess = {
  name: 'no-child-process',
  setup(build) {
    build.onResolve({ filter: /^(node:)?child_process$/ }, () => ({ path: 'child_process', namespace: 'netpol-refused' }));
    build.onLoad({ filter: /.*/, namespace: 'netpol-refused' }, () => ({
      contents: "const refuse = () => { throw new Error('netpol does not start processes'); };\nmodule.exports = { fork: refuse, spawn: refuse, spawnSync: refuse, exec: refuse, execSync: refuse, execFile: refuse, execFileSync: refuse };\n",
      loader: 'js',
    }));
  },
};

function walk(dir, pred) {
  const out = [];
  let entries = [];
  try { entries = readdirSync(dir); } catch { return out; }
  for (const e of entries) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) out.push(...walk(p, pred));
    else if (pred(p)) out.push(p);
  }
  return out;
}

await Promise.all([
  esbuild.build({ ...common, entryPoints: ['client/src/extension.ts'], outfile: 'dist/client.js', external: ['vscode'] }),
  esbuild.build({ ...common, entryPoints: ['server/src/lsp/main.ts'], outfile: 'dist/server.js', plugins: [noChildProcess] }),
  esbuild.build({ ...common, entryPoints: ['server/src/cli/bin.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } }),
]);
chmodSync(join(root, 'dist/cli.js'), 0o755);

// Test bundles (not shipped): every test/**/*.test.ts becomes out/test/**/*.test.js.
if (!process.argv.includes('--no-tests')) {
  const tests = walk(join(root, 'test'), (p) => p.endsWith('.test.ts') && !p.includes(`${join('test', 'e2e')}`));
  mkdirSync(join(root, 'out'), { recursive: true });
  if (tests.length) {
    await esbuild.build({
      ...common,
      sourcemap: 'inline',
      minify: false,
      entryPoints: tests.map((t) => relative(root, t)),
      outdir: 'out/test',
      outbase: 'test',
    });
  }
}
