/** "Did you mean" for misspelt field names and enum values. */

// Rows of the distance table, kept between calls (closest compares a word with hundreds of label
// values when a selector matches nothing, and a table per pair was most of that time).
let older: number[] = [];
let prev: number[] = [];
let row: number[] = [];

/**
 * Optimal string alignment distance: Levenshtein plus the swap of two neighbours. Beyond `max` the
 * answer is only "more": max + 1, as soon as a whole row of the table is past it (a row's least
 * value never falls in the rows below it).
 */
export function editDistance(a: string, b: string, max = Infinity): number {
  if (a === b) return 0;
  const n = b.length;
  for (let j = 0; j <= n; j++) row[j] = j;
  for (let i = 1; i <= a.length; i++) {
    const free = older;
    older = prev;
    prev = row;
    row = free;
    row[0] = i;
    let least = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= n; j++) {
      const cb = b.charCodeAt(j - 1);
      let v = Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + (ca === cb ? 0 : 1));
      if (i > 1 && j > 1 && ca === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === cb) v = Math.min(v, (older[j - 2] ?? 0) + 1);
      row[j] = v;
      if (v < least) least = v;
    }
    if (least > max) return max + 1;
  }
  const d = row[n] ?? 0;
  return d > max ? max + 1 : d;
}

/**
 * The candidate `word` was most likely meant to be: the same ignoring case, else the one closest by
 * edit distance (ignoring case) within a third of its length (at least 1, at most 3). Ties give none.
 */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  const w = word.toLowerCase();
  const same = candidates.filter((c) => c.toLowerCase() === w);
  if (same.length === 1) return same[0];
  const limit = Math.min(3, Math.max(1, Math.floor(word.length / 3)));
  let best: string | undefined;
  let bestDistance = Infinity;
  let tie = false;
  for (const c of candidates) {
    const lc = c.toLowerCase();
    // The distance is at least the difference in length: a candidate further off than the limit can
    // neither be chosen nor tie with one that can (a 1,000-character key is 15 edit tables spared).
    if (Math.abs(lc.length - w.length) > limit) continue;
    // Past the limit the exact distance does not matter: such a candidate is never the answer.
    const dist = editDistance(w, lc, limit);
    if (dist < bestDistance) {
      best = c;
      bestDistance = dist;
      tie = false;
    } else if (dist === bestDistance) tie = true;
  }
  return best !== undefined && bestDistance <= limit && !tie ? best : undefined;
}
