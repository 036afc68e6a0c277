/**
 * Fixes of single values the API server rejects or misreads: CIDRs (NP102, NP103), unknown keys
 * (NP104), quoted numbers (NP105, NP114), apiVersion and kind (NP106), object names (NP107),
 * label keys and values (NP109, NP110), selector operators (NP111),
 * protocol case (NP113), policy types (NP116, NP117), the namespace name label (NP207).
 * Each edits one scalar (or removes one list item or pair) and keeps the scalar's quoting.
 */
import { isMap, isScalar, isSeq, Scalar, type Node, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';
import { disjoint, parseCidr, strictlyWithin, type Cidr } from '../cidr';
import type { Finding } from '../diagnostics';
import { NAMESPACE_NAME_LABEL } from '../inventory';
import { isNull } from '../parse';
import { lookup } from '../lookup';
import { PROTOCOLS } from '../model';
import { dns1123LabelProblems, isLabelValue, isPortNumber, isQualifiedName, LABEL_VALUE_MAX, objectNameProblems } from '../names';
import { closest } from '../suggest';
import { NETWORK_POLICY_API_VERSION, POLICY_TYPE_NAMES, SELECTOR_OPERATORS } from '../validate';
import { docContext, documentAt, insertPair, pairOf, pathAt, removePair, removeSeqItem, replaceScalar, setPairValue, spanOf, type DocContext, type PathStep, type TextEdit } from './edit';
import { policyAt } from './find';
import type { Fix, FixInput } from './fix';

interface ScalarSite {
  readonly ctx: DocContext;
  readonly node: Scalar;
  /** The path from the document's root to the scalar (the scalar last). */
  readonly path: readonly PathStep[];
}

/**
 * The scalar a finding points at: the innermost one holding the finding's start; or, when the
 * finding covers more (a line, a map), the first scalar inside it that `want` accepts.
 */
function scalarSite(input: FixInput, f: Finding, want?: (site: ScalarSite) => boolean): ScalarSite | undefined {
  const d = documentAt(input.file, f.span.start);
  const ctx = d ? docContext(input.file, d.index) : undefined;
  if (!ctx) return undefined;
  const path = pathAt(ctx, f.span.start - ctx.base);
  const last = path[path.length - 1];
  if (want && last && !isScalar(last.node)) return descendantSite(ctx, path, f, want);
  if (!last || !isScalar(last.node)) return undefined;
  // The finding must cover the scalar, not only touch its edge.
  const s = spanOf(ctx, last.node);
  if (f.span.end < s.start || f.span.start > s.end) return undefined;
  return { ctx, node: last.node, path };
}

/** Scalars under the last node of `path` that lie inside the finding, depth first; the first one `want` accepts. */
function descendantSite(ctx: DocContext, path: readonly PathStep[], f: Finding, want: (site: ScalarSite) => boolean): ScalarSite | undefined {
  let budget = 2000;
  const visit = (n: unknown, at: readonly PathStep[]): ScalarSite | undefined => {
    if (budget-- <= 0) return undefined;
    if (isMap(n)) {
      for (const p of n.items) {
        for (const [child, isKey] of [[p.key, true], [p.value, false]] as const) {
          if (!child || typeof child !== 'object' || !('range' in child)) continue;
          const step: PathStep = { node: child as Node, pair: p, isKey };
          const found = isScalar(child) ? check(child, [...at, step]) : visit(child, [...at, step]);
          if (found) return found;
        }
      }
    } else if (isSeq(n)) {
      for (const i of n.items) {
        if (!i || typeof i !== 'object') continue;
        const step: PathStep = { node: i as Node, pair: undefined, isKey: false };
        const found = isScalar(i) ? check(i, [...at, step]) : visit(i, [...at, step]);
        if (found) return found;
      }
    }
    return undefined;
  };
  const check = (node: Scalar, at: readonly PathStep[]): ScalarSite | undefined => {
    const s = spanOf(ctx, node);
    if (s.start < f.span.start || s.end > f.span.end) return undefined;
    const site = { ctx, node, path: at };
    return want(site) ? site : undefined;
  };
  const last = path[path.length - 1];
  return last ? visit(last.node, path) : undefined;
}

const q = (s: string): string => JSON.stringify(s);

function fix(title: string, f: Finding, edits: Fix['edits'] | undefined, preferred = true): Fix | undefined {
  return edits && edits.length ? { title, kind: 'quickfix', edits, fixes: [f], preferred } : undefined;
}

/** NP103: a CIDR with host bits set, written as the network it means. */
export function canonicalCidr(input: FixInput, f: Finding): Fix | undefined {
  const site = scalarSite(input, f);
  if (!site || typeof site.node.value !== 'string') return undefined;
  const r = parseCidr(site.node.value);
  if (!r.ok || r.cidr.isCanonical) return undefined;
  const e = replaceScalar(site.ctx, site.node, r.cidr.canonical);
  return fix(`Write ${r.cidr.canonical} (the network ${site.node.value} means)`, f, e ? [e] : undefined);
}

/** An except entry a finding points at, with its list, its ipBlock and the ipBlock's valid cidr. */
function exceptSite(input: FixInput, f: Finding): { site: ScalarSite & { node: Scalar<string> }; seq: YAMLSeq; ipBlock: YAMLMap; exceptPair: Pair; outer: Cidr } | undefined {
  const site = scalarSite(input, f);
  if (!site || typeof site.node.value !== 'string') return undefined;
  const n = site.path.length;
  const seqStep = site.path[n - 2];
  const seq = seqStep?.node;
  const ipBlock = site.path[n - 3]?.node;
  const exceptPair = seqStep?.pair;
  if (!isSeq(seq) || !isMap(ipBlock) || !exceptPair || !isScalar(exceptPair.key) || exceptPair.key.value !== 'except') return undefined;
  const cidrNode = pairOf(ipBlock, 'cidr')?.value;
  const outer = isScalar(cidrNode) && typeof cidrNode.value === 'string' ? parseCidr(cidrNode.value) : undefined;
  if (!outer?.ok) return undefined;
  return { site: site as ScalarSite & { node: Scalar<string> }, seq, ipBlock, exceptPair, outer: outer.cidr };
}

/** NP102: an except entry that lies outside its cidr excludes nothing; remove it. */
export function removeOutsideExcept(input: FixInput, f: Finding): Fix | undefined {
  const at = exceptSite(input, f);
  if (!at) return undefined;
  const { site, seq, ipBlock, exceptPair, outer: o } = at;
  const inner = parseCidr(site.node.value);
  if (!inner.ok) return undefined;
  if (!disjoint(inner.cidr, o)) return undefined;
  const index = (seq.items as unknown[]).indexOf(site.node);
  if (index < 0) return undefined;
  const edits = seq.items.length === 1 ? removePair(site.ctx, ipBlock, exceptPair) : removeSeqItem(site.ctx, seq, index);
  return fix(`Remove except ${site.node.value} (it is outside ${o.canonical}, so it excludes nothing)`, f, edits);
}

/** NP102: an except entry without a prefix length, inside its cidr as the one host it names: add /32 (/128). */
export function singleHostExcept(input: FixInput, f: Finding): Fix | undefined {
  const at = exceptSite(input, f);
  return at ? singleHost(at.site, f, (host) => strictlyWithin(host, at.outer)) : undefined;
}

/** NP104: an unknown field with a "did you mean" in its message; rename the key. */
export function renameUnknownField(input: FixInput, f: Finding): Fix | undefined {
  const m = /^Unknown field ("(?:[^"\\]|\\.)*") .*did you mean ("(?:[^"\\]|\\.)*")\?/.exec(f.message);
  if (!m?.[1] || !m[2]) return undefined;
  const name = JSON.parse(m[1]) as unknown;
  const meant = JSON.parse(m[2]) as unknown;
  const site = scalarSite(input, f);
  const last = site?.path[site.path.length - 1];
  const parent = site?.path[site.path.length - 2]?.node;
  if (!site || !last?.isKey || site.node.value !== name || typeof meant !== 'string' || !isMap(parent) || pairOf(parent, meant)) return undefined;
  const e = replaceScalar(site.ctx, site.node, meant, { key: true });
  return fix(`Rename to ${meant}`, f, e ? [e] : undefined);
}

/** NP114, NP105: a port (or endPort) written as a quoted number; drop the quotes. */
export function unquoteNumber(input: FixInput, f: Finding): Fix | undefined {
  const site = scalarSite(input, f);
  if (!site) return undefined;
  const { node } = site;
  if (node.type !== Scalar.QUOTE_DOUBLE && node.type !== Scalar.QUOTE_SINGLE) return undefined;
  if (typeof node.value !== 'string' || !/^[0-9]+$/.test(node.value)) return undefined;
  const n = Number(node.value);
  if (!isPortNumber(n)) return undefined;
  const key = site.path[site.path.length - 1]?.pair?.key as Node | null | undefined;
  const field = isScalar(key) ? String(key.value) : 'port';
  const e = replaceScalar(site.ctx, node, n);
  return fix(`Write ${field}: ${n} without quotes (a number)`, f, e ? [e] : undefined);
}

/** NP113: protocols are upper case (or a near miss such as TPC). */
export function fixProtocol(input: FixInput, f: Finding): Fix | undefined {
  const site = scalarSite(input, f);
  if (!site || typeof site.node.value !== 'string') return undefined;
  const v = site.node.value;
  const meant = closest(v, PROTOCOLS); // the same letters in another case first, else the nearest spelling
  if (!meant || meant === v) return undefined;
  const e = replaceScalar(site.ctx, site.node, meant);
  return fix(`Write ${meant}`, f, e ? [e] : undefined);
}

/** NP207: no namespace has a `name` label unless someone set it; every one has kubernetes.io/metadata.name. */
export function namespaceNameLabel(input: FixInput, f: Finding): Fix | undefined {
  const isNameLabel = (x: ScalarSite): boolean => {
    const step = x.path[x.path.length - 1];
    return x.node.value === 'name' && (step?.isKey === true || (isScalar(step?.pair?.key) && step.pair.key.value === 'key'));
  };
  let site = scalarSite(input, f, isNameLabel);
  // Flagged on the value (`name: web`) rather than the key: edit the key.
  const holder = site?.path[site.path.length - 1]?.pair;
  if (site && site.node.value !== 'name' && isScalar(holder?.key) && holder.key.value === 'name' && holder.value === site.node) {
    site = { ...site, node: holder.key, path: [...site.path.slice(0, -1), { node: holder.key, pair: holder, isKey: true }] };
  }
  if (!site || site.node.value !== 'name') return undefined;
  const last = site.path[site.path.length - 1];
  const parent = site.path[site.path.length - 2]?.node;
  if (!last || !isMap(parent)) return undefined;
  if (last.isKey) {
    // matchLabels: {name: web}
    if (pairOf(parent, NAMESPACE_NAME_LABEL)) return undefined;
  } else {
    // matchExpressions: [{key: name, …}]
    const k = last.pair?.key;
    if (!isScalar(k) || k.value !== 'key') return undefined;
  }
  const e = replaceScalar(site.ctx, site.node, NAMESPACE_NAME_LABEL, { key: last.isKey });
  return fix(`Use ${NAMESPACE_NAME_LABEL} (the label every namespace has) instead of ${q('name')}`, f, e ? [e] : undefined);
}

/** The list a site's scalar is an item of, and its index there. */
function seqItem(site: ScalarSite): { seq: YAMLSeq; index: number } | undefined {
  const parent = site.path[site.path.length - 2]?.node;
  if (!isSeq(parent) || site.path[site.path.length - 1]?.pair) return undefined;
  const index = (parent.items as unknown[]).indexOf(site.node);
  return index < 0 ? undefined : { seq: parent, index };
}

/** The key of the pair whose value the site's scalar is. */
function valueOf(site: ScalarSite): string | undefined {
  const step = site.path[site.path.length - 1];
  const key = step?.pair?.key as Node | null | undefined;
  return !step?.isKey && isScalar(key) && typeof key.value === 'string' ? key.value : undefined;
}

/** NP106: a NetworkPolicy under a removed or wrong apiVersion, or kind in the wrong case. */
export function fixApiVersion(input: FixInput, f: Finding): Fix | undefined {
  const site = scalarSite(input, f);
  if (!site || typeof site.node.value !== 'string' || site.path.length !== 2) return undefined;
  const field = valueOf(site);
  const want = field === 'apiVersion' ? NETWORK_POLICY_API_VERSION : field === 'kind' && site.node.value.toLowerCase() === 'networkpolicy' ? 'NetworkPolicy' : undefined;
  if (!want || want === site.node.value) return undefined;
  const e = replaceScalar(site.ctx, site.node, want);
  return fix(`Write ${field}: ${want}`, f, e ? [e] : undefined);
}

/** NP111: an operator in the wrong case or misspelt; values under Exists or DoesNotExist. */
export function fixMatchExpression(input: FixInput, f: Finding): Fix | undefined {
  const site = scalarSite(input, f);
  const step = site?.path[site.path.length - 1];
  const item = site?.path[site.path.length - 2]?.node;
  if (!site || !step || !isMap(item) || typeof site.node.value !== 'string') return undefined;
  if (step.isKey && site.node.value === 'values' && step.pair) {
    const op = pairOf(item, 'operator')?.value as Node | null | undefined;
    if (!isScalar(op) || (op.value !== 'Exists' && op.value !== 'DoesNotExist')) return undefined;
    return fix(`Remove values (${op.value} takes none)`, f, removePair(site.ctx, item, step.pair));
  }
  if (valueOf(site) !== 'operator') return undefined;
  const meant = closest(site.node.value, SELECTOR_OPERATORS);
  if (!meant || meant === site.node.value) return undefined;
  const e = replaceScalar(site.ctx, site.node, meant);
  return fix(`Write ${meant}`, f, e ? [e] : undefined);
}

/**
 * NP116: a policy type in the wrong case or misspelt, or more than two types (the repeated ones go);
 * NP117: a type listed twice.
 */
export function fixPolicyType(input: FixInput, f: Finding): Fix | undefined {
  const site = scalarSite(input, f);
  const step = site?.path[site.path.length - 1];
  if (site && step?.isKey && site.node.value === 'policyTypes') return removeRepeatedTypes(site, step, f);
  const item = site ? seqItem(site) : undefined;
  if (!site || !item || typeof site.node.value !== 'string') return undefined;
  const value = site.node.value;
  const remove = (why: string): Fix | undefined => fix(`Remove ${q(value)} from policyTypes (${why})`, f, removeSeqItem(site.ctx, item.seq, item.index));
  if (f.code === 'NP117') return remove('it is listed already');
  const meant = closest(value, POLICY_TYPE_NAMES);
  if (!meant || meant === value) return undefined;
  const listed = item.seq.items.some((n, i) => i !== item.index && isScalar(n) && n.value === meant);
  if (listed) return remove(`${meant} is listed already`);
  const e = replaceScalar(site.ctx, site.node, meant);
  return fix(`Write ${meant}`, f, e ? [e] : undefined);
}

/** policyTypes with more than two entries: remove every entry that repeats an earlier one. */
function removeRepeatedTypes(site: ScalarSite, step: PathStep, f: Finding): Fix | undefined {
  const seq = step.pair?.value;
  if (!isSeq(seq)) return undefined;
  const seen = new Set<unknown>();
  const edits: TextEdit[] = [];
  seq.items.forEach((n, i) => {
    if (!isScalar(n)) return;
    if (seen.has(n.value)) edits.push(...(removeSeqItem(site.ctx, seq, i) ?? []));
    seen.add(n.value);
  });
  const sorted = [...edits].sort((a, b) => a.span.start - b.span.start);
  if (sorted.some((e, i) => i > 0 && (sorted[i - 1]?.span.end ?? 0) > e.span.start)) return undefined;
  return fix('Remove the repeated entries of policyTypes', f, edits);
}

/**
 * A name written as the DNS name the API accepts: lower case, any other character run as one '-',
 * no '-' at the ends of a dot-separated part; a label (a namespace) has no dots. Undefined when
 * nothing valid is left.
 */
export function dnsNameFor(s: string, label: boolean): string | undefined {
  const parts = s
    .toLowerCase()
    .replace(label ? /[^a-z0-9-]+/g : /[^a-z0-9.-]+/g, '-')
    .split('.')
    .map((p) => p.replace(/-+/g, '-').replace(/^-/, '').replace(/-$/, ''))
    .filter((p) => p !== '');
  const out = parts.join('.').slice(0, label ? 63 : 253).replace(/[-.]+$/, '');
  return out !== '' && (label ? dns1123LabelProblems(out) : objectNameProblems(out, false)).length === 0 ? out : undefined;
}

/**
 * A label value as the API accepts it: any run of other characters as one '-', a letter or digit
 * at both ends, at most 63 characters (`platform team` → `platform-team`). Undefined when nothing
 * is left: an empty value is valid, but it is not what was meant.
 */
export function labelValueFor(s: string): string | undefined {
  const out = s
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[^A-Za-z0-9]+/, '')
    .slice(0, LABEL_VALUE_MAX)
    .replace(/[^A-Za-z0-9]+$/, '');
  return out !== '' && isLabelValue(out) ? out : undefined;
}

