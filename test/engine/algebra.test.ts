import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ALL,
  NONE,
  conn,
  connSet,
  describeConnections,
  formatConnections,
  intersect,
  parseConnections,
  subtract,
  union,
} from '../../server/src/core/engine';
import { intersectRanges, subtractRanges, unionRanges, type PortRanges } from '../../server/src/core/engine/ports';
import { cutAddressSpace, describeIpSet, formatIp, ipBlockSet, ipContains, parseCidr, parseIp } from '../../server/src/core/engine/ipset';
import { rng } from '../util/random';

// Port sets checked against a brute-force model on a small universe (ports 1–40).
function toSet(r: PortRanges): Set<number> {
  const s = new Set<number>();
  for (let i = 0; i < r.length; i += 2) for (let p = r[i] ?? 0; p <= (r[i + 1] ?? 0); p++) s.add(p);
  return s;
}

function fromSet(s: Set<number>): PortRanges {
  let r: PortRanges = [];
  for (const p of s) r = unionRanges(r, [p, p]);
  return r;
}

function randomRanges(random: () => number): PortRanges {
  const s = new Set<number>();
  for (let p = 1; p <= 40; p++) if (random() < 1 / 3) s.add(p);
  return fromSet(s);
}

test('port range algebra agrees with sets', () => {
  const random = rng(7);
  for (let i = 0; i < 300; i++) {
    const a = randomRanges(random);
    const b = randomRanges(random);
    const sa = toSet(a);
    const sb = toSet(b);
    assert.deepEqual(toSet(unionRanges(a, b)), new Set([...sa, ...sb]));
    assert.deepEqual(toSet(intersectRanges(a, b)), new Set([...sa].filter((x) => sb.has(x))));
    assert.deepEqual(toSet(subtractRanges(a, b)), new Set([...sa].filter((x) => !sb.has(x))));
    // Canonical form: sorted, disjoint, non-touching.
    const u = unionRanges(a, b);
    for (let k = 2; k < u.length; k += 2) assert.ok((u[k] ?? 0) > (u[k - 1] ?? 0) + 1);
  }
});

test('connection sets format like netpol-analyzer', () => {
  assert.equal(formatConnections(ALL), 'All Connections');
  assert.equal(formatConnections(NONE), 'No Connections');
  assert.equal(formatConnections(union(conn('TCP', 10053, 10054), conn('UDP', 10053))), 'TCP 10053-10054,UDP 10053');
  assert.equal(formatConnections(union(union(conn('TCP', 8080), conn('TCP', 9090)), conn('UDP', 8080))), 'TCP 8080,9090,UDP 8080');
  assert.equal(formatConnections(conn('TCP')), 'TCP 1-65535');
  assert.equal(formatConnections(union(union(conn('TCP'), conn('UDP'), ), conn('SCTP'))), 'All Connections');
  const s = subtract(ALL, union(union(conn('SCTP', 9003), conn('TCP', 80)), conn('UDP', 53)));
  assert.equal(formatConnections(s), 'SCTP 1-9002,9004-65535,TCP 1-79,81-65535,UDP 1-52,54-65535');
  assert.deepEqual(parseConnections(formatConnections(s)), s);
  assert.equal(describeConnections(union(conn('TCP', 80), conn('UDP'))), 'TCP 80 and all UDP ports');
  assert.equal(intersect(conn('TCP', 1, 100), conn('TCP', 50, 200)).TCP.join('-'), '50-100');
  assert.equal(connSet({}), NONE);
});

test('IP addresses and CIDRs parse strictly and never throw', () => {
  assert.equal(parseIp('10.0.0.1')?.value, 0x0a000001n);
  assert.equal(parseIp('010.0.0.1'), undefined);
  assert.equal(parseIp('256.0.0.1'), undefined);
  assert.equal(parseIp('1.2.3'), undefined);
  assert.equal(parseIp('::1')?.value, 1n);
  assert.equal(parseIp('::ffff:1.2.3.4')?.value, 0xffff01020304n);
  assert.equal(parseIp('1::2::3'), undefined);
  assert.equal(parseIp('A'), undefined);
  assert.equal(parseIp(''), undefined);
  assert.equal(parseCidr('10.0.0.0'), undefined);
  assert.equal(parseCidr('10.0.0.0/33'), undefined);
  assert.equal(parseCidr('A'), undefined);
  const c = parseCidr('10.1.2.3/8');
  assert.equal(c && formatIp(4, c.lo), '10.0.0.0');
  assert.equal(c && formatIp(4, c.hi), '10.255.255.255');
  const v6 = parseCidr('2001:db8::/32');
  assert.equal(v6 && formatIp(6, v6.hi), '2001:db8:ffff:ffff:ffff:ffff:ffff:ffff');
  assert.equal(formatIp(6, 0n), '::');
  assert.equal(formatIp(6, 0x20010db8000000000000000000000001n), '2001:db8::1');
  assert.equal(formatIp(6, 0x20010db8000000010000000000000000n), '2001:db8:0:1::');
});

test('ipBlock sets: cidr minus except, and cutting the address space', () => {
  const s = ipBlockSet('0.0.0.0/0', ['10.0.0.0/8', '172.21.0.0/16']);
  assert.ok(s);
  assert.equal(describeIpSet(s), '0.0.0.0-9.255.255.255, 11.0.0.0-172.20.255.255, 172.22.0.0-255.255.255.255');
  const a = parseIp('10.2.3.4');
  const b = parseIp('11.0.0.0');
  assert.ok(a && b);
  assert.equal(ipContains(s, a), false);
  assert.equal(ipContains(s, b), true);
  // Two except lists with the same address set give the same pieces.
  const halves = ipBlockSet('0.0.0.0/0', ['10.0.0.0/9', '10.128.0.0/9', '172.21.0.0/16']);
  assert.ok(halves);
  assert.deepEqual(cutAddressSpace([halves], 4), cutAddressSpace([s], 4));
  assert.equal(ipBlockSet('not-a-cidr', []), undefined);
  const v6 = ipBlockSet('::/0', ['fd00::/8']);
  assert.ok(v6);
  assert.equal(describeIpSet(v6), '::-fcff:ffff:ffff:ffff:ffff:ffff:ffff:ffff, fe00::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff');
});
