import type { Finding } from './diagnostics';
import type { Span } from './text';

/** The Kubernetes objects netpol reads. Everything else in a file is ignored. */
export type Protocol = 'TCP' | 'UDP' | 'SCTP';
export const PROTOCOLS: readonly Protocol[] = ['TCP', 'UDP', 'SCTP'];

export const WORKLOAD_KINDS = [
  'Pod',
  'Deployment',
  'ReplicaSet',
  'StatefulSet',
  'DaemonSet',
  'Job',
  'CronJob',
  'ReplicationController',
] as const;
export type WorkloadKind = (typeof WORKLOAD_KINDS)[number];

/** A scalar read from YAML with the range of its node. */
export interface Located<T> {
  readonly value: T;
  readonly span: Span;
}

export interface Label {
  readonly key: string;
  readonly value: string;
  readonly keySpan: Span;
  readonly valueSpan: Span;
}

export interface LabelExpression {
  readonly key: string;
  readonly operator: string;
  readonly values: readonly Located<string>[];
  readonly span: Span;
  readonly keySpan?: Span;
  readonly operatorSpan?: Span;
}

/** metav1.LabelSelector. An empty selector (no labels, no expressions) matches everything. */
export interface Selector {
  readonly span: Span;
  /** The key's span (`podSelector:`), for hovers and fixes. */
  readonly keySpan: Span;
  readonly matchLabels: readonly Label[];
  readonly matchExpressions: readonly LabelExpression[];
  /** The YAML node was not a map (for example `podSelector: app=web`): matches nothing. */
  readonly malformed: boolean;
}

export interface IPBlock {
  readonly span: Span;
  readonly keySpan: Span;
  readonly cidr: Located<string> | undefined;
  readonly except: readonly Located<string>[];
}

export interface Peer {
  readonly span: Span;
  readonly index: number;
  readonly podSelector: Selector | undefined;
  readonly namespaceSelector: Selector | undefined;
  readonly ipBlock: IPBlock | undefined;
  /** The keys of the peer's map as written (a key that is not a scalar reads as ''); undefined when it is not a map. */
  readonly keys: readonly string[] | undefined;
}

export interface PolicyPort {
  readonly span: Span;
  readonly protocol: Located<string> | undefined;
  /** A number, or a string that names a container port. */
  readonly port: Located<number | string> | undefined;
  readonly endPort: Located<number> | undefined;
}

export type Direction = 'ingress' | 'egress';

export interface Rule {
  readonly direction: Direction;
  /** 0-based position in the policy's `ingress`/`egress` list. */
  readonly index: number;
  readonly span: Span;
  /** The keys of the rule's map as written (a key that is not a scalar reads as ''); undefined when it is not a map. */
  readonly keys: readonly string[] | undefined;
  /** `from`/`to`; undefined when absent. Absent or empty means every peer. */
  readonly peers: readonly Peer[] | undefined;
  readonly peersKeySpan: Span | undefined;
  /** undefined when absent. Absent or empty means every port. */
  readonly ports: readonly PolicyPort[] | undefined;
  readonly portsKeySpan: Span | undefined;
}

interface ObjectBase {
  /** Where the object came from: the document's URI or the CLI's path. */
  readonly source: string;
  /** 0-based index of the YAML document in the file. */
  readonly docIndex: number;
  /** The object's own map (for a `List` item, the item). */
  readonly span: Span;
  readonly apiVersion: string | undefined;
  readonly name: string;
  readonly nameSpan: Span | undefined;
  /** `metadata.namespace` as written; see `namespaceOf` for the effective namespace. */
  readonly namespace: string | undefined;
  readonly namespaceSpan: Span | undefined;
  /** `metadata.labels`. */
  readonly labels: readonly Label[];
}

export interface NetworkPolicy extends ObjectBase {
  readonly kind: 'NetworkPolicy';
  /** The `spec` map, when it is one. */
  readonly specSpan: Span | undefined;
  readonly specKeySpan: Span | undefined;
  /** undefined when absent (the API server then takes the empty selector: every pod). */
  readonly podSelector: Selector | undefined;
  readonly policyTypes: readonly Located<string>[] | undefined;
  readonly policyTypesKeySpan: Span | undefined;
  /** Entries of the `policyTypes` list, whatever their type; undefined when it is not a list. */
  readonly policyTypesCount: number | undefined;
  readonly ingress: readonly Rule[] | undefined;
  readonly ingressKeySpan: Span | undefined;
  readonly egress: readonly Rule[] | undefined;
  readonly egressKeySpan: Span | undefined;
}