/**
 * A label key (a qualified name) as the API accepts it: what comes before the first '/' as a DNS
 * subdomain (left out when nothing valid is left of it), the rest as a label name
 * (`App Name` → `App-Name`, `Example.com/team name` → `example.com/team-name`).
 */
export function labelKeyFor(s: string): string | undefined {
  const slash = s.indexOf('/');
  const name = labelValueFor(s.slice(slash + 1));
  if (name === undefined) return undefined;
  const prefix = slash > 0 ? dnsNameFor(s.slice(0, slash), false) : undefined;
  const out = prefix === undefined ? name : `${prefix}/${name}`;
  return isQualifiedName(out) ? out : undefined;
}

/** Fields whose map holds labels by key; annotations are keys only, checked lowercased. */
const LABEL_MAPS = new Set(['matchLabels', 'labels']);

/** The field a site's parent collection is the value of (`matchLabels` for a label's key or value). */
function parentField(site: ScalarSite, up: number): string | undefined {
  return keyText(site.path[site.path.length - up]?.pair?.key);
}

/**
 * NP109, NP110: a label key or value the API server rejects, written as a valid one: the one the
 * workspace's workloads and namespaces carry when it is a typo away (for a value, among those of
 * its key), else with the characters the API accepts. Annotation keys (NP109) only the second way.
 * Not offered when nothing valid is left, or when the new key is in the map already.
 */
