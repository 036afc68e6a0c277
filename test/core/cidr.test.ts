import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IPv4CidrRange, IPv6, IPv6CidrRange } from 'ip-num';
import { ipv4Cidr, parseCidr } from '../../server/src/core/cidr';
import { rng } from '../util/random';

// [input, valid, canonical form or a fragment of the reason, host bits clear]
const cases: [string, boolean, string, boolean?][] = [
  ['10.0.0.0/8', true, '10.0.0.0/8', true],
  ['0.0.0.0/0', true, '0.0.0.0/0', true],
  ['10.0.0.1/24', true, '10.0.0.0/24', false],
  ['192.168.1.7/32', true, '192.168.1.7/32', true],
  ['2001:db8::/32', true, '2001:db8::/32', true],
  ['::/0', true, '::/0', true],
  ['fd00::1/64', true, 'fd00::/64', false],
  ['2001:DB8:0:0:8:800:200C:417A/128', true, '2001:db8::8:800:200c:417a/128', true],
  ['10.0.0.0', false, 'no prefix length'],
  ['10.0.0.0/33', false, 'IPv4 allows 0 to 32'],
  ['2001:db8::/129', false, 'IPv6 allows 0 to 128'],
  ['300.1.1.1/8', false, 'above 255'],
  ['010.0.0.0/8', false, 'leading zero'],
  ['10.0.0/8', false, 'invalid IPv4 address'],
  ['10.0.0.0/x', false, 'invalid prefix length'],
  [' 10.0.0.0/8', false, 'spaces'],
  ['fe80::1%eth0/64', false, 'zone'],
  ['2001:db8:::/32', false, 'invalid IPv6 address'],
  ['', false, 'empty'],
];

