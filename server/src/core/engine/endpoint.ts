import type { Inventory, WorkloadInfo } from '../inventory';
import type { Endpoint } from './analysis';
import { formatIp, parseIp } from './ipset';

export type EndpointLookup =
  /** `name`: how sentences call it, `Deployment shop/web` or the IP address. */
  | { readonly ok: true; readonly endpoint: Endpoint; readonly name: string }
  | { readonly ok: false; readonly message: string; readonly candidates: readonly string[] };

/**
 * A peer as users write it: `namespace/name` of a workload of any kind, `namespace/Kind/name` when
 * the name is ambiguous, or an IP address (a host outside the cluster). A Pod also answers to the
 * name of its controller (`default/web-5d4f…` for a ReplicaSet's pods).
 */
export function findEndpoint(inv: Inventory, text: string): EndpointLookup {
  const t = text.trim();
  let ip = parseIp(t);
  // An IPv4-mapped IPv6 address (::ffff:a.b.c.d) is the IPv4 host, as Go's ipBlock matching takes it.
  if (ip && ip.family === 6 && ip.value >> 32n === 0xffffn) ip = { family: 4, value: ip.value & 0xffffffffn };
  if (ip) return { ok: true, endpoint: { kind: 'ip', address: ip }, name: formatIp(ip.family, ip.value) };
  const parts = t.split('/');
  if (parts.length < 2 || parts.length > 3 || parts.some((p) => p === '')) {
    return { ok: false, message: `"${text}" is neither namespace/name, namespace/Kind/name nor an IP address`, candidates: [] };
  }
  const ns = parts[0] ?? '';
  const name = parts[parts.length - 1] ?? '';
  const kind = parts.length === 3 ? (parts[1] ?? '').toLowerCase() : undefined;
  const matchesName = (w: WorkloadInfo): boolean => w.workload.name === name || (w.workload.kind === 'Pod' && w.workload.owner?.name === name);
  const matchesKind = (w: WorkloadInfo): boolean =>
    kind === undefined || w.workload.kind.toLowerCase() === kind || (w.workload.kind === 'Pod' && w.workload.owner?.kind.toLowerCase() === kind && w.workload.owner.name === name);
  const found = inv.workloads.filter((w) => w.namespace === ns && matchesName(w) && matchesKind(w));
  // Pods of one controller are one peer: any of them stands for the others.
  const distinct = new Map<string, { kind: string; name: string; w: WorkloadInfo }>();
  for (const w of found) {
    const o = w.workload.owner;
    const owned = w.workload.kind === 'Pod' && o !== undefined && o.name === name && w.workload.name !== name;
    const id = owned && o ? { kind: o.kind, name: o.name } : { kind: w.workload.kind, name: w.workload.name };
    const key = `${id.kind}/${id.name}`;
    if (!distinct.has(key)) distinct.set(key, { ...id, w });
  }
  const list = [...distinct.values()];
  const only = list.length === 1 ? list[0] : undefined;
  if (only) return { ok: true, endpoint: { kind: 'workload', workload: only.w }, name: `${only.kind} ${ns}/${only.name}` };
  if (list.length > 1) {
    const candidates = list.map((x) => `${ns}/${x.kind}/${x.name}`).sort();
    return { ok: false, message: `"${text}" is ambiguous; say which: ${candidates.join(', ')}`, candidates };
  }
  const sameName = inv.workloads.filter(matchesName).map((w) => `${w.namespace}/${w.workload.kind}/${w.workload.name}`);
  const hint = sameName.length ? ` (found ${[...new Set(sameName)].sort().join(', ')})` : '';
  return { ok: false, message: `no workload "${text}" in the manifests${hint}`, candidates: [] };
}
