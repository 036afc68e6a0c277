/**
 * The shape of a networking.k8s.io/v1 NetworkPolicy as the API server decodes it (k8s.io/api
 * networking/v1 types.go and meta/v1 ObjectMeta): every field, its JSON type, nothing else.
 * Strict decoding (kubectl's default) rejects any other field, so this is also the list of what
 * may appear.
 */

export type Schema =
  | { readonly type: 'string' }
  | { readonly type: 'integer' }
  | { readonly type: 'boolean' }
  /** intstr.IntOrString: a whole number or a string. */
  | { readonly type: 'intOrString' }
  /** map[string]string (labels, annotations, matchLabels). */
  | { readonly type: 'stringMap' }
  /** Free-form JSON (managedFields[].fieldsV1). */
  | { readonly type: 'any' }
  | { readonly type: 'list'; readonly items: Schema }
  | ObjectSchema;

export interface ObjectSchema {
  readonly type: 'object';
  /** The Go type, for messages that name it. */
  readonly name: string;
  /** What it is, for people: "a peer (an item of from/to)". */
  readonly what: string;
  readonly fields: Readonly<Record<string, Schema>>;
  /** Field names people write for another field of this object. */
  readonly meant?: Readonly<Record<string, string>>;
  /** Fields that are known not to exist here, with the reason. */
  readonly absent?: Readonly<Record<string, string>>;
  /** `fields` as a list, for fieldOf: no inherited names (`constructor`), and no hashing of each key read. */
  readonly list: readonly Field[];
}

/** A field of an object type. */
export interface Field {
  /** The name as this module spells it: compared with literals, one string is quicker than an equal copy. */
  readonly name: string;
  readonly schema: Schema;
}

function object(o: Omit<ObjectSchema, 'type' | 'list'>): ObjectSchema {
  return { type: 'object', ...o, list: Object.entries(o.fields).map(([name, schema]) => ({ name, schema })) };
}

const string: Schema = { type: 'string' };
const integer: Schema = { type: 'integer' };
const boolean: Schema = { type: 'boolean' };
const stringMap: Schema = { type: 'stringMap' };
const list = (items: Schema): Schema => ({ type: 'list', items });

const ownerReference: ObjectSchema = object({
  name: 'OwnerReference',
  what: 'an ownerReferences item',
  fields: { apiVersion: string, kind: string, name: string, uid: string, controller: boolean, blockOwnerDeletion: boolean },
});

const managedFieldsEntry: ObjectSchema = object({
  name: 'ManagedFieldsEntry',
  what: 'a managedFields item',
  fields: { manager: string, operation: string, apiVersion: string, time: string, fieldsType: string, fieldsV1: { type: 'any' }, subresource: string },
});

export const OBJECT_META: ObjectSchema = object({
  name: 'ObjectMeta',
  what: 'metadata',
  fields: {
    name: string,
    generateName: string,
    namespace: string,
    selfLink: string,
    uid: string,
    resourceVersion: string,
    generation: integer,
    creationTimestamp: string,
    deletionTimestamp: string,
    deletionGracePeriodSeconds: integer,
    labels: stringMap,
    annotations: stringMap,
    ownerReferences: list(ownerReference),
    finalizers: list(string),
    managedFields: list(managedFieldsEntry),
  },
  meant: { label: 'labels', annotation: 'annotations', ns: 'namespace' },
});

export const LABEL_SELECTOR_REQUIREMENT: ObjectSchema = object({
  name: 'LabelSelectorRequirement',
  what: 'a matchExpressions item',
  fields: { key: string, operator: string, values: list(string) },
  meant: { value: 'values', op: 'operator' },
});

export const LABEL_SELECTOR: ObjectSchema = object({
  name: 'LabelSelector',
  what: 'a label selector',
  fields: { matchLabels: stringMap, matchExpressions: list(LABEL_SELECTOR_REQUIREMENT) },
  meant: { labels: 'matchLabels', selector: 'matchLabels', expressions: 'matchExpressions' },
});

export const IP_BLOCK: ObjectSchema = object({
  name: 'IPBlock',
  what: 'an ipBlock',
  fields: { cidr: string, except: list(string) },
  meant: { cidrs: 'cidr', exceptions: 'except', excepts: 'except', exclude: 'except' },
});

export const PEER: ObjectSchema = object({
  name: 'NetworkPolicyPeer',
  what: 'a peer (an item of from/to)',
  fields: { podSelector: LABEL_SELECTOR, namespaceSelector: LABEL_SELECTOR, ipBlock: IP_BLOCK },
  meant: { ipBlocks: 'ipBlock', cidr: 'ipBlock' },
});

export const PORT: ObjectSchema = object({
  name: 'NetworkPolicyPort',
  what: 'a ports item',
  fields: { protocol: string, port: { type: 'intOrString' }, endPort: integer },
  meant: { portRange: 'endPort', toPort: 'endPort', end_port: 'endPort', targetPort: 'port', containerPort: 'port', name: 'port' },
});

export const INGRESS_RULE: ObjectSchema = object({
  name: 'NetworkPolicyIngressRule',
  what: 'an ingress rule',
  fields: { from: list(PEER), ports: list(PORT) },
  meant: { to: 'from', port: 'ports', source: 'from', sources: 'from' },
});

export const EGRESS_RULE: ObjectSchema = object({
  name: 'NetworkPolicyEgressRule',
  what: 'an egress rule',
  fields: { to: list(PEER), ports: list(PORT) },
  meant: { from: 'to', port: 'ports', destination: 'to', destinations: 'to' },
});

export const SPEC: ObjectSchema = object({
  name: 'NetworkPolicySpec',
  what: 'spec',
  fields: { podSelector: LABEL_SELECTOR, ingress: list(INGRESS_RULE), egress: list(EGRESS_RULE), policyTypes: list(string) },
  meant: { policyType: 'policyTypes', types: 'policyTypes', selector: 'podSelector' },
});

export const NETWORK_POLICY: ObjectSchema = object({
  name: 'NetworkPolicy',
  what: 'a NetworkPolicy',
  fields: { apiVersion: string, kind: string, metadata: OBJECT_META, spec: SPEC },
  absent: { status: 'a NetworkPolicy has no status; delete it' },
});

/**
 * Field `name` of an object type, if it has one. A scan, not a Map: objects have a few fields, and
 * comparing a key with names of other lengths is quicker than hashing it.
 */
export function fieldOf(o: ObjectSchema, name: string): Field | undefined {
  for (const f of o.list) if (f.name === name) return f;
  return undefined;
}

/** The object type a field holds directly or as list items, if any. */
export function objectOf(s: Schema): ObjectSchema | undefined {
  if (s.type === 'object') return s;
  if (s.type === 'list' && s.items.type === 'object') return s.items;
  return undefined;
}

/** How a value of this type is described in messages. */
export function describeType(s: Schema): string {
  switch (s.type) {
    case 'string':
      return 'a string';
    case 'integer':
      return 'a whole number';
    case 'boolean':
      return 'true or false';
    case 'intOrString':
      return 'a port number or a port name';
    case 'stringMap':
      return 'a map of strings';
    case 'any':
      return 'any value';
    case 'list':
      return 'a list';
    case 'object':
      return 'a map';
  }
}
