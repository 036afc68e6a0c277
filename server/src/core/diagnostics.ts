import { dnsForPod, dnsTargetOf, egressPolicies, isolatesEgress, ruleReachesDns, selectedWorkloads, type DnsStatus } from './dns';
import { compilePolicy } from './engine/policy';
import type { Inventory, PolicyInfo } from './inventory';
import { lintPolicy } from './lints';
import type { K8sObject, NetworkPolicy, ParsedFile } from './model';
import { rule, type RuleCode, type Severity } from './rules';
import type { Span } from './text';
import { validateFile } from './validate';

export interface Finding {
  readonly code: RuleCode;
  readonly severity: Severity;
  readonly message: string;
  readonly span: Span;
  /** What the quick fix writes in place of the flagged value, when the lint worked it out (NP209: the pods' port). */
  readonly replaceWith?: number | string;
  /** The scalar `replaceWith` replaces when it is not the flagged one (NP206: a label inside the flagged selector). */
  readonly replaceAt?: Span;
  /** Other places the message speaks of (NP108's other copies, NP206's workloads, NP209's Service and pod ports, NP211's covering rule, NP212's covering policies), for editors to link. */
  readonly related?: readonly RelatedPlace[];
}

/**
 * A place a finding points to. Its span is the model's own (moved in place when an edit shifts its
 * document), not a copy, so it is read when the finding is shown. Only findings made by diagnose
 * carry places: parse.ts moves the findings it keeps in place, and would move these spans twice.
 */
export interface RelatedPlace {
  /** The object the place is in; its `source` is the file. */
  readonly object: K8sObject;
  readonly span: Span;
  readonly message: string;
}

export interface DiagnoseOptions {
  readonly maxFileSize?: number;
}

/** Whether two lists of findings say the same, in the same order (the same list, or equal findings). */
export function sameFindings(a: readonly Finding[], b: readonly Finding[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (x === y) continue;
    if (!x || !y) return false;
    if (x.code !== y.code || x.severity !== y.severity || x.message !== y.message || x.span.start !== y.span.start || x.span.end !== y.span.end) return false;
    if (x.replaceWith !== y.replaceWith || x.replaceAt?.start !== y.replaceAt?.start || x.replaceAt?.end !== y.replaceAt?.end) return false;
    if (!sameRelated(x.related, y.related)) return false;
  }
  return true;
}

function sameRelated(a: readonly RelatedPlace[] = [], b: readonly RelatedPlace[] = []): boolean {
  if (a.length !== b.length) return false;
  return a.every((x, i) => {
    const y = b[i];
    return y !== undefined && x.object.source === y.object.source && x.span.start === y.span.start && x.span.end === y.span.end && x.message === y.message;
  });
}

function finding(code: RuleCode, span: Span, message: string): Finding {
  return { code, severity: rule(code).severity, message, span };
}

/**
 * Every finding for one file. `inv` is the inventory of the whole workspace (this file included),
 * so lints see policies and workloads from other files. Never throws on user input.
 */
export function diagnose(file: ParsedFile, inv: Inventory, options: DiagnoseOptions = {}): Finding[] {
  const out: Finding[] = [];
  if (file.tooLarge) {
    const limit = options.maxFileSize;
    out.push(finding('NP002', { start: 0, end: 0 }, `This file has ${file.text.length} characters, more than netpol.maxFileSize${limit ? ` (${limit})` : ''}; netpol does not analyse it.`));
    return out;
  }
  if (file.binary) {
    out.push(finding('NP003', { start: 0, end: 0 }, 'This file looks binary (it contains NUL bytes); netpol does not analyse it.'));
    return out;
  }
  for (const d of file.documents) {
    for (const p of d.problems) {
      if (p.code === 'ALIAS_LIMIT') out.push(finding('NP004', p.span, p.message));
      else out.push({ code: 'NP001', severity: p.severity, message: p.message, span: p.span });
    }
  }
  // API-server parity (strict decoding and validation), NP101–NP117.
  for (const f of validateFile(file, inv)) out.push(f);
  const byPolicy = policyInfos(inv);
  for (const o of file.objects) {
    if (o.kind !== 'NetworkPolicy') continue;
    const pi = byPolicy.get(o);
    if (!pi) continue;
    for (const f of dnsFindings(pi, inv)) out.push(f);
    // Semantic lints NP203–NP212 (lints.ts).
    for (const f of lintPolicy(pi, inv)) out.push(f);
  }
  return out;
}

/** Inventory entries by policy, once per inventory: a workspace diagnoses each of its files against one. */
const policyInfoMaps = new WeakMap<Inventory, ReadonlyMap<NetworkPolicy, PolicyInfo>>();

function policyInfos(inv: Inventory): ReadonlyMap<NetworkPolicy, PolicyInfo> {
  let m = policyInfoMaps.get(inv);
  if (!m) {
    const byPolicy = new Map<NetworkPolicy, PolicyInfo>();
    for (const pi of inv.policies) byPolicy.set(pi.policy, pi);
    policyInfoMaps.set(inv, (m = byPolicy));
  }
  return m;
}

/**
 * What the DNS lint of a policy depends on: the egress policies and workloads of its namespace and
 * the DNS pods. Model objects keep their identity while their document's text is unchanged (an
 * edit elsewhere only moves them), so equal parts mean the earlier answer still holds.
 */
