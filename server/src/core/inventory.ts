import { isWorkload, namespaceOf, type CustomResource, type K8sObject, type NamespaceObject, type NetworkPolicy, type ParsedFile, type Selector, type ServiceObject, type Workload } from './model';
import type { DnsLintMemo } from './diagnostics';
import type { CompiledPolicy } from './engine/policy';
import type { PolicyLintMemo } from './lints';
import { NAMESPACE_NAME_LABEL, pinOf, selects, toLabels, type Labels, type Requirement } from './selector';
import { intern } from './text';

export { NAMESPACE_NAME_LABEL } from './selector';

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

/** A custom resource in its effective namespace, with the label sets its pods may carry. */
export interface CustomResourceInfo {
  readonly resource: CustomResource;
  readonly namespace: string;
  readonly labelSets: readonly Labels[];
}

/**
 * Whether a custom resource declares pod labels that a selector (absent: every pod) matches (`reqs`:
 * its requirements, when it is valid): its operator may run the pods the selector means.
 */
export function runsMatching(c: CustomResourceInfo, sel: Selector | undefined, reqs?: readonly Requirement[]): boolean {
  return c.labelSets.some((labels) => !sel || selects(sel, reqs, labels));
}

export interface PolicyInfo {
  readonly policy: NetworkPolicy;
  readonly namespace: string;
  /** What analyses keep with the entry; entries made outside buildInventory have none. */
  readonly cache?: PolicyCache;
}

/**
 * Results kept with a policy entry. An entry lives as long as its policy object and namespace are
 * unchanged (see below), which these results depend on besides what each checks itself, and a field
 * costs far less than a WeakMap entry for thousands of policies on every edit (the insertion, and
 * the garbage collector's pass over weak entries).
 */
export interface PolicyCache {
  /** engine/policy.ts */
  compiled: CompiledPolicy | undefined;
  /** lints.ts */
  lints: PolicyLintMemo | undefined;
  /** diagnostics.ts (the DNS lint) */
  dns: DnsLintMemo | undefined;
}

/** Every object netpol knows of, from one or many files, with effective namespaces resolved. */
export interface Inventory {
  readonly defaultNamespace: string;
  readonly policies: readonly PolicyInfo[];
  readonly workloads: readonly WorkloadInfo[];
  readonly services: readonly ServiceObject[];
  /** Declared namespaces and every namespace an object lives in. */
  readonly namespaces: ReadonlyMap<string, NamespaceInfo>;
  /** Custom resources that declare labels (their operators may run pods with them); absent: none. */
  readonly customResources?: readonly CustomResourceInfo[];
}

/**
 * Entries are reused across inventories while their object and namespace are the same: objects keep
 * their identity across edits to other documents (see parse.ts), so caches keyed by these entries
 * (compiled policies, lint results) survive an edit elsewhere.
 */
const policyInfos = new WeakMap<NetworkPolicy, PolicyInfo>();
const workloadInfos = new WeakMap<Workload, WorkloadInfo>();
const customInfos = new WeakMap<CustomResource, CustomResourceInfo>();

