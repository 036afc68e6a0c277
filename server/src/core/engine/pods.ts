import type { ContainerPort } from '../model';
import { NAMESPACE_NAME_LABEL, namespaceLabels, type Inventory, type WorkloadInfo } from '../inventory';
import type { Labels } from '../selector';

/**
 * What policies see of a pod: its namespace (with that namespace's labels), its labels and its
 * container ports (for named ports). Workloads with the same view form one class and are
 * evaluated once.
 */
export interface PodView {
  readonly namespace: string;
  readonly namespaceLabels: Labels;
  readonly labels: Labels;
  readonly ports: readonly ContainerPort[];
}

export interface PodClass extends PodView {
  readonly id: number;
  readonly key: string;
  readonly members: WorkloadInfo[];
}

function labelsKey(labels: Labels): string {
  return [...labels].map(([k, v]) => `${k}=${v}`).sort().join('\u0001');
}

/** Only named ports tell two pods apart for policies; numbered ones are matched by number anyway. */
function portsKey(ports: readonly ContainerPort[]): string {
  return ports
    .filter((p) => p.name !== undefined)
    .map((p) => `${p.name ?? ''}/${p.protocol}/${p.port}`)
    .sort()
    .join('\u0001');
}

export function podKey(view: PodView): string {
  return `${view.namespace}\u0000${labelsKey(view.labels)}\u0000${portsKey(view.ports)}`;
}

export function workloadView(inv: Inventory, w: WorkloadInfo): PodView {
  return { namespace: w.namespace, namespaceLabels: namespaceLabels(inv, w.namespace), labels: w.labels, ports: w.workload.ports };
}

export interface PodClasses {
  readonly classes: readonly PodClass[];
  readonly byWorkload: ReadonlyMap<WorkloadInfo, PodClass>;
  readonly byNamespace: ReadonlyMap<string, readonly PodClass[]>;
}

/**
 * The classes last built, with what they depend on: the workloads (entries keep their identity while
 * their object and namespace are unchanged, see inventory.ts) and the labels of their namespaces. An
 * edit to a policy changes neither, so the next analysis takes the classes as they are instead of
 * grouping every pod of the workspace again.
 */
let last: { readonly workloads: readonly WorkloadInfo[]; readonly namespaceLabels: ReadonlyMap<string, Labels>; readonly classes: PodClasses } | undefined;

function unchanged(prev: NonNullable<typeof last>, inv: Inventory): boolean {
  const ws = inv.workloads;
  if (ws.length !== prev.workloads.length) return false;
  for (let i = 0; i < ws.length; i++) if (ws[i] !== prev.workloads[i]) return false;
  for (const [ns, labels] of prev.namespaceLabels) if (!sameLabels(labels, namespaceLabels(inv, ns))) return false;
  return true;
}

function sameLabels(a: Labels, b: Labels): boolean {
  if (a === b) return true;
  if (a.size !== b.size) return false;
  for (const [k, v] of a) if (b.get(k) !== v) return false;
  return true;
}

export function buildClasses(inv: Inventory): PodClasses {
  if (last && unchanged(last, inv)) return last.classes;
  const classes: PodClass[] = [];
  const byKey = new Map<string, PodClass>();
  const byWorkload = new Map<WorkloadInfo, PodClass>();
  const byNamespace = new Map<string, PodClass[]>();
  for (const w of inv.workloads) {
    const view = workloadView(inv, w);
    const key = podKey(view);
    let c = byKey.get(key);
    if (!c) {
      c = { ...view, id: classes.length, key, members: [] };
      classes.push(c);
      byKey.set(key, c);
      const list = byNamespace.get(c.namespace);
      if (list) list.push(c);
      else byNamespace.set(c.namespace, [c]);
    }
    c.members.push(w);
    byWorkload.set(w, c);
  }
  const result = { classes, byWorkload, byNamespace };
  const labels = new Map<string, Labels>();
  for (const c of classes) labels.set(c.namespace, c.namespaceLabels);
  last = { workloads: inv.workloads, namespaceLabels: labels, classes: result };
  return result;
}

/**
 * The cluster DNS pods as most clusters run them (CoreDNS under the kube-dns name): rarely in the
 * manifests, so DNS checks evaluate policies against this stand-in.
 */
export function kubeDnsView(inv: Inventory): PodView {
  const ns = 'kube-system';
  const declared = inv.namespaces.get(ns)?.labels;
  return {
    namespace: ns,
    namespaceLabels: declared ?? new Map([[NAMESPACE_NAME_LABEL, ns]]),
    labels: new Map([['k8s-app', 'kube-dns']]),
    ports: [
      { container: 'coredns', name: 'dns', port: 53, protocol: 'UDP', span: { start: 0, end: 0 } },
      { container: 'coredns', name: 'dns-tcp', port: 53, protocol: 'TCP', span: { start: 0, end: 0 } },
      { container: 'coredns', name: 'metrics', port: 9153, protocol: 'TCP', span: { start: 0, end: 0 } },
    ],
  };
}

/** How netpol-analyzer names a workload: `ns/name[Kind]`; a Pod with a controller is named as its owner. */
export function workloadPeerName(w: WorkloadInfo): string {
  const o = w.workload.owner;
  if (w.workload.kind === 'Pod' && o) return `${w.namespace}/${o.name}[${o.kind}]`;
  return `${w.namespace}/${w.workload.name}[${w.workload.kind}]`;
}
