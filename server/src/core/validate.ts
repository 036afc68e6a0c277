/**
 * API-server parity: what `kubectl apply` and the API server reject in a NetworkPolicy, found in
 * the YAML before it reaches a cluster. Two layers, as in Kubernetes:
 *
 * - strict decoding, from the schema (schema.ts): unknown fields, values of the wrong JSON type,
 *   judged the way kubectl reads YAML (YAML 1.1: unquoted `yes`/`on` are booleans);
 * - validation (pkg/apis/networking/validation ValidateNetworkPolicy and the metav1 label
 *   selector checks), on the values that decoded.
 *
 * It walks the YAML nodes, not the model, because the model drops what does not fit (a boolean
 * port, a string endPort) and exactly that must be reported. Every range is a node's own range
 * plus the document's start. Never throws on user input.
 */
import { Alias, Scalar, YAMLMap, YAMLSeq, type Node } from 'yaml';
import { resolveAlias, type YamlTree } from './alias';
import { parseCidr, strictlyWithin, type Cidr } from './cidr';
import type { Finding, RelatedPlace } from './diagnostics';
import { policiesByName, type Inventory } from './inventory';
import { namespaceOf, type K8sObject, type ParsedFile } from './model';
import { dns1123LabelProblems, isLabelValue, isPortNumber, isQualifiedName, joinProblems, labelValueProblems, objectNameProblems, portNameProblems, portNumberProblems, qualifiedNameProblems } from './names';
import { rule, type RuleCode } from './rules';
import { NETWORK_POLICY, describeType, fieldOf, objectOf, type ObjectSchema, type Schema } from './schema';
import { closest } from './suggest';
import { span, type Span } from './text';

// Node types by class, not by yaml's isScalar/isMap…: those read a symbol-keyed property that yaml's
// nodes define on themselves, a megamorphic load (they come in many shapes) that took a fifth of the
// walk. Nodes come from this `yaml` module or from blockyaml.ts, which builds on its prototypes.
// A failed instanceof walks the whole prototype chain, so the likeliest class is tested first.
const isAlias = (n: unknown): n is Alias => n instanceof Alias;
const isScalar = (n: unknown): n is Scalar => n instanceof Scalar;
const isMap = (n: unknown): n is YAMLMap => n instanceof YAMLMap;
const isSeq = (n: unknown): n is YAMLSeq => n instanceof YAMLSeq;
const isNode = (n: unknown): n is Node => n instanceof Scalar || n instanceof YAMLMap || n instanceof YAMLSeq || n instanceof Alias;

export const NETWORK_POLICY_API_VERSION = 'networking.k8s.io/v1';
export const PROTOCOL_NAMES: readonly string[] = ['TCP', 'UDP', 'SCTP'];
export const POLICY_TYPE_NAMES: readonly string[] = ['Ingress', 'Egress'];
export const SELECTOR_OPERATORS: readonly string[] = ['In', 'NotIn', 'Exists', 'DoesNotExist'];

/** Plain scalars that YAML 1.1 (kubectl's YAML reader) reads as booleans; YAML 1.2 reads them as strings. */
const YAML11_BOOLEANS = new Set(['y', 'Y', 'yes', 'Yes', 'YES', 'n', 'N', 'no', 'No', 'NO', 'on', 'On', 'ON', 'off', 'Off', 'OFF']);

/** What a label-map value must be. */
const STRING: Schema = { type: 'string' };

/** Alias dereferences allowed per document, as in parse.ts: aliases can multiply work exponentially. */
const MAX_ALIASES = 1000;

/**
 * The API-server findings of one parsed YAML document, in file offsets (`base` is the document's
 * start). parse.ts calls this while the document's nodes are alive and keeps the result with the
 * document, so an edit in a file of thousands of policies re-validates one document, not all.
 */
export function validateYaml(doc: YamlTree, base: number): Finding[] {
  const out: Finding[] = [];
  new Walker(base, doc, out).top(doc.contents);
  return out;
}

