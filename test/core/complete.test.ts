import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { complete } from '../../server/src/core/complete';
import { fixture } from '../util/paths';
import { analyse, fixtures, withCursor } from '../util/fixture';

/** `# expect: a, b` lists labels that must be offered; `# not: c` labels that must not. */
function header(text: string, key: string): string[] {
  const m = new RegExp(`^# ${key}:(.*)$`, 'm').exec(text);
  return m?.[1] ? m[1].split(',').map((s) => s.trim()).filter(Boolean) : [];
}

for (const [name, path] of fixtures(fixture('completion'), '.yaml')) {
  test(`completion: ${name}`, () => {
    const raw = readFileSync(path, 'utf8');
    const { text, offset } = withCursor(raw);
    const { file, inv } = analyse(text, path);
    const items = complete(file, inv, offset);
    const labels = items.map((i) => i.label);
    const expected = header(raw, 'expect');
    for (const e of expected) assert.ok(labels.includes(e), `missing ${e} in [${labels.join(', ')}]`);
    for (const n of header(raw, 'not')) assert.ok(!labels.includes(n), `unexpected ${n} in [${labels.join(', ')}]`);
    if (expected.length === 0) assert.deepEqual(labels, []);
    for (const i of items) {
      assert.ok(i.replace.start <= offset && offset <= i.replace.end, 'the replaced range holds the cursor');
    }
  });
}