function policyInfo(policy: NetworkPolicy, namespace: string): PolicyInfo {
  const known = policyInfos.get(policy);
  if (known && known.namespace === namespace) return known;
  const info: PolicyInfo = { policy, namespace, cache: { compiled: undefined, lints: undefined, dns: undefined } };
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

function customInfo(resource: CustomResource, namespace: string): CustomResourceInfo {
  const known = customInfos.get(resource);
  if (known && known.namespace === namespace) return known;
  const info = { resource, namespace, labelSets: resource.labelSets.map((pairs) => new Map(pairs.map(([k, v]) => [intern(k), intern(v)] as const))) };
  customInfos.set(resource, info);
  return info;
}

export function buildInventory(files: Iterable<ParsedFile | readonly K8sObject[]>, defaultNamespace = 'default'): Inventory {
  const policies: PolicyInfo[] = [];
  const workloads: WorkloadInfo[] = [];
  const services: ServiceObject[] = [];
  const customResources: CustomResourceInfo[] = [];
  const declared = new Map<string, NamespaceObject>();
  const used = new Set<string>();
  for (const f of files) {
    if ('documents' in f) {
      for (const d of f.documents) for (const c of d.customResources ?? []) customResources.push(customInfo(c, intern(c.namespace ?? defaultNamespace)));
    }
    const objects = 'objects' in f ? f.objects : f;
    for (const o of objects) {
      if (o.kind === 'Namespace') {
        if (o.name && !declared.has(o.name)) declared.set(intern(o.name), o);
        continue;
      }
      // Interned: namespaces are the keys of most lookups of the lints.
      const ns = intern(namespaceOf(o, defaultNamespace));
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
  return { defaultNamespace, policies, workloads, services, namespaces, customResources };
}

/** The labels of a namespace by name; one the manifests never mention still has its name label. */
export function namespaceLabels(inv: Inventory, name: string): Labels {
  return inv.namespaces.get(name)?.labels ?? new Map([[NAMESPACE_NAME_LABEL, name]]);
}

const policyNames = new WeakMap<Inventory, ReadonlyMap<string, readonly PolicyInfo[]>>();

/**
 * Named policies by `namespace/name`, in inventory order, once per inventory: applying several
 * leaves the last one (the engine), and NP108 reports the others (validate.ts), for every file
 * checked against the inventory.
 */
export function policiesByName(inv: Inventory): ReadonlyMap<string, readonly PolicyInfo[]> {
  let m = policyNames.get(inv);
  if (m) return m;
  const byName = new Map<string, PolicyInfo[]>();
  for (const pi of inv.policies) {
    if (pi.policy.name === '') continue;
    const k = `${pi.namespace}/${pi.policy.name}`;
    const list = byName.get(k);
    if (list) list.push(pi);
    else byName.set(k, [pi]);
  }
  policyNames.set(inv, (m = byName));
  return m;
}

/**
 * Workloads by namespace and by pod label, built once per inventory (`workloadIndex`): the lints
 * match the selectors of thousands of policies, and scanning every workload of a namespace for each
 * would be quadratic. Lists are in inventory order.
 */
export class WorkloadIndex {
  private readonly byNamespace = new Map<string, WorkloadInfo[]>();
  /** Namespace → label key → label value → the workloads whose pods carry it. */
  private readonly byLabel = new Map<string, Map<string, Map<string, WorkloadInfo[]>>>();

  constructor(inv: Inventory) {
    for (const w of inv.workloads) {
      const list = this.byNamespace.get(w.namespace);
      if (list) list.push(w);
      else this.byNamespace.set(w.namespace, [w]);
      let keys = this.byLabel.get(w.namespace);
      if (!keys) this.byLabel.set(w.namespace, (keys = new Map()));
      for (const [k, v] of w.labels) {
        let values = keys.get(k);
        if (!values) keys.set(k, (values = new Map()));
        const ws = values.get(v);
        if (ws) ws.push(w);
        else values.set(v, [w]);
      }
    }
  }

  /** The workloads of a namespace. */
  in(namespace: string): readonly WorkloadInfo[] {
    return this.byNamespace.get(namespace) ?? NO_WORKLOADS;
  }

  /** The workloads of a namespace whose pods carry the label `key: value`. */
  withLabel(namespace: string, key: string, value: string): readonly WorkloadInfo[] {
    return this.byLabel.get(namespace)?.get(key)?.get(value) ?? NO_WORKLOADS;
  }

  /**
   * The workloads of a namespace with a label that every pod the selector selects carries (its first
   * `key In [value]` requirement, or for an invalid selector its first matchLabels pair): the few to
   * test it on. Undefined when it names no such label. `reqs`: its requirements when it is valid
   * (selector.ts).
   */
  narrowed(namespace: string, selector: Selector, reqs: readonly Requirement[] | undefined): readonly WorkloadInfo[] | undefined {
    if (reqs) {
      const pin = pinOf(reqs);
      return pin && this.withLabel(namespace, pin.key, pin.only);
    }
    const first = selector.matchLabels[0];
    return first && this.withLabel(namespace, first.key, first.value);
  }

  /** The workloads of a namespace that a podSelector (absent: every pod) selects; `reqs` as for `narrowed`. */
  selecting(namespace: string, selector: Selector | undefined, reqs: readonly Requirement[] | undefined): readonly WorkloadInfo[] {
    if (!selector) return this.in(namespace);
    return (this.narrowed(namespace, selector, reqs) ?? this.in(namespace)).filter((w) => selects(selector, reqs, w.labels));
  }
}

const NO_WORKLOADS: readonly WorkloadInfo[] = [];
const workloadIndexes = new WeakMap<Inventory, WorkloadIndex>();

export function workloadIndex(inv: Inventory): WorkloadIndex {
  let ix = workloadIndexes.get(inv);
  if (!ix) workloadIndexes.set(inv, (ix = new WorkloadIndex(inv)));
  return ix;
}