interface NamespaceSignature {
  readonly namespace: string;
  readonly parts: readonly object[];
}

const signatures = new WeakMap<Inventory, Map<string, NamespaceSignature>>();
/** The DNS lint of a policy and the signature it held for, kept with the policy's entry (inventory.ts). */
export interface DnsLintMemo {
  readonly sig: NamespaceSignature;
  readonly findings: readonly Finding[];
}
/** The latest signature per namespace name, so that unchanged namespaces keep one signature object. */
const lastSignatures = new Map<string, NamespaceSignature>();

function signatureOf(inv: Inventory, namespace: string): NamespaceSignature {
  let perNs = signatures.get(inv);
  if (!perNs) {
    perNs = new Map();
    const parts = new Map<string, object[]>();
    const dnsParts: object[] = [];
    for (const w of inv.workloads) {
      if (w.namespace === 'kube-system' && w.labels.has('k8s-app')) dnsParts.push(w.workload);
      const list = parts.get(w.namespace);
      if (list) list.push(w.workload);
      else parts.set(w.namespace, [w.workload]);
    }
    for (const ns of inv.namespaces.keys()) {
      const list = parts.get(ns);
      const policies = egressPolicies(inv, ns).map((pi) => pi.policy);
      if (list) list.push(...policies);
      else if (policies.length) parts.set(ns, policies);
    }
    const ks = inv.namespaces.get('kube-system')?.declared;
    if (ks) dnsParts.push(ks);
    for (const [ns, list] of parts) {
      const sig = { namespace: ns, parts: [...list, ...dnsParts] };
      // Compared once per namespace here, so that each policy's check below is an identity test.
      const prev = lastSignatures.get(ns);
      if (prev && sameSignature(prev, sig)) perNs.set(ns, prev);
      else {
        lastSignatures.set(ns, sig);
        perNs.set(ns, sig);
      }
    }
    signatures.set(inv, perNs);
  }
  return perNs.get(namespace) ?? { namespace, parts: [] };
}

function sameSignature(a: NamespaceSignature, b: NamespaceSignature): boolean {
  return a === b || (a.namespace === b.namespace && a.parts.length === b.parts.length && a.parts.every((x, i) => x === b.parts[i]));
}

const NO_FINDINGS: readonly Finding[] = [];

/** The DNS lint of one policy, reused while nothing it depends on changed. */
function dnsFindings(pi: PolicyInfo, inv: Inventory): readonly Finding[] {
  // A policy that leaves egress alone has nothing to report whatever the workspace holds.
  if (!isolatesEgress(pi.policy)) return NO_FINDINGS;
  const sig = signatureOf(inv, pi.namespace);
  const memo = pi.cache?.dns;
  if (memo && memo.sig === sig) return memo.findings;
  const findings: Finding[] = [];
  checkDns(pi, inv, findings);
  if (pi.cache) pi.cache.dns = { sig, findings };
  return findings;
}

function checkDns(pi: PolicyInfo, inv: Inventory, out: Finding[]): void {
  const p = pi.policy;
  if (!isolatesEgress(p)) return;
  const workloads = selectedWorkloads(inv, pi);
  // The usual case, TCP DNS allowed to every pod selected, reports nothing: settled before building anything.
  if (workloads.length && workloads.every((w) => dnsForPod(inv, pi.namespace, w.labels).tcp !== 'none')) return;
  const at = p.egressKeySpan ?? p.policyTypes?.find((t) => t.value === 'Egress')?.span ?? p.policyTypesKeySpan ?? p.nameSpan ?? p.span;
  const statuses: { who: string; s: DnsStatus }[] = workloads.length
    ? workloads.map((w) => ({ who: w.workload.name, s: dnsForPod(inv, pi.namespace, w.labels) }))
    : [{ who: '', s: dnsForPod(inv, pi.namespace, undefined, pi) }];
  const noDns = statuses.filter((x) => x.s.udp === 'none' && x.s.tcp === 'none');
  const names = (xs: { who: string }[]): string => {
    const n = xs.map((x) => x.who).filter((w) => w);
    if (!n.length) return 'the pods it selects';
    return n.length > 3 ? `${n.slice(0, 3).join(', ')} and ${n.length - 3} more` : n.join(', ');
  };
  if (noDns.length) {
    out.push(
      finding(
        'NP201',
        at,
        `This policy isolates egress for ${names(noDns)}, but no policy allows ${noDns.length === 1 && noDns[0]?.who ? 'it' : 'them'} DNS (UDP and TCP 53 to kube-dns in kube-system): name lookups will fail.`,
      ),
    );
    return;
  }
  // UDP-only DNS is reported on the rule that allows it, so a shared allow-dns policy is flagged once.
  const udpOnly = statuses.filter((x) => x.s.udp !== 'none' && x.s.tcp === 'none');
  if (!udpOnly.length) return;
  const target = dnsTargetOf(inv);
  for (const r of compilePolicy(pi).writtenRules) {
    if (r.direction !== 'egress') continue;
    if (ruleReachesDns(r, pi.namespace, target, 'UDP') !== 'none' && ruleReachesDns(r, pi.namespace, target, 'TCP') === 'none') {
      out.push(finding('NP202', r.rule.portsKeySpan ?? r.rule.span, `This rule allows DNS to ${names(udpOnly)} on UDP 53 only; add TCP 53 (large answers and some resolvers use TCP).`));
    }
  }
}