for (const [input, ok, expected, canonical] of cases) {
  test(`parseCidr(${JSON.stringify(input)})`, () => {
    const r = parseCidr(input);
    assert.equal(r.ok, ok);
    if (r.ok) {
      assert.equal(r.cidr.canonical, expected);
      assert.equal(r.cidr.isCanonical, canonical);
    } else assert.match(r.reason, new RegExp(expected.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  });
}

test('canonical flags host bits', () => {
  const a = parseCidr('10.0.0.1/24');
  const b = parseCidr('10.0.0.0/24');
  assert.ok(a.ok && !a.cidr.isCanonical);
  assert.ok(b.ok && b.cidr.isCanonical);
  const c = parseCidr('2001:db8::1/64');
  assert.ok(c.ok && !c.cidr.isCanonical && c.cidr.canonical === '2001:db8::/64');
});

test('IPv4 ranges in 32-bit arithmetic agree with ip-num on random ranges, every prefix', () => {
  const r = rng(4);
  for (let i = 0; i < 3000; i++) {
    const octets = Array.from({ length: 4 }, () => Math.floor(r() * 256));
    const prefix = i % 33;
    const text = `${octets.join('.')}/${prefix}`;
    const ours = ipv4Cidr(octets.join('.'), prefix);
    const range = IPv4CidrRange.fromCidr(text);
    const theirs = { first: range.getFirst().getValue(), last: range.getLast().getValue(), canonical: `${range.getFirst().toString()}/${prefix}` };
    assert.deepEqual({ first: ours.first, last: ours.last, canonical: ours.canonical }, theirs, text);
    assert.equal(ours.isCanonical, theirs.first === BigInt(octets.reduce((a, o) => a * 256 + o, 0)), text);
  }
});

test('IPv6 ranges agree with ip-num on random addresses (compressed, uppercase), every prefix', () => {
  const r = rng(6);
  const hex = (): string => Math.floor(r() * 0x10000).toString(16);
  for (let i = 0; i < 2000; i++) {
    const groups = Array.from({ length: 8 }, () => (r() < 0.3 ? '0' : hex()));
    let addr = groups.join(':');
    if (r() < 0.5) addr = addr.replace(/(^|:)0(:0)+(:|$)/, '::');
    if (r() < 0.2) addr = addr.toUpperCase();
    const prefix = i % 129;
    const text = `${addr}/${prefix}`;
    const c = parseCidr(text);
    assert.ok(c.ok, `${text}: ${c.ok ? '' : c.reason}`);
    const range = IPv6CidrRange.fromCidr(text);
    assert.deepEqual([c.cidr.first, c.cidr.last], [range.getFirst().getValue(), range.getLast().getValue()], text);
    // The WHATWG URL serializer writes IPv6 hosts the RFC 5952 way: an independent reference.
    const short = new URL(`http://[${range.getFirst().toString()}]`).hostname.slice(1, -1);
    assert.equal(c.cidr.canonical, `${short}/${prefix}`, text);
    assert.equal(c.cidr.isCanonical, IPv6.fromString(addr).getValue() === range.getFirst().getValue(), text);
  }
});

/** The IPv4 path as it was written with regexes and split, the reference for the loops in cidr.ts. */
function regexReference(s: string): { ok: boolean; text: string } {
  if (s.trim() !== s || s === '') return { ok: false, text: 'is empty or has surrounding spaces' };
  const slash = s.indexOf('/');
  if (slash < 0) return { ok: false, text: 'has no prefix length (write it as address/prefix, for example 10.0.0.0/8 or 203.0.113.7/32)' };
  const addr = s.slice(0, slash);
  const pfx = s.slice(slash + 1);
  if (!/^\d{1,3}$/.test(pfx)) return { ok: false, text: `has an invalid prefix length "${pfx}"` };
  const prefix = Number(pfx);
  if (prefix > 32) return { ok: false, text: `has prefix length ${prefix}, but IPv4 allows 0 to 32` };
  if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(addr)) return { ok: false, text: `has an invalid IPv4 address "${addr}"` };
  if (addr.split('.').some((o) => o.length > 1 && o.startsWith('0'))) return { ok: false, text: `has an octet with a leading zero in "${addr}" (ambiguous, rejected by Kubernetes)` };
  if (addr.split('.').some((o) => Number(o) > 255)) return { ok: false, text: `has an octet above 255 in "${addr}"` };
  return { ok: true, text: ipv4Cidr(addr, prefix).canonical };
}

test('IPv4 CIDRs are read as the regex reference reads them: near misses, random strings, every error in its order', () => {
  const r = rng(44);
  const pick = (s: string): string => s[Math.floor(r() * s.length)] ?? '';
  const seeds = ['10.0.0.0/8', '192.168.1.7/32', '0.0.0.0/0', '255.255.255.255/32', '010.1.1.1/8', '300.1.1.1/24', '1.2.3.4/033', '00.0.0.0/0'];
  const inputs = [...seeds, '1.2.3.4/', '/8', '1.2.3.4.5/8', '1..2.3/8', '.1.2.3/8', '1.2.3./8', '1234.1.1.1/8', '1.2.3.4/1234', '１.2.3.4/8', '1.2.3.4/٣'];
  for (let i = 0; i < 20000; i++) {
    if (i % 2) {
      // A valid or nearly valid range with one to three characters changed, added or dropped.
      let s = seeds[i % seeds.length] ?? '';
      for (let k = 0, n = 1 + Math.floor(r() * 3); k < n; k++) {
        const at = Math.floor(r() * (s.length + 1));
        const op = r();
        const c = pick('0123456789./ 0');
        s = op < 0.4 ? s.slice(0, at) + c + s.slice(at) : op < 0.7 ? s.slice(0, at) + s.slice(at + 1) : s.slice(0, at) + c + s.slice(at + 1);
      }
      inputs.push(s);
    } else inputs.push(Array.from({ length: Math.floor(r() * 18) }, () => pick('0123456789../x')).join(''));
  }
  let valid = 0;
  for (const s of inputs) {
    if (s.includes(':')) continue;
    const got = parseCidr(s);
    const want = regexReference(s);
    assert.deepEqual({ ok: got.ok, text: got.ok ? got.cidr.canonical : got.reason }, want, JSON.stringify(s));
    if (want.ok) valid++;
  }
  assert.ok(valid > 1000, `enough valid ranges among the inputs (${valid})`);
});
