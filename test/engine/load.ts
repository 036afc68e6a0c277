import { collectFiles, readParsed } from '../../server/src/cli/files';
import { buildInventory, type Inventory } from '../../server/src/core/inventory';
import type { ParsedFile } from '../../server/src/core/model';

/** Read manifests the way the CLI does (recursively, .yaml/.yml/.json) into an inventory. */
export async function loadInventory(paths: readonly string[], defaultNamespace = 'default'): Promise<{ inventory: Inventory; files: ParsedFile[] }> {
  const { files } = await collectFiles(paths, { extensions: ['.yaml', '.yml', '.json'] });
  const parsed: ParsedFile[] = [];
  for (const f of files) {
    const r = readParsed(f);
    if ('documents' in r) parsed.push(r);
  }
  return { inventory: buildInventory(parsed, defaultNamespace), files: parsed };
}
