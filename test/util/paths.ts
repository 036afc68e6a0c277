import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** The repository root, found from the bundled test file (out/test/...) or the source. */
export function repoRoot(): string {
  let dir = resolve(__dirname);
  while (dir !== dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'server'))) return dir;
    dir = dirname(dir);
  }
  return process.cwd();
}

export const ROOT = repoRoot();
export const SHARED = resolve(ROOT, '..', 'shared');
export const fixture = (...p: string[]): string => join(ROOT, 'test', 'fixtures', ...p);
