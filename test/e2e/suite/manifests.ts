// Reads the workloads and NetworkPolicies of a YAML file, with the offsets the tests point the
// cursor at, so expectations follow whatever examples/ holds instead of hard-coding lines.
import { isMap, isPair, isScalar, parseAllDocuments, type Pair, type YAMLMap } from 'yaml';

export interface Workload {
  kind: string;
  name: string;
  namespace: string;
  /** Labels of the pods it runs (pod template labels; a Pod's own labels). */
  podLabels: Record<string, string>;
}

export interface Policy {
  name: string;
  namespace: string;
  /** Offset of the `podSelector` key under spec. */
  podSelectorKey: number;
  /** spec.podSelector.matchLabels, when it is a plain map (undefined for matchExpressions etc.). */
  matchLabels: Record<string, string> | undefined;
  /** Keys written under spec. */
  specKeys: string[];
}

const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'Pod']);

function stringMap(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    for (const [k, val] of Object.entries(v)) out[k] = String(val);
  }
  return out;
}

function get(v: unknown, ...path: string[]): unknown {
  let cur = v;
  for (const p of path) {
    if (!cur || typeof cur !== 'object' || Array.isArray(cur)) return undefined;
    cur = (cur as Record<string, unknown>)[p];
  }
  return cur;
}

function pairNamed(map: YAMLMap, key: string): Pair | undefined {
  return map.items.find((p): p is Pair => isPair(p) && isScalar(p.key) && p.key.value === key);
}

export function readManifests(text: string, defaultNamespace = 'default'): { workloads: Workload[]; policies: Policy[] } {
  const workloads: Workload[] = [];
  const policies: Policy[] = [];
  for (const doc of parseAllDocuments(text)) {
    if (!('toJS' in doc)) continue;
    const obj: unknown = doc.toJS();
    const kind = get(obj, 'kind');
    const name = String(get(obj, 'metadata', 'name') ?? '');
    const namespace = String(get(obj, 'metadata', 'namespace') ?? defaultNamespace);
    if (typeof kind !== 'string') continue;
    if (WORKLOAD_KINDS.has(kind)) {
      const labels = kind === 'Pod' ? get(obj, 'metadata', 'labels') : get(obj, 'spec', 'template', 'metadata', 'labels');
      workloads.push({ kind, name, namespace, podLabels: stringMap(labels) });
    } else if (kind === 'NetworkPolicy' && isMap(doc.contents)) {
      const spec = pairNamed(doc.contents, 'spec')?.value;
      if (!isMap(spec)) continue;
      const ps = pairNamed(spec, 'podSelector');
      const offset = ps && isScalar(ps.key) ? ps.key.range?.[0] : undefined;
      if (offset === undefined) continue;
      const ml = get(obj, 'spec', 'podSelector', 'matchLabels');
      const hasExpressions = get(obj, 'spec', 'podSelector', 'matchExpressions') !== undefined;
      policies.push({
        name,
        namespace,
        podSelectorKey: offset,
        matchLabels: hasExpressions ? undefined : stringMap(ml),
        specKeys: spec.items.flatMap((p) => (isPair(p) && isScalar(p.key) ? [String(p.key.value)] : [])),
      });
    }
  }
  return { workloads, policies };
}

/** Workloads whose pods a policy's matchLabels selects (same namespace, labels a superset). */
export function selected(policy: Policy, workloads: readonly Workload[]): Workload[] {
  const ml = policy.matchLabels;
  if (ml === undefined) return [];
  return workloads.filter((w) => w.namespace === policy.namespace
    && Object.entries(ml).every(([k, v]) => w.podLabels[k] === v));
}
