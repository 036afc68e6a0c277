import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildInventory, type Inventory } from '../../server/src/core/inventory';
import type { ParsedFile } from '../../server/src/core/model';
import { parseFile } from '../../server/src/core/parse';

export const CURSOR = '$0';

/** Split a fixture at its cursor marker. */
export function withCursor(text: string): { text: string; offset: number } {
  const offset = text.indexOf(CURSOR);
  if (offset < 0) throw new Error(`fixture has no ${CURSOR} cursor marker`);
  if (text.indexOf(CURSOR, offset + 1) >= 0) throw new Error(`fixture has more than one ${CURSOR}`);
  return { text: text.slice(0, offset) + text.slice(offset + CURSOR.length), offset };
}

export function analyse(text: string, source = 'fixture.yaml'): { file: ParsedFile; inv: Inventory } {
  const file = parseFile(source, text);
  return { file, inv: buildInventory([file]) };
}

/** Fixture files of a folder with a given ending, sorted, as [name, path]. */
export function fixtures(dir: string, ending: string): [string, string][] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(ending) && !f.endsWith(`.expected${ending}`))
    .sort()
    .map((f) => [f.slice(0, -ending.length), join(dir, f)]);
}

/**
 * Compare with an expected file; `UPDATE_EXPECT=1 npm test` rewrites it instead, for review in the diff.
 * Returns the expected text (or undefined when it is missing and not being written).
 */
export function expectFile(path: string, actual: string): string | undefined {
  if (process.env.UPDATE_EXPECT === '1') {
    writeFileSync(path, actual);
    return actual;
  }
  return existsSync(path) ? readFileSync(path, 'utf8') : undefined;
}
