import { lstat, readdir, realpath, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { Excludes } from '../core/glob';
import { CONFIG_FILE } from '../core/ruleconfig';

/**
 * The one walk over manifest folders, shared by the server's workspace index and the CLI, so that
 * both read the same files: no node_modules or VCS folders, no `.netpol.yaml`, no excluded paths,
 * regular files only (a FIFO named *.yaml would block a read forever), symlinks followed only
 * while they stay inside the root, loops cut.
 */
export interface WalkOptions {
  /** File endings to take, lower case with the dot (`.yaml`). */
  readonly extensions: readonly string[];
  /** Globs relative to the root. */
  readonly excludes?: Excludes;
  /** Larger files are left out (the CLI passes none: it reports them instead). */
  readonly maxFileSize?: number;
  readonly onError?: (path: string, error: unknown) => void;
  /** Stop early (a newer index started). */
  readonly cancelled?: () => boolean;
}

export const SKIP_DIRS: ReadonlySet<string> = new Set(['node_modules', '.git', '.hg', '.svn']);

/** Files under `root`, depth first in name order (the order `kubectl apply -R` reads). Never throws. */
export async function* walk(root: string, options: WalkOptions): AsyncGenerator<string> {
  let realRoot: string;
  try {
    realRoot = await realpath(root);
  } catch (e) {
    options.onError?.(root, e);
    return;
  }
  const seen = new Set<string>();
  async function* folder(dir: string): AsyncGenerator<string> {
    if (options.cancelled?.()) return;
    let real: string;
    try {
      real = await realpath(dir);
    } catch (e) {
      options.onError?.(dir, e);
      return;
    }
    if (seen.has(real) || (real !== realRoot && !real.startsWith(realRoot + sep))) return;
    seen.add(real);
    let entries: string[];
    try {
      entries = (await readdir(dir)).sort();
    } catch (e) {
      options.onError?.(dir, e);
      return;
    }
    for (const name of entries) {
      if (name === CONFIG_FILE) continue;
      const full = join(dir, name);
      if (options.excludes?.excluded(relative(root, full).split(sep).join('/'))) continue;
      let isDir = false;
      let take = false;
      try {
        const l = await lstat(full);
        if (l.isSymbolicLink()) {
          const target = await realpath(full);
          if (target !== realRoot && !target.startsWith(realRoot + sep)) continue; // leads out of the root
        }
        const s = l.isSymbolicLink() ? await stat(full) : l;
        isDir = s.isDirectory();
        take = s.isFile() && options.extensions.some((x) => name.toLowerCase().endsWith(x)) && (options.maxFileSize === undefined || s.size <= options.maxFileSize);
      } catch (e) {
        options.onError?.(full, e);
        continue;
      }
      if (isDir) {
        if (!SKIP_DIRS.has(name)) yield* folder(full);
      } else if (take) yield full;
    }
  }
  yield* folder(root);
}
