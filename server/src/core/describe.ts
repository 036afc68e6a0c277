/** Plain-words descriptions of policy parts for hovers: selectors, peers, ports, ipBlocks, policyTypes. */
import { disjoint, parseCidr } from './cidr';
import { formatIpRange, ipBlockSet, type IpSet } from './engine/ipset';
import { namespaceLabels, NAMESPACE_NAME_LABEL, type Inventory, type NamespaceInfo, type WorkloadInfo } from './inventory';
import type { NetworkPolicy, Peer, PolicyPort, Selector } from './model';
import { describeSelector, isEmptySelector, matches } from './selector';

/** Inline code in markdown, safe for any text. */
export function code(s: string): string {
  const fence = s.includes('`') ? '``' : '`';
  return `${fence}${s.includes('`') ? ` ${s} ` : s}${fence}`;
}

export function workloadList(ws: readonly WorkloadInfo[], max = 8, namespace?: string): string {
  if (!ws.length) return 'no workload in these manifests';
  const name = (w: WorkloadInfo): string => (namespace === w.namespace ? w.workload.name : `${w.namespace}/${w.workload.name}`);
  const names = ws.slice(0, max).map((w) => `${code(name(w))} (${w.workload.kind})`);
  return ws.length > max ? `${names.join(', ')} and ${ws.length - max} more` : names.join(', ');
}

/** `pods app=web` or `every pod`. */
export function podsWords(s: Selector | undefined): string {
  if (s?.malformed) return 'no pod (the podSelector is not a map)';
  return s && !isEmptySelector(s) ? `pods ${code(describeSelector(s))}` : 'every pod';
}

/** `in namespace web`, `in namespaces team=data`, `in every namespace`. */
export function namespaceWords(s: Selector | undefined, policyNamespace: string): string {
  if (!s) return `in namespace ${code(policyNamespace)}`;
  if (s.malformed) return 'in no namespace (the namespaceSelector is not a map)';
  // Selecting one namespace by its automatic name label reads best as that name.
  const only = s.matchLabels[0];
  if (only && s.matchLabels.length === 1 && s.matchExpressions.length === 0 && only.key === NAMESPACE_NAME_LABEL) return `in namespace ${code(only.value)}`;
  return isEmptySelector(s) ? 'in every namespace' : `in namespaces ${code(describeSelector(s))}`;
}

/** The workloads a peer matches, given the namespace of the policy it belongs to (a scan; hovers use lookup.ts). */
export function peerWorkloads(inv: Inventory, peer: Peer, policyNamespace: string): WorkloadInfo[] {
  if (peer.ipBlock || (!peer.podSelector && !peer.namespaceSelector)) return [];
  return inv.workloads.filter((w) => {
    const nsOk = peer.namespaceSelector ? matches(peer.namespaceSelector, namespaceLabels(inv, w.namespace)) : w.namespace === policyNamespace;
    return nsOk && (!peer.podSelector || matches(peer.podSelector, w.labels));
  });
}

/** The namespaces of the manifests a namespaceSelector matches. */
export function matchingNamespaces(inv: Inventory, s: Selector): NamespaceInfo[] {
  return [...inv.namespaces.values()].filter((n) => matches(s, n.labels)).sort((a, b) => a.name.localeCompare(b.name));
}

export function nameList(names: readonly string[], max = 8): string {
  const shown = names.slice(0, max).map(code);
  return names.length > max ? `${shown.join(', ')} and ${names.length - max} more` : shown.join(', ');
}

