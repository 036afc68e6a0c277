// Scenario tests as data: each test/fixtures/engine/<name>.yaml (manifests) has a
// <name>.expected.yaml with the answers. UPDATE_EXPECT=1 rewrites the `connectivity` reports.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { parse, parseDocument, Scalar } from 'yaml';
import { fixture } from '../util/paths';
import {
  analyze,
  connectivity,
  findEndpoint,
  formatReport,
  type Analysis,
  type DirectionDecision,
  type IpBlockMode,
  type RuleRef,
} from '../../server/src/core/engine';
import type { Protocol } from '../../server/src/core/model';
import type { Inventory } from '../../server/src/core/inventory';
import { loadInventory } from './load';

const DIR = fixture('engine');

interface ReachObject {
  from: string;
  to: string;
  port: string | number;
  allowed: boolean;
  egressRules?: string[];
  ingressRules?: string[];
  caveat?: boolean;
}

interface Expected {
  about?: string;
  /** The manifests, when not `<name>.yaml` (several scenarios may share one file). */
  manifests?: string;
  options?: { ipBlocks?: IpBlockMode; defaultNamespace?: string };
  isolation?: Record<string, string>;
  reach?: (string | ReachObject | Record<string, string>)[];
  dns?: Record<string, string>;
  dnsPolicy?: Record<string, string>;
  selects?: Record<string, string[]>;
  /** Per policy: `name/PROTO reason` for each named port that can match nothing. */
  namedPortProblems?: Record<string, string[]>;
  /** Policies replaced by a later one of the same namespace/name. */
  shadowed?: string[];
  connectivity?: string;
}

/** `ns/policy#ingress1` for a rule (numbered from 1). */
function ruleId(r: RuleRef): string {
  return `${r.policy.namespace}/${r.policy.policy.name}#${r.direction}${r.rule.index + 1}`;
}

function parsePort(p: string | number): { port: number; protocol: Protocol } {
  const [n, proto] = String(p).split('/');
  return { port: Number(n), protocol: ((proto ?? 'TCP').toUpperCase() as Protocol) };
}

/** `a -> b 80/TCP: allowed` (YAML reads it as a one-key map) or the long form. */
function parseReach(raw: string | ReachObject | Record<string, string>): ReachObject {
  let r: string;
  if (typeof raw === 'string') r = raw;
  else if ('from' in raw) return raw as ReachObject;
  else r = Object.entries(raw).map(([k, v]) => `${k}: ${v}`).join('');
  const m = /^(\S+)\s*->\s*(\S+)\s+(\S+)\s*:\s*(allowed|denied)$/.exec(r.trim());
  if (!m) throw new Error(`bad reach line: ${r}`);
  return { from: m[1] ?? '', to: m[2] ?? '', port: m[3] ?? '', allowed: m[4] === 'allowed' };
}

function endpoint(inv: Inventory, text: string) {
  const e = findEndpoint(inv, text);
  if (!e.ok) throw new Error(e.message);
  return e.endpoint;
}

function workload(inv: Inventory, text: string) {
  const e = endpoint(inv, text);
  if (e.kind !== 'workload') throw new Error(`${text} is not a workload`);
  return e.workload;
}

function dnsWords(d: { udp: boolean; tcp: boolean }): string {
  return d.udp && d.tcp ? 'udp,tcp' : d.udp ? 'udp' : d.tcp ? 'tcp' : 'none';
}

