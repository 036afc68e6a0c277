import { compilePolicy, type CompiledRule } from './engine/policy';
import { namespaceLabels, workloadIndex, type Inventory, type PolicyInfo, type WorkloadInfo } from './inventory';
import type { NetworkPolicy, PolicyPort, Protocol } from './model';
import { isEmptySelector, pinOf, selects, type Labels, type Requirement } from './selector';

/** Cluster DNS as kubeadm, GKE, EKS and AKS deploy it: CoreDNS pods labelled k8s-app=kube-dns. */
export const DNS_NAMESPACE = 'kube-system';
export const DNS_POD_LABELS: Labels = new Map([['k8s-app', 'kube-dns']]);
const DEFAULT_DNS_PORTS: readonly { name: string; port: number; protocol: Protocol }[] = [
  { name: 'dns', port: 53, protocol: 'UDP' },
  { name: 'dns-tcp', port: 53, protocol: 'TCP' },
];

export interface DnsTarget {
  readonly podLabels: readonly Labels[];
  readonly namespaceLabels: Labels;
  readonly ports: readonly { name: string | undefined; port: number; protocol: Protocol }[];
}

/** The DNS pods: the manifests' own kube-dns workload when they declare one, else CoreDNS's defaults. */
export function dnsTarget(inv: Inventory): DnsTarget {
  const declared = inv.workloads.filter((w) => w.namespace === DNS_NAMESPACE && w.labels.get('k8s-app') === 'kube-dns');
  return {
    podLabels: declared.length ? declared.map((w) => w.labels) : [DNS_POD_LABELS],
    namespaceLabels: namespaceLabels(inv, DNS_NAMESPACE),
    ports: declared.length && declared.some((w) => w.workload.ports.length) ? declared.flatMap((w) => w.workload.ports) : DEFAULT_DNS_PORTS,
  };
}

export function isolatesEgress(p: NetworkPolicy): boolean {
  if (p.policyTypes) return p.policyTypes.some((t) => t.value === 'Egress');
  return (p.egress?.length ?? 0) > 0;
}

export function isolatesIngress(p: NetworkPolicy): boolean {
  if (p.policyTypes) return p.policyTypes.some((t) => t.value === 'Ingress');
  return true;
}

/** How an egress rule reaches DNS: through selectors, only through an ipBlock (plugin-dependent), or not. */
export type DnsReach = 'selector' | 'ipBlock' | 'none';

export function ruleReachesDns(rule: CompiledRule, policyNamespace: string, target: DnsTarget, protocol: Protocol): DnsReach {
  return portsAllow(rule.rule.ports, target, protocol) ? peersReach(rule, policyNamespace, target) : 'none';
}

function portsAllow(ports: readonly PolicyPort[] | undefined, target: DnsTarget, protocol: Protocol): boolean {
  if (!ports || ports.length === 0) return true;
  return ports.some((p) => {
    const proto = p.protocol?.value ?? 'TCP';
    if (proto !== protocol) return false;
    const port = p.port?.value;
    if (port === undefined) return true;
    if (typeof port === 'number') {
      const end = p.endPort?.value ?? port;
      return port <= 53 && 53 <= end;
    }
    return target.ports.some((tp) => tp.name === port && tp.protocol === protocol && tp.port === 53);
  });
}

export interface DnsStatus {
  readonly udp: DnsReach;
  readonly tcp: DnsReach;
  /** The egress-isolating policies that were considered. */
  readonly policies: readonly PolicyInfo[];
}

/**
 * Per-inventory lookups, built once: the lints ask about thousands of policies, and scanning every
 * policy and workload for each would be quadratic.
 */
interface DnsIndex {
  readonly target: DnsTarget;
  readonly egress: ReadonlyMap<string, NamespaceEgress>;
  /** How each policy's own egress rules reach DNS, by protocol. */
  readonly reach: Map<PolicyInfo, { udp: DnsReach; tcp: DnsReach }>;
}

/** The egress-isolating policies of one namespace, indexed by what their podSelectors need. */
interface NamespaceEgress {
  readonly policies: readonly PolicyInfo[];
  /** Their podSelectors as requirements (undefined: invalid, matched as written). */
  readonly selectors: readonly (readonly Requirement[] | undefined)[];
  /** Positions in `policies` of those without a label every pod they select carries: tested against every pod. */
  readonly general: readonly number[];
  /** Positions of the others by that label (key, then value). */
  readonly byLabel: ReadonlyMap<string, ReadonlyMap<string, readonly number[]>>;
  /** dnsForPod answers by label set (workloads keep theirs across inventories). */
  readonly memo: Map<Labels, DnsStatus>;
}

const indexes = new WeakMap<Inventory, DnsIndex>();

function indexOf(inv: Inventory): DnsIndex {
  let ix = indexes.get(inv);
  if (ix) return ix;
  const lists = new Map<string, PolicyInfo[]>();
  for (const pi of inv.policies) {
    if (!isolatesEgress(pi.policy)) continue;
    const list = lists.get(pi.namespace);
    if (list) list.push(pi);
    else lists.set(pi.namespace, [pi]);
  }
  const egress = new Map<string, NamespaceEgress>();
  for (const [ns, policies] of lists) {
    const general: number[] = [];
    const byLabel = new Map<string, Map<string, number[]>>();
    const selectors = policies.map((pi) => compilePolicy(pi).podRequirements);
    selectors.forEach((reqs, i) => {
      const pin = reqs && pinOf(reqs);
      if (!pin) return void general.push(i);
      let values = byLabel.get(pin.key);
      if (!values) byLabel.set(pin.key, (values = new Map()));
      const at = values.get(pin.only);
      if (at) at.push(i);
      else values.set(pin.only, [i]);
    });
    egress.set(ns, { policies, selectors, general, byLabel, memo: new Map() });
  }
  ix = { target: dnsTarget(inv), egress, reach: new Map() };
  indexes.set(inv, ix);
  return ix;
}

