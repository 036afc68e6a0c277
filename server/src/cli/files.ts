import { lstatSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { parseFile, type ParseOptions } from '../core/parse';
import { CONFIG_FILE } from '../core/ruleconfig';
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
 * Expand files and directories (recursively) into a sorted list of files. Symlinks are followed
 * only when they stay inside the root they were found under, and loops are cut.
 */
export function collectFiles(paths: readonly string[], options: CollectOptions = {}): { files: string[]; errors: FileError[] } {
  const exts = options.extensions ?? YAML_EXTENSIONS;
  const files: string[] = [];
  const errors: FileError[] = [];
  const seen = new Set<string>();
  for (const p of paths) {
    let st;
    try {
      st = statSync(p);
    } catch (e) {
      errors.push({ path: p, message: errorText(e) });
      continue;
    }
    if (!st.isDirectory()) {
      files.push(p);
      continue;
    }
    let root: string;
    try {
      root = realpathSync(p);
    } catch (e) {
      errors.push({ path: p, message: errorText(e) });
      continue;
    }
    const walk = (dir: string, real: string): void => {
      if (seen.has(real)) return;
      seen.add(real);
      let entries: string[];
      try {
        entries = readdirSync(dir).sort();
      } catch (e) {
        errors.push({ path: dir, message: errorText(e) });
        return;
      }
      for (const name of entries) {
        if (name === 'node_modules' || name === '.git' || name === CONFIG_FILE) continue;
        const full = join(dir, name);
        let target = full;
        let isDir = false;
        let isFile = false;
        try {
          const l = lstatSync(full);
          if (l.isSymbolicLink()) {
            target = realpathSync(full);
            if (target !== root && !target.startsWith(root + sep)) continue; // outside the root
            const t = statSync(target);
            isDir = t.isDirectory();
            isFile = t.isFile();
          } else {
            isDir = l.isDirectory();
            isFile = l.isFile();
          }
        } catch (e) {
          errors.push({ path: full, message: errorText(e) });
          continue;
        }
        if (isDir) walk(full, target);
        // A FIFO, socket or device named *.yaml is no manifest, and reading a FIFO waits for a writer forever.
        else if (isFile && exts.some((x) => name.toLowerCase().endsWith(x))) files.push(full);
      }
    };
    walk(p, root);
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
