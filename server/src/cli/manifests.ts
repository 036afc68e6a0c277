import { buildInventory, type Inventory } from '../core/inventory';
import type { ParsedFile } from '../core/model';
import type { Locator } from '../core/engine';
import { LineMap } from '../core/text';
import { collectFiles, displayPath, readParsed, type FileError } from './files';

/** reach and connectivity read Kubernetes' JSON manifests too (`kubectl get -o json` output, List objects). */
export const MANIFEST_EXTENSIONS = ['.yaml', '.yml', '.json'];

export interface Manifests {
  readonly inventory: Inventory;
  readonly files: readonly ParsedFile[];
  readonly errors: readonly FileError[];
  /** Files that were read but had nothing to analyse or had YAML errors, in words for stderr. */
  readonly warnings: readonly string[];
  /** `path:line` of an offset in a file that was read. */
  readonly locate: Locator;
}

export async function loadManifests(paths: readonly string[], defaultNamespace: string): Promise<Manifests> {
  const { files, errors } = await collectFiles(paths, { extensions: MANIFEST_EXTENSIONS });
  const parsed: ParsedFile[] = [];
  const readErrors: FileError[] = [...errors];
  const warnings: string[] = [];
  for (const f of files) {
    const r = readParsed(f);
    if ('message' in r) {
      readErrors.push(r);
      continue;
    }
    parsed.push(r);
    if (r.tooLarge) warnings.push(`${displayPath(f)}: too large, not analysed`);
    const broken = r.documents.filter((d) => d.problems.some((p) => p.severity === 'error')).length;
    if (broken) warnings.push(`${displayPath(f)}: ${broken} document(s) with YAML errors (see netpol check); the objects that could be read are analysed`);
    const templates = r.documents.filter((d) => d.skipped === 'template').length;
    if (templates) warnings.push(`${displayPath(f)}: ${templates} template document(s) skipped (render them first)`);
  }
  const byPath = new Map(parsed.map((p) => [p.source, p]));
  const lineMaps = new Map<string, LineMap>();
  const locate: Locator = (source, offset) => {
    const file = byPath.get(source);
    if (!file) return undefined;
    let lm = lineMaps.get(source);
    if (!lm) {
      lm = new LineMap(file.text);
      lineMaps.set(source, lm);
    }
    return `${displayPath(source)}:${lm.position(offset).line + 1}`;
  };
  return { inventory: buildInventory(parsed, defaultNamespace), files: parsed, errors: readErrors, warnings, locate };
}
