/**
 * Code actions as data: each folder of test/fixtures/fixes holds cases of one action. A case is
 * applied, compared with its .expected.yaml (UPDATE_EXPECT=1 rewrites it), parsed again (no YAML
 * errors), checked to keep every comment and the line endings, re-diagnosed (the finding is gone)
 * and checked for its intent with the engine (DNS now allowed, the AND reading holds, …).
 *
 * A `$0` in a fixture marks where the action is asked for; without one, the file's only finding of
 * the folder's code is used. For lint codes not in the rule table yet, the finding is made by hand
 * at the cursor, as the lint would report it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { diagnose, type Finding } from '../../server/src/core/diagnostics';
import { dnsForPod } from '../../server/src/core/dns';
import { allows, analyze, compilePolicy, compilePort, connectivity, formatReport, ipBlockSet, ipContains, parseIp, type Analysis } from '../../server/src/core/engine';
import { parseCidr } from '../../server/src/core/cidr';
import { applyEdits, codeActions, type Fix } from '../../server/src/core/fixes';
import { namespaceLabels, type Inventory, type PolicyInfo } from '../../server/src/core/inventory';
import type { NetworkPolicy, ParsedFile, Peer, PolicyPort } from '../../server/src/core/model';
import { RULES, type RuleCode } from '../../server/src/core/rules';
import { describeSelector, matches } from '../../server/src/core/selector';
import { NETWORK_POLICY_API_VERSION, SELECTOR_OPERATORS } from '../../server/src/core/validate';
import { dns1123LabelProblems, isLabelValue, isQualifiedName, objectNameProblems } from '../../server/src/core/names';
import { dnsNameFor, labelKeyFor, labelValueFor } from '../../server/src/core/actions/values';
import { fixture } from '../util/paths';
import { analyse, expectFile, fixtures, CURSOR, withCursor } from '../util/fixture';

interface State {
  readonly text: string;
  readonly file: ParsedFile;
  readonly inv: Inventory;
  readonly analysis: Analysis;
  readonly findings: readonly Finding[];
}

interface Case {
  /** The finding the action fixes; undefined for refactors and source actions. */
  readonly code?: string;
  readonly title: RegExp;
  readonly kind: string;
  /** Objects the action adds: a source action's policy; a policy that was not read as one before. */
  readonly adds?: number;
  /** The intent, checked with the engine on the text before and after. */
  readonly intent: (before: State, after: State) => void;
}

function state(text: string, source: string): State {
  const { file, inv } = analyse(text, source);
  return { text, file, inv, analysis: analyze(inv), findings: diagnose(file, inv) };
}

/** A finding of a lint that the rule table does not have yet, as that lint will report it. */
function handFinding(code: string, at: number): Finding {
  return { code: code as RuleCode, severity: 'warning', message: `(${code}, made by the test)`, span: { start: at, end: at } };
}

const policies = (s: State): readonly PolicyInfo[] => s.inv.policies;
const portEntries = (s: State): PolicyPort[] => policies(s).flatMap((pi) => [...(pi.policy.ingress ?? []), ...(pi.policy.egress ?? [])].flatMap((r) => [...(r.ports ?? [])]));

/** Every workload to workload connection the engine allows on a port some container of the destination declares. */
function declaredReaches(s: State): Set<string> {
  const out = new Set<string>();
  for (const to of s.inv.workloads) {
    for (const cp of to.workload.ports) {
      for (const from of s.inv.workloads) {
        if (from !== to && s.analysis.reach({ kind: 'workload', workload: from }, { kind: 'workload', workload: to }, cp.port, cp.protocol).allowed) out.add(`${from.workload.name} → ${to.workload.name}:${cp.port}`);
      }
    }
  }
  return out;
}

/** A named port that matched nothing now lets some workload through, and nothing else changed for the worse. */
function namedPortAllowed(b: State, a: State): void {
  const before = declaredReaches(b);
  const after = declaredReaches(a);
  assert.deepEqual([...before].filter((x) => !after.has(x)), [], 'nothing taken away');
  assert.ok([...after].some((x) => !before.has(x)), `the named port is allowed now: ${[...after].join(', ')}`);
}

/** Workloads a policy selects or a peer in effect matches, counted over every policy. */
function matched(s: State): number {
  let n = 0;
  for (const pi of policies(s)) n += s.analysis.podsSelectedBy(pi).length;
  for (const w of s.inv.workloads) for (const dir of ['ingress', 'egress'] as const) for (const e of s.analysis.effective(w, dir).entries) if (e.peer.kind === 'pods') n += e.peer.workloads.length;
  return n;
}
/** NP109, NP110: kubectl accepts the policy now, and its selectors match at least what they did (an invalid one matched nothing). */
function validLabels(b: State, a: State): void {
  assert.deepEqual(a.findings.filter((f) => f.severity === 'error'), [], 'kubectl accepts it now');
  assert.ok(matched(a) >= matched(b), 'nothing matched before is lost');
}
const allPeers = (p: NetworkPolicy): Peer[] => [...(p.ingress ?? []), ...(p.egress ?? [])].flatMap((r) => [...(r.peers ?? [])]);
const ipSets = (s: State): string[] =>
  policies(s).flatMap((pi) => allPeers(pi.policy).flatMap((peer) => (peer.ipBlock?.cidr ? [JSON.stringify(ipBlockSet(peer.ipBlock.cidr.value, peer.ipBlock.except.map((e) => e.value)), (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))] : [])));

function dnsAllowedEverywhere(s: State): void {
  for (const pi of policies(s)) {
    const d = s.analysis.dnsForPolicy(pi);
    if (!d.isolated) continue;
    assert.ok(d.udp && d.tcp, `DNS (UDP and TCP) allowed for the pods of ${pi.policy.name}`);
  }
}

/** Peers with both selectors match exactly the pods in matching namespaces with matching labels. */
function andReading(s: State): void {
  let seen = 0;
  for (const w of s.inv.workloads) {
    for (const dir of ['ingress', 'egress'] as const) {
      for (const e of s.analysis.effective(w, dir).entries) {
        const peer = e.peer;
        if (peer.kind !== 'pods') continue;
        const { namespaceSelector: nsSel, podSelector: podSel, workloads } = peer;
        if (!nsSel || !podSel) continue;
        seen++;
        for (const x of s.inv.workloads) {
          const both: boolean = matches(nsSel, namespaceLabels(s.inv, x.namespace)) && matches(podSel, x.labels);
          assert.equal(workloads.includes(x), both, `${x.workload.name} is matched exactly when both selectors match`);
        }
      }
    }
  }
  assert.ok(seen > 0, 'an AND-ed peer is in effect');
}