/** The egress-isolating policies of a namespace whose podSelector (absent: every pod) selects pods with these labels, in inventory order. */
function selecting(e: NamespaceEgress, labels: Labels): PolicyInfo[] {
  const at = [...e.general];
  for (const [k, v] of labels) for (const i of e.byLabel.get(k)?.get(v) ?? []) at.push(i);
  at.sort((a, b) => a - b);
  const out: PolicyInfo[] = [];
  for (const i of at) {
    const pi = e.policies[i];
    if (!pi) continue;
    const sel = pi.policy.podSelector;
    if (!sel || selects(sel, e.selectors[i], labels)) out.push(pi);
  }
  return out;
}

function policyReach(ix: DnsIndex, pi: PolicyInfo): { udp: DnsReach; tcp: DnsReach } {
  let r = ix.reach.get(pi);
  if (r) return r;
  // ruleReachesDns for each egress rule and both protocols, with the peers looked at once.
  let udp: DnsReach = 'none';
  let tcp: DnsReach = 'none';
  for (const rule of compilePolicy(pi).writtenRules) {
    if (rule.direction !== 'egress') continue;
    const peers = peersReach(rule, pi.namespace, ix.target);
    if (peers === 'none') continue;
    if (portsAllow(rule.rule.ports, ix.target, 'UDP')) udp = stronger(udp, peers);
    if (portsAllow(rule.rule.ports, ix.target, 'TCP')) tcp = stronger(tcp, peers);
    if (udp === 'selector' && tcp === 'selector') break;
  }
  r = { udp, tcp };
  ix.reach.set(pi, r);
  return r;
}

/** How a rule's peers reach the DNS pods, whatever its ports, through the compiled selectors. */
function peersReach(rule: CompiledRule, policyNamespace: string, target: DnsTarget): DnsReach {
  if (rule.anyPeer) return 'selector';
  let viaIpBlock = false;
  for (const cp of rule.peers) {
    const peer = cp.peer;
    if (peer.ipBlock) {
      if (!peer.podSelector && !peer.namespaceSelector) viaIpBlock = true;
      continue;
    }
    const nsOk = peer.namespaceSelector ? selects(peer.namespaceSelector, cp.kind === 'pods' ? cp.namespaceRequirements : undefined, target.namespaceLabels) : policyNamespace === DNS_NAMESPACE;
    if (!nsOk) continue;
    const podSelector = peer.podSelector;
    if (!podSelector || target.podLabels.some((l) => selects(podSelector, cp.kind === 'pods' ? cp.podRequirements : undefined, l))) return 'selector';
  }
  return viaIpBlock ? 'ipBlock' : 'none';
}

const stronger = (a: DnsReach, b: DnsReach): DnsReach => (a === 'selector' || b === 'selector' ? 'selector' : a === 'ipBlock' || b === 'ipBlock' ? 'ipBlock' : 'none');

/**
 * DNS allowed to pods with these labels in this namespace, across every policy that selects them.
 * Without labels (no declared workload), only the policies sure to select such a pod count: those
 * with an empty podSelector, and `extra`, the policy being checked.
 */
export function dnsForPod(inv: Inventory, namespace: string, labels: Labels | undefined, extra?: PolicyInfo): DnsStatus {
  const ix = indexOf(inv);
  const e = ix.egress.get(namespace);
  const cached = labels ? e?.memo.get(labels) : undefined;
  if (cached) return cached;
  let policies: PolicyInfo[];
  if (!e) policies = [];
  else if (labels) policies = selecting(e, labels);
  else policies = e.policies.filter((pi) => pi === extra || !pi.policy.podSelector || isEmptySelector(pi.policy.podSelector));
  if (extra && labels && e && !policies.includes(extra) && e.policies.includes(extra)) {
    // `extra` counts in its place in the namespace's list.
    const found = new Set(policies);
    policies = e.policies.filter((pi) => pi === extra || found.has(pi));
  }
  if (extra && isolatesEgress(extra.policy) && !policies.includes(extra)) policies.push(extra);
  let udp: DnsReach = 'none';
  let tcp: DnsReach = 'none';
  for (const pi of policies) {
    const r = policyReach(ix, pi);
    udp = stronger(udp, r.udp);
    tcp = stronger(tcp, r.tcp);
  }
  const status = { udp, tcp, policies };
  if (labels && e) e.memo.set(labels, status);
  return status;
}

/** The workloads a policy selects: same namespace, podSelector matches (absent = every pod). */
export function selectedWorkloads(inv: Inventory, pi: PolicyInfo): readonly WorkloadInfo[] {
  const sel = pi.policy.podSelector;
  const reqs = sel && compilePolicy(pi).podRequirements;
  return workloadIndex(inv).selecting(pi.namespace, sel, reqs);
}

/** The egress-isolating policies of a namespace, in inventory order. */
export function egressPolicies(inv: Inventory, namespace: string): readonly PolicyInfo[] {
  return indexOf(inv).egress.get(namespace)?.policies ?? [];
}

/** The DNS target for an inventory, computed once. */
export function dnsTargetOf(inv: Inventory): DnsTarget {
  return indexOf(inv).target;
}