/** Every API-server error (and the few API warnings) for the NetworkPolicies of one file. */
export function validateFile(file: ParsedFile, inv: Inventory): Finding[] {
  const out: Finding[] = [];
  for (const d of file.documents) {
    // A loop, not push(...): a spread of a hundred thousand findings overflows the stack.
    for (const f of d.findings) out.push(f);
  }
  checkDuplicates(file, inv, out);
  const seen = new Set<string>();
  out.sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end);
  // An anchored node used twice is checked twice; report it once.
  return out.filter((f) => {
    const k = `${f.code}:${f.span.start}:${f.span.end}:${f.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function finding(code: RuleCode, at: Span, message: string): Finding {
  return { code, severity: rule(code).severity, message, span: at };
}

// Values are quoted into messages: a megabyte label value must not make a megabyte message.
const q = (s: string): string => JSON.stringify(s.length > 100 ? `${s.slice(0, 100)}…` : s);

/** A list item's label for messages (`ports[2]`); `index` -1 is the label itself. */
const indexed = (label: string, index: number): string => (index < 0 ? label : `${label}[${index}]`);

/** What a typed list (NetworkPolicyList) says about its items. */
interface Implied {
  readonly kind: string;
  readonly apiVersion: string | undefined;
  /** The list's apiVersion, where an error about it goes. */
  readonly at: Span;
}

/**
 * Where a finding about an object as a whole goes (a missing field), worked out only when one is
 * reported: a span; a map, meaning its first line (headSpan); or another node, meaning its range.
 */
type At = Span | Node;

/** A field of a decoded object. */
interface Entry {
  readonly name: string;
  readonly key: Node;
  /** The value as written (an alias stays an alias): where type errors point. */
  readonly use: Node | undefined;
  /** The value with aliases resolved; undefined when null or absent. */
  readonly value: Node | undefined;
  /** False when the value has the wrong type (already reported). */
  readonly ok: boolean;
  /** The field decoded before this one in the object (Fields is a chain of them). */
  readonly next: Entry | undefined;
}

/**
 * The decoded fields of an object: a chain of entries, newest first, not a Map, since one is made
 * per object and holds a few. Entry names are schema.ts's own strings, so a lookup by a literal
 * compares one string with itself.
 */
class Fields {
  private last: Entry | undefined;

  /** The field's value as decoded: a repeated key's last value, as in decoding. */
  get(name: string): Entry | undefined {
    for (let e = this.last; e; e = e.next) if (e.name === name) return e;
    return undefined;
  }

  add(name: string, key: Node, use: Node | undefined, value: Node | undefined, ok: boolean): void {
    this.last = { name, key, use, value, ok, next: this.last };
  }
}

/** A field of a map: its key node, its name, the value as the pair holds it (deref it). */
interface MapField {
  readonly key: Node;
  readonly name: string;
  readonly value: unknown;
}

/** The name of a field whose key is a map or a list. */
const COMPLEX_KEY = '(a complex key)';

/** A value as written, given what deref made of it: the node itself, or the alias that led to it. */
function written(pairValue: unknown, value: Node | undefined): Node | undefined {
  return value !== undefined && value === pairValue ? value : isAlias(pairValue) ? pairValue : undefined;
}

/**
 * A map whose keys are all scalars, none a merge key (`<<`): nearly every map. Its fields are its
 * pairs as they stand, named by their keys; the others go the long way, through pairs().
 */
function isSimple(map: YAMLMap): map is YAMLMap<Scalar, unknown> {
  for (const p of map.items) {
    const key: unknown = p.key;
    if (!isScalar(key) || (key.value === '<<' && key.type === 'PLAIN')) return false;
  }
  return true;
}

/** A key's field name. */
function nameOf(key: Node): string {
  return isScalar(key) ? String(key.value) : COMPLEX_KEY;
}

/** How kubectl's YAML → JSON conversion sees a node. */
type JsonKind = 'null' | 'string' | 'yaml11bool' | 'boolean' | 'integer' | 'float' | 'map' | 'seq' | 'other';

function scalarKind(node: Scalar): JsonKind {
  const v = node.value;
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return v.length <= 3 && node.type === 'PLAIN' && !node.tag && YAML11_BOOLEANS.has(v) ? 'yaml11bool' : 'string';
  if (typeof v === 'boolean') return 'boolean';
  if (typeof v === 'bigint') return 'integer';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'float';
  return 'other';
}

class Walker {
  private aliases = 0;

  constructor(
    private readonly base: number,
    private readonly doc: YamlTree,
    private readonly out: Finding[],
  ) {}

  private report(code: RuleCode, at: Span, message: string): void {
    this.out.push(finding(code, at, message));
  }

  private where(at: At): Span {
    if (isMap(at)) return this.headSpan(at);
    return isNode(at) ? this.span(at) : at;
  }

  // --- the objects of a document ---

  top(node: unknown): void {
    const map = this.map(node);
    if (!map) return;
    const kind = this.stringAt(map, 'kind');
    const items = this.deref(this.pairValue(map, 'items'));
    if (kind !== undefined && kind.endsWith('List') && isSeq(items)) {
      // `kind: List` items carry their own kind; a typed list (NetworkPolicyList) implies it.
      const api = this.scalar(this.pairValue(map, 'apiVersion'));
      const implied = kind === 'List' ? undefined : { kind: kind.slice(0, -'List'.length), apiVersion: typeof api?.value === 'string' ? api.value : undefined, at: api ? this.span(api) : this.span(map) };
      for (const item of items.items) {
        const m = this.map(item);
        if (m) this.object(m, implied);
      }
      return;
    }
    this.object(map, undefined);
  }

  private object(map: YAMLMap, implied: Implied | undefined): void {
    const kindNode = this.scalar(this.pairValue(map, 'kind'));
    const kind = typeof kindNode?.value === 'string' ? kindNode.value : implied?.kind;
    if (kind === undefined) return;
    if (kind !== 'NetworkPolicy' && kind.toLowerCase() !== 'networkpolicy') return;
    const at: At = kindNode ?? map;
    if (kind !== 'NetworkPolicy') this.report('NP106', this.where(at), `Kinds are case-sensitive: write kind: NetworkPolicy, not ${kind}.`);
    this.apiVersion(map, at, implied);
    const fields = this.walkObject(map, NETWORK_POLICY, undefined, at);
    const meta = fields.get('metadata');
    if (!meta || (meta.ok && !meta.value)) {
      this.report('NP107', meta ? this.span(meta.key) : this.where(at), 'metadata.name is required: every NetworkPolicy needs a name (a DNS subdomain such as allow-web).');
    }
  }

  private apiVersion(map: YAMLMap, kindAt: At, implied: Implied | undefined): void {
    const pair = this.pairValue(map, 'apiVersion');
    const node = this.scalar(pair);
    if (pair !== undefined && !(node && (node.value === null || typeof node.value === 'string'))) return; // a wrong type, reported by the schema walk
    const own = typeof node?.value === 'string' ? node.value : undefined;
    const value = own ?? implied?.apiVersion;
    if (value === NETWORK_POLICY_API_VERSION) return;
    const at = node && own !== undefined ? this.span(node) : implied?.apiVersion !== undefined ? implied.at : this.where(kindAt);
    if (value === undefined || value === '') {
      this.report('NP106', at, `apiVersion is missing: a NetworkPolicy needs apiVersion: ${NETWORK_POLICY_API_VERSION}.`);
    } else if (value === 'extensions/v1beta1') {
      this.report('NP106', at, `extensions/v1beta1 NetworkPolicy was removed in Kubernetes 1.16; use apiVersion: ${NETWORK_POLICY_API_VERSION} (the fields are the same).`);
    } else if (value.startsWith('networking.k8s.io/')) {
      this.report('NP106', at, `NetworkPolicy is served only as ${NETWORK_POLICY_API_VERSION}; there is no ${value}. Use apiVersion: ${NETWORK_POLICY_API_VERSION}.`);
    } else {
      this.report('NP106', at, `NetworkPolicy is not part of ${value}; use apiVersion: ${NETWORK_POLICY_API_VERSION}.`);
    }
  }

  // --- strict decoding against the schema ---

  /**
   * Check a map against an object schema: unknown fields, field types, then the object's own
   * validation. `at` is where "missing field" errors go (the key that holds the object, or the
   * list item's first line).
   */
  private walkObject(map: YAMLMap | undefined, schema: ObjectSchema, parent: ObjectSchema | undefined, at: At): Fields {
    const fields = new Fields();
    let unknown = 0;
    if (map && isSimple(map)) {
      // Its pairs as they stand, without the list pairs() would make.
      for (const p of map.items) unknown += this.walkField(fields, p.key, String(p.key.value), p.value, schema, parent);
    } else if (map) {
      for (const f of this.pairs(map)) unknown += this.walkField(fields, f.key, f.name, f.value, schema, parent);
    }
    this.validateObject(schema, fields, unknown, at);
    return fields;
  }

  /** One field of an object into `fields`, its value as the pair holds it; 1 when it is unknown (and reported), else 0. */
  private walkField(fields: Fields, key: Node, name: string, pairValue: unknown, schema: ObjectSchema, parent: ObjectSchema | undefined): number {
    const field = fieldOf(schema, name);
    if (!field) {
      this.unknownField(name, key, schema, parent);
      return 1;
    }
    let value: Node | undefined;
    let use: Node | undefined;
    let kind: JsonKind;
    if (isScalar(pairValue)) {
      // The usual value: no alias to resolve, one type test.
      value = use = pairValue;
      kind = scalarKind(pairValue);
    } else {
      value = this.deref(pairValue);
      use = written(pairValue, value);
      kind = this.jsonKind(value);
    }
    const ok = this.walkValue(value, kind, use, field.schema, key, field.name, -1, schema);
    fields.add(field.name, key, use, kind === 'null' && this.isNull(value) ? undefined : value, ok);
    return 0;
  }

  /**
   * Type-check one value; false when it has the wrong type (and was reported). Null is always fine:
   * it decodes to the zero value. `label` names the value in messages, `index` (-1 for none) is
   * its place in a list: joined only when a message needs them.
   */
  private walkValue(value: Node | undefined, kind: JsonKind, use: Node | undefined, schema: Schema, key: Node | undefined, label: string, index: number, owner: ObjectSchema): boolean {
    if (kind === 'null') return true;
    switch (schema.type) {
      case 'string':
        return kind === 'string' || this.typeError(value, use, key, schema, label, index, kind);
      case 'integer':
        return kind === 'integer' || this.typeError(value, use, key, schema, label, index, kind);
      case 'boolean':
        return kind === 'boolean' || kind === 'yaml11bool' || this.typeError(value, use, key, schema, label, index, kind);
      case 'intOrString':
        return kind === 'integer' || kind === 'string' || this.typeError(value, use, key, schema, label, index, kind);
      case 'any':
        return true;
      case 'stringMap': {
        if (!isMap(value)) return this.typeError(value, use, key, schema, label, index, kind);
        if (isSimple(value)) for (const p of value.items) this.walkString(p.key, String(p.key.value), p.value, label, index);
        else for (const p of this.pairs(value)) this.walkString(p.key, p.name, p.value, label, index);
        return true;
      }
      case 'list': {
        if (!isSeq(value)) return this.typeError(value, use, key, schema, label, index, kind);
        const itemSchema = schema.items;
        const items = value.items;
        // Item labels (ports[2]) extend this one; a list inside a list item needs it joined.
        const list = index < 0 ? label : indexed(label, index);
        for (let i = 0; i < items.length; i++) {
          const item = items[i];
          if (itemSchema.type !== 'object') {
            if (isScalar(item)) this.walkValue(item, scalarKind(item), item, itemSchema, undefined, list, i, owner);
            else {
              const v = this.deref(item);
              this.walkValue(v, this.jsonKind(v), written(item, v), itemSchema, undefined, list, i, owner);
            }
            continue;
          }
          const v = this.deref(item);
          if (isMap(v)) this.walkObject(v, itemSchema, owner, v);
          else if (this.isNull(v)) this.walkObject(undefined, itemSchema, owner, key ?? value);
          else this.typeError(v, written(item, v), undefined, itemSchema, list, i, this.jsonKind(v));
        }
        return true;
      }
      case 'object':
        if (!isMap(value)) return this.typeError(value, use, key, schema, label, index, kind);
        this.walkObject(value, schema, owner, key ?? value);
        return true;
    }
  }

  /** A value of a map of strings (labels, annotations): a string or null. */
  private walkString(key: Node, name: string, pairValue: unknown, label: string, index: number): void {
    let v: Node | undefined;
    let k: JsonKind;
    if (isScalar(pairValue)) {
      // The usual value: no alias to resolve, one type test.
      v = pairValue;
      k = scalarKind(pairValue);
    } else {
      v = this.deref(pairValue);
      k = this.jsonKind(v);
    }
    if (k === 'null' || k === 'string') return;
    const map = indexed(label, index);
    const entry = /^[A-Za-z_][A-Za-z0-9_-]*$/.test(name) ? `${map}.${name}` : `${map}[${q(name)}]`;
    this.typeError(v, written(pairValue, v), key, STRING, entry, -1, k);
  }

  private typeError(value: Node | undefined, use: Node | undefined, key: Node | undefined, expected: Schema, name: string, index: number, got: JsonKind): false {
    const label = indexed(name, index);
    // A scalar is flagged itself; a block collection by its key, so the squiggle stays on one line.
    const at = use && (isScalar(use) || isAlias(use) || !key) ? this.span(use) : key ? this.span(key) : this.span(value);
    const source = isScalar(value) ? this.source(value) : '';
    let message = `${label} must be ${describeType(expected)}, not ${this.describeKind(got)}`;
    if (got === 'yaml11bool' && expected.type === 'string') {
      message = `${label} must be a string, but kubectl reads unquoted ${source} as a boolean (YAML 1.1); quote it: ${q(source)}`;
    } else if ((got === 'integer' || got === 'float' || got === 'boolean') && expected.type === 'string') {
      message = `${label} must be a string, not ${this.describeKind(got)}; quote it: ${q(source)}`;
    } else if (got === 'string' && expected.type === 'integer' && isScalar(value) && /^\s*-?\d+\s*$/.test(String(value.value))) {
      message = `${label} must be a number, not the string ${q(String(value.value))}; remove the quotes`;
    } else if (got === 'float' && (expected.type === 'integer' || expected.type === 'intOrString')) {
      message = `${label} must be a whole number, not ${source}`;
    } else if (got === 'map' && expected.type === 'list') {
      message = `${label} must be a list (items start with "- "), not a map`;
    } else if (got === 'seq' && (expected.type === 'object' || expected.type === 'stringMap')) {
      message = `${label} must be a map, not a list (remove the "- ")`;
    } else if (got === 'string' && isScalar(value)) {
      message = `${label} must be ${describeType(expected)}, not the string ${q(String(value.value))}`;
    } else if (got !== 'map' && got !== 'seq' && source !== '') {
      message = `${label} must be ${describeType(expected)}, not ${this.describeKind(got)} (${source})`;
    }
    this.report('NP105', at, `${message}.`);
    return false;
  }

  private describeKind(k: JsonKind): string {
    switch (k) {
      case 'string':
        return 'a string';
      case 'yaml11bool':
      case 'boolean':
        return 'a boolean';
      case 'integer':
        return 'a number';
      case 'float':
        return 'a fractional number';
      case 'map':
        return 'a map';
      case 'seq':
        return 'a list';
      default:
        return 'this value';
    }
  }

  private unknownField(name: string, key: Node, schema: ObjectSchema, parent: ObjectSchema | undefined): void {
    const at = this.span(key);
    const where = `in ${schema.what}`;
    const absent = schema.absent && Object.hasOwn(schema.absent, name) ? schema.absent[name] : undefined;
    if (absent) {
      this.report('NP104', at, `Unknown field ${q(name)} ${where}: ${absent}.`);
      return;
    }
    const names = Object.keys(schema.fields);
    const meant = schema.meant && Object.hasOwn(schema.meant, name) ? schema.meant[name] : undefined;
    const near = meant ?? closest(name, names);
    if (near !== undefined) {
      const why = near.toLowerCase() === name.toLowerCase() ? ' (field names are case-sensitive)' : '';
      this.report('NP104', at, `Unknown field ${q(name)} ${where}: did you mean ${q(near)}?${why}`);
      return;
    }
    // A field of a neighbouring object: one level too deep or too shallow.
    const under = names.filter((f) => {
      const s = schema.fields[f];
      const o = s ? objectOf(s) : undefined;
      return o !== undefined && Object.hasOwn(o.fields, name);
    });
    if (under.length) {
      this.report('NP104', at, `Unknown field ${q(name)} ${where}: it belongs inside ${under.map(q).join(' or ')}; check the indentation.`);
      return;
    }
    if (parent && Object.hasOwn(parent.fields, name)) {
      this.report('NP104', at, `Unknown field ${q(name)} ${where}: it belongs one level up, in ${parent.what}; check the indentation.`);
      return;
    }
    this.report('NP104', at, `Unknown field ${q(name)} ${where}; kubectl rejects unknown fields. The fields here are ${names.join(', ')}.`);
  }

  // --- validation of decoded objects ---

  private validateObject(schema: ObjectSchema, fields: Fields, unknown: number, at: At): void {
    switch (schema.name) {
      case 'ObjectMeta':
        return this.checkMeta(fields, unknown, at);
      case 'NetworkPolicySpec':
        return this.checkPolicyTypes(fields);
      case 'LabelSelector':
        return this.checkLabels(fields.get('matchLabels'));
      case 'LabelSelectorRequirement':
        return this.checkRequirement(fields, unknown, at);
      case 'NetworkPolicyPeer':
        return this.checkPeer(fields, unknown, at);
      case 'IPBlock':
        return this.checkIpBlock(fields, unknown, at);
      case 'NetworkPolicyPort':
        return this.checkPort(fields);
    }
  }

  /** ValidateObjectMeta: name (or generateName), namespace, labels and annotation keys. */
  private checkMeta(fields: Fields, unknown: number, at: At): void {
    const name = this.stringEntry(fields.get('name'));
    const generateName = this.stringEntry(fields.get('generateName'));
    const nameEntry = fields.get('name');
    if (name && name.value !== '') {
      const p = objectNameProblems(name.value, false);
      if (p.length) this.report('NP107', this.span(name.at), `metadata.name ${q(name.value)} is not a valid name: it ${joinProblems(p)}.`);
    } else if (!(generateName && generateName.value !== '') && (!nameEntry || nameEntry.ok) && !(unknown > 0 && !nameEntry)) {
      this.report('NP107', name ? this.span(name.at) : nameEntry ? this.span(nameEntry.key) : this.where(at), 'metadata.name is required: every NetworkPolicy needs a name (a DNS subdomain such as allow-web).');
    }
    if (generateName && generateName.value !== '') {
      const p = objectNameProblems(generateName.value, true);
      if (p.length) this.report('NP107', this.span(generateName.at), `metadata.generateName ${q(generateName.value)} is not a valid name prefix: it ${joinProblems(p)}.`);
    }
    const ns = this.stringEntry(fields.get('namespace'));
    if (ns && ns.value !== '') {
      const p = dns1123LabelProblems(ns.value);
      if (p.length) this.report('NP107', this.span(ns.at), `metadata.namespace ${q(ns.value)} is not a valid namespace name (a DNS label): it ${joinProblems(p)}.`);
    }
    this.checkLabels(fields.get('labels'));
    const annotations = fields.get('annotations');
    if (annotations?.ok && isMap(annotations.value)) {
      for (const p of this.pairs(annotations.value)) {
        // ValidateAnnotations checks the key lowercased: annotation keys may have upper case.
        const lower = p.name.toLowerCase();
        if (isQualifiedName(lower)) continue;
        const problems = qualifiedNameProblems(lower);
        if (problems.length) this.report('NP109', this.span(p.key), `Annotation key ${q(p.name)} is not valid: it ${joinProblems(problems)}.`);
      }
    }
  }

  /** ValidateLabels: each key a qualified name, each value a label value. */
  private checkLabels(entry: Entry | undefined): void {
    if (!entry?.ok || !isMap(entry.value)) return;
    const map = entry.value;
    if (isSimple(map)) for (const p of map.items) this.checkLabel(p.key, String(p.key.value), p.value);
    else for (const p of this.pairs(map)) this.checkLabel(p.key, p.name, p.value);
  }

  private checkLabel(key: Node, name: string, pairValue: unknown): void {
    if (!isQualifiedName(name)) {
      const keyProblems = qualifiedNameProblems(name);
      if (keyProblems.length) this.report('NP109', this.span(key), `Label key ${q(name)} is not valid: it ${joinProblems(keyProblems)}.`);
    }
    const v = isScalar(pairValue) ? pairValue : this.scalar(pairValue);
    if (!v || typeof v.value !== 'string' || isLabelValue(v.value) || scalarKind(v) !== 'string') return;
    const valueProblems = labelValueProblems(v.value);
    if (valueProblems.length) this.report('NP110', this.span(v), `Label value ${q(v.value)} is not valid: it ${joinProblems(valueProblems)}.`);
  }

  /** ValidateLabelSelectorRequirement. */
  private checkRequirement(fields: Fields, unknown: number, at: At): void {
    const keyEntry = fields.get('key');
    const key = this.stringEntry(keyEntry);
    if (key && key.value !== '') {
      const p = isQualifiedName(key.value) ? [] : qualifiedNameProblems(key.value);
      if (p.length) this.report('NP109', this.span(key.at), `Label key ${q(key.value)} is not valid: it ${joinProblems(p)}.`);
    } else if (keyEntry ? keyEntry.ok : unknown === 0) {
      this.report('NP111', key ? this.span(key.at) : this.where(at), 'This matchExpressions item has no key: set key to the label key it tests.');
    }

    const opEntry = fields.get('operator');
    const op = this.stringEntry(opEntry);
    const valuesEntry = fields.get('values');
    const values = valuesEntry?.ok && isSeq(valuesEntry.value) ? valuesEntry.value.items : [];
    for (const item of values) {
      const v = this.deref(item);
      if (!isScalar(v) || typeof v.value !== 'string' || isLabelValue(v.value) || this.jsonKind(v) !== 'string') continue;
      const p = labelValueProblems(v.value);
      if (p.length) this.report('NP110', this.span(v), `Label value ${q(v.value)} is not valid: it ${joinProblems(p)}.`);
    }
    if (opEntry && !opEntry.ok) return;
    if (!op || op.value === '') {
      if (!opEntry && unknown > 0) return;
      this.report('NP111', op ? this.span(op.at) : this.where(at), 'This matchExpressions item has no operator: use In, NotIn, Exists or DoesNotExist.');
      return;
    }
    if (!SELECTOR_OPERATORS.includes(op.value)) {
      const symbolic: Record<string, string> = { '=': 'In', '==': 'In', '!=': 'NotIn', Equals: 'In', NotEquals: 'NotIn' };
      const near = Object.hasOwn(symbolic, op.value) ? symbolic[op.value] : closest(op.value, SELECTOR_OPERATORS);
      this.report('NP111', this.span(op.at), `${q(op.value)} is not a selector operator${near ? `; did you mean ${near}?` : '.'} The operators are In, NotIn, Exists and DoesNotExist (case-sensitive).`);
      return;
    }
    if (valuesEntry && !valuesEntry.ok) return;
    if ((op.value === 'In' || op.value === 'NotIn') && values.length === 0 && (valuesEntry || unknown === 0)) {
      this.report('NP111', this.span(valuesEntry ? valuesEntry.key : op.at), `Operator ${op.value} needs at least one value in values.`);
    } else if ((op.value === 'Exists' || op.value === 'DoesNotExist') && values.length > 0 && valuesEntry) {
      this.report('NP111', this.span(valuesEntry.key), `Operator ${op.value} takes no values; remove values (or use ${op.value === 'Exists' ? 'In' : 'NotIn'} to test them).`);
    }
  }

  /** ValidateNetworkPolicyPeer: at least one of the three; ipBlock alone. */
  private checkPeer(fields: Fields, unknown: number, at: At): void {
    const pod = fields.get('podSelector');
    const ns = fields.get('namespaceSelector');
    const ip = fields.get('ipBlock');
    if (pod?.value === undefined && ns?.value === undefined && ip?.value === undefined) {
      if (unknown > 0) return; // the unknown field is the real mistake (a misspelt selector)
      const nullKey = pod ?? ns ?? ip;
      if (nullKey) {
        const name = isScalar(nullKey.key) ? String(nullKey.key.value) : 'the selector';
        const hint = name === 'ipBlock' ? 'give it a cidr' : `write ${name}: {} to select every ${name === 'podSelector' ? 'pod' : 'namespace'}`;
        this.report('NP112', this.span(nullKey.key), `${name} is empty (null), which the API server reads as absent, so this peer selects nothing and is rejected; ${hint}.`);
      } else {
        this.report('NP112', this.where(at), 'A peer needs podSelector, namespaceSelector or ipBlock; an empty peer is rejected. (To allow everyone, leave out from/to altogether.)');
      }
      return;
    }
    if (ip?.value !== undefined && (pod?.value !== undefined || ns?.value !== undefined)) {
      const others = [pod?.value !== undefined ? 'podSelector' : '', ns?.value !== undefined ? 'namespaceSelector' : ''].filter((k) => k !== '').join(' and ');
      this.report('NP112', this.span(ip.key), `ipBlock cannot be combined with ${others} in one peer; make them separate items of the list (separate peers are OR-ed).`);
    }
  }

  /** ValidateIPBlock: cidr required and valid; each except valid, same family, strictly inside. */
  private checkIpBlock(fields: Fields, unknown: number, at: At): void {
    const cidrEntry = fields.get('cidr');
    const cidr = this.stringEntry(cidrEntry);
    let outer: Cidr | undefined;
    if (cidrEntry && !cidrEntry.ok) {
      // wrong type, reported
    } else if (!cidr || cidr.value === '') {
      // With an unknown field here (cidrs:, CIDR:), that spelling is the mistake to report.
      if (cidrEntry || unknown === 0) this.report('NP101', cidr ? this.span(cidr.at) : this.where(at), 'ipBlock needs a cidr, for example 10.0.0.0/8 (0.0.0.0/0 for every IPv4 address).');
    } else {
      const r = parseCidr(cidr.value);
      if (!r.ok) this.report('NP101', this.span(cidr.at), `ipBlock.cidr ${q(cidr.value)} ${r.reason}.`);
      else {
        outer = r.cidr;
        if (!r.cidr.isCanonical) {
          this.report('NP103', this.span(cidr.at), `${q(cidr.value)} has host bits set; it means ${r.cidr.canonical}. Write ${r.cidr.canonical} (API servers with StrictIPCIDRValidation reject it).`);
        }
      }
    }
    const exceptEntry = fields.get('except');
    if (!exceptEntry?.ok || !isSeq(exceptEntry.value) || !cidr || cidr.value === '') return;
    for (const item of exceptEntry.value.items) {
      const v = this.deref(item);
      // Items of the wrong type (a number, an unquoted yes) were reported by the schema walk.
      if (!isScalar(v) || (this.jsonKind(v) !== 'null' && this.jsonKind(v) !== 'string')) continue;
      const text = typeof v.value === 'string' ? v.value : '';
      const at2 = v.range && v.range[0] === v.range[1] ? exceptEntry.key : v;
      const r = parseCidr(text);
      if (!r.ok) {
        this.report('NP102', this.span(at2), `except entry ${q(text)} ${r.reason}.`);
        continue;
      }
      if (!r.cidr.isCanonical) this.report('NP103', this.span(at2), `${q(text)} has host bits set; it means ${r.cidr.canonical}.`);
      if (!outer) continue;
      if (r.cidr.family !== outer.family) this.report('NP102', this.span(at2), `except entry ${text} is IPv${r.cidr.family} but cidr ${outer.canonical} is IPv${outer.family}.`);
      else if (!strictlyWithin(r.cidr, outer)) {
        this.report('NP102', this.span(at2), `except entry ${text} must be strictly inside cidr ${outer.canonical}.`);
      }
    }
  }

  /** ValidateNetworkPolicyPort. */
  private checkPort(fields: Fields): void {
    // protocol, port and endPort are pointers: null is absent, not "".
    const protocolEntry = fields.get('protocol');
    const protocol = protocolEntry?.value ? this.stringEntry(protocolEntry) : undefined;
    if (protocol && !PROTOCOL_NAMES.includes(protocol.value)) {
      const near = closest(protocol.value, PROTOCOL_NAMES);
      const hint = near && near.toLowerCase() === protocol.value.toLowerCase() ? `protocols are upper case: write ${near}` : `use TCP, UDP or SCTP${near ? ` (did you mean ${near}?)` : ''}`;
      this.report('NP113', this.span(protocol.at), `${q(protocol.value)} is not a protocol; ${hint}.`);
    }
    const portEntry = fields.get('port');
    const endEntry = fields.get('endPort');
    if ((portEntry && !portEntry.ok) || (endEntry && !endEntry.ok)) {
      // A value that did not decode: the API server stops there; so do we for the port pair.
      if (portEntry?.ok) this.checkPortValue(portEntry);
      return;
    }
    const port = this.checkPortValue(portEntry);
    const end = endEntry?.value;
    if (!isScalar(end) || typeof end.value !== 'number') return;
    const endAt = this.span(endEntry?.use ?? end);
    if (port === undefined) {
      this.report('NP115', endAt, 'endPort needs a numeric port: set port to the first port of the range.');
    } else if (typeof port === 'string') {
      this.report('NP115', endAt, `endPort works only with a numeric port, not the named port ${q(port)}.`);
    } else {
      const problems = portNumberProblems(end.value).map((p) => `endPort ${p}`);
      if (end.value < port) problems.unshift(`endPort ${end.value} is below port ${port}; the range is port to endPort, so endPort must be at least ${port}`);
      if (problems.length) this.report('NP115', endAt, `${problems.join('; ')}.`);
    }
  }

  /** Checks port; returns its decoded value (undefined when absent or null). */
  private checkPortValue(entry: Entry | undefined): number | string | undefined {
    const v = entry?.value;
    if (!entry || !isScalar(v)) return undefined;
    const at = entry.use ?? v;
    if (typeof v.value === 'number') {
      if (!isPortNumber(v.value)) this.report('NP114', this.span(at), `port ${joinProblems(portNumberProblems(v.value))}.`);
      return v.value;
    }
    if (typeof v.value !== 'string') return undefined;
    const p = portNameProblems(v.value);
    if (p.length) {
      const digits = /^[0-9]+$/.test(v.value);
      this.report(
        'NP114',
        this.span(at),
        digits
          ? `port ${q(v.value)} is quoted, so it is read as a port name, and a port name needs a letter; write port: ${v.value} without quotes for the port number.`
          : `port ${q(v.value)} is not a valid port name: it ${joinProblems(p)}. A port name refers to a named containerPort of the selected pods.`,
      );
    }
    return v.value;
  }

  /** The policyTypes list: at most two, each Ingress or Egress. */
  private checkPolicyTypes(fields: Fields): void {
    const entry = fields.get('policyTypes');
    if (!entry?.ok || !isSeq(entry.value)) return;
    const items = entry.value.items;
    if (items.length > 2) {
      this.report('NP116', this.span(entry.key), `policyTypes has ${items.length} entries; it may list at most two: Ingress and Egress.`);
      return;
    }
    let previous: string | undefined; // at most two items (above), so one to compare with
    for (const item of items) {
      const v = this.deref(item);
      if (!isScalar(v) || (this.jsonKind(v) !== 'null' && this.jsonKind(v) !== 'string')) continue;
      const value = typeof v.value === 'string' ? v.value : '';
      const at = v.range && v.range[0] === v.range[1] ? this.span(entry.key) : this.span(isAlias(item) ? item : v);
      if (!POLICY_TYPE_NAMES.includes(value)) {
        const near = closest(value, POLICY_TYPE_NAMES);
        this.report('NP116', at, `${value === '' ? 'An empty entry' : q(value)} is not a policy type${near ? `; did you mean ${near}?` : '.'} The types are Ingress and Egress (case-sensitive).`);
      } else if (value === previous) {
        this.report('NP117', at, `${value} is listed twice in policyTypes; list each type once.`);
      }
      previous = value;
    }
  }

  // --- tolerant node access ---

  /** Fields of a map as kubectl sees them: YAML merge keys (`<<: *base`) expanded, explicit keys first. */
  private pairs(map: YAMLMap, depth = 0): MapField[] {
    const own: MapField[] = [];
    if (isSimple(map)) {
      // No key to resolve or merge, and so no name to check for a repeat.
      for (const p of map.items) own.push({ key: p.key, name: String(p.key.value), value: p.value });
      return own;
    }
    const merged: MapField[] = [];
    for (const p of map.items) {
      const keyNode = isNode(p.key) ? p.key : undefined;
      const key = this.deref(keyNode);
      const value: unknown = p.value;
      if (!keyNode) continue;
      const name = key ? nameOf(key) : COMPLEX_KEY;
      if (name === '<<' && isScalar(key) && key.type === 'PLAIN') {
        if (depth >= 10) continue; // a map merging itself
        const target = this.deref(value);
        const sources = isSeq(target) ? target.items.map((i) => this.deref(i)) : [target];
        for (const s of sources) {
          if (isMap(s)) for (const m of this.pairs(s, depth + 1)) merged.push(m);
          // An alias to no anchor resolves to nothing: a YAML error, not a type error.
          else if (s !== undefined) this.report('NP105', this.span(keyNode), 'A merge key (<<) needs a map or a list of maps.');
        }
        continue;
      }
      own.push({ key: keyNode, name, value });
    }
    const names = new Set(own.map((p) => p.name));
    for (const p of merged) {
      if (names.has(p.name)) continue;
      names.add(p.name);
      own.push(p);
    }
    return own;
  }

  private deref(node: unknown): Node | undefined {
    // Callers test for a scalar, the commonest value, before they get here.
    if (isMap(node) || isSeq(node) || isScalar(node)) return node;
    if (!isAlias(node)) return undefined;
    if (++this.aliases > MAX_ALIASES) return undefined;
    const target = resolveAlias(this.doc, node);
    return target && !isAlias(target) ? target : undefined;
  }

  private map(node: unknown): YAMLMap | undefined {
    const n = this.deref(node);
    return isMap(n) ? n : undefined;
  }

  private scalar(node: unknown): Scalar | undefined {
    const n = this.deref(node);
    return isScalar(n) ? n : undefined;
  }

  private pairValue(map: YAMLMap, key: string): unknown {
    for (const p of map.items) if (isScalar(p.key) && p.key.value === key) return p.value;
    return undefined;
  }

  private stringAt(map: YAMLMap, key: string): string | undefined {
    const v = this.scalar(this.pairValue(map, key))?.value;
    return typeof v === 'string' ? v : undefined;
  }

  /** A field that decoded as a string (null reads as ""), with the node to point at. */
  private stringEntry(entry: Entry | undefined): { value: string; at: Node } | undefined {
    if (!entry?.ok) return undefined;
    if (!entry.value) return { value: '', at: entry.key };
    if (!isScalar(entry.value) || typeof entry.value.value !== 'string') return undefined;
    return { value: entry.value.value, at: entry.use ?? entry.value };
  }

  private isNull(node: Node | undefined): boolean {
    return node === undefined || (isScalar(node) && node.value === null);
  }

  private jsonKind(node: Node | undefined): JsonKind {
    if (node === undefined) return 'null';
    // A failed instanceof walks the whole prototype chain: a map fails Scalar in six steps.
    if (isMap(node)) return 'map';
    if (isSeq(node)) return 'seq';
    return isScalar(node) ? scalarKind(node) : 'other';
  }

  /** A scalar as written, for messages. */
  private source(node: Scalar): string {
    return typeof node.source === 'string' ? node.source : String(node.value);
  }

  private span(node: Node | undefined): Span {
    const r = node?.range;
    if (!r) return span(this.base, this.base);
    return span(this.base + r[0], this.base + r[1]);
  }

  /** The first line of a map: its first key, or the whole map when it is flow (`{}`) or empty. */
  private headSpan(map: YAMLMap): Span {
    const first = map.items[0]?.key;
    if (map.flow || first === undefined || first === null) return this.span(map);
    return isScalar(first) || isAlias(first) ? this.span(first) : this.span(map);
  }
}

/** Two objects are the same when they are, or when they are one document read twice. */
function sameObject(a: K8sObject, b: K8sObject): boolean {
  return a === b || (a.source === b.source && a.docIndex === b.docIndex && a.span.start === b.span.start);
}

/** The folder part of a path or URI, and the rest. */
function splitSource(source: string): { dir: string; base: string } {
  const i = Math.max(source.lastIndexOf('/'), source.lastIndexOf('\\'));
  return { dir: source.slice(0, i + 1), base: source.slice(i + 1) };
}

/** Places an NP108 finding links to at most: a name copied into hundreds of files is not hundreds of links. */
const MAX_RELATED = 20;

/**
 * NetworkPolicies with one name in one namespace, and Namespaces with one name, in one folder.
 * A folder is what `kubectl apply -f dir/` applies together; the same name in another folder is
 * usually another environment or a kustomize overlay, not a clash.
 */

function checkDuplicates(file: ParsedFile, inv: Inventory, out: Finding[]): void {
  const own = new Set<K8sObject>(file.objects);
  const here = splitSource(file.source).dir;
  // Another folder, or a copy of this file's own text in the inventory (an older version), does not count.
  const counts = (o: K8sObject): boolean => (o.source === file.source ? own.has(o) : splitSource(o.source).dir === here);
  const where = (o: K8sObject): string => (o.source === file.source ? `in this file (document ${o.docIndex + 1})` : `in ${splitSource(o.source).base}`);
  const byName = policiesByName(inv);
  // Per name, once: the objects that count and how many copies of each document (sameObject) are
  // among them, so that a file of 5,000 policies with one name is not 25 million comparisons.
  const ident = (o: K8sObject): string => `${o.source}\0${o.docIndex}\0${o.span.start}`;
  const counted = new Map<string, { list: K8sObject[]; copies: Map<string, number> }>();
  for (const o of file.objects) {
    if (o.name === '') continue;
    if (o.kind === 'NetworkPolicy') {
      const ns = namespaceOf(o, inv.defaultNamespace);
      const key = `${ns}/${o.name}`;
      const all = byName.get(key);
      // The usual case, a name used once in the workspace, settled without building anything.
      if (!all || (all.length === 1 && all[0]?.policy === o)) continue;
      let c = counted.get(key);
      if (!c) {
        const list = all.map((pi) => pi.policy).filter(counts);
        const copies = new Map<string, number>();
        for (const p of list) copies.set(ident(p), (copies.get(ident(p)) ?? 0) + 1);
        c = { list, copies };
        counted.set(key, c);
      }
      const id = ident(o);
      const others = c.list.length - (c.copies.get(id) ?? 0);
      if (others === 0) continue;
      // The first few other copies, not all: with one name on every policy of a large file, a list
      // of all of them per policy is the quadratic work the counts above avoid.
      const related: RelatedPlace[] = [];
      for (const p of c.list) {
        if (related.length === MAX_RELATED) break;
        if (ident(p) !== id) related.push({ object: p, span: p.nameSpan ?? p.span, message: `NetworkPolicy ${q(o.name)} is also defined here` });
      }
      const first = related[0]?.object;
      if (first) {
        const more = others > 1 ? ` and ${others - 1} more place${others > 2 ? 's' : ''}` : '';
        out.push({ ...finding('NP108', o.nameSpan ?? o.span, `NetworkPolicy ${q(o.name)} in namespace ${q(ns)} is also defined ${where(first)}${more}; when both are applied, the last one silently replaces the other.`), related });
      }
    } else if (o.kind === 'Namespace') {
      const declared = inv.namespaces.get(o.name)?.declared;
      if (declared && !sameObject(declared, o) && counts(declared)) {
        out.push({ ...finding('NP108', o.nameSpan ?? o.span, `Namespace ${q(o.name)} is already defined ${where(declared)}.`), related: [{ object: declared, span: declared.nameSpan ?? declared.span, message: `Namespace ${q(o.name)} is defined here` }] });
      }
    }
  }
}
