import { namespaceLabels, type Inventory, type PolicyInfo, type WorkloadInfo } from './inventory';
import type { NetworkPolicy, PolicyPort, Protocol, Rule } from './model';
import { isEmptySelector, matches, type Labels } from './selector';

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

export function ruleReachesDns(rule: Rule, policyNamespace: string, target: DnsTarget, protocol: Protocol): DnsReach {
  if (!portsAllow(rule.ports, target, protocol)) return 'none';
  if (!rule.peers || rule.peers.length === 0) return 'selector';
  let viaIpBlock = false;
  for (const peer of rule.peers) {
    if (peer.ipBlock) {
      if (!peer.podSelector && !peer.namespaceSelector) viaIpBlock = true;
      continue;
    }
    const nsOk = peer.namespaceSelector ? matches(peer.namespaceSelector, target.namespaceLabels) : policyNamespace === DNS_NAMESPACE;
    if (!nsOk) continue;
    if (!peer.podSelector || target.podLabels.some((l) => peer.podSelector !== undefined && matches(peer.podSelector, l))) return 'selector';
  }
  return viaIpBlock ? 'ipBlock' : 'none';
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
  readonly egressPolicies: ReadonlyMap<string, readonly PolicyInfo[]>;
  readonly workloads: ReadonlyMap<string, readonly WorkloadInfo[]>;
  /** How each policy's own egress rules reach DNS, by protocol. */
  readonly reach: Map<PolicyInfo, { udp: DnsReach; tcp: DnsReach }>;
  /** dnsForPod answers by namespace and label set. */
  readonly memo: Map<string, DnsStatus>;
}

const indexes = new WeakMap<Inventory, DnsIndex>();

function indexOf(inv: Inventory): DnsIndex {
  let ix = indexes.get(inv);
  if (ix) return ix;
  const egressPolicies = new Map<string, PolicyInfo[]>();
  for (const pi of inv.policies) {
    if (!isolatesEgress(pi.policy)) continue;
    const list = egressPolicies.get(pi.namespace);
    if (list) list.push(pi);
    else egressPolicies.set(pi.namespace, [pi]);
  }
  const workloads = new Map<string, WorkloadInfo[]>();
  for (const w of inv.workloads) {
    const list = workloads.get(w.namespace);
    if (list) list.push(w);
    else workloads.set(w.namespace, [w]);
  }
  ix = { target: dnsTarget(inv), egressPolicies, workloads, reach: new Map(), memo: new Map() };
  indexes.set(inv, ix);
  return ix;
}

function policyReach(ix: DnsIndex, pi: PolicyInfo): { udp: DnsReach; tcp: DnsReach } {
  let r = ix.reach.get(pi);
  if (r) return r;
  const best = (protocol: Protocol): DnsReach => {
    let out: DnsReach = 'none';
    for (const rule of pi.policy.egress ?? []) {
      const x = ruleReachesDns(rule, pi.namespace, ix.target, protocol);
      if (x === 'selector') return x;
      if (x === 'ipBlock') out = x;
    }
    return out;
  };
  r = { udp: best('UDP'), tcp: best('TCP') };
  ix.reach.set(pi, r);
  return r;
}

const stronger = (a: DnsReach, b: DnsReach): DnsReach => (a === 'selector' || b === 'selector' ? 'selector' : a === 'ipBlock' || b === 'ipBlock' ? 'ipBlock' : 'none');

/**
 * DNS allowed to pods with these labels in this namespace, across every policy that selects them.
 * Without labels (no declared workload), only the policies sure to select such a pod count: those
 * with an empty podSelector, and `extra`, the policy being checked.
 */
export function dnsForPod(inv: Inventory, namespace: string, labels: Labels | undefined, extra?: PolicyInfo): DnsStatus {
  const ix = indexOf(inv);
  const key = labels ? `${namespace}\u0000${[...labels].map(([k, v]) => `${k}=${v}`).sort().join('\u0000')}` : undefined;
  const cached = key !== undefined ? ix.memo.get(key) : undefined;
  if (cached) return cached;
  const policies = (ix.egressPolicies.get(namespace) ?? []).filter((pi) =>
    pi === extra || !pi.policy.podSelector || (labels ? matches(pi.policy.podSelector, labels) : isEmptySelector(pi.policy.podSelector)),
  );
  if (extra && isolatesEgress(extra.policy) && !policies.includes(extra)) policies.push(extra);
  let udp: DnsReach = 'none';
  let tcp: DnsReach = 'none';
  for (const pi of policies) {
    const r = policyReach(ix, pi);
    udp = stronger(udp, r.udp);
    tcp = stronger(tcp, r.tcp);
  }
  const status = { udp, tcp, policies };
  if (key !== undefined) ix.memo.set(key, status);
  return status;
}

/** The workloads a policy selects: same namespace, podSelector matches (absent = every pod). */
export function selectedWorkloads(inv: Inventory, pi: PolicyInfo): WorkloadInfo[] {
  const sel = pi.policy.podSelector;
  return (indexOf(inv).workloads.get(pi.namespace) ?? []).filter((w) => !sel || matches(sel, w.labels));
}

/** The DNS target for an inventory, computed once. */
export function dnsTargetOf(inv: Inventory): DnsTarget {
  return indexOf(inv).target;
}