const CASES: Readonly<Record<string, Case>> = {
  dns: {
    code: 'NP201',
    title: /^Allow DNS egress/,
    kind: 'quickfix',
    intent: (_b, a) => {
      dnsAllowedEverywhere(a);
      const policy = a.inv.policies[0];
      assert.ok(policy);
      const status = dnsForPod(a.inv, policy.namespace, undefined, policy);
      assert.deepEqual([status.udp, status.tcp], ['selector', 'selector']);
    },
  },
  'dns-tcp': { code: 'NP202', title: /^Allow DNS over TCP 53/, kind: 'quickfix', intent: (_b, a) => dnsAllowedEverywhere(a) },
  'dns-namespace': {
    code: 'NP210',
    title: /^Add namespaceSelector kubernetes\.io\/metadata\.name: kube-system/,
    kind: 'quickfix',
    intent: (b, a) => {
      assert.ok(policies(b).some((pi) => b.analysis.dnsForPolicy(pi).isolated && !b.analysis.dnsForPolicy(pi).udp), 'DNS was not allowed before');
      dnsAllowedEverywhere(a);
    },
  },
  'merge-peers': {
    code: 'NP203',
    title: /^Merge into one peer \(AND\)/,
    kind: 'quickfix',
    intent: (b, a) => {
      const count = (s: State): number => policies(s).reduce((n, pi) => n + allPeers(pi.policy).length, 0);
      assert.equal(count(a), count(b) - 1, 'two items became one peer');
      andReading(a);
    },
  },
  'split-peer': {
    title: /^Split into two peers \(OR\)/,
    kind: 'refactor.rewrite',
    intent: (b, a) => {
      const shape = (s: State): string[] => policies(s).flatMap((pi) => allPeers(pi.policy).map((p) => `${p.namespaceSelector ? 'ns' : ''}${p.podSelector ? 'pod' : ''}`));
      assert.ok(shape(b).includes('nspod'));
      assert.equal(shape(a).filter((x) => x === 'nspod').length, shape(b).filter((x) => x === 'nspod').length - 1, 'one AND-ed peer fewer');
      assert.equal(shape(a).length, shape(b).length + 1, 'one item more');
    },
  },
  'policy-types-explicit': {
    code: 'NP204',
    title: /^Make policyTypes explicit/,
    kind: 'quickfix',
    intent: (b, a) => {
      for (const [x, y] of policies(b).map((pi, i) => [pi, policies(a)[i]] as const)) {
        assert.ok(y);
        const cx = compilePolicy(x);
        const cy = compilePolicy(y);
        assert.deepEqual([cy.ingress, cy.egress, cy.ingressRules.length, cy.egressRules.length], [cx.ingress, cx.egress, cx.ingressRules.length, cx.egressRules.length], 'the policy does what it did');
      }
      assert.ok(policies(a).every((pi) => (pi.policy.policyTypes?.length ?? 0) > 0), 'policyTypes is written');
    },
  },
  'policy-types-add': {
    code: 'NP205',
    title: /^Add (Ingress|Egress) to policyTypes/,
    kind: 'quickfix',
    intent: (_b, a) => {
      for (const pi of policies(a)) {
        const c = compilePolicy(pi);
        assert.equal(c.ingressRules.length, pi.policy.ingress?.length ?? 0, 'every ingress rule takes effect');
        assert.equal(c.egressRules.length, pi.policy.egress?.length ?? 0, 'every egress rule takes effect');
      }
    },
  },
  'cidr-canonical': { code: 'NP103', title: /^Write .* \(the network .* means\)/, kind: 'quickfix', intent: (b, a) => assert.deepEqual(ipSets(a), ipSets(b), 'the same addresses') },
  'cidr-host': {
    code: 'NP101',
    title: /^Write \S+\/(32|128) \(the single address \S+\)$/,
    kind: 'quickfix',
    intent: (b, a) => {
      const bare = policies(b).flatMap((pi) => allPeers(pi.policy).flatMap((p) => (p.ipBlock?.cidr && !p.ipBlock.cidr.value.includes('/') ? [p.ipBlock.cidr.value] : [])));
      assert.equal(bare.length, 1, 'one address without a prefix length before');
      const after = policies(a).flatMap((pi) => allPeers(pi.policy).flatMap((p) => (p.ipBlock?.cidr ? [parseCidr(p.ipBlock.cidr.value)] : [])));
      const hosts = after.flatMap((r) => (r.ok && r.cidr.first === r.cidr.last ? [r.cidr.canonical.split('/')[0]] : []));
      assert.deepEqual(hosts, bare, 'the ipBlock is that one address now');
    },
  },
  'end-port-swap': {
    code: 'NP115',
    title: /^Swap port and endPort \(ports \d+ to \d+\)$/,
    kind: 'quickfix',
    intent: (b, a) => {
      const before = portEntries(b).filter((p) => p.endPort);
      const after = portEntries(a).filter((p) => p.endPort);
      assert.equal(after.length, before.length);
      before.forEach((x, i) => {
        const y = after[i];
        assert.ok(y && compilePort(y) && !compilePort(x), 'the range is valid now, and was not');
        const [lo, hi] = [Number(x.endPort?.value), Number(x.port?.value)];
        const spec = compilePort(y);
        const protocol = y.protocol?.value === 'UDP' ? 'UDP' : 'TCP';
        assert.deepEqual([lo - 1, lo, hi, hi + 1].map((port) => spec !== undefined && allows(spec.numeric, protocol, port)), [false, true, true, false], `ports ${lo} to ${hi}`);
      });
    },
  },
  'port-name': {
    code: 'NP208',
    title: /^Write \S+ \(the port name the pods declare\)$/,
    kind: 'quickfix',
    intent: namedPortAllowed,
  },
  'port-protocol': {
    code: 'NP208',
    title: /^Write protocol: (UDP|SCTP) \(.+ declares? \S+ as (UDP|SCTP)\)$/,
    kind: 'quickfix',
    intent: namedPortAllowed,
  },
  'label-key': {
    code: 'NP109',
    title: /^Write \S+ \((as the workspace's labels have it|a valid (label|annotation) key)\)$/,
    kind: 'quickfix',
    intent: validLabels,
  },
  'label-value': {
    code: 'NP110',
    title: /^Write \S+ \((as the workspace's labels have it|a valid label value)\)$/,
    kind: 'quickfix',
    intent: validLabels,
  },
  'label-typo': {
    code: 'NP206',
    title: /^Write \S+ \(as the workloads' labels have it\)$/,
    kind: 'quickfix',
    intent: (b, a) => assert.ok(matched(a) > matched(b), 'the selector matches workloads now'),
  },
  'peer-ipblock': {
    code: 'NP112',
    title: /^Make ipBlock a peer of its own \(OR\): .+, or the addresses of the ipBlock$/,
    kind: 'quickfix',
    intent: (b, a) => {
      const shape = (s: State): string[] => policies(s).flatMap((pi) => allPeers(pi.policy).map((p) => `${p.ipBlock ? 'ip' : ''}${p.namespaceSelector ? 'ns' : ''}${p.podSelector ? 'pod' : ''}`).sort());
      assert.ok(shape(b).some((x) => x.startsWith('ip') && x.length > 2), 'an ipBlock with selectors before');
      assert.deepEqual(shape(a), shape(b).flatMap((x) => (x.startsWith('ip') ? ['ip', x.slice(2)] : [x])).sort(), 'the ipBlock alone, the selectors together');
      const described = (s: State): string[] => policies(s).flatMap((pi) => allPeers(pi.policy).flatMap((p) => [p.ipBlock?.cidr?.value ?? '', p.namespaceSelector ? describeSelector(p.namespaceSelector) : '', p.podSelector ? describeSelector(p.podSelector) : ''].filter((x) => x !== ''))).sort();
      assert.deepEqual(described(a), described(b), 'the same cidr and selectors');
      for (const pi of policies(a)) for (const r of pi.policy.ingress ?? []) assert.ok(compilePolicy(pi).ingressRules.some((c) => c.rule === r && c.peers.some((p) => p.kind === 'ipBlock') && c.peers.some((p) => p.kind === 'pods')), 'the rule allows both peers now');
    },
  },
  'selector-null': {
    code: 'NP112',
    title: /^Write (podSelector|namespaceSelector): \{\} \(every pod in (this policy's namespace|every namespace)\)$/,
    kind: 'quickfix',
    intent: (b, a) => {
      const from = (s: State, to: (typeof s.inv.workloads)[number]): string[] =>
        s.inv.workloads.filter((w) => w !== to && to.workload.ports.every((cp) => s.analysis.reach({ kind: 'workload', workload: w }, { kind: 'workload', workload: to }, cp.port, cp.protocol).allowed)).map((w) => w.workload.name);
      const web = (s: State): (typeof s.inv.workloads)[number] => {
        const w = s.inv.workloads.find((x) => x.workload.name === 'web');
        assert.ok(w);
        return w;
      };
      // Rejected by the API server, the empty peer matches nothing (the engine never widens what an invalid part allows).
      assert.deepEqual(from(b, web(b)), [], 'nothing reached web before');
      const expected = (s: State): string[] => {
        const peer = policies(s).flatMap((pi) => allPeers(pi.policy))[0];
        return s.inv.workloads.filter((w) => w.workload.name !== 'web' && (peer?.namespaceSelector || w.namespace === web(s).namespace)).map((w) => w.workload.name);
      };
      assert.deepEqual(from(a, web(a)), expected(a), 'every pod the empty selector means reaches web now');
      assert.ok(expected(a).length > 0);
    },
  },
  'except-host': {
    code: 'NP102',
    title: /^Write \S+\/(32|128) \(the single address \S+\)$/,
    kind: 'quickfix',
    intent: (b, a) => {
      const bare = policies(b).flatMap((pi) => allPeers(pi.policy).flatMap((p) => p.ipBlock?.except.filter((e) => !e.value.includes('/')).map((e) => e.value) ?? []));
      assert.equal(bare.length, 1, 'one except entry without a prefix length before');
      const host = parseIp(bare[0] ?? '');
      assert.ok(host);
      const blocks = policies(a).flatMap((pi) => allPeers(pi.policy).flatMap((p) => (p.ipBlock?.cidr ? [ipBlockSet(p.ipBlock.cidr.value, p.ipBlock.except.map((e) => e.value))] : [])));
      assert.equal(blocks.length, 1);
      const set = blocks[0];
      assert.ok(set, 'the ipBlock is valid now');
      assert.ok(!ipContains(set, host), `${bare[0] ?? ''} is excluded`);
      assert.ok(ipContains(set, { ...host, value: host.value + 1n }), 'its neighbour is not');
    },
  },
  'except-outside': { code: 'NP102', title: /^Remove except /, kind: 'quickfix', intent: (b, a) => assert.deepEqual(ipSets(a), ipSets(b), 'the same addresses') },
  'unknown-field': {
    code: 'NP104',
    title: /^Rename to /,
    kind: 'quickfix',
    intent: (b, a) => assert.ok(a.findings.filter((f) => f.severity === 'error').length < b.findings.filter((f) => f.severity === 'error').length, 'fewer errors'),
  },
  'port-quoted': {
    code: 'NP114',
    title: /^Write port: \d+ without quotes/,
    kind: 'quickfix',
    intent: (_b, a) => {
      for (const pi of policies(a)) for (const r of [...(pi.policy.ingress ?? []), ...(pi.policy.egress ?? [])]) for (const p of r.ports ?? []) assert.equal(typeof p.port?.value, 'number', 'ports are numbers');
    },
  },
  'protocol-case': {
    code: 'NP113',
    title: /^Write (TCP|UDP|SCTP)$/,
    kind: 'quickfix',
    intent: (_b, a) => {
      for (const pi of policies(a)) for (const r of [...(pi.policy.ingress ?? []), ...(pi.policy.egress ?? [])]) for (const p of r.ports ?? []) assert.ok(['TCP', 'UDP', 'SCTP', undefined].includes(p.protocol?.value));
    },
  },
  'api-version': {
    code: 'NP106',
    adds: 1,
    title: /^Write (apiVersion: networking\.k8s\.io\/v1|kind: NetworkPolicy)$/,
    kind: 'quickfix',
    intent: (_b, a) => {
      assert.ok(policies(a).length > 0);
      for (const pi of policies(a)) assert.equal(pi.policy.apiVersion, NETWORK_POLICY_API_VERSION);
      assert.deepEqual(a.findings.filter((f) => f.severity === 'error'), [], 'kubectl accepts it now');
    },
  },
  'object-name': {
    code: 'NP107',
    title: /^Write (name|namespace): [a-z0-9.-]+$/,
    kind: 'quickfix',
    intent: (_b, a) => {
      assert.ok(policies(a).length > 0);
      for (const pi of policies(a)) {
        assert.deepEqual([...objectNameProblems(pi.policy.name, false), ...dns1123LabelProblems(pi.namespace)], [], `${pi.namespace}/${pi.policy.name} is a valid name`);
        assert.ok(a.analysis.podsSelectedBy(pi).length > 0, 'the policy selects the workloads of its namespace');
      }
    },
  },
  'match-operator': {
    code: 'NP111',
    title: /^(Write (In|NotIn|Exists|DoesNotExist)|Remove values \((Exists|DoesNotExist) takes none\))$/,
    kind: 'quickfix',
    intent: (_b, a) => {
      for (const pi of policies(a)) {
        for (const e of pi.policy.podSelector?.matchExpressions ?? []) {
          assert.ok(SELECTOR_OPERATORS.includes(e.operator), `${e.operator} is an operator`);
          if (e.operator === 'Exists' || e.operator === 'DoesNotExist') assert.deepEqual(e.values, [], `${e.operator} without values`);
        }
        // The selector now selects what its expressions say (an invalid one selected nothing).
        const selector = pi.policy.podSelector;
        const selected = a.analysis.podsSelectedBy(pi);
        assert.ok(selector && selected.length > 0, 'the policy selects its workloads');
        for (const w of selected) assert.ok(matches(selector, w.labels), `${w.workload.name} is selected by its labels`);
      }
    },
  },
  'policy-type': {
    code: 'NP116',
    title: /^(Write (Ingress|Egress)|Remove "[^"]*" from policyTypes \((Ingress|Egress) is listed already\)|Remove the repeated entries of policyTypes)$/,
    kind: 'quickfix',
    intent: (_b, a) => {
      for (const pi of policies(a)) {
        const types = (pi.policy.policyTypes ?? []).map((t) => t.value);
        assert.deepEqual(types.filter((t) => t !== 'Ingress' && t !== 'Egress'), [], 'only Ingress and Egress');
        assert.equal(new Set(types).size, types.length, 'each once');
        const c = compilePolicy(pi);
        assert.deepEqual([c.ingress, c.egress], [types.includes('Ingress'), types.includes('Egress')], 'the policy isolates what it lists');
      }
    },
  },
  'policy-type-twice': {
    code: 'NP117',
    title: /^Remove "(Ingress|Egress)" from policyTypes \(it is listed already\)$/,
    kind: 'quickfix',
    intent: (b, a) => {
      for (const [x, y] of policies(b).map((pi, i) => [pi, policies(a)[i]] as const)) {
        assert.ok(y);
        const types = (y.policy.policyTypes ?? []).map((t) => t.value);
        assert.equal(new Set(types).size, types.length, 'each type once');
        const cx = compilePolicy(x);
        const cy = compilePolicy(y);
        assert.deepEqual([cy.ingress, cy.egress], [cx.ingress, cx.egress], 'the policy isolates what it did');
      }
    },
  },
  'rule-shadowed': {
    code: 'NP211',
    title: /^Remove this rule \(another rule of the policy allows all it allows\)$/,
    kind: 'quickfix',
    intent: (b, a) => {
      const rules = (s: State): number => policies(s).reduce((n, pi) => n + (pi.policy.ingress?.length ?? 0) + (pi.policy.egress?.length ?? 0), 0);
      assert.equal(rules(a), rules(b) - 1, 'one rule fewer');
      const report = (s: State): string => formatReport(connectivity(s.analysis), 'txt');
      assert.ok(report(b).length > 0);
      assert.equal(report(a), report(b), 'the same connectivity');
    },
  },
  'policy-redundant': {
    code: 'NP212',
    adds: -1,
    title: /^Remove this policy \(the other policies of its namespace already do all it does\)$/,
    kind: 'quickfix',
    intent: (b, a) => {
      assert.equal(policies(a).length, policies(b).length - 1, 'one policy fewer');
      const report = (s: State): string => formatReport(connectivity(s.analysis), 'txt');
      assert.ok(report(b).length > 0);
      assert.equal(report(a), report(b), 'the same connectivity');
      for (const w of a.inv.workloads) assert.deepEqual(a.analysis.isolation(w), b.analysis.isolation(b.inv.workloads.find((x) => x.workload.name === w.workload.name) ?? w), `${w.workload.name} isolated as before`);
    },
  },
  'service-port': {
    code: 'NP209',
    title: /^Write \S+, the pods' port behind the Service's port \d+$/,
    kind: 'quickfix',
    intent: (b, a) => {
      // Some workload reaches a Service's pods on their port now, and no reach was taken away.
      const reaches = (s: State): Set<string> => {
        const out = new Set<string>();
        for (const svc of s.inv.services) {
          const backends = s.inv.workloads.filter((w) => w.namespace === svc.namespace && svc.selector.every((l) => w.labels.get(l.key) === l.value));
          for (const sp of svc.ports) {
            for (const to of backends) {
              const port = typeof sp.targetPort === 'number' ? sp.targetPort : to.workload.ports.find((cp) => cp.name === sp.targetPort)?.port;
              if (port === undefined) continue;
              for (const from of s.inv.workloads) {
                if (from !== to && s.analysis.reach({ kind: 'workload', workload: from }, { kind: 'workload', workload: to }, port, sp.protocol).allowed) out.add(`${from.workload.name} → ${to.workload.name}:${port}`);
              }
            }
          }
        }
        return out;
      };
      const before = reaches(b);
      const after = reaches(a);
      assert.deepEqual([...before].filter((x) => !after.has(x)), [], 'nothing taken away');
      assert.ok([...after].some((x) => !before.has(x)), `the Service's traffic is allowed now: ${[...after].join(', ')}`);
    },
  },
  'namespace-label': {
    code: 'NP207',
    title: /^Use kubernetes\.io\/metadata\.name/,
    kind: 'quickfix',
    intent: (b, a) => {
      const matched = (s: State): number => s.inv.workloads.reduce((n, w) => n + s.analysis.effective(w, 'ingress').entries.reduce((m, e) => m + (e.peer.kind === 'pods' ? e.peer.workloads.length : 0), 0), 0);
      assert.equal(matched(b), 0, 'the name label matched nothing');
      assert.ok(matched(a) > 0, 'the namespace is selected by name now');
    },
  },
  'default-deny': {
    title: /^Add a default-deny policy for namespace/,
    kind: 'source.netpol.defaultDeny',
    adds: 1,
    intent: (b, a) => {
      assert.equal(a.inv.policies.length, b.inv.policies.length + 1);
      const added = a.inv.policies[a.inv.policies.length - 1];
      assert.ok(added);
      for (const w of a.inv.workloads.filter((x) => x.namespace === added.namespace)) {
        assert.deepEqual(a.analysis.isolation(w), { ingress: true, egress: true }, `${w.workload.name} isolated both ways`);
        assert.ok(a.analysis.selectingPolicies(w).includes(added));
      }
    },
  },
  'allow-dns': {
    title: /^Add an allow-dns policy for namespace/,
    kind: 'source.netpol.allowDns',
    adds: 1,
    intent: (b, a) => {
      assert.equal(a.inv.policies.length, b.inv.policies.length + 1);
      const added = a.inv.policies[a.inv.policies.length - 1];
      assert.ok(added);
      for (const w of a.inv.workloads.filter((x) => x.namespace === added.namespace)) {
        const d = a.analysis.dnsForWorkload(w);
        assert.ok(d.udp && d.tcp, `${w.workload.name} may query kube-dns`);
      }
    },
  },
};

/** Comments of a YAML text, trimmed: a fix must keep every one of them. */
const comments = (t: string): string[] => t.split(/\r?\n/).flatMap((l) => (/(^|\s)#(\s.*)?$/.exec(l)?.[0] ?? '').trim() || []);

for (const dirName of readdirSync(fixture('fixes')).sort()) {
  if (dirName === 'all') continue; // the "fix all" test below
  const c = CASES[dirName];
  test(`fixes: ${dirName} is a known action`, () => assert.ok(c, `no case for test/fixtures/fixes/${dirName}`));
  if (!c) continue;
  for (const [name, path] of fixtures(fixture('fixes', dirName), '.yaml')) {
    test(`fix ${dirName}: ${name}`, () => {
      const raw = readFileSync(path, 'utf8');
      const marked = raw.includes(CURSOR) ? withCursor(raw) : undefined;
      const source = `${dirName}/${name}.yaml`;
      const before = state(marked?.text ?? raw, source);
      const findings = [...before.findings];
      let range = marked ? { start: marked.offset, end: marked.offset } : undefined;
      let finding: Finding | undefined;
      if (c.code) {
        const code = c.code;
        const ofCode = findings.filter((f) => f.code === code);
        finding = range ? ofCode.find((f) => range !== undefined && f.span.start <= range.end && range.start <= f.span.end) : ofCode[0];
        if (!range) assert.equal(ofCode.length, 1, `one ${code} in ${name}: ${JSON.stringify(findings)}`);
        if (!finding) {
          assert.ok(!RULES.has(code), `${code} is in the rule table, so diagnose() must report it here (${JSON.stringify(findings)})`);
          assert.ok(marked, `${name} needs a ${CURSOR} where the ${code} finding is`);
          finding = handFinding(code, marked.offset);
          findings.push(finding);
        }
        range = finding.span;
      }
      assert.ok(range, `${name} needs a ${CURSOR} cursor`);
      const actions = codeActions(before.file, before.inv, findings, range);
      const fix: Fix | undefined = actions.find((a) => c.title.test(a.title));
      assert.ok(fix, `an action titled ${c.title} among ${JSON.stringify(actions.map((a) => a.title))}`);
      assert.equal(fix.kind, c.kind);
      if (finding) assert.ok(fix.fixes.includes(finding), 'the fix names its finding');
      const after = applyEdits(before.text, fix.edits);

      const expected = expectFile(path.replace(/\.yaml$/, '.expected.yaml'), after);
      assert.equal(after, expected, 'result differs from the .expected.yaml file (UPDATE_EXPECT=1 to rewrite)');

      const re = state(after, source);
      assert.deepEqual(re.file.documents.flatMap((d) => d.problems), [], 'the result parses');
      assert.deepEqual(comments(after).filter((x) => !comments(before.text).includes(x)), [], 'no comment added');
      assert.deepEqual(comments(before.text).filter((x) => !comments(after).includes(x)), [], 'every comment kept');
      if (before.text.includes('\r\n')) assert.ok(!/[^\r]\n/.test(after), 'CRLF kept');
      assert.equal(re.file.objects.length, before.file.objects.length + (c.adds ?? 0), 'the same objects');
      if (c.code) assert.deepEqual(re.findings.filter((f) => f.code === c.code), [], `no ${c.code} left`);
      c.intent(before, re);
    });
  }
}

test('fixes for lints not in the rule table yet do not depend on the exact span of the finding', () => {
  for (const [dirName, c] of Object.entries(CASES)) {
    const code = c.code;
    if (!code || RULES.has(code)) continue;
    for (const [name, path] of fixtures(fixture('fixes', dirName), '.yaml')) {
      const { text, offset } = withCursor(readFileSync(path, 'utf8'));
      const expected = readFileSync(path.replace(/\.yaml$/, '.expected.yaml'), 'utf8');
      const s = state(text, `${dirName}/${name}.yaml`);
      const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
      const lineEnd = text.indexOf('\n', offset);
      const tokenEnd = offset + (/^[^\s:,}\]]*/.exec(text.slice(offset))?.[0].length ?? 0);
      const spans = [
        { start: offset, end: offset },
        { start: offset, end: tokenEnd },
        { start: lineStart, end: lineEnd < 0 ? text.length : lineEnd },
      ];
      for (const span of spans) {
        const f: Finding = { ...handFinding(code, 0), span };
        const fix = codeActions(s.file, s.inv, [...s.findings, f], span, ['quickfix']).find((a) => c.title.test(a.title));
        assert.ok(fix, `${dirName}/${name}: a fix for ${code} flagged at ${JSON.stringify(text.slice(span.start, span.end))}`);
        assert.equal(applyEdits(text, fix.edits), expected, `${dirName}/${name} flagged at ${JSON.stringify(text.slice(span.start, span.end))}`);
      }
    }
  }
});

test('fix all: one action per code applies every fix of that code in the file, without overlaps', () => {
  const path = fixture('fixes', 'all', 'values.yaml');
  const before = state(readFileSync(path, 'utf8'), 'fixes-all/values.yaml');
  const whole = { start: 0, end: before.text.length };
  const alls = codeActions(before.file, before.inv, before.findings, whole, ['quickfix']).filter((a) => a.title.startsWith('Fix all '));
  const codes = alls.map((a) => a.title.split(' ')[2]);
  assert.deepEqual(codes.sort(), ['NP103', 'NP113', 'NP114']);
  let text = before.text;
  for (const code of codes) {
    const s = state(text, 'fixes-all/values.yaml');
    const all = codeActions(s.file, s.inv, s.findings, whole, ['quickfix']).find((a) => a.title.startsWith(`Fix all ${code} `));
    assert.ok(all);
    const spans = [...all.edits].sort((a, b) => a.span.start - b.span.start);
    spans.forEach((e, i) => assert.ok(i === 0 || (spans[i - 1]?.span.end ?? 0) <= e.span.start, 'edits do not overlap'));
    text = applyEdits(text, all.edits);
    const re = state(text, 'fixes-all/values.yaml');
    assert.deepEqual(re.file.documents.flatMap((d) => d.problems), []);
    assert.deepEqual(re.findings.filter((f) => f.code === code), [], `no ${code} left`);
  }
  const expected = expectFile(path.replace(/\.yaml$/, '.expected.yaml'), text);
  assert.equal(text, expected);
  assert.deepEqual(comments(text), comments(before.text));
});

test('only: the kinds a client asks for', () => {
  const path = fixture('fixes', 'split-peer', 'block.yaml');
  const { text, offset } = withCursor(readFileSync(path, 'utf8'));
  const s = state(text, 'split.yaml');
  const at = { start: offset, end: offset };
  const kinds = (only?: string[]): string[] => codeActions(s.file, s.inv, s.findings, at, only).map((a) => a.kind);
  assert.ok(kinds().includes('refactor.rewrite'));
  assert.ok(kinds().some((k) => k.startsWith('source.netpol.')));
  assert.deepEqual(kinds(['quickfix']).filter((k) => k !== 'quickfix'), []);
  assert.deepEqual(kinds(['refactor']), ['refactor.rewrite']);
  assert.ok(kinds(['source']).every((k) => k.startsWith('source.netpol.')));
  assert.ok(kinds(['source.netpol.allowDns']).every((k) => k === 'source.netpol.allowDns'));
});

test('no source actions in JSON, in templates or outside Kubernetes documents', () => {
  for (const text of ['{"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy", "metadata": {"name": "a"}, "spec": {"podSelector": {}}}\n', 'name: not-kubernetes\nitems: [1, 2]\n', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: {{ .Values.name }}}\n']) {
    const s = state(text, 'x.yaml');
    assert.deepEqual(codeActions(s.file, s.inv, s.findings, { start: 5, end: 5 }, ['source']), []);
  }
});

test('code actions never throw on odd documents', () => {
  const dir = fixture('rules');
  const texts = readdirSync(dir).filter((f) => f.endsWith('.yaml')).map((f) => readFileSync(join(dir, f), 'utf8'));
  texts.push('', '---\n', 'spec: [', 'kind: NetworkPolicy\nspec:\n  egress: &a [*a]\n', 'kind: NetworkPolicy\napiVersion: networking.k8s.io/v1\nmetadata: {name: x}\nspec: {podSelector: {}, egress: [{to: [{podSelector: {}, namespaceSelector: {}}]}]}\n');
  for (const text of texts) {
    const s = state(text, 'odd.yaml');
    for (let o = 0; o <= text.length; o += Math.max(1, Math.floor(text.length / 40))) {
      for (const f of codeActions(s.file, s.inv, s.findings, { start: o, end: o })) {
        const after = applyEdits(text, f.edits);
        assert.equal(typeof after, 'string');
      }
    }
  }
  assert.ok(existsSync(dir));
});

test('NP107: names as the API accepts them, or none', () => {
  const cases: [string, boolean, string | undefined][] = [
    ['Allow_Web', false, 'allow-web'],
    ['web.API', false, 'web.api'],
    ['-web-', false, 'web'],
    ['a..b', false, 'a.b'],
    ['Shop', true, 'shop'],
    ['shop.eu', true, 'shop-eu'],
    ['___', false, undefined],
    ['ü', true, undefined],
    [`${'a'.repeat(70)}-b`, true, 'a'.repeat(63)],
  ];
  for (const [name, label, want] of cases) assert.equal(dnsNameFor(name, label), want, `${name} (${label ? 'label' : 'subdomain'})`);
  // Another policy has that name in that namespace already: no rename onto it.
  const text = ['apiVersion: networking.k8s.io/v1', 'kind: NetworkPolicy', 'metadata: {name: Web, namespace: shop}', 'spec: {podSelector: {}}', '---', 'apiVersion: networking.k8s.io/v1', 'kind: NetworkPolicy', 'metadata: {name: web, namespace: shop}', 'spec: {podSelector: {}}', ''].join('\n');
  const titles = (t: string): string[] => {
    const s = state(t, 'clash.yaml');
    const f = s.findings.find((x) => x.code === 'NP107');
    assert.ok(f, 'Web is flagged');
    return codeActions(s.file, s.inv, s.findings, f.span, ['quickfix']).map((a) => a.title);
  };
  assert.deepEqual(titles(text.split('---')[0] ?? ''), ['Write name: web'], 'alone, it is renamed');
  assert.deepEqual(titles(text), []);
});

test('NP109, NP110: keys and values as the API accepts them, or none', () => {
  const values: [string, string | undefined][] = [
    ['platform team', 'platform-team'],
    ['-sre', 'sre'],
    ['1.2 beta!', '1.2-beta'],
    ['registry.example.com/web:1.2', 'registry.example.com-web-1.2'],
    ['café', 'caf'],
    ['!!!', undefined],
    [`${'a'.repeat(62)} b`, 'a'.repeat(62)],
  ];
  for (const [v, want] of values) {
    assert.equal(labelValueFor(v), want, v);
    if (want) assert.ok(isLabelValue(want), `${want} is a label value`);
  }
  const keys: [string, string | undefined][] = [
    ['App Name', 'App-Name'],
    ['Example.com/team name', 'example.com/team-name'],
    ['/name', 'name'],
    ['a/b/c', 'a/b-c'],
    ['***/web', 'web'],
    ['app.kubernetes.io/', undefined],
  ];
  for (const [k, want] of keys) {
    assert.equal(labelKeyFor(k), want, k);
    if (want) assert.ok(isQualifiedName(want), `${want} is a qualified name`);
  }
  const deployment = ['apiVersion: apps/v1', 'kind: Deployment', 'metadata: {name: web, namespace: shop}', 'spec:', '  selector: {matchLabels: {app: web-frontend, tier: front}}', '  template:', '    metadata: {labels: {app: web-frontend, tier: front}}', '    spec: {containers: [{name: web, image: "web:1"}]}', '---', ''].join('\n');
  const policy = (selector: string): string => `${deployment}apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p, namespace: shop}\nspec: {podSelector: ${selector}}\n`;
  const actions = (text: string, code: string): Fix[] => {
    const s = state(text, 'labels.yaml');
    const f = s.findings.find((x) => x.code === code);
    assert.ok(f, `${code} in ${text}`);
    return codeActions(s.file, s.inv, s.findings, f.span, ['quickfix']).filter((a) => a.fixes.includes(f));
  };
  const only = (text: string, code: string): [string, boolean] => {
    const [a, ...more] = actions(text, code);
    assert.ok(a && more.length === 0, `one fix for ${code}`);
    return [a.title, a.preferred];
  };
  // A value the workloads carry for that key, preferred; the same value under another key is not offered.
  assert.deepEqual(only(policy('{matchLabels: {app: web frontend}}'), 'NP110'), ["Write web-frontend (as the workspace's labels have it)", true]);
  assert.deepEqual(only(policy('{matchLabels: {tier: web frontend}}'), 'NP110'), ['Write web-frontend (a valid label value)', false]);
  // A key the workloads carry, in matchLabels and in matchExpressions.
  assert.deepEqual(only(policy('{matchLabels: {ti er: front}}'), 'NP109'), ["Write tier (as the workspace's labels have it)", true]);
  assert.deepEqual(only(policy('{matchExpressions: [{key: "ti er", operator: Exists}]}'), 'NP109'), ["Write tier (as the workspace's labels have it)", true]);
  // The key the fix would write is in the map already: no fix (a repeated key is a YAML error).
  assert.deepEqual(actions(policy('{matchLabels: {tier: front, ti er: front}}'), 'NP109'), []);
  // Nothing valid left: no fix.
  assert.deepEqual(actions(policy('{matchLabels: {app: "!!!"}}'), 'NP110'), []);
});

test('NP209: no fix where the Service port may matter or the pods disagree', () => {
  const backend = (name: string, label: string, containerPort: number, servicePort: number): string =>
    [
      'apiVersion: apps/v1',
      'kind: Deployment',
      `metadata: {name: ${name}, namespace: shop}`,
      'spec:',
      `  selector: {matchLabels: {app: ${label}, id: ${name}}}`,
      '  template:',
      `    metadata: {labels: {app: ${label}, id: ${name}}}`,
      `    spec: {containers: [{name: c, image: "x:1", ports: [{containerPort: ${containerPort}}]}]}`,
      '---',
      'apiVersion: v1',
      'kind: Service',
      `metadata: {name: ${name}, namespace: shop}`,
      `spec: {selector: {id: ${name}}, ports: [{port: ${servicePort}, targetPort: ${containerPort}}]}`,
      '---',
      '',
    ].join('\n');
  const policy = (peers: string): string =>
    ['apiVersion: networking.k8s.io/v1', 'kind: NetworkPolicy', 'metadata: {name: out, namespace: shop}', 'spec:', '  podSelector: {}', '  policyTypes: [Egress]', '  egress:', `    - to: [${peers}]`, '      ports: [{port: 443}]', ''].join('\n');
  const titles = (t: string): string[] => {
    const s = state(t, 'np209.yaml');
    const f = s.findings.find((x) => x.code === 'NP209');
    assert.ok(f, `port 443 is flagged in ${t}`);
    return codeActions(s.file, s.inv, s.findings, f.span, ['quickfix']).map((a) => a.title);
  };
  const pods = '{podSelector: {matchLabels: {app: api}}}';
  const one = backend('api-a', 'api', 9090, 443);
  assert.deepEqual(titles(one + policy(pods)), ["Write 9090, the pods' port behind the Service's port 443"], 'pods only: the fix');
  assert.deepEqual(titles(one + policy(`${pods}, {ipBlock: {cidr: 203.0.113.0/24}}`)), [], 'an ipBlock beside: port 443 may be meant for it');
  assert.deepEqual(titles(one + backend('api-b', 'api', 9443, 443) + policy(pods)), [], 'two Services sending 443 to different ports');
  assert.deepEqual(titles(one + backend('api-b', 'api', 9090, 443) + policy(pods)), ["Write 9090, the pods' port behind the Service's port 443"], 'two sending it to the same port');
});

/** The quick fixes offered for the first finding of `code` in `text` (which must have one), with whether each is preferred. */
function fixesFor(text: string, code: string): string[] {
  const s = state(text, `${code}.yaml`);
  const f = s.findings.find((x) => x.code === code);
  assert.ok(f, `${code} is reported in ${text}`);
  return codeActions(s.file, s.inv, s.findings, f.span, ['quickfix']).filter((a) => a.fixes.includes(f)).map((a) => `${a.title}${a.preferred ? ' *' : ''}`);
}

const ipPolicy = (cidr: string): string => ['apiVersion: networking.k8s.io/v1', 'kind: NetworkPolicy', 'metadata: {name: office, namespace: shop}', 'spec:', '  podSelector: {}', `  ingress: [{from: [{ipBlock: {cidr: "${cidr}"}}]}]`, ''].join('\n');
const portPolicy = (ports: string): string => ['apiVersion: networking.k8s.io/v1', 'kind: NetworkPolicy', 'metadata: {name: ranges, namespace: shop}', 'spec:', '  podSelector: {}', `  ingress: [{ports: [${ports}]}]`, ''].join('\n');

test('NP101: a single host for a bare address, preferred only where it does not look like a network', () => {
  assert.deepEqual(fixesFor(ipPolicy('203.0.113.7'), 'NP101'), ['Write 203.0.113.7/32 (the single address 203.0.113.7) *']);
  assert.deepEqual(fixesFor(ipPolicy('2001:db8::7'), 'NP101'), ['Write 2001:db8::7/128 (the single address 2001:db8::7) *']);
  assert.deepEqual(fixesFor(ipPolicy('10.0.0.0'), 'NP101'), ['Write 10.0.0.0/32 (the single address 10.0.0.0)'], '10.0.0.0 may be meant as 10.0.0.0/8');
  assert.deepEqual(fixesFor(ipPolicy('2001:db8::'), 'NP101'), ['Write 2001:db8::/128 (the single address 2001:db8::)']);
  for (const cidr of ['010.0.0.1', '10.0.0.256', '10.0.0.0/33', 'office', ' 10.0.0.1']) assert.deepEqual(fixesFor(ipPolicy(cidr), 'NP101'), [], `${cidr}: no guess`);
  // In except (NP102), only where the address is inside the cidr: outside, it would exclude nothing.
  const except = (e: string): string => ipPolicy('10.0.0.0/24').replace('"}}', `", except: ["${e}"]}}`);
  assert.deepEqual(fixesFor(except('10.0.0.9'), 'NP102'), ['Write 10.0.0.9/32 (the single address 10.0.0.9) *']);
  assert.deepEqual(fixesFor(except('10.0.1.9'), 'NP102'), [], 'outside 10.0.0.0/24');
  assert.deepEqual(fixesFor(except('2001:db8::9'), 'NP102'), [], 'another family');
});

test('NP115: swapped only when both are port numbers and the range is backwards', () => {
  assert.deepEqual(fixesFor(portPolicy('{port: 9000, endPort: 8000}'), 'NP115'), ['Swap port and endPort (ports 8000 to 9000) *']);
  for (const ports of ['{port: http, endPort: 8000}', '{endPort: 8000}', '{port: 9000, endPort: 70000}', '{port: 70000, endPort: 9000}']) assert.deepEqual(fixesFor(portPolicy(ports), 'NP115'), [], ports);
});

test('NP206, NP208: a declared name only when exactly one is a typo away', () => {
  const deployment = (name: string, labels: string, ports = ''): string =>
    [`apiVersion: apps/v1`, 'kind: Deployment', `metadata: {name: ${name}, namespace: shop}`, 'spec:', `  selector: {matchLabels: {${labels}}}`, '  template:', `    metadata: {labels: {${labels}}}`, `    spec: {containers: [{name: c, image: "x:1", ports: [${ports}]}]}`, '---', ''].join('\n');
  const selecting = (labels: string): string => ['apiVersion: networking.k8s.io/v1', 'kind: NetworkPolicy', 'metadata: {name: p, namespace: shop}', 'spec:', `  podSelector: {matchLabels: {${labels}}}`, '  policyTypes: [Ingress]', ''].join('\n');
  const web = deployment('web', 'app: web, tier: frontend');
  assert.deepEqual(fixesFor(web + selecting('app: wbe, tier: frontend'), 'NP206'), ["Write web (as the workloads' labels have it) *"]);
  assert.deepEqual(fixesFor(web + selecting('ap: web'), 'NP206'), ["Write app (as the workloads' labels have it) *"], 'a key');
  assert.deepEqual(fixesFor(web + selecting('app: wbe, tier: frontnd'), 'NP206'), [], 'two typos: one change does not match');
  assert.deepEqual(fixesFor(web + deployment('web2', 'app: wbb, tier: backend') + selecting('app: wbe, tier: frontend'), 'NP206'), ["Write web (as the workloads' labels have it) *"], 'the other near value would not match');
  assert.deepEqual(fixesFor(deployment('a', 'app: web1') + deployment('b', 'app: web2') + selecting('app: web'), 'NP206'), [], 'web1 and web2 are as near');
  assert.deepEqual(fixesFor(deployment('a', 'app: web, tier: fe') + deployment('b', 'app: wbe, tier: fee') + selecting('app: wbe, tier: fe'), 'NP206'), [], 'either label may be the typo');
  assert.deepEqual(fixesFor(web + selecting('app: storefront'), 'NP206'), [], 'nothing near');

  const server = (ports: string): string => deployment('web', 'app: web', ports);
  const client = deployment('shop', 'app: shop');
  const named = (port: string): string => [selecting('app: web').trimEnd(), '  ingress: [{from: [{podSelector: {matchLabels: {app: shop}}}], ports: [{port: ' + port + '}]}]', ''].join('\n');
  assert.deepEqual(fixesFor(server('{name: http, containerPort: 80}') + client + named('htpp'), 'NP208'), ['Write http (the port name the pods declare) *']);
  assert.deepEqual(fixesFor(server('{name: http1, containerPort: 80}, {name: http2, containerPort: 81}') + client + named('http'), 'NP208'), [], 'two names as near');
  assert.deepEqual(fixesFor(server('{name: http, containerPort: 80, protocol: UDP}, {name: htp, containerPort: 81}') + client + named('http'), 'NP208'), ['Write protocol: UDP (web declares http as UDP) *'], 'declared as UDP: the protocol is the mistake, not the name');
  const both = server('{name: http, containerPort: 80, protocol: UDP}') + deployment('web2', 'app: web', '{name: http, containerPort: 80, protocol: SCTP}');
  assert.deepEqual(fixesFor(both + client + named('http'), 'NP208'), [], 'declared as UDP by one and SCTP by the other');
  assert.deepEqual(fixesFor(server('{name: dns, containerPort: 53, protocol: UDP}, {name: htpp, containerPort: 80, protocol: UDP}') + client + named('htp'), 'NP208'), [], 'the near name is UDP, the rule TCP');
  assert.deepEqual(fixesFor(server('{name: metrics, containerPort: 9090}') + client + named('http'), 'NP208'), [], 'nothing near');
});

test('NP112: the ipBlock taken out when it is the first or last key; {} for an empty selector only', () => {
  const peer = (p: string): string => ['apiVersion: networking.k8s.io/v1', 'kind: NetworkPolicy', 'metadata: {name: p, namespace: shop}', 'spec:', '  podSelector: {}', '  ingress:', '    - from:', `        - ${p}`, ''].join('\n');
  const ip = 'ipBlock: {cidr: 10.0.0.0/8}';
  const ns = 'namespaceSelector: {matchLabels: {team: a}}';
  const pods = 'podSelector: {matchLabels: {app: b}}';
  const title = (selectors: string): string => `Make ipBlock a peer of its own (OR): ${selectors}, or the addresses of the ipBlock *`;
  assert.deepEqual(fixesFor(peer(`{${ip}, ${pods}}`), 'NP112'), [title("pods `app=b` in this policy's namespace")]);
  assert.deepEqual(fixesFor(peer(`{${ns}, ${pods}, ${ip}}`), 'NP112'), [title('pods `app=b` in namespaces `team=a`')]);
  assert.deepEqual(fixesFor(peer(`{${ns}, ${ip}, ${pods}}`), 'NP112'), [], 'in the middle: the selectors would part');
  assert.deepEqual(fixesFor(peer(`{${ip}, ${pods}, podSelectr: {}}`), 'NP112'), [title("pods `app=b` in this policy's namespace")], 'a misspelt key stays with the selectors (NP104 says so)');
  assert.deepEqual(fixesFor(peer('podSelector:'), 'NP112'), ["Write podSelector: {} (every pod in this policy's namespace)"]);
  assert.deepEqual(fixesFor(peer('namespaceSelector: ~'), 'NP112'), ['Write namespaceSelector: {} (every pod in every namespace)']);
  const spaced = peer('podSelector :');
  const s = state(spaced, 'spaced.yaml');
  const f = s.findings.find((x) => x.code === 'NP112');
  const fix = f && codeActions(s.file, s.inv, s.findings, f.span, ['quickfix'])[0];
  assert.equal(fix && applyEdits(spaced, fix.edits), spaced.replace('podSelector :', 'podSelector : {}'), 'a space before the colon');
  assert.deepEqual(fixesFor(peer('ipBlock:'), 'NP112'), [], 'an empty ipBlock: the cidr is not known');
  assert.deepEqual(fixesFor(peer('{}'), 'NP112'), [], 'an empty peer: nothing says what was meant');
});

test('NP212: a List item goes as an item, and the List stays', () => {
  const policy = (name: string): string => `{apiVersion: networking.k8s.io/v1, kind: NetworkPolicy, metadata: {name: ${name}, namespace: shop}, spec: {podSelector: {}, policyTypes: [Ingress]}}`;
  const list = ['apiVersion: v1', 'kind: List', 'items:', `  - ${policy('a')}`, `  - ${policy('b')} # the copy`, ''].join('\n');
  const s = state(list, 'list.yaml');
  const f = s.findings.find((x) => x.code === 'NP212');
  assert.ok(f);
  const fix = codeActions(s.file, s.inv, s.findings, f.span, ['quickfix']).find((a) => a.title.startsWith('Remove this policy'));
  assert.ok(fix && !fix.preferred);
  const after = applyEdits(list, fix.edits);
  assert.equal(after, ['apiVersion: v1', 'kind: List', 'items:', `  - ${policy('a')}`, '  # the copy', ''].join('\n'));
  const re = state(after, 'list.yaml');
  assert.deepEqual(re.inv.policies.map((pi) => pi.policy.name), ['a']);
  assert.deepEqual(re.findings, []);
});