export function validLabel(input: FixInput, f: Finding): Fix | undefined {
  const site = scalarSite(input, f);
  const step = site?.path[site.path.length - 1];
  if (!site || !step || typeof site.node.value !== 'string') return undefined;
  const written = site.node.value;
  const field = parentField(site, 2);
  let role: 'key' | 'annotation' | 'value' | undefined;
  let labelKey: string | undefined;
  if (step.isKey && field !== undefined && LABEL_MAPS.has(field)) role = 'key';
  else if (step.isKey && field === 'annotations') role = 'annotation';
  else if (!step.isKey && valueOf(site) === 'key') role = 'key'; // matchExpressions[].key
  else if (!step.isKey && field !== undefined && LABEL_MAPS.has(field)) {
    role = 'value';
    labelKey = keyText(step.pair?.key);
  } else if (!step.isKey && !step.pair && field === 'values') {
    // matchExpressions[].values[]: the expression's key says whose values to offer.
    role = 'value';
    const expression = site.path[site.path.length - 3]?.node;
    labelKey = isMap(expression) ? keyText(pairOf(expression, 'key')?.value) : undefined;
  }
  if (role === undefined || (f.code === 'NP110') !== (role === 'value')) return undefined;
  const known = role === 'annotation' ? [] : knownLabels(input, role === 'key' ? undefined : labelKey);
  const near = closest(written, known);
  const want = near ?? (role === 'value' ? labelValueFor(written) : labelKeyFor(written));
  if (want === undefined || want === written) return undefined;
  const map = site.path[site.path.length - 2]?.node;
  if (step.isKey && isMap(map) && pairOf(map, want)) return undefined;
  const what = role === 'value' ? 'label value' : role === 'key' ? 'label key' : 'annotation key';
  const e = replaceScalar(site.ctx, site.node, want, { key: step.isKey });
  return fix(near ? `Write ${want} (as the workspace's labels have it)` : `Write ${want} (a valid ${what})`, f, e ? [e] : undefined, near !== undefined);
}

