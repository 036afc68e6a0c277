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

interface DnsTarget {
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

/** DNS allowed to pods with these labels in this namespace, across every policy that selects them. */
export function dnsForPod(inv: Inventory, namespace: string, labels: Labels | undefined, extra?: PolicyInfo): DnsStatus {
  const target = dnsTarget(inv);
  const policies = inv.policies.filter(
    (pi) =>
      pi.namespace === namespace &&
      isolatesEgress(pi.policy) &&
      (pi === extra || (labels ? !pi.policy.podSelector || matches(pi.policy.podSelector, labels) : !pi.policy.podSelector || isEmptySelector(pi.policy.podSelector))),
  );
  if (extra && !policies.includes(extra)) policies.push(extra);
  const best = (protocol: Protocol): DnsReach => {
    let r: DnsReach = 'none';
    for (const pi of policies) {
      for (const rule of pi.policy.egress ?? []) {
        const x = ruleReachesDns(rule, pi.namespace, target, protocol);
        if (x === 'selector') return x;
        if (x === 'ipBlock') r = x;
      }
    }
    return r;
  };
  return { udp: best('UDP'), tcp: best('TCP'), policies };
}

/** The workloads a policy selects: same namespace, podSelector matches (absent = every pod). */
export function selectedWorkloads(inv: Inventory, pi: PolicyInfo): WorkloadInfo[] {
  const sel = pi.policy.podSelector;
  return inv.workloads.filter((w) => w.namespace === pi.namespace && (!sel || matches(sel, w.labels)));
}

