import { isWorkload, namespaceOf, type K8sObject, type NamespaceObject, type NetworkPolicy, type ParsedFile, type ServiceObject, type Workload } from './model';
import { toLabels, type Labels } from './selector';

export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

export interface NamespaceInfo {
  readonly name: string;
  /** Declared labels plus the automatic `kubernetes.io/metadata.name`. */
  readonly labels: Labels;
  /** The Namespace object, when the manifests declare one. */
  readonly declared: NamespaceObject | undefined;
}

export interface WorkloadInfo {
  readonly workload: Workload;
  readonly namespace: string;
  readonly labels: Labels;
}

export interface PolicyInfo {
  readonly policy: NetworkPolicy;
  readonly namespace: string;
}

/** Every object netpol knows of, from one or many files, with effective namespaces resolved. */
export interface Inventory {
  readonly defaultNamespace: string;
  readonly policies: readonly PolicyInfo[];
  readonly workloads: readonly WorkloadInfo[];
  readonly services: readonly ServiceObject[];
  /** Declared namespaces and every namespace an object lives in. */
  readonly namespaces: ReadonlyMap<string, NamespaceInfo>;
}

/**
 * Entries are reused across inventories while their object and namespace are the same: objects keep
 * their identity across edits to other documents (see parse.ts), so caches keyed by these entries
 * (compiled policies, lint results) survive an edit elsewhere.
 */
const policyInfos = new WeakMap<NetworkPolicy, PolicyInfo>();
const workloadInfos = new WeakMap<Workload, WorkloadInfo>();

function policyInfo(policy: NetworkPolicy, namespace: string): PolicyInfo {
  const known = policyInfos.get(policy);
  if (known && known.namespace === namespace) return known;
  const info = { policy, namespace };
  policyInfos.set(policy, info);
  return info;
}

function workloadInfo(workload: Workload, namespace: string): WorkloadInfo {
  const known = workloadInfos.get(workload);
  if (known && known.namespace === namespace) return known;
  const info = { workload, namespace, labels: toLabels(workload.podLabels) };
  workloadInfos.set(workload, info);
  return info;
}

export function buildInventory(files: Iterable<ParsedFile | readonly K8sObject[]>, defaultNamespace = 'default'): Inventory {
  const policies: PolicyInfo[] = [];
  const workloads: WorkloadInfo[] = [];
  const services: ServiceObject[] = [];
  const declared = new Map<string, NamespaceObject>();
  const used = new Set<string>();
  for (const f of files) {
    const objects = 'objects' in f ? f.objects : f;
    for (const o of objects) {
      if (o.kind === 'Namespace') {
        if (o.name && !declared.has(o.name)) declared.set(o.name, o);
        continue;
      }
      const ns = namespaceOf(o, defaultNamespace);
      used.add(ns);
      if (o.kind === 'NetworkPolicy') policies.push(policyInfo(o, ns));
      else if (o.kind === 'Service') services.push(o);
      else if (isWorkload(o)) workloads.push(workloadInfo(o, ns));
    }
  }
  const namespaces = new Map<string, NamespaceInfo>();
  for (const [name, obj] of declared) {
    const labels = new Map(toLabels(obj.labels));
    labels.set(NAMESPACE_NAME_LABEL, name);
    namespaces.set(name, { name, labels, declared: obj });
  }
  for (const name of used) {
    if (!namespaces.has(name)) namespaces.set(name, { name, labels: new Map([[NAMESPACE_NAME_LABEL, name]]), declared: undefined });
  }
  return { defaultNamespace, policies, workloads, services, namespaces };
}

/** The labels of a namespace by name; one the manifests never mention still has its name label. */
export function namespaceLabels(inv: Inventory, name: string): Labels {
  return inv.namespaces.get(name)?.labels ?? new Map([[NAMESPACE_NAME_LABEL, name]]);
}
