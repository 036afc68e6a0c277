import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closest, near } from '../../server/src/core/suggest';
import { rng } from '../util/random';

// NP206 filters candidates with a costly test (does the selector then match a workload?) and asks
// only those `near` keeps: the answer must be the one the unfiltered list gives.
test('closest over the near candidates that pass a test is closest over all that pass it', () => {
  const random = rng(11);
  const rand = (n: number): number => Math.floor(random() * n);
  const letters = ['a', 'b', 'A', 'e', '-', '1'];
  const word = (): string => {
    let s = '';
    const n = 1 + rand(9);
    for (let i = 0; i < n; i++) s += letters[rand(letters.length)];
    return s;
  };
  // A word and small edits of it, so that near, tied and far candidates all occur.
  const edit = (w: string): string => {
    const i = rand(w.length + 1);
    switch (rand(4)) {
      case 0:
        return w.slice(0, i) + (letters[rand(letters.length)] ?? '') + w.slice(i);
      case 1:
        return w.slice(0, i) + w.slice(i + 1);
      case 2:
        return w.toUpperCase();
      default:
        return word();
    }
  };
  let answered = 0;
  let narrowed = 0;
  for (let k = 0; k < 3000; k++) {
    const w = word();
    const candidates = [...new Set(Array.from({ length: rand(8) }, () => (rand(2) ? edit(w) : edit(edit(w)))))];
    const passes = new Set(candidates.filter(() => random() < 0.6));
    const test = (c: string): boolean => passes.has(c);
    const expected = closest(w, candidates.filter(test));
    const kept = near(w, candidates);
    assert.equal(closest(w, kept.filter(test)), expected, `${w} ${JSON.stringify(candidates)} passing ${JSON.stringify([...passes])}`);
    if (expected !== undefined) answered++;
    if (kept.length < candidates.length) narrowed++;
  }
  // The cases exercise both sides: answers found, and candidates left out.
  assert.ok(answered > 300 && narrowed > 300, `${answered} answered, ${narrowed} narrowed`);
});

test('near keeps what closest could answer and leaves out what it could not', () => {
  assert.deepEqual(near('frontend', ['frontend', 'frontent', 'Frontend', 'backend', 'front']), ['frontend', 'frontent', 'Frontend']);
  assert.deepEqual(near('ab', ['ab', 'ac', 'abc', 'xyz']), ['ab', 'ac', 'abc']);
  assert.deepEqual(near('web', []), []);
});
