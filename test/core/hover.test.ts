import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { hover } from '../../server/src/core/hover';
import { fixture } from '../util/paths';
import { analyse, expectFile, fixtures, withCursor } from '../util/fixture';

for (const [name, path] of fixtures(fixture('hover'), '.yaml')) {
  test(`hover: ${name}`, () => {
    const { text, offset } = withCursor(readFileSync(path, 'utf8'));
    const { file, inv } = analyse(text, path);
    const h = hover(file, inv, offset);
    assert.ok(h, 'a hover at the cursor');
    assert.ok(h.span.start <= offset && offset <= h.span.end, 'the hover range holds the cursor');
    const expected = expectFile(path.replace(/\.yaml$/, '.expected.md'), `${h.contents}\n`);
    assert.equal(`${h.contents}\n`, expected, 'differs from .expected.md (UPDATE_EXPECT=1 to rewrite)');
  });
}

test('no hover outside policies', () => {
  const { file, inv } = analyse('apiVersion: v1\nkind: Namespace\nmetadata: {name: x}\n');
  assert.equal(hover(file, inv, 20), undefined);
});