function check(a: Analysis, inv: Inventory, exp: Expected): void {
  for (const [name, want] of Object.entries(exp.isolation ?? {})) {
    const iso = a.isolation(workload(inv, name));
    const got = [iso.ingress ? 'ingress' : '', iso.egress ? 'egress' : ''].filter(Boolean).join(',') || 'none';
    assert.equal(got, want, `isolation of ${name}`);
  }
  for (const raw of exp.reach ?? []) {
    const r = parseReach(raw);
    const { port, protocol } = parsePort(r.port);
    const res = a.reach(endpoint(inv, r.from), endpoint(inv, r.to), port, protocol);
    const what = `${r.from} -> ${r.to} ${port}/${protocol}`;
    assert.equal(res.allowed, r.allowed, `${what}: allowed`);
    const ids = (d: DirectionDecision): string[] => d.rules.map(ruleId).sort();
    if (r.egressRules) assert.deepEqual(ids(res.egress), [...r.egressRules].sort(), `${what}: egress rules`);
    if (r.ingressRules) assert.deepEqual(ids(res.ingress), [...r.ingressRules].sort(), `${what}: ingress rules`);
    if (r.caveat !== undefined) {
      const caveats = res.egress.ipBlockCaveats.length + res.ingress.ipBlockCaveats.length;
      assert.equal(caveats > 0, r.caveat, `${what}: ipBlock caveat`);
    }
  }
  for (const [name, want] of Object.entries(exp.dns ?? {})) {
    assert.equal(dnsWords(a.dnsForWorkload(workload(inv, name))), want, `DNS from ${name}`);
  }
  for (const [name, want] of Object.entries(exp.dnsPolicy ?? {})) {
    const p = inv.policies.find((x) => `${x.namespace}/${x.policy.name}` === name);
    assert.ok(p, `policy ${name}`);
    assert.equal(dnsWords(a.dnsForPolicy(p)), want, `DNS for pods of ${name}`);
  }
  for (const [name, want] of Object.entries(exp.namedPortProblems ?? {})) {
    const p = inv.policies.find((x) => `${x.namespace}/${x.policy.name}` === name);
    assert.ok(p, `policy ${name}`);
    assert.deepEqual(a.namedPortProblems(p).map((x) => `${x.name}/${x.protocol} ${x.reason}`), want, `named-port problems of ${name}`);
  }
  if (exp.shadowed) {
    const got = inv.policies.filter((p) => a.isShadowed(p)).map((p) => `${p.namespace}/${p.policy.name}#${p.policy.docIndex + 1}`);
    assert.deepEqual(got, exp.shadowed, 'shadowed policies');
  }
  for (const [name, want] of Object.entries(exp.selects ?? {})) {
    const p = inv.policies.find((x) => `${x.namespace}/${x.policy.name}` === name);
    assert.ok(p, `policy ${name}`);
    const got = a.podsSelectedBy(p).map((w) => `${w.namespace}/${w.workload.name}`).sort();
    assert.deepEqual(got, [...want].sort(), `pods selected by ${name}`);
  }
}

const names = readdirSync(DIR)
  .filter((f) => f.endsWith('.expected.yaml'))
  .map((f) => f.slice(0, -'.expected.yaml'.length))
  .sort();

test('scenario fixtures exist', () => {
  assert.ok(names.length > 0);
});

for (const name of names) {
  test(`scenario ${name}`, async () => {
    const expPath = `${DIR}/${name}.expected.yaml`;
    const exp = parse(readFileSync(expPath, 'utf8')) as Expected;
    const { inventory } = await loadInventory([`${DIR}/${exp.manifests ?? `${name}.yaml`}`], exp.options?.defaultNamespace ?? 'default');
    const a = analyze(inventory, { ipBlocks: exp.options?.ipBlocks ?? 'plugin-dependent' });
    check(a, inventory, exp);
    if (exp.connectivity !== undefined) {
      const got = formatReport(connectivity(a), 'txt');
      if ((process.env['UPDATE_EXPECT'] === '1' || process.env['NETPOL_UPDATE'] === '1') && got !== exp.connectivity) {
        const doc = parseDocument(readFileSync(expPath, 'utf8'));
        const node = new Scalar(got);
        node.type = got === '' ? 'QUOTE_DOUBLE' : 'BLOCK_LITERAL';
        doc.set('connectivity', node);
        writeFileSync(expPath, doc.toString({ lineWidth: 0 }));
      } else {
        assert.equal(got, exp.connectivity, 'connectivity report');
      }
    }
  });
}
