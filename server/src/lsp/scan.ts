import { constants } from 'node:fs';
import { lstat, open, readdir, realpath, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { Excludes } from '../core/glob';
import { CONFIG_FILE } from '../core/ruleconfig';

export interface ScanOptions {
  readonly excludes: Excludes;
  readonly maxFileSize: number;
  /** Stop early (a newer scan started, or the server is shutting down). */
  readonly cancelled: () => boolean;
}

const SKIP_DIRS = new Set(['node_modules', '.git', '.hg', '.svn']);
const YAML = /\.ya?ml$/i;

/**
 * YAML files under a folder: no node_modules or VCS folders, no excluded paths, nothing over the
 * size limit, symlinks only within the folder (loops cut). Yields paths; never throws.
 */
export async function* scanFolder(root: string, options: ScanOptions): AsyncGenerator<string> {
  let realRoot: string;
  try {
    realRoot = await realpath(root);
  } catch {
    return;
  }
  const seen = new Set<string>();
  const stack: string[] = [root];
  while (stack.length) {
    if (options.cancelled()) return;
    const dir = stack.pop() ?? root;
    let real: string;
    try {
      real = await realpath(dir);
    } catch {
      continue;
    }
    if (seen.has(real) || (real !== realRoot && !real.startsWith(realRoot + sep))) continue;
    seen.add(real);
    let entries: string[];
    try {
      entries = (await readdir(dir)).sort();
    } catch {
      continue;
    }
    for (const name of entries) {
      const full = join(dir, name);
      const rel = relative(root, full).split(sep).join('/');
      if (options.excludes.excluded(rel)) continue;
      try {
        const l = await lstat(full);
        const s = l.isSymbolicLink() ? await stat(full) : l;
        if (s.isDirectory()) {
          if (!SKIP_DIRS.has(name)) stack.push(full);
        } else if (s.isFile() && YAML.test(name) && name !== CONFIG_FILE && s.size <= options.maxFileSize) {
          yield full;
        }
      } catch {
        // dangling link or permission problem: not ours to report in the editor
      }
    }
  }
}

/** Read a file as UTF-8 text; undefined for binary files (NUL in the first 8 KB) and read errors. */
export async function readText(path: string, maxFileSize: number): Promise<string | undefined> {
  try {
    // Non-blocking: opening a FIFO for reading would otherwise wait for a writer, holding one of
    // libuv's four file-system threads (and this file's watch event) for good.
    const h = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
    try {
      const s = await h.stat();
      if (!s.isFile() || s.size > maxFileSize) return undefined;
      const buf = await h.readFile();
      if (buf.subarray(0, 8192).includes(0)) return undefined;
      return buf.toString('utf8');
    } finally {
      await h.close();
    }
  } catch {
    return undefined;
  }
}
