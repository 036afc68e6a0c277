import { readFileSync, statSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { parseFile, type ParseOptions } from '../core/parse';
import { walk } from '../io/walk';
import type { ParsedFile } from '../core/model';

export const YAML_EXTENSIONS = ['.yaml', '.yml'];

export interface FileError {
  readonly path: string;
  readonly message: string;
}

export interface CollectOptions {
  /** File endings to read from directories (files named explicitly are always read). */
  readonly extensions?: readonly string[];
}

/**
 * Expand files and directories (recursively) into a list of files, through the same walk as the
 * server's workspace index (io/walk.ts). Files named explicitly are always read.
 */
export async function collectFiles(paths: readonly string[], options: CollectOptions = {}): Promise<{ files: string[]; errors: FileError[] }> {
  const exts = options.extensions ?? YAML_EXTENSIONS;
  const files: string[] = [];
  const errors: FileError[] = [];
  const onError = (path: string, e: unknown): void => {
    errors.push({ path, message: errorText(e) });
  };
  for (const p of paths) {
    let st;
    try {
      st = statSync(p);
    } catch (e) {
      onError(p, e);
      continue;
    }
    if (!st.isDirectory()) {
      files.push(p);
      continue;
    }
    for await (const f of walk(p, { extensions: exts, onError })) files.push(f);
  }
  return { files, errors };
}

export function readParsed(path: string, options: ParseOptions = {}): ParsedFile | FileError {
  try {
    const text = readFileSync(path, 'utf8');
    return parseFile(path, text, options);
  } catch (e) {
    return { path, message: errorText(e) };
  }
}

export function displayPath(p: string): string {
  const rel = relative(process.cwd(), resolve(p));
  return rel && !rel.startsWith('..') ? rel : p;
}

export function errorText(e: unknown): string {
  if (e && typeof e === 'object' && 'code' in e && 'message' in e) {
    const code = String((e as { code: unknown }).code);
    if (code === 'ENOENT') return 'no such file or directory';
    if (code === 'EACCES') return 'permission denied';
    if (code === 'EISDIR') return 'is a directory';
    if (code === 'ELOOP') return 'too many levels of symbolic links';
    return String((e as { message: unknown }).message);
  }
  return String(e);
}