function keyText(n: unknown): string | undefined {
  return isScalar(n) && typeof n.value === 'string' ? n.value : undefined;
}

/** The valid label keys the workspace's workloads and namespaces carry or, given a key, the values they carry for it. */
function knownLabels(input: FixInput, key: string | undefined): string[] {
  const out = new Set<string>();
  const add = (labels: ReadonlyMap<string, string>): void => {
    if (key === undefined) for (const k of labels.keys()) out.add(k);
    else {
      const v = labels.get(key);
      if (v !== undefined) out.add(v);
    }
  };
  for (const w of input.inv.workloads) add(w.labels);
  for (const ns of input.inv.namespaces.values()) add(ns.labels);
  return [...out].filter((x) => (key === undefined ? isQualifiedName(x) : x !== '' && isLabelValue(x)));
}

/**
 * NP107: a NetworkPolicy's metadata.name (a DNS subdomain) or metadata.namespace (a DNS label)
 * written as the API accepts it (`Allow_Web` → `allow-web`); not when another policy already has
 * that name in that namespace.
 */
export function fixObjectName(input: FixInput, f: Finding): Fix | undefined {
  const site = scalarSite(input, f);
  const meta = site?.path[1]?.pair?.key as Node | null | undefined;
  if (!site || typeof site.node.value !== 'string' || site.path.length !== 3 || !isScalar(meta) || meta.value !== 'metadata') return undefined;
  const field = valueOf(site);
  const policy = policyAt(input.file, f.span.start);
  const info = input.inv.policies.find((pi) => pi.policy === policy);
  if ((field !== 'name' && field !== 'namespace') || !policy || !info) return undefined;
  const want = dnsNameFor(site.node.value, field === 'namespace');
  if (!want || want === site.node.value) return undefined;
  const name = field === 'name' ? want : policy.name;
  const namespace = field === 'namespace' ? want : info.namespace;
  if (input.inv.policies.some((pi) => pi !== info && pi.policy.name === name && pi.namespace === namespace)) return undefined;
  const e = replaceScalar(site.ctx, site.node, want);
  return fix(`Write ${field}: ${want}`, f, e ? [e] : undefined);
}

