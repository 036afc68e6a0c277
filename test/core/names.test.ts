import { test } from 'node:test';
import assert from 'node:assert/strict';
import { byteLength, dns1123LabelProblems, dns1123SubdomainProblems, isLabelValue, isPortNumber, isQualifiedName, labelValueProblems, portNumberProblems, qualifiedNameProblems } from '../../server/src/core/names';
import { rng } from '../util/random';

// The syntaxes as the Kubernetes validation code writes them; names.ts checks them with loops.
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_TOKEN = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

function qualifiedName(s: string): boolean {
  const parts = s.split('/');
  const name = parts[parts.length - 1] ?? '';
  if (parts.length > 2 || !LABEL_TOKEN.test(name) || name.length > 63) return false;
  const prefix = parts.length === 2 ? (parts[0] ?? '') : undefined;
  return prefix === undefined || (DNS1123_SUBDOMAIN.test(prefix) && prefix.length <= 253);
}

/** Random strings near the syntaxes: their characters, some that are not, and lengths around the limits. */
function samples(): string[] {
  const random = rng(11);
  const pick = (s: string): string => s[Math.floor(random() * s.length)] ?? '';
  const alphabets = ['ab0-', 'aZ9-_.', 'ab.-/', 'a-_./ Bé😀', 'a'];
  const out = ['', 'a', '-', 'a/', '/a', 'a/b/c', 'example.com/app', 'Example.com/app', 'a'.repeat(63), 'a'.repeat(64), `${'a'.repeat(253)}/b`, `${'a'.repeat(254)}/b`];
  for (let i = 0; i < 4000; i++) {
    const alphabet = alphabets[i % alphabets.length] ?? 'a';
    const n = i % 7 === 0 ? 50 + Math.floor(random() * 220) : Math.floor(random() * 12);
    let s = '';
    for (let j = 0; j < n; j++) s += pick(alphabet);
    out.push(s);
  }
  return out;
}

test('the name checks agree with the Kubernetes regexes, and each is… check with its …Problems function', () => {
  for (const s of samples()) {
    const shown = JSON.stringify(s);
    assert.equal(dns1123LabelProblems(s).length === 0, DNS1123_LABEL.test(s) && s.length <= 63, `DNS label ${shown}`);
    assert.equal(dns1123SubdomainProblems(s).length === 0, DNS1123_SUBDOMAIN.test(s) && s.length <= 253, `DNS subdomain ${shown}`);
    assert.equal(isQualifiedName(s), qualifiedName(s), `qualified name ${shown}`);
    assert.equal(isQualifiedName(s), qualifiedNameProblems(s).length === 0, `qualified name problems ${shown}`);
    assert.equal(isLabelValue(s), s === '' || (LABEL_TOKEN.test(s) && s.length <= 63), `label value ${shown}`);
    assert.equal(isLabelValue(s), labelValueProblems(s).length === 0, `label value problems ${shown}`);
    assert.equal(byteLength(s), Buffer.byteLength(s), `bytes of ${shown}`);
  }
  for (const n of [0, 1, 80, 65535, 65536, -1, 1.5, Number.NaN]) assert.equal(isPortNumber(n), portNumberProblems(n).length === 0, String(n));
  assert.equal(byteLength('\ud800x'), Buffer.byteLength('\ud800x'), 'a lone surrogate counts 3, as written replaced');
});
