import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LineMap } from '../../server/src/core/text';
import { rng } from '../util/random';

/** Line and column of every offset, from lines cut by a regex: the reference LineMap must agree with. */
function reference(text: string): { line: number; character: number }[] {
  const out: { line: number; character: number }[] = [];
  let line = 0;
  let col = 0;
  for (let i = 0; i <= text.length; i++) {
    out.push({ line, character: col });
    const c = text[i];
    if (c === '\n' || (c === '\r' && text[i + 1] !== '\n')) {
      line++;
      col = 0;
    } else col++;
  }
  return out;
}

test('LineMap agrees with a line-by-line count on LF, CRLF, lone CR and mixed texts', () => {
  const random = rng(7);
  const rand = (n: number): number => Math.floor(random() * n);
  const pieces = ['a', 'bc', ' ', '\n', '\r\n', '\r', '\n\n', 'é', '😀'];
  const texts = ['', '\n', '\r', '\r\n', 'x', 'a\nb', 'a\r\nb\r\n', 'a\rb\r'];
  for (let k = 0; k < 300; k++) {
    let t = '';
    const n = rand(40);
    for (let i = 0; i < n; i++) t += pieces[rand(pieces.length)];
    texts.push(t);
  }
  for (const text of texts) {
    const m = new LineMap(text);
    const ref = reference(text);
    assert.equal(m.lineCount, (ref[text.length]?.line ?? 0) + 1, JSON.stringify(text));
    for (let i = 0; i <= text.length; i++) {
      assert.deepEqual(m.position(i), ref[i], `${JSON.stringify(text)} @${i}`);
      assert.equal(m.offset(m.position(i)), i, `${JSON.stringify(text)} @${i}`);
    }
  }
});