/** NP209: a Service's port where the pods' port is meant; write the Service's targetPort (the lint says which and when). */
export function servicePortToTarget(input: FixInput, f: Finding): Fix | undefined {
  const want = f.replaceWith;
  if (want === undefined) return undefined;
  const site = scalarSite(input, f);
  if (!site || typeof site.node.value !== 'number') return undefined;
  const e = replaceScalar(site.ctx, site.node, want);
  return fix(`Write ${want}, the pods' port behind the Service's port ${site.node.value}`, f, e ? [e] : undefined);
}

/** The address part of a CIDR that is not a network address (a host, as `10.0.0.7` is and `10.0.0.0` may not be). */
const hostLike = (address: string): boolean => !/(^|[.:])0*$/.test(address);

/**
 * NP101: an address without a prefix length, read as the one host it names (`/32`, `/128` for IPv6).
 * Preferred only for a host-looking address: `10.0.0.0` was more likely meant as a network.
 */
export function singleHostCidr(input: FixInput, f: Finding): Fix | undefined {
  const site = scalarSite(input, f);
  return site ? singleHost(site, f, () => true) : undefined;
}

/** A bare address written as the one host it names, when that host `fits` where the address stands. */
function singleHost(site: ScalarSite, f: Finding, fits: (host: Cidr) => boolean): Fix | undefined {
  const address = site.node.value;
  if (typeof address !== 'string' || address.includes('/')) return undefined;
  const written = `${address}/${address.includes(':') ? 128 : 32}`;
  const r = parseCidr(written);
  if (!r.ok || !r.cidr.isCanonical || !fits(r.cidr)) return undefined;
  const e = replaceScalar(site.ctx, site.node, written);
  return fix(`Write ${written} (the single address ${address})`, f, e ? [e] : undefined, hostLike(address));
}

