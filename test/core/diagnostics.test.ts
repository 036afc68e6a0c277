import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sameFindings, type Finding } from '../../server/src/core/diagnostics';

const base: Finding = { code: 'NP209', severity: 'warning', message: 'Port 80 is the port of Service web', span: { start: 10, end: 12 }, replaceWith: 8080, replaceAt: { start: 10, end: 12 } };

/** One field changed at a time: each makes the lists differ. */
const changes: [string, Partial<Finding>][] = [
  ['code', { code: 'NP208' }],
  ['severity', { severity: 'error' }],
  ['message', { message: 'Port 80 is the port of Service api' }],
  ['span start', { span: { start: 11, end: 12 } }],
  ['span end', { span: { start: 10, end: 13 } }],
  ['replaceWith', { replaceWith: 'http' }],
  ['replaceWith dropped', { replaceWith: undefined }],
  ['replaceAt', { replaceAt: { start: 20, end: 22 } }],
  ['replaceAt dropped', { replaceAt: undefined }],
];

test('sameFindings: equal copies are the same, in order', () => {
  const other: Finding = { ...base, span: { ...base.span } };
  assert.equal(sameFindings([base, other], [{ ...base }, { ...other }]), true);
  assert.equal(sameFindings([], []), true);
  assert.equal(sameFindings([base], []), false);
  assert.equal(sameFindings([base, { ...base, code: 'NP201' }], [{ ...base, code: 'NP201' }, base]), false, 'order counts');
});

for (const [name, change] of changes) {
  test(`sameFindings: a different ${name} differs`, () => {
    assert.equal(sameFindings([base], [{ ...base, ...change }]), false);
  });
}
