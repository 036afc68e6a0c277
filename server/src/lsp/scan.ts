import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import type { Excludes } from '../core/glob';
import { walk } from '../io/walk';

export interface ScanOptions {
  readonly excludes: Excludes;
  readonly maxFileSize: number;
  /** Stop early (a newer scan started, or the server is shutting down). */
  readonly cancelled: () => boolean;
}

/** The workspace folder's YAML files, through the walk the CLI uses too (io/walk.ts). */
export function scanFolder(root: string, options: ScanOptions): AsyncGenerator<string> {
  return walk(root, { extensions: ['.yaml', '.yml'], excludes: options.excludes, maxFileSize: options.maxFileSize, cancelled: options.cancelled });
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