/** NP115: a range written backwards (`port: 9000`, `endPort: 8000`); swap the two numbers. */
export function swapEndPort(input: FixInput, f: Finding): Fix | undefined {
  const site = scalarSite(input, f);
  const end = site?.node.value;
  const map = site?.path[site.path.length - 2]?.node;
  if (!site || typeof end !== 'number' || valueOf(site) !== 'endPort' || !isMap(map)) return undefined;
  const portNode = pairOf(map, 'port')?.value;
  if (!isScalar(portNode) || typeof portNode.value !== 'number') return undefined;
  const port = portNode.value;
  if (!isPortNumber(port) || !isPortNumber(end) || end >= port) return undefined;
  const a = replaceScalar(site.ctx, portNode, end);
  const b = replaceScalar(site.ctx, site.node, port);
  return fix(`Swap port and endPort (ports ${end} to ${port})`, f, a && b ? [a, b] : undefined);
}

/**
 * NP206, NP208: a label or a port name one typo away from what the workspace declares; the lint
 * worked out the replacement (`replaceWith`) and where it goes (`replaceAt`, a label's key or value).
 */
export function declaredName(input: FixInput, f: Finding): Fix | undefined {
  const want = f.replaceWith;
  if (typeof want !== 'string') return undefined;
  const site = scalarSite(input, f.replaceAt ? { ...f, span: f.replaceAt } : f);
  const step = site?.path[site.path.length - 1];
  if (!site || !step || typeof site.node.value !== 'string' || site.node.value === want) return undefined;
  const e = replaceScalar(site.ctx, site.node, want, { key: step.isKey });
  return fix(`Write ${want} (${f.code === 'NP208' ? 'the port name the pods declare' : "as the workloads' labels have it"})`, f, e ? [e] : undefined);
}

