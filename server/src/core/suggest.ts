/** "Did you mean" for misspelt field names and enum values. */

/** Optimal string alignment distance: Levenshtein plus the swap of two neighbours. */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[] = new Array<number>(rows * cols).fill(0);
  const at = (i: number, j: number): number => d[i * cols + j] ?? 0;
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, at(i - 2, j - 2) + 1);
      d[i * cols + j] = v;
    }
  }
  return at(a.length, b.length);
}

/**
 * The candidate `word` was most likely meant to be: the same ignoring case, else the one closest by
 * edit distance (ignoring case) within a third of its length (at least 1, at most 3). Ties give none.
 */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  const w = word.toLowerCase();
  const same = candidates.filter((c) => c.toLowerCase() === w);
  if (same.length === 1) return same[0];
  const limit = reach(word);
  let best: string | undefined;
  let bestDistance = Infinity;
  let tie = false;
  for (const c of candidates) {
    const lc = c.toLowerCase();
    // The distance is at least the difference in length: a candidate further off than the limit can
    // neither be chosen nor tie with one that can (a 1,000-character key is 15 edit tables spared).
    if (Math.abs(lc.length - w.length) > limit) continue;
    const dist = editDistance(w, lc);
    if (dist < bestDistance) {
      best = c;
      bestDistance = dist;
      tie = false;
    } else if (dist === bestDistance) tie = true;
  }
  return best !== undefined && bestDistance <= limit && !tie ? best : undefined;
}

/** How many edits `closest` allows: a third of the word's length, at least 1, at most 3. */
function reach(word: string): number {
  return Math.min(3, Math.max(1, Math.floor(word.length / 3)));
}

/**
 * The candidates `closest` could answer for `word`: the others can neither be chosen nor tie with
 * one that can, so `closest(word, near(word, cs).filter(test))` is `closest(word, cs.filter(test))`
 * with `test` asked only of these (NP206 asks each candidate whether it makes a selector match).
 */
export function near(word: string, candidates: Iterable<string>): string[] {
  const w = word.toLowerCase();
  const limit = reach(word);
  const out: string[] = [];
  for (const c of candidates) {
    const lc = c.toLowerCase();
    if (Math.abs(lc.length - w.length) <= limit && editDistance(w, lc) <= limit) out.push(c);
  }
  return out;
}
