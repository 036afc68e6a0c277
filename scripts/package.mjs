// Builds production bundles and packs the VSIX with vsce (no node_modules: everything is bundled).
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const root = fileURLToPath(new URL('..', import.meta.url));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const out = `${pkg.name}-${pkg.version}.vsix`;
const run = (cmd, args) => execFileSync(cmd, args, { cwd: root, stdio: 'inherit' });

run(process.execPath, ['scripts/build.mjs', '--production', '--no-tests']);
run(process.execPath, [join(root, 'node_modules/@vscode/vsce/vsce'), 'package', '--no-dependencies', '--skip-license', '--allow-missing-repository', '--no-rewrite-relative-links', '-o', out]);
const size = statSync(join(root, out)).size;
console.log(`${out}: ${(size / 1024).toFixed(0)} KiB`);
if (size > 1024 * 1024) {
  console.error(`${out} is over 1 MiB`);
  process.exit(1);
}
// The next dev build restores source maps for debugging and tests.