export interface ContainerPort {
  readonly container: string;
  readonly name: string | undefined;
  readonly port: number;
  readonly protocol: Protocol;
  readonly span: Span;
}

export interface Workload extends ObjectBase {
  readonly kind: WorkloadKind;
  /** Labels of the pods it runs: the pod template's, or a Pod's own. */
  readonly podLabels: readonly Label[];
  readonly podLabelsSpan: Span | undefined;
  readonly ports: readonly ContainerPort[];
  /** For a Pod with a controlling ownerReference: the owner, as reports name it. */
  readonly owner: { readonly kind: string; readonly name: string } | undefined;
}

export interface NamespaceObject extends ObjectBase {
  readonly kind: 'Namespace';
}

export interface ServicePort {
  readonly name: string | undefined;
  readonly port: number | undefined;
  readonly targetPort: number | string | undefined;
  readonly protocol: Protocol;
  readonly span: Span;
}

export interface ServiceObject extends ObjectBase {
  readonly kind: 'Service';
  readonly selector: readonly Label[];
  readonly ports: readonly ServicePort[];
}

export type K8sObject = NetworkPolicy | Workload | NamespaceObject | ServiceObject;

export function isWorkload(o: K8sObject): o is Workload {
  return (WORKLOAD_KINDS as readonly string[]).includes(o.kind);
}

/** The namespace an object lives in when applied without `-n`. */
export function namespaceOf(o: K8sObject, defaultNamespace: string): string {
  if (o.kind === 'Namespace') return o.name;
  return o.namespace ?? defaultNamespace;
}

export function labelMap(labels: readonly Label[]): ReadonlyMap<string, string> {
  const m = new Map<string, string>();
  for (const l of labels) m.set(l.key, l.value);
  return m;
}

/**
 * An object of an API group Kubernetes does not serve itself (`monitoring.coreos.com/v1`
 * Prometheus, an Argo Rollout): its operator may run pods netpol cannot see. Kept only for the
 * labels those pods may carry, as the resource writes them, so that a selector meant for them is
 * not taken for a typo (NP206). No spans: nothing points into it.
 */
export interface CustomResource {
  /** Its own kind, as written (`Prometheus`). */
  readonly kind: string;
  readonly name: string;
  /** `metadata.namespace` as written. */
  readonly namespace: string | undefined;
  /**
   * Label sets its pods may carry, as key-value pairs: its own `metadata.labels`, and the pod labels
   * it declares, `spec.template.metadata.labels` (a pod template) and `spec.podMetadata.labels`
   * (the Prometheus operator's resources).
   */
  readonly labelSets: readonly (readonly (readonly [string, string])[])[];
}

/**
 * One `---` document of a file, parsed on its own so that an edit re-parses only it. Its YAML
 * nodes are not kept (they are most of a parse's memory): what needs them is found while parsing
 * (`findings`), and quick fixes parse the one document again (`documentYaml` in parse.ts).
 */
export interface ParsedDocument {
  readonly index: number;
  /** Offsets of the document in the file text (its `---` line included). */
  readonly start: number;
  readonly end: number;
  /** The YAML parser read it: not a template, and the parser did not fail. */
  readonly parsed: boolean;
  readonly objects: readonly K8sObject[];
  /** Custom resources that declare labels; absent when none. */
  readonly customResources?: readonly CustomResource[];
  /** API-server findings (validate.ts), from the YAML nodes, in file offsets. */
  readonly findings: readonly Finding[];
  /** Why the document was not analysed, when it was not. */
  readonly skipped: 'template' | 'aliases' | undefined;
  readonly problems: readonly SyntaxProblem[];
}

export interface SyntaxProblem {
  readonly span: Span;
  readonly message: string;
  readonly code: string;
  readonly severity: 'error' | 'warning' | 'information';
}

export interface ParsedFile {
  readonly source: string;
  readonly text: string;
  readonly documents: readonly ParsedDocument[];
  readonly objects: readonly K8sObject[];
  /** True when the file is over the size limit: nothing was parsed. */
  readonly tooLarge: boolean;
  readonly binary: boolean;
}