/**
 * NP112: `- podSelector:` with nothing after it is null, which the API server reads as absent (an
 * empty peer). `{}` is what the message offers: every pod (every namespace), so not preferred.
 */
export function emptySelector(input: FixInput, f: Finding): Fix | undefined {
  const site = scalarSite(input, f);
  const step = site?.path[site.path.length - 1];
  const map = site?.path[site.path.length - 2]?.node;
  const name = site?.node.value;
  if (!site || !step?.isKey || !step.pair || !isMap(map) || (name !== 'podSelector' && name !== 'namespaceSelector')) return undefined;
  // Null as the model reads it (parse.ts), which is what made the peer empty.
  if (!isNull(step.pair.value)) return undefined;
  const what = name === 'podSelector' ? "every pod in this policy's namespace" : 'every pod in every namespace';
  return fix(`Write ${name}: {} (${what})`, f, setPairValue(site.ctx, map, step.pair, {}), false);
}

/**
 * NP208: a port name the destination pods declare, but with another protocol (the same for all that
 * declare it): write that protocol in the ports entry, where the rule says TCP by default.
 */
export function namedPortProtocol(input: FixInput, f: Finding): Fix | undefined {
  const site = scalarSite(input, f);
  const step = site?.path[site.path.length - 1];
  const map = site?.path[site.path.length - 2]?.node;
  const name = site?.node.value;
  if (!site || typeof name !== 'string' || valueOf(site) !== 'port' || !step?.pair || !isMap(map)) return undefined;
  const policy = policyAt(input.file, f.span.start);
  const l = lookup(input.inv);
  const pi = policy && l.policies.get(policy);
  const problem = pi && l.analysis.namedPortProblems(pi).find((p) => p.port.port?.span.start === f.span.start);
  const protocols = new Set(problem?.otherProtocol.map((o) => o.protocol));
  const [protocol] = protocols;
  if (!problem || protocols.size !== 1 || !protocol) return undefined;
  const written = pairOf(map, 'protocol')?.value;
  let edits: TextEdit[] | undefined;
  if (written === undefined) edits = insertPair(site.ctx, map, 'protocol', protocol, { after: step.pair });
  else if (isScalar(written)) {
    const e = replaceScalar(site.ctx, written, protocol);
    edits = e ? [e] : undefined;
  }
  const who = problem.otherProtocol.map((o) => o.workload.workload.name);
  const whose = who.length > 2 ? `${who.slice(0, 2).join(', ')} and ${who.length - 2} more` : who.join(' and ');
  return fix(`Write protocol: ${protocol} (${whose} declare${who.length === 1 ? 's' : ''} ${name} as ${protocol})`, f, edits);
}