/** `1,024`; bigints and numbers, with thousands separators (no locale). */
export function count(n: bigint | number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** How many addresses a set holds, as a number or a power of two. */
export function addressCount(s: IpSet): string {
  let n = 0n;
  for (const r of [s.v4, s.v6]) for (let i = 0; i < r.length; i += 2) n += (r[i + 1] ?? 0n) - (r[i] ?? 0n) + 1n;
  if (n > 1n << 32n && (n & (n - 1n)) === 0n) return `2^${n.toString(2).length - 1}`;
  return count(n);
}

export function ipRanges(s: IpSet, max = 4): string {
  const parts: string[] = [];
  for (const [family, r] of [[4, s.v4], [6, s.v6]] as const) {
    for (let i = 0; i < r.length; i += 2) parts.push(formatIpRange(family, r[i] ?? 0n, r[i + 1] ?? 0n));
  }
  if (parts.length === 0) return 'no addresses';
  return parts.length > max ? `${parts.slice(0, max).join(', ')} and ${parts.length - max} more ranges` : parts.join(', ');
}

/** An ipBlock in words: range, family, addresses after `except`. */
export function ipBlockWords(peer: Peer): string[] {
  const b = peer.ipBlock;
  if (!b) return [];
  const cidr = b.cidr?.value;
  const except = b.except.map((e) => e.value);
  const head = `**ipBlock** ${cidr !== undefined ? code(cidr) : '(no cidr)'}${except.length ? ` except ${except.map(code).join(', ')}` : ''}`;
  const parsed = cidr !== undefined ? parseCidr(cidr) : undefined;
  const set = cidr !== undefined ? ipBlockSet(cidr, except) : undefined;
  if (!parsed?.ok || !set) return [`${head}: not a valid CIDR, so it matches nothing (the API server rejects it).`];
  const c = parsed.cidr;
  const lines = [`${head}`, '', `IPv${c.family}, ${addressCount(set)} address${addressCount(set) === '1' ? '' : 'es'}${except.length ? ' after except' : ''}: ${ipRanges(set)}.`];
  if (!c.isCanonical) lines.push('', `${code(cidr ?? '')} has host bits set; it means ${code(c.canonical)}.`);
  const other = b.except.filter((e) => {
    const x = parseCidr(e.value);
    return x.ok && disjoint(x.cidr, c);
  });
  if (other.length) lines.push('', `${other.map((e) => code(e.value)).join(', ')} ${other.length === 1 ? 'lies' : 'lie'} outside the cidr and ${other.length === 1 ? 'excludes' : 'exclude'} nothing.`);
  lines.push('', '_ipBlocks are meant for addresses outside the cluster; whether they also match pod IPs depends on the network plugin._');
  return lines;
}

/** The effective policyTypes and why: explicit, or defaulted by the API server. */
export function policyTypesWords(p: NetworkPolicy): string[] {
  const listed = (p.policyTypes ?? []).map((t) => t.value);
  const explicit = listed.length > 0;
  const ingress = explicit ? listed.includes('Ingress') : true;
  const egress = explicit ? listed.includes('Egress') : (p.egress?.length ?? 0) > 0;
  const types = [ingress ? 'Ingress' : '', egress ? 'Egress' : ''].filter(Boolean);
  const what = types.length === 2 ? 'the pods it selects for ingress and egress' : types.length === 1 ? `the pods it selects for ${types[0]?.toLowerCase()} only` : 'nothing';
  const lines: string[] = [];
  if (explicit) {
    lines.push(`**policyTypes** [${listed.join(', ')}]: this policy isolates ${what}.`);
    const invalid = listed.filter((t) => t !== 'Ingress' && t !== 'Egress');
    if (invalid.length) lines.push('', `${invalid.map(code).join(', ')} ${invalid.length === 1 ? 'is not a policy type' : 'are not policy types'} (Ingress and Egress are case-sensitive); the API server rejects the policy.`);
  } else {
    const why = egress ? 'Ingress always, and Egress because the policy has egress rules' : `Ingress always; Egress only when the policy has egress rules${p.egress ? ', and its egress list is empty' : ''}`;
    lines.push(`**policyTypes** ${p.policyTypesKeySpan ? 'is empty' : 'is omitted'}, so the API server sets it to [${types.join(', ')}] (${why}): this policy isolates ${what}.`);
  }
  for (const [dir, on, rules] of [
    ['ingress', ingress, p.ingress],
    ['egress', egress, p.egress],
  ] as const) {
    const n = rules?.length ?? 0;
    if (!on && n > 0) lines.push('', `Its ${n} ${dir} rule${n === 1 ? ' is' : 's are'} **ignored**: ${dir === 'ingress' ? 'Ingress' : 'Egress'} is not in policyTypes.`);
    else if (on && n === 0) lines.push('', `It has no ${dir} rules, so it allows no ${dir}: the selected pods get only what other policies allow them.`);
    else if (!on) lines.push('', `It does not affect ${dir}.`);
  }
  return lines;
}

/** A `ports` entry in words: protocol, the port or range, or a named port. */
export function portWords(p: PolicyPort): string {
  const proto = p.protocol?.value ?? 'TCP';
  const port = p.port?.value;
  if (port === undefined) return `every ${proto} port`;
  if (typeof port === 'string') return `the port named ${code(port)}, ${proto}`;
  if (p.endPort) return `${proto} ${port}–${p.endPort.value} (${count(Math.max(0, p.endPort.value - port + 1))} ports)`;
  return `${proto} ${port}`;
}
