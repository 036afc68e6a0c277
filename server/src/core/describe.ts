import { parseCidr } from './cidr';
import { namespaceLabels, type Inventory, type WorkloadInfo } from './inventory';
import type { Peer, PolicyPort, Rule } from './model';
import { describeSelector, isEmptySelector, matches } from './selector';

/** Plain-words descriptions of policy parts, shared by hovers and CLI output. */

export function describePorts(ports: readonly PolicyPort[] | undefined, destinations: readonly WorkloadInfo[] = []): string {
  if (!ports || ports.length === 0) return 'any port';
  return ports
    .map((p) => {
      const proto = p.protocol?.value ?? 'TCP';
      const port = p.port?.value;
      if (port === undefined) return `any ${proto} port`;
      if (typeof port === 'number') return p.endPort ? `${proto} ${port}-${p.endPort.value}` : `${proto} ${port}`;
      const resolved = new Set<number>();
      for (const w of destinations) for (const cp of w.workload.ports) if (cp.name === port && cp.protocol === proto) resolved.add(cp.port);
      const nums = [...resolved].sort((a, b) => a - b);
      return nums.length ? `${proto} ${port} (${nums.join(', ')})` : `${proto} ${port} (a named port)`;
    })
    .join(', ');
}

/** The workloads a peer matches, given the namespace of the policy it belongs to. */
export function peerWorkloads(inv: Inventory, peer: Peer, policyNamespace: string): WorkloadInfo[] {
  if (peer.ipBlock) return [];
  return inv.workloads.filter((w) => {
    const nsOk = peer.namespaceSelector ? matches(peer.namespaceSelector, namespaceLabels(inv, w.namespace)) : w.namespace === policyNamespace;
    return nsOk && (!peer.podSelector || matches(peer.podSelector, w.labels));
  });
}

export function describePeer(peer: Peer, policyNamespace: string): string {
  if (peer.ipBlock) {
    const c = peer.ipBlock.cidr?.value ?? '(no cidr)';
    const parsed = peer.ipBlock.cidr ? parseCidr(peer.ipBlock.cidr.value) : undefined;
    const fam = parsed?.ok ? ` (IPv${parsed.cidr.family})` : '';
    const ex = peer.ipBlock.except.length ? ` except ${peer.ipBlock.except.map((e) => e.value).join(', ')}` : '';
    return `addresses in ${c}${fam}${ex}`;
  }
  const pods = peer.podSelector && !isEmptySelector(peer.podSelector) ? `pods \`${describeSelector(peer.podSelector)}\`` : 'every pod';
  if (!peer.namespaceSelector) return `${pods} in namespace \`${policyNamespace}\``;
  if (isEmptySelector(peer.namespaceSelector)) return `${pods} in every namespace`;
  return `${pods} in namespaces \`${describeSelector(peer.namespaceSelector)}\``;
}

export function describeRule(inv: Inventory, rule: Rule, policyNamespace: string): string {
  const dir = rule.direction === 'ingress' ? 'from' : 'to';
  const peers = rule.peers && rule.peers.length ? rule.peers : undefined;
  const dests = rule.direction === 'egress' ? (peers ?? []).flatMap((p) => peerWorkloads(inv, p, policyNamespace)) : [];
  const who = peers ? peers.map((p) => describePeer(p, policyNamespace)).join(' **or** ') : 'anywhere';
  return `${dir} ${who} on ${describePorts(rule.ports, dests)}`;
}

export function workloadList(ws: readonly WorkloadInfo[], max = 8): string {
  if (!ws.length) return 'no workload in these manifests';
  const names = ws.slice(0, max).map((w) => `\`${w.workload.name}\` (${w.workload.kind})`);
  return ws.length > max ? `${names.join(', ')} and ${ws.length - max} more` : names.join(', ');
}
