import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closest, editDistance } from '../../server/src/core/suggest';
import { rng } from '../util/random';

/** The distance as a whole table, as suggest.ts computed it before it kept rows and stopped early. */
function referenceDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const row = d[i] ?? [];
      const up = d[i - 1] ?? [];
      let v = Math.min((up[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (up[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, (d[i - 2]?.[j - 2] ?? 0) + 1);
      row[j] = v;
    }
  }
  return d[a.length]?.[b.length] ?? 0;
}

/** closest with exact distances throughout. */
function referenceClosest(word: string, candidates: readonly string[]): string | undefined {
  const w = word.toLowerCase();
  const same = candidates.filter((c) => c.toLowerCase() === w);
  if (same.length === 1) return same[0];
  const limit = Math.min(3, Math.max(1, Math.floor(word.length / 3)));
  const scored = candidates.map((c) => [c, referenceDistance(w, c.toLowerCase())] as const);
  const best = Math.min(...scored.map(([, d]) => d));
  const at = scored.filter(([, d]) => d === best);
  return best <= limit && at.length === 1 ? at[0]?.[0] : undefined;
}

const random = rng(11);
const rand = (n: number): number => Math.floor(random() * n);
const letters = ['a', 'b', 'A', 'e', '-', '1'];
const word = (max: number): string => {
  let s = '';
  const n = rand(max + 1);
  for (let i = 0; i < n; i++) s += letters[rand(letters.length)];
  return s;
};
/** Small edits of a word (an insertion, a deletion, a swap, other case) or another word. */
const edit = (w: string): string => {
  const i = rand(w.length + 1);
  switch (rand(5)) {
    case 0:
      return w.slice(0, i) + (letters[rand(letters.length)] ?? '') + w.slice(i);
    case 1:
      return w.slice(0, i) + w.slice(i + 1);
    case 2:
      return i + 1 < w.length ? w.slice(0, i) + (w[i + 1] ?? '') + (w[i] ?? '') + w.slice(i + 2) : w;
    case 3:
      return w.toUpperCase();
    default:
      return word(9);
  }
};

test('editDistance is the table distance, and max + 1 beyond a bound', () => {
  for (let k = 0; k < 3000; k++) {
    const a = word(9);
    const b = rand(2) ? edit(edit(a)) : word(9);
    const d = referenceDistance(a, b);
    assert.equal(editDistance(a, b), d, `${a} ${b}`);
    const max = rand(4);
    assert.equal(editDistance(a, b, max), d <= max ? d : max + 1, `${a} ${b} max ${max}`);
  }
});

test('closest answers as with exact distances: the same word, the nearest within the limit, no tie', () => {
  let answered = 0;
  for (let k = 0; k < 3000; k++) {
    const w = word(9);
    const candidates = [...new Set(Array.from({ length: rand(8) }, () => (rand(2) ? edit(w) : edit(edit(w)))))];
    const expected = referenceClosest(w, candidates);
    assert.equal(closest(w, candidates), expected, `${w} ${JSON.stringify(candidates)}`);
    if (expected !== undefined) answered++;
  }
  assert.ok(answered > 300, `${answered} answered`);
  assert.equal(closest('frontend', ['frontent', 'backend']), 'frontent');
  assert.equal(closest('web', ['wab', 'wbe']), undefined, 'two at one edit: no guess');
});
