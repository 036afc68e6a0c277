/**
 * The NetworkPolicy (networking.k8s.io/v1) fields by place, with their documentation; completion
 * offers them and hovers quote them. Paths use `[]` for a sequence item.
 */
export type FieldShape = 'scalar' | 'map' | 'list' | 'scalarList';

export interface Field {
  readonly name: string;
  readonly shape: FieldShape;
  readonly doc: string;
  /** Allowed values, for enums. */
  readonly values?: readonly string[];
}

const selectorFields: readonly Field[] = [
  { name: 'matchLabels', shape: 'map', doc: 'Labels the object must carry, every one of them (AND).' },
  { name: 'matchExpressions', shape: 'list', doc: 'Set-based requirements (In, NotIn, Exists, DoesNotExist), AND-ed with matchLabels.' },
];

const peerFields: readonly Field[] = [
  { name: 'podSelector', shape: 'map', doc: "Pods by label. Alone: pods in the policy's own namespace. With namespaceSelector in the same item: those pods in the selected namespaces (AND)." },
  { name: 'namespaceSelector', shape: 'map', doc: 'Namespaces by label (every namespace has `kubernetes.io/metadata.name`). Alone: every pod in them. With podSelector in the same item: AND.' },
  { name: 'ipBlock', shape: 'map', doc: 'An IP range (CIDR) minus exceptions, meant for addresses outside the cluster. Whether it also matches pod IPs depends on the network plugin.' },
];

const portFields: readonly Field[] = [
  { name: 'protocol', shape: 'scalar', doc: 'TCP (default), UDP or SCTP. Case-sensitive.', values: ['TCP', 'UDP', 'SCTP'] },
  { name: 'port', shape: 'scalar', doc: "A port number, or the name of a container port on the destination pods. Absent: every port of the protocol. Policies apply to pod ports, not a Service's port." },
  { name: 'endPort', shape: 'scalar', doc: 'With a numeric `port`: the last port of a range `port`..`endPort`.' },
];

export const FIELDS: ReadonlyMap<string, readonly Field[]> = new Map<string, readonly Field[]>([
  [
    '',
    [
      { name: 'apiVersion', shape: 'scalar', doc: 'networking.k8s.io/v1', values: ['networking.k8s.io/v1'] },
      { name: 'kind', shape: 'scalar', doc: 'NetworkPolicy', values: ['NetworkPolicy'] },
      { name: 'metadata', shape: 'map', doc: 'Name, namespace and labels of the policy.' },
      { name: 'spec', shape: 'map', doc: 'Which pods the policy selects and what traffic it allows them.' },
    ],
  ],
  [
    'metadata',
    [
      { name: 'name', shape: 'scalar', doc: 'The policy name: a DNS subdomain, unique in its namespace.' },
      { name: 'namespace', shape: 'scalar', doc: 'The namespace the policy lives in; it selects pods of this namespace only.' },
      { name: 'labels', shape: 'map', doc: 'Labels of the policy object itself (they do not select anything).' },
      { name: 'annotations', shape: 'map', doc: 'Annotations of the policy object.' },
    ],
  ],
  [
    'spec',
    [
      { name: 'podSelector', shape: 'map', doc: 'The pods of this namespace the policy applies to. `{}` selects every pod in the namespace.' },
      { name: 'policyTypes', shape: 'scalarList', doc: 'Which directions the policy isolates: Ingress, Egress. Omitted: Ingress, plus Egress when `egress` rules exist.', values: ['Ingress', 'Egress'] },
      { name: 'ingress', shape: 'list', doc: 'Allowed incoming traffic: each rule allows its `from` peers on its `ports`. An empty list allows nothing.' },
      { name: 'egress', shape: 'list', doc: 'Allowed outgoing traffic: each rule allows its `to` peers on its `ports`. An empty list allows nothing.' },
    ],
  ],
  ['spec.podSelector', selectorFields],
  [
    'spec.ingress[]',
    [
      { name: 'from', shape: 'list', doc: 'Sources; any one of them matches (OR). Absent or empty: every source.' },
      { name: 'ports', shape: 'list', doc: 'Destination ports; any one matches. Absent or empty: every port.' },
    ],
  ],
  [
    'spec.egress[]',
    [
      { name: 'to', shape: 'list', doc: 'Destinations; any one of them matches (OR). Absent or empty: every destination.' },
      { name: 'ports', shape: 'list', doc: 'Destination ports; any one matches. Absent or empty: every port.' },
    ],
  ],
  ['spec.ingress[].from[]', peerFields],
  ['spec.egress[].to[]', peerFields],
  ['spec.ingress[].from[].podSelector', selectorFields],
  ['spec.ingress[].from[].namespaceSelector', selectorFields],
  ['spec.egress[].to[].podSelector', selectorFields],
  ['spec.egress[].to[].namespaceSelector', selectorFields],
  [
    'spec.ingress[].from[].ipBlock',
    [
      { name: 'cidr', shape: 'scalar', doc: 'The range, for example 10.0.0.0/8 or 2001:db8::/32.' },
      { name: 'except', shape: 'scalarList', doc: 'Ranges strictly inside `cidr` to leave out.' },
    ],
  ],
  ['spec.ingress[].ports[]', portFields],
  ['spec.egress[].ports[]', portFields],
]);

const expressionFields: readonly Field[] = [
  { name: 'key', shape: 'scalar', doc: 'The label key.' },
  { name: 'operator', shape: 'scalar', doc: 'In, NotIn, Exists or DoesNotExist.', values: ['In', 'NotIn', 'Exists', 'DoesNotExist'] },
  { name: 'values', shape: 'scalarList', doc: 'Required for In and NotIn; must be absent for Exists and DoesNotExist.' },
];

/** The fields valid at a path such as `spec.egress[].to[]`. */
export function fieldsAt(path: string): readonly Field[] | undefined {
  const direct = FIELDS.get(path);
  if (direct) return direct;
  if (path.endsWith('.matchExpressions[]') && FIELDS.has(path.slice(0, -'.matchExpressions[]'.length))) return expressionFields;
  // The egress ipBlock has the same fields as the ingress one.
  const alt = path.replace('spec.egress[].to[]', 'spec.ingress[].from[]');
  return FIELDS.get(alt);
}
