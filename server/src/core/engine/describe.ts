import type { PolicyInfo, WorkloadInfo } from '../inventory';
import { describeSelector, isEmptySelector } from '../selector';
import type { AllowEntry, DirectionDecision, DnsCheck, EffectiveAllow, PeerSummary, ReachResult, RuleRef } from './analysis';
import { describeConnections, isEmpty, joinWords } from './ports';

/** Where a policy or rule is written, as the caller can say it (`netpols.yaml:12`); the core has no file text. */
export type Locator = (source: string, offset: number) => string | undefined;

/** Workloads named per peer before "and N more": hovers stay short. */
const MAX_NAMES = 5;

export const IPBLOCK_CAVEAT = 'whether an ipBlock also matches pod IPs depends on the network plugin';

export function policyName(p: PolicyInfo): string {
  return `${p.namespace}/${p.policy.name}`;
}

export function workloadName(w: WorkloadInfo): string {
  return `${w.namespace}/${w.workload.name}`;
}

/** `NetworkPolicy default/web, ingress rule #1` (rules numbered from 1), with its place when known. */
export function describeRuleRef(r: RuleRef, locate?: Locator): string {
  const where = locate?.(r.policy.policy.source, r.rule.span.start);
  return `NetworkPolicy ${policyName(r.policy)}, ${r.direction} rule #${r.rule.index + 1}${where ? ` (${where})` : ''}`;
}

export function describePolicyRef(p: PolicyInfo, locate?: Locator): string {
  const where = locate?.(p.policy.source, p.policy.span.start);
  return `${policyName(p)}${where ? ` (${where})` : ''}`;
}

/** The peer of a rule in words, for the direction it is used in. */
export function describePeer(p: PeerSummary, direction: 'ingress' | 'egress'): string {
  const dir = direction === 'ingress' ? 'from' : 'to';
  switch (p.kind) {
    case 'any':
      return `${dir} anywhere (every pod and every address outside the cluster)`;
    case 'ipBlock': {
      const ex = p.except.length ? ` except ${p.except.join(', ')}` : '';
      return `${dir} addresses in ${p.cidr}${ex} (outside the cluster; ${IPBLOCK_CAVEAT})`;
    }
    case 'pods': {
      const pods = !p.podSelector || isEmptySelector(p.podSelector) ? 'all pods' : `pods with ${describeSelector(p.podSelector)}`;
      let where: string;
      if (p.namespaceSelector) where = isEmptySelector(p.namespaceSelector) ? 'in every namespace' : `in namespaces with ${describeSelector(p.namespaceSelector)}`;
      else where = `in namespace ${p.namespace ?? '?'}`;
      const names = p.workloads.slice(0, MAX_NAMES).map(workloadName);
      if (p.workloads.length > MAX_NAMES) names.push(`${p.workloads.length - MAX_NAMES} more`);
      const known = names.length ? ` — ${names.join(', ')}` : ' — no workload in the manifests matches';
      return `${dir} ${pods} ${where}${known}`;
    }
  }
}

function describePorts(e: AllowEntry, direction: 'ingress' | 'egress'): string {
  if (e.anyPort) return 'on every port';
  const parts: string[] = [];
  if (!isEmpty(e.conns)) parts.push(describeConnections(e.conns));
  if (direction === 'egress') {
    for (const n of e.namedPorts) parts.push(`named port ${n.name} (${n.protocol}) of the destination`);
  }
  let s = parts.length ? `on ${joinWords(parts)}` : 'on no port';
  if (e.unresolvedPorts.length) {
    s += ` (named port ${e.unresolvedPorts.map((n) => `${n.name}/${n.protocol}`).join(', ')} matches no container port here)`;
  }
  return s;
}

/** An effective allow set as lines of plain text, for hovers and the CLI. */
export function describeEffective(e: EffectiveAllow, locate?: Locator): string[] {
  const Dir = e.direction === 'ingress' ? 'Ingress' : 'Egress';
  const what = e.direction === 'ingress' ? 'every source may connect' : 'it may connect anywhere';
  if (!e.isolated) return [`${Dir}: not isolated (no policy selects it for ${Dir}), so ${what} on every port.`];
  const by = e.policies.map((p) => describePolicyRef(p, locate)).join(', ');
  const allowed = e.entries.filter((x) => x.anyPort || !isEmpty(x.conns) || (e.direction === 'egress' && x.namedPorts.length > 0));
  if (allowed.length === 0) return [`${Dir}: isolated by ${by}; nothing is allowed.`];
  const lines = [`${Dir}: isolated by ${by}; allowed:`];
  for (const x of allowed) {
    lines.push(`- ${describePeer(x.peer, e.direction)} ${describePorts(x, e.direction)} [${describeRuleRef(x.source, locate)}]`);
  }
  return lines;
}

function decisionWords(d: DirectionDecision, subject: string, locate?: Locator): string {
  const dir = d.direction === 'ingress' ? 'ingress' : 'egress';
  if (!d.applies) return `${dir}: ${subject} is outside the cluster, so no policy applies`;
  if (!d.isolated) return `${dir}: no policy isolates ${subject} for ${dir}`;
  const by = d.policies.map((p) => describePolicyRef(p, locate)).join(', ');
  if (d.allowed) return `${dir}: allowed by ${d.rules.map((r) => describeRuleRef(r, locate)).join('; ')}`;
  let s = `${dir}: ${subject} is isolated by ${by} and no ${dir} rule allows it`;
  if (d.portMismatches.length) s += ` (${d.portMismatches.map((r) => describeRuleRef(r, locate)).join('; ')} matches the peer but not the port)`;
  if (d.ipBlockCaveats.length) s += `; ${d.ipBlockCaveats.map((r) => describeRuleRef(r, locate)).join('; ')} would allow it if the network plugin matches pod IPs against ipBlocks`;
  return s;
}

/** One plain sentence: the answer and the reasons for each direction. */
export function describeReach(r: ReachResult, from: string, to: string, locate?: Locator): string {
  const head = `${from} ${r.allowed ? 'can' : 'cannot'} connect to ${to} on ${r.protocol} ${r.port}`;
  const reasons = [decisionWords(r.egress, from, locate), decisionWords(r.ingress, to, locate)];
  return `${head}: ${reasons.join('; ')}.`;
}

/** DNS reachability in words, for the "egress isolated without DNS" check and hovers. */
export function describeDns(d: DnsCheck, locate?: Locator): string {
  if (!d.isolated) return 'DNS: not isolated for egress, so lookups to kube-dns are allowed.';
  const proto = d.udp && d.tcp ? 'UDP and TCP 53' : d.udp ? 'UDP 53 only' : d.tcp ? 'TCP 53 only' : '';
  if (proto) return `DNS: allowed to kube-dns on ${proto} by ${d.rules.map((r) => describeRuleRef(r, locate)).join('; ')}.`;
  let s = 'DNS: egress is isolated and no rule allows port 53 to kube-dns pods (k8s-app=kube-dns in kube-system)';
  if (d.ipBlockRules.length) s += `; ${d.ipBlockRules.map((r) => describeRuleRef(r, locate)).join('; ')} allows port 53 to an ipBlock, which reaches kube-dns only if the network plugin matches pod IPs against ipBlocks`;
  return `${s}.`;
}
