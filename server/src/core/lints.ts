/**
 * Semantic lints NP203–NP212: policies the API server accepts but that probably do not do what was
 * meant. Each looks at the whole workspace (the inventory), never at one document alone.
 *
 * They run on every edit of files with thousands of policies, so they are incremental, like the
 * DNS lint in diagnostics.ts: model objects keep their identity while their document's text is
 * unchanged (parse.ts moves their spans in place), so findings are kept with the policy, together
 * with where the policy started; when an edit above only moved it, the kept findings are shifted
 * by as much. Two layers:
 *
 * - per policy (NP203, NP205–NP211): the policy itself, the declared Namespaces, and the workloads
 *   and Services of the namespaces its lints looked in (or of all of them, when a selector could
 *   match anywhere); each namespace's set has an interned signature, so an unchanged one is `===`;
 * - per namespace (NP204, NP212): every policy of the namespace and its Namespace object.
 *
 * Editing one policy recomputes its own lints and its namespace's NP204/NP212 pass; editing a
 * workload recomputes the policies that looked at its namespace. Lookups are indexed by namespace
 * (and label) once per inventory, so nothing is quadratic across the workspace.
 */
import type { Finding, RelatedPlace } from './diagnostics';
import { dnsTargetOf, DNS_NAMESPACE } from './dns';
import { analyze, type Analysis } from './engine';
import { compilePolicy, resolvePorts, type CompiledPeer, type CompiledPolicy, type CompiledRule } from './engine/policy';
import { allows } from './engine/ports';
import { ruleCovers, ruleIsValid, selectorImplies, type CoverContext } from './cover';
import { NAMESPACE_NAME_LABEL, namespaceLabels, runsMatching, workloadIndex, type CustomResourceInfo, type Inventory, type PolicyInfo, type WorkloadIndex, type WorkloadInfo } from './inventory';
import { namespaceOf, type Located, type NetworkPolicy, type Peer, type PolicyPort, type Protocol, type Rule, type Selector, type ServiceObject, type ServicePort, type ContainerPort, type Workload } from './model';
import { rule as ruleInfo, type RuleCode } from './rules';
import { describeSelector, isEmptySelector, matches, pinOf, requirements, selects, type Labels, type Requirement } from './selector';
import { dns1123LabelProblems, objectNameProblems } from './names';
import { closest } from './suggest';
import { intern, type Span } from './text';

/** Namespaces Kubernetes creates itself, labelled only with kubernetes.io/metadata.name. */
const SYSTEM_NAMESPACES: ReadonlySet<string> = new Set(['kube-system', 'kube-public', 'kube-node-lease', 'default']);

/** Spans are copied: kept findings are shifted as a whole when their policy moves (see `moved`). */
function finding(code: RuleCode, span: Span, message: string): Finding {
  return { code, severity: ruleInfo(code).severity, message, span: { start: span.start, end: span.end } };
}

/** Findings of one policy and where the policy started when they were made. */
interface Kept {
  start: number;
  findings: readonly Finding[];
}

function keep(p: NetworkPolicy, findings: readonly Finding[]): Kept {
  return { start: p.span.start, findings };
}

/** The kept findings, shifted with their policy when an edit above moved it. */
function moved(k: Kept, p: NetworkPolicy): readonly Finding[] {
  const delta = p.span.start - k.start;
  if (delta !== 0) {
    const shift = (s: Span): Span => ({ start: s.start + delta, end: s.end + delta });
    k.findings = k.findings.map((f) => (f.replaceAt ? { ...f, span: shift(f.span), replaceAt: shift(f.replaceAt) } : { ...f, span: shift(f.span) }));
    k.start = p.span.start;
  }
  return k.findings;
}

// ---------------------------------------------------------------------------------------------
// Signatures and indexes

/** Identities a result depends on, compared element by element; interned, so that equal is `===`. */
interface Signature {
  readonly parts: readonly unknown[];
}

function sameParts(a: readonly unknown[], b: readonly unknown[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The signatures of the last inventory: a later one with the same parts reuses the object. */
let lastGlobal: Signature | undefined;
let lastNamespaces: Signature | undefined;
let lastPerNamespace = new Map<string, Signature>();

function signature(last: Signature | undefined, parts: unknown[]): Signature {
  return last && sameParts(last.parts, parts) ? last : { parts };
}

interface LintIndex {
  readonly inv: Inventory;
  /** Every workload and Service. */
  readonly global: Signature;
  /** The declared Namespace objects (their labels) and the default namespace. */
  readonly namespacesSig: Signature;
  /** The workloads, Services and custom resources of each namespace. */
  readonly perNamespace: ReadonlyMap<string, Signature>;
  /** Custom resources by namespace: their operators may run pods with the labels they declare. */
  readonly operated: ReadonlyMap<string, readonly CustomResourceInfo[]>;
  readonly workloads: WorkloadIndex;
  readonly servicesByNs: ReadonlyMap<string, readonly ServiceObject[]>;
  /** Per namespace: Service ports whose targetPort is not (or may not be) the same number. */
  readonly translatedPorts: ReadonlyMap<string, ReadonlySet<number>>;
  readonly anyTranslated: boolean;
  /** Labels of the Namespaces the manifests declare. */
  readonly declaredNamespaces: ReadonlyMap<string, Labels>;
  /** Every label key a declared Namespace carries, and the automatic name label. */
  readonly namespaceKeys: ReadonlySet<string>;
  readonly policiesByNs: ReadonlyMap<string, readonly PolicyInfo[]>;
  /** "Does a workload of this namespace match this selector", for selectors the label index cannot narrow. */
  readonly anyMatch: Map<string, boolean>;
  /** The namespace passes looked up for this inventory (so parts are compared once per namespace). */
  readonly namespaceResults: Map<string, ReadonlyMap<NetworkPolicy, Kept>>;
  analysis: Analysis | undefined;
}

const indexes = new WeakMap<Inventory, LintIndex>();

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}

function indexOf(inv: Inventory): LintIndex {
  const known = indexes.get(inv);
  if (known) return known;
  const parts: unknown[] = [];
  const nsParts = new Map<string, unknown[]>();
  for (const w of inv.workloads) {
    parts.push(w.workload);
    push(nsParts, w.namespace, w.workload);
  }
  const servicesByNs = new Map<string, ServiceObject[]>();
  const translatedPorts = new Map<string, Set<number>>();
  let anyTranslated = false;
  for (const s of inv.services) {
    const ns = intern(namespaceOf(s, inv.defaultNamespace));
    parts.push(s);
    push(nsParts, ns, s);
    push(servicesByNs, ns, s);
    for (const p of s.ports) {
      if (p.port === undefined || p.targetPort === undefined || p.targetPort === p.port) continue;
      let set = translatedPorts.get(ns);
      if (!set) translatedPorts.set(ns, (set = new Set()));
      set.add(p.port);
      anyTranslated = true;
    }
  }
  const operated = new Map<string, CustomResourceInfo[]>();
  for (const c of inv.customResources ?? []) {
    push(nsParts, c.namespace, c);
    push(operated, c.namespace, c);
  }
  const declaredNamespaces = new Map<string, Labels>();
  const namespaceKeys = new Set<string>([NAMESPACE_NAME_LABEL]);
  const namespaceParts: unknown[] = [inv.defaultNamespace];
  for (const ns of inv.namespaces.values()) {
    if (!ns.declared) continue;
    namespaceParts.push(ns.declared);
    declaredNamespaces.set(ns.name, ns.labels);
    for (const k of ns.labels.keys()) namespaceKeys.add(k);
  }
  const policiesByNs = new Map<string, PolicyInfo[]>();
  for (const pi of inv.policies) push(policiesByNs, pi.namespace, pi);
  const global = (lastGlobal = signature(lastGlobal, parts));
  const namespacesSig = (lastNamespaces = signature(lastNamespaces, namespaceParts));
  const perNamespace = new Map<string, Signature>();
  for (const [ns, ps] of nsParts) perNamespace.set(ns, signature(lastPerNamespace.get(ns), ps));
  lastPerNamespace = perNamespace;
  const ix: LintIndex = {
    inv,
    global,
    namespacesSig,
    perNamespace,
    workloads: workloadIndex(inv),
    servicesByNs,
    translatedPorts,
    anyTranslated,
    declaredNamespaces,
    namespaceKeys,
    policiesByNs,
    operated,
    anyMatch: new Map(),
    namespaceResults: new Map(),
    analysis: undefined,
  };
  indexes.set(inv, ix);
  return ix;
}

/**
 * What one policy's lints read of the workspace's workloads and Services: the namespaces they
 * looked in, or everything. Kept with the findings, so that an edit to a workload redoes only the
 * policies that looked at its namespace.
 */
class Reads {
  readonly namespaces = new Set<string>();
  everything = false;

  constructor(readonly ix: LintIndex) {}

  workloads(namespace: string): readonly WorkloadInfo[] {
    this.namespaces.add(namespace);
    return this.ix.workloads.in(namespace);
  }

  /** WorkloadIndex.narrowed, read. */
  narrowed(namespace: string, sel: Selector, reqs: readonly Requirement[] | undefined): readonly WorkloadInfo[] | undefined {
    this.namespaces.add(namespace);
    return this.ix.workloads.narrowed(namespace, sel, reqs);
  }

  /** The workloads of a namespace that a selector (absent: every pod) matches; `reqs` are its requirements, when it is valid. */
  matching(namespace: string, sel: Selector | undefined, reqs: readonly Requirement[] | undefined): readonly WorkloadInfo[] {
    this.namespaces.add(namespace);
    return this.ix.workloads.selecting(namespace, sel, reqs);
  }

  services(namespace: string): readonly ServiceObject[] {
    this.namespaces.add(namespace);
    return this.ix.servicesByNs.get(namespace) ?? [];
  }

  translated(namespace: string): ReadonlySet<number> | undefined {
    this.namespaces.add(namespace);
    return this.ix.translatedPorts.get(namespace);
  }

  /** Every workload, or every namespace that has some: a new workload anywhere may change the answer. */
  all(): LintIndex {
    this.everything = true;
    return this.ix;
  }
}

/**
 * The engine over the workloads only: named-port answers depend on the policy asked about and the
 * workloads, so one analysis serves every inventory with the same workloads (no policy compiled
 * in advance; the engine compiles the one it is asked about).
 */
const analyses = new WeakMap<Signature, Analysis>();

function analysisOf(reads: Reads): Analysis {
  const ix = reads.all();
  if (ix.analysis) return ix.analysis;
  let a = analyses.get(ix.global);
  if (!a) {
    a = analyze({ ...ix.inv, policies: [] });
    analyses.set(ix.global, a);
  }
  ix.analysis = a;
  return a;
}

/**
 * Whether the namespace may run pods the selector matches (`reqs`: its requirements, when it is
 * valid): a workload's, or those of a custom resource that declares such labels (its operator's).
 */
function anyMatching(reads: Reads, namespace: string, sel: Selector, reqs: readonly Requirement[] | undefined): boolean {
  // A label every match must carry narrows the scan to the few workloads with it.
  const narrowed = reads.narrowed(namespace, sel, reqs);
  if (narrowed) {
    if (narrowed.some((w) => selects(sel, reqs, w.labels))) return true;
  } else {
    const key = `${namespace}\u0000${describeSelector(sel)}`;
    let r = reads.ix.anyMatch.get(key);
    if (r === undefined) {
      r = reads.workloads(namespace).some((w) => selects(sel, reqs, w.labels));
      reads.ix.anyMatch.set(key, r);
    } else reads.namespaces.add(namespace);
    if (r) return true;
  }
  return reads.ix.operated.get(namespace)?.some((c) => runsMatching(c, sel, reqs)) ?? false;
}

function coverContext(ix: LintIndex, namespace: string): CoverContext {
  return { namespace, declaredLabels: ix.declaredNamespaces.get(namespace) };
}

// ---------------------------------------------------------------------------------------------
// Entry point

export interface PolicyLintMemo {
  readonly namespace: string;
  readonly namespacesSig: Signature;
  /** The workspace signature when the lints read everything, else undefined. */
  readonly everything: Signature | undefined;
  /** The namespaces read, with their signatures then (undefined: nothing declared there). */
  readonly read: readonly (readonly [string, Signature | undefined])[];
  readonly kept: Kept;
}

const namespaceMemo = new Map<string, { readonly parts: readonly unknown[]; readonly findings: ReadonlyMap<NetworkPolicy, Kept> }>();

function stillValid(m: PolicyLintMemo, ix: LintIndex, pi: PolicyInfo): boolean {
  if (m.namespace !== pi.namespace || m.namespacesSig !== ix.namespacesSig) return false;
  if (m.everything) return m.everything === ix.global;
  return m.read.every(([ns, sig]) => ix.perNamespace.get(ns) === sig);
}

/** The lints of one policy against the workspace. Never throws on user input. */
export function lintPolicy(pi: PolicyInfo, inv: Inventory): Finding[] {
  const ix = indexOf(inv);
  const out: Finding[] = [];
  let memo = pi.cache?.lints;
  if (!memo || !stillValid(memo, ix, pi)) {
    const reads = new Reads(ix);
    const findings = policyLints(reads, pi);
    memo = {
      namespace: pi.namespace,
      namespacesSig: ix.namespacesSig,
      everything: reads.everything ? ix.global : undefined,
      read: reads.everything ? [] : readSignatures(ix, reads.namespaces),
      kept: keep(pi.policy, findings),
    };
    if (pi.cache) pi.cache.lints = memo;
  }
  for (const f of moved(memo.kept, pi.policy)) out.push(f);
  const ns = namespaceLints(ix, pi.namespace).get(pi.policy);
  if (ns) for (const f of moved(ns, pi.policy)) out.push(f);
  return out;
}

function readSignatures(ix: LintIndex, namespaces: ReadonlySet<string>): (readonly [string, Signature | undefined])[] {
  const out: (readonly [string, Signature | undefined])[] = [];
  for (const ns of namespaces) out.push([ns, ix.perNamespace.get(ns)]);
  return out;
}

function namespaceLints(ix: LintIndex, namespace: string): ReadonlyMap<NetworkPolicy, Kept> {
  const perInv = ix.namespaceResults;
  const done = perInv.get(namespace);
  if (done) return done;
  const policies = ix.policiesByNs.get(namespace) ?? [];
  const parts: unknown[] = [ix.inv.namespaces.get(namespace)?.declared, ...policies.map((p) => p.policy)];
  const memo = namespaceMemo.get(namespace);
  let findings: ReadonlyMap<NetworkPolicy, Kept>;
  if (memo && sameParts(memo.parts, parts)) findings = memo.findings;
  else {
    findings = namespacePass(ix, namespace, policies);
    namespaceMemo.set(namespace, { parts, findings });
  }
  perInv.set(namespace, findings);
  return findings;
}

// ---------------------------------------------------------------------------------------------
// Per policy

function policyLints(reads: Reads, pi: PolicyInfo): Finding[] {
  const ix = reads.ix;
  const out: Finding[] = [];
  const p = pi.policy;
  // Compiled peers hold their selectors as requirements (interned strings), read once.
  const c = compilePolicy(pi);
  ignoredRules(p, out);
  policySelectorMatchesNothing(reads, c, out);
  for (const r of c.writtenRules) {
    orWhereAndMeant(pi, r.rule, out);
    for (const peer of r.peers) {
      const dns = r.direction === 'egress' && dnsPeerWithoutNamespace(reads, pi, peer, out);
      if (!dns) peerSelectorMatchesNothing(reads, pi, peer, out);
      // Keys read as requirements are interned: the usual case, every key known, is settled by identity.
      if (peer.peer.namespaceSelector && !(peer.kind === 'pods' && keysKnown(ix, peer.namespaceRequirements))) namespaceLabelUnknown(ix, peer.peer.namespaceSelector, out);
    }
  }
  namedPorts(reads, pi, c, out);
  servicePorts(reads, c, out);
  shadowedRules(ix, c, out);
  out.sort((a, b) => a.span.start - b.span.start);
  return out;
}

const quote = (s: string): string => `\`${s}\``;

/** Every key of the requirements is a label some declared Namespace carries. */
function keysKnown(ix: LintIndex, reqs: readonly Requirement[] | undefined): boolean {
  if (!reqs) return false;
  for (const r of reqs) if (!ix.namespaceKeys.has(r.key)) return false;
  return true;
}

function selectorWords(sel: Selector | undefined): string {
  return sel && !isEmptySelector(sel) ? quote(describeSelector(sel)) : 'every pod';
}

/** NP205: policyTypes leaves out a direction whose rules are written. */
function ignoredRules(p: NetworkPolicy, out: Finding[]): void {
  const types = p.policyTypes;
  if (!types || types.length === 0) return;
  // An entry NP116 rejects (wrong case, a typo): that error is the message.
  if (types.some((t) => t.value !== 'Ingress' && t.value !== 'Egress')) return;
  ignoredDirection(types, 'Ingress', p.ingress, p.ingressKeySpan, out);
  ignoredDirection(types, 'Egress', p.egress, p.egressKeySpan, out);
}

function ignoredDirection(types: readonly Located<string>[], dir: 'Ingress' | 'Egress', rules: readonly Rule[] | undefined, key: Span | undefined, out: Finding[]): void {
  if (!key || !rules || rules.length === 0 || types.some((t) => t.value === dir)) return;
  const n = rules.length;
  const listed = types.map((t) => t.value).join(', ');
  out.push(
    finding(
      'NP205',
      key,
      `policyTypes is [${listed}], without ${dir}, so ${n === 1 ? `this ${dir.toLowerCase()} rule is` : `these ${n} ${dir.toLowerCase()} rules are`} ignored: ${n === 1 ? 'it allows' : 'they allow'} nothing and ${dir.toLowerCase()} stays as other policies leave it. Add ${dir} to policyTypes, or remove ${n === 1 ? 'the rule' : 'them'}.`,
    ),
  );
}

/** NP206 on the policy's own podSelector. */
function policySelectorMatchesNothing(reads: Reads, c: CompiledPolicy, out: Finding[]): void {
  const pi = c.info;
  const sel = pi.policy.podSelector;
  if (!sel || sel.malformed || isEmptySelector(sel)) return;
  const declared = reads.workloads(pi.namespace);
  if (declared.length === 0 || anyMatching(reads, pi.namespace, sel, c.podRequirements)) return;
  out.push(withNearLabel(sel, declared, `This podSelector (${quote(describeSelector(sel))}) selects none of the ${workloadList(declared)} declared in namespace ${pi.namespace}: the policy applies to no pod the workspace knows.`));
}

/** Workloads an NP206 finding links at most. */
const MAX_CARRIERS = 5;

/**
 * An NP206 finding, with the label one typo away from what the workloads carry: a matchLabels key
 * or value that, written as the nearest one the workloads have, makes the selector match some of
 * them. The message says which; the quick fix writes it, and the finding links the workloads that
 * carry it. Two labels that could each be the typo give no guess.
 */

function withNearLabel(sel: Selector, declared: readonly WorkloadInfo[], message: string): Finding {
  let found: { at: Span; near: string; label: string; carriers: readonly WorkloadInfo[] } | undefined;
  for (const l of sel.matchLabels) {
    // Only changes that make the selector match count: of `web1` and `web`, one may be a typo away
    // and the other not matching with the selector's other labels. A change to this label makes it
    // match a workload that its other labels and expressions match, so the candidates are read off
    // those (one pass, not a pass over every workload for each label value in the namespace).
    const others: Selector = { ...sel, matchLabels: sel.matchLabels.filter((x) => x !== l) };
    // Each candidate with the workloads that carry it (the finding links them).
    const fitting = new Map<string, WorkloadInfo[]>();
    const fits = (candidate: string, w: WorkloadInfo): void => {
      const list = fitting.get(candidate);
      if (list) list.push(w);
      else fitting.set(candidate, [w]);
    };
    // A key some workload carries: the value is the typo, else the key is.
    const byKey = declared.some((w) => w.labels.has(l.key));
    for (const w of declared) {
      if (!matches(others, w.labels)) continue;
      if (byKey) {
        const v = w.labels.get(l.key);
        if (v !== undefined) fits(v, w);
      } else for (const [k, v] of w.labels) if (v === l.value) fits(k, w);
    }
    const meant = closest(byKey ? l.value : l.key, [...fitting.keys()]);
    if (meant === undefined) continue;
    if (found) return finding('NP206', sel.keySpan, message);
    found = { at: byKey ? l.valueSpan : l.keySpan, near: meant, label: byKey ? `${l.key}: ${meant}` : `${meant}: ${l.value}`, carriers: fitting.get(meant) ?? [] };
  }
  if (!found) return finding('NP206', sel.keySpan, message);
  const label = found.label;
  const related = found.carriers.slice(0, MAX_CARRIERS).map((w): RelatedPlace => ({ object: w.workload, span: w.workload.podLabelsSpan ?? w.workload.nameSpan ?? w.workload.span, message: `${w.workload.kind} ${w.workload.name} carries ${label}` }));
  return { ...finding('NP206', sel.keySpan, `${message} Did you mean ${quote(label)}?`), replaceWith: found.near, replaceAt: { start: found.at.start, end: found.at.end }, related };
}

function workloadList(ws: readonly WorkloadInfo[]): string {
  const names = ws.slice(0, 3).map((w) => w.workload.name);
  const more = ws.length > 3 ? ` and ${ws.length - 3} more` : '';
  return `${ws.length === 1 ? 'workload' : `${ws.length} workloads`} (${names.join(', ')}${more})`;
}

/** The namespaces a namespaceSelector names through kubernetes.io/metadata.name, when it does. */
function pinnedNamespaces(reqs: readonly Requirement[] | undefined): readonly string[] | undefined {
  const pin = reqs?.find((r) => r.key === NAMESPACE_NAME_LABEL && r.op === 'In');
  return pin?.list;
}

/**
 * NP206 on a peer's podSelector: in the namespaces it looks in, the workspace declares workloads
 * and none matches. Namespaces it cannot name (a label selector) or whose workloads the workspace
 * does not declare (kube-system, an ingress controller's) are never reported.
 */
function peerSelectorMatchesNothing(reads: Reads, pi: PolicyInfo, peer: CompiledPeer, out: Finding[]): void {
  // Peers with an ipBlock are not 'pods' peers.
  if (peer.kind !== 'pods') return;
  const sel = peer.podSelector;
  if (!sel || sel.malformed || isEmptySelector(sel)) return;
  let namespaces: readonly string[];
  if (peer.namespaceSelector) {
    if (peer.namespaceSelector.malformed) return;
    const pinned = pinnedNamespaces(peer.namespaceRequirements);
    if (!pinned || pinned.length === 0) return;
    if (pinned.some((ns) => reads.workloads(ns).length === 0)) return;
    if (pinned.some((ns) => anyMatching(reads, ns, sel, peer.podRequirements))) return;
    namespaces = pinned;
  } else {
    // The usual case, one namespace: no list to build unless there is a finding.
    if (reads.workloads(pi.namespace).length === 0 || anyMatching(reads, pi.namespace, sel, peer.podRequirements)) return;
    namespaces = [pi.namespace];
  }
  const where = namespaces.length === 1 ? `namespace ${namespaces[0] ?? ''}` : `namespaces ${namespaces.join(', ')}`;
  const declared = namespaces.flatMap((ns) => reads.workloads(ns));
  out.push(withNearLabel(sel, declared, `No workload declared in ${where} has labels ${quote(describeSelector(sel))} (the workspace declares ${workloadList(declared)} there): this peer matches no pod.`));
}

/** NP210: a kube-dns podSelector without namespaceSelector looks for DNS pods in the policy's own namespace. */
function dnsPeerWithoutNamespace(reads: Reads, pi: PolicyInfo, peer: CompiledPeer, out: Finding[]): boolean {
  if (peer.kind !== 'pods') return false;
  const sel = peer.podSelector;
  if (!sel || sel.malformed || isEmptySelector(sel) || peer.namespaceSelector || pi.namespace === DNS_NAMESPACE) return false;
  // The DNS pods: kube-system's declared kube-dns workload, if any.
  reads.workloads(DNS_NAMESPACE);
  const target = dnsTargetOf(reads.ix.inv);
  if (!target.podLabels.some((l) => matches(sel, l))) return false;
  // The namespace runs its own pods with these labels: a local DNS server, then.
  if (anyMatching(reads, pi.namespace, sel, peer.podRequirements)) return false;
  out.push(
    finding(
      'NP210',
      sel.keySpan,
      `This peer selects the cluster DNS pods (${describeSelector(sel)}) but has no namespaceSelector, so it looks for them only in this policy's namespace (${pi.namespace}), not in ${DNS_NAMESPACE} where they run: DNS stays blocked. Add namespaceSelector: {matchLabels: {${NAMESPACE_NAME_LABEL}: ${DNS_NAMESPACE}}} to this peer.`,
    ),
  );
  return true;
}

/** NP207: a namespaceSelector key that no declared Namespace carries, where a namespace name or a near key says what was meant. */
function namespaceLabelUnknown(ix: LintIndex, sel: Selector, out: Finding[]): void {
  if (sel.malformed) return;
  const check = (key: string, values: readonly string[], span: Span | undefined): void => {
    if (!span || ix.namespaceKeys.has(key)) return;
    const named = values.find((v) => ix.declaredNamespaces.has(v) || SYSTEM_NAMESPACES.has(v));
    if (named !== undefined) {
      const why = ix.declaredNamespaces.has(named) ? `namespace ${named} is declared without it` : `${named} is created by Kubernetes with only ${NAMESPACE_NAME_LABEL}`;
      out.push(finding('NP207', span, `No Namespace carries the label ${quote(key)} (${why}), so this selector matches no namespace. Every namespace has ${quote(NAMESPACE_NAME_LABEL)}: did you mean ${quote(`${NAMESPACE_NAME_LABEL}: ${named}`)}?`));
      return;
    }
    if (ix.declaredNamespaces.size === 0) return;
    const near = closest(key, [...ix.namespaceKeys]);
    if (near === undefined || near === key) return;
    out.push(finding('NP207', span, `No declared Namespace carries the label ${quote(key)}; did you mean ${quote(near)}? (A namespace outside the workspace may carry it; if so, silence this.)`));
  };
  // Known keys first: the usual case, and no values to gather.
  for (const l of sel.matchLabels) if (!ix.namespaceKeys.has(l.key)) check(l.key, [l.value], l.keySpan);
  for (const e of sel.matchExpressions) {
    if (ix.namespaceKeys.has(e.key)) continue;
    if (e.operator === 'In' || e.operator === 'NotIn' || e.operator === 'Exists' || e.operator === 'DoesNotExist') check(e.key, e.values.map((v) => v.value), e.keySpan);
  }
}

/** The one selector a peer item has, when it has exactly one key and it is a selector. */
export function soleSelector(peer: Peer): 'namespaceSelector' | 'podSelector' | undefined {
  if (!peer.keys || peer.keys.length !== 1 || peer.ipBlock) return undefined;
  if (peer.namespaceSelector && !peer.podSelector) return 'namespaceSelector';
  if (peer.podSelector && !peer.namespaceSelector) return 'podSelector';
  return undefined;
}

/** Adjacent items of a rule, one namespaceSelector-only and one podSelector-only: they read as OR but look like one peer split in two (NP203 and its fix). */
export function orPairs(rule: Rule): [Peer, Peer][] {
  const peers = rule.peers ?? [];
  const out: [Peer, Peer][] = [];
  for (let i = 0; i + 1 < peers.length; i++) {
    const a = peers[i];
    const b = peers[i + 1];
    if (!a || !b) continue;
    const x = soleSelector(a);
    const y = soleSelector(b);
    if (x && y && x !== y) out.push([a, b]);
  }
  return out;
}

/** NP203: a namespaceSelector-only item next to a podSelector-only item reads as OR. */
function orWhereAndMeant(pi: PolicyInfo, r: Rule, out: Finding[]): void {
  for (const [a, b] of orPairs(r)) {
    const x = soleSelector(a);
    const nsSel = (x === 'namespaceSelector' ? a : b).namespaceSelector;
    const podSel = (x === 'podSelector' ? a : b).podSelector;
    // `podSelector: {}` next to a namespace: "this namespace, or that one"; AND would make it pointless.
    if (!nsSel || !podSel || nsSel.malformed || podSel.malformed || isEmptySelector(podSel)) continue;
    const pinned = nsSel.matchExpressions.length === 0 && nsSel.matchLabels.length === 1 ? pinnedNamespaces(requirements(nsSel)) : undefined;
    const namespaces = isEmptySelector(nsSel) ? 'every namespace' : pinned?.length === 1 ? `namespace ${pinned[0] ?? ''}` : `namespaces ${quote(describeSelector(nsSel))}`;
    const pods = `pods ${quote(describeSelector(podSel))}`;
    const side = r.direction === 'ingress' ? 'from' : 'to';
    out.push(
      finding(
        'NP203',
        // From the from/to key to the second item: the list, where the fix merges the pair.
        { start: r.peersKeySpan?.start ?? a.span.start, end: b.span.end },
        `These are two peers, OR'd: ${pods} in this policy's namespace (${pi.namespace}), or every pod in ${namespaces}. If you meant ${pods} in ${namespaces}, write namespaceSelector and podSelector in one ${side} item (remove the second "-").`,
      ),
    );
  }
}

/**
 * NP208: named ports that match no container port of the destination pods. The engine's
 * namedPortProblems is the answer; a quick look through the label index first spares asking it
 * about the many rules whose named ports are plainly declared.
 */
function namedPorts(reads: Reads, pi: PolicyInfo, c: CompiledPolicy, out: Finding[]): void {
  let suspect = false;
  for (const r of c.rules) {
    if (r.ports.named.length === 0) continue;
    let dests: readonly WorkloadInfo[];
    if (r.direction === 'ingress') dests = reads.matching(pi.namespace, c.podSelector, c.podRequirements);
    else if (r.anyPeer) dests = reads.all().inv.workloads;
    else {
      const valid = r.peers.filter((x) => x.kind !== 'invalid');
      if (valid.length > 0 && valid.every((x) => x.kind === 'ipBlock')) {
        suspect = true;
        break;
      }
      dests = valid.flatMap((x) => peerWorkloads(reads, x));
    }
    if (dests.length === 0) continue;
    if (r.ports.named.some((n) => !dests.some((w) => w.workload.ports.some((cp) => cp.name === n.name && cp.protocol === n.protocol)))) {
      suspect = true;
      break;
    }
  }
  if (!suspect) return;
  for (const problem of analysisOf(reads).namedPortProblems(pi)) {
    const f = finding('NP208', problem.port.port?.span ?? problem.port.span, problem.message);
    out.push(problem.nearName === undefined ? f : { ...f, replaceWith: problem.nearName });
  }
}

function protocolOf(p: PolicyPort): Protocol | undefined {
  const v = p.protocol?.value ?? 'TCP';
  return v === 'TCP' || v === 'UDP' || v === 'SCTP' ? v : undefined;
}

/** The workloads a compiled peer matches (pods peers only). */
function peerWorkloads(reads: Reads, peer: CompiledPeer): readonly WorkloadInfo[] {
  if (peer.kind !== 'pods') return [];
  if (!peer.namespaceSelector) return reads.matching(peer.namespace, peer.podSelector, peer.podRequirements);
  const out: WorkloadInfo[] = [];
  for (const ns of namespacesMatching(reads, peer.namespaceSelector, peer.namespaceRequirements)) for (const w of reads.matching(ns, peer.podSelector, peer.podRequirements)) out.push(w);
  return out;
}

/** The namespaces with workloads or Services that a namespaceSelector matches. */
function namespacesMatching(reads: Reads, nsSel: Selector, reqs: readonly Requirement[] | undefined): readonly string[] {
  const pinned = pinnedNamespaces(reqs);
  // Named ones: only those can match, whatever else the workspace holds.
  const names = pinned ?? [...reads.all().perNamespace.keys()];
  const matching = (ns: string): boolean => selects(nsSel, reqs, namespaceLabels(reads.ix.inv, ns));
  // Usually the one namespace named, which matches: the list as it is.
  return names.every(matching) ? names : names.filter(matching);
}

/** NP209: a numeric port that is a Service's port, translated to another targetPort on the destination pods. */
function servicePorts(reads: Reads, c: CompiledPolicy, out: Finding[]): void {
  if (!reads.ix.anyTranslated) return;
  for (const r of c.rules) {
    if (r.direction === 'egress' && r.anyPeer) continue;
    if (!r.rule.ports?.some(singlePort)) continue;
    // The translated Service ports of the destination pods' namespaces: a quick test.
    const translated: ReadonlySet<number>[] = [];
    if (r.direction === 'ingress') addTranslated(reads, c.info.namespace, translated);
    else for (const peer of r.peers) if (peer.kind === 'pods') for (const ns of peer.namespaceSelector ? namespacesMatching(reads, peer.namespaceSelector, peer.namespaceRequirements) : [peer.namespace]) addTranslated(reads, ns, translated);
    if (translated.length === 0) continue;
    const candidates = r.rule.ports.filter((p) => singlePort(p) && translated.some((t) => t.has(Number(p.port?.value))));
    if (candidates.length === 0) continue;
    let dests: readonly WorkloadInfo[];
    if (r.direction === 'ingress') dests = reads.matching(c.info.namespace, c.podSelector, c.podRequirements);
    else dests = r.peers.flatMap((peer) => peerWorkloads(reads, peer));
    if (dests.length === 0) continue;
    for (const pe of candidates) {
      const port = pe.port?.value;
      const protocol = protocolOf(pe);
      if (typeof port !== 'number' || !protocol || !pe.port) continue;
      if (dests.some((w) => w.workload.ports.some((cp) => cp.port === port && cp.protocol === protocol))) continue;
      const hit = translation(reads, dests, port, protocol, r);
      if (!hit) continue;
      const named = typeof hit.targetPort === 'string' ? ` (targetPort ${hit.targetPort})` : '';
      const found = finding(
        'NP209',
        pe.port.span,
        `Port ${port} is the port of Service ${hit.service.name}, which sends to port ${hit.target}${named} on its pods (${hit.workload.name}). Policies see pod ports, after the Service's translation, so this entry does not allow that traffic: use ${hit.target}${typeof hit.targetPort === 'string' ? ` or ${hit.targetPort}` : ''}.`,
      );
      const related: RelatedPlace[] = [{ object: hit.service, span: hit.servicePort.span, message: `Service ${hit.service.name}: port ${port} to targetPort ${hit.targetPort}` }];
      if (hit.containerPort) related.push({ object: hit.workload, span: hit.containerPort.span, message: `the pods' port ${hit.target} (${hit.workload.kind} ${hit.workload.name})` });
      const f = { ...found, related };
      const replaceWith = podPortFor(reads, r, dests, port, protocol);
      out.push(replaceWith === undefined ? f : { ...f, replaceWith });
    }
  }
}

/**
 * What the quick fix writes instead of a Service's port: the Service's targetPort (a name stays a
 * name, resolved per pod as the Service does), when replacing the number loses nothing: the rule
 * reaches only pods (an ipBlock peer may need the number itself) and every destination's Services
 * translate it to the same targetPort.
 */
function podPortFor(reads: Reads, r: CompiledRule, dests: readonly WorkloadInfo[], port: number, protocol: Protocol): number | string | undefined {
  if (r.direction === 'egress' && !r.peers.every((p) => p.kind === 'pods')) return undefined;
  let target: number | string | undefined;
  for (const w of dests) {
    const hit = translation(reads, [w], port, protocol, r);
    if (!hit) continue;
    const t = typeof hit.targetPort === 'string' ? hit.targetPort : hit.target;
    if (target !== undefined && t !== target) return undefined;
    target = t;
  }
  return target;
}

/** A ports entry of one number: what can be a Service's port. */
function singlePort(p: PolicyPort): boolean {
  return typeof p.port?.value === 'number' && p.endPort === undefined;
}

/** The translated Service ports of a namespace, added to `sets` once. */
function addTranslated(reads: Reads, namespace: string, sets: ReadonlySet<number>[]): void {
  const t = reads.translated(namespace);
  if (t && !sets.includes(t)) sets.push(t);
}

function translation(
  reads: Reads,
  dests: readonly WorkloadInfo[],
  port: number,
  protocol: Protocol,
  r: CompiledRule,
): { service: ServiceObject; servicePort: ServicePort; target: number; targetPort: number | string; workload: Workload; containerPort: ContainerPort | undefined } | undefined {
  for (const w of dests) {
    for (const s of reads.services(w.namespace)) {
      if (s.selector.length === 0 || !s.selector.every((l) => w.labels.get(l.key) === l.value)) continue;
      for (const sp of s.ports) {
        if (sp.port !== port || sp.protocol !== protocol || sp.targetPort === undefined) continue;
        const containerPort = w.workload.ports.find((cp) => (typeof sp.targetPort === 'number' ? cp.port === sp.targetPort : cp.name === sp.targetPort) && cp.protocol === protocol);
        const target = typeof sp.targetPort === 'number' ? sp.targetPort : containerPort?.port;
        if (target === undefined || target === port) continue;
        // The rule allows the real port too: the Service port is only noise there.
        if (allows(resolvePorts(r.ports, w.workload.ports), protocol, target)) continue;
        return { service: s, servicePort: sp, target, targetPort: sp.targetPort, workload: w.workload, containerPort };
      }
    }
  }
  return undefined;
}

/** The rule of `rules` that covers `r` (of two equal rules, the earlier covers the later). */
function shadowing(ctx: CoverContext, rules: readonly CompiledRule[], r: CompiledRule): CompiledRule | undefined {
  for (const q of rules) if (q !== r && ruleCovers(ctx, q, r) && (q.rule.index < r.rule.index || !ruleCovers(ctx, r, q))) return q;
  return undefined;
}

const ordinal = (r: CompiledRule): string => `${r.direction} rule #${r.rule.index + 1}`;

/** NP211: a rule that another rule of the same policy already covers (of two equal rules, the later). */
function shadowedRules(ix: LintIndex, c: CompiledPolicy, out: Finding[]): void {
  if (c.ingressRules.length < 2 && c.egressRules.length < 2) return;
  const ctx = coverContext(ix, c.info.namespace);
  shadowedIn(ctx, c.ingressRules, out);
  shadowedIn(ctx, c.egressRules, out);
}

function shadowedIn(ctx: CoverContext, rules: readonly CompiledRule[], out: Finding[]): void {
  if (rules.length < 2) return;
  for (const r of rules) {
    if (!ruleIsValid(r)) continue;
    const by = shadowing(ctx, rules, r);
    if (!by) continue;
    const f = finding('NP211', r.rule.span, `This ${ordinal(r)} allows nothing that ${ordinal(by)} of this policy does not already allow (its peers and ports are within that rule's); it can go.`);
    out.push({ ...f, related: [{ object: by.policy.policy, span: by.rule.span, message: `${ordinal(by)}, which allows all of it` }] });
  }
}

// ---------------------------------------------------------------------------------------------
// Per namespace

interface Candidate {
  readonly info: PolicyInfo;
  readonly compiled: CompiledPolicy;
  /** The podSelector as requirements; undefined when malformed (it selects nothing) or the policy is invalid. */
  readonly reqs: readonly Requirement[] | undefined;
  readonly order: number;
}

/** Policies whose podSelector could select every pod `c` selects, found through one `key=value` of theirs. */
class SelectorIndex {
  private readonly general: Candidate[] = [];
  /** By the pin (selector.ts) of their podSelector, one `key In [value]`: key, then value. */
  private readonly byPin = new Map<string, Map<string, Candidate[]>>();

  constructor(candidates: readonly Candidate[]) {
    for (const c of candidates) {
      if (!c.reqs) continue;
      const pin = pinOf(c.reqs);
      if (!pin) {
        this.general.push(c);
        continue;
      }
      let byValue = this.byPin.get(pin.key);
      if (!byValue) this.byPin.set(pin.key, (byValue = new Map()));
      push(byValue, pin.only, c);
    }
  }

  /** Every other candidate whose podSelector selects at least what `c`'s selects. */
  covering(c: Candidate): Candidate[] {
    const reqs = c.reqs;
    if (!reqs) return [];
    const out: Candidate[] = [];
    for (const q of this.general) if (q !== c && q.reqs && selectorImplies(reqs, q.reqs)) out.push(q);
    // A `key=value` requirement of q follows only from the same `key=value` of c. Candidates are
    // listed under one pair each, so each is met once unless c repeats a pair.
    for (let i = 0; i < reqs.length; i++) {
      const r = reqs[i];
      if (r?.only === undefined || repeated(reqs, i)) continue;
      for (const q of this.byPin.get(r.key)?.get(r.only) ?? []) if (q !== c && q.reqs && selectorImplies(reqs, q.reqs)) out.push(q);
    }
    return out;
  }
}

/** The i-th requirement's `key=value` pair is one of an earlier requirement. */
function repeated(reqs: readonly Requirement[], i: number): boolean {
  const r = reqs[i];
  for (let j = 0; j < i; j++) if (reqs[j]?.key === r?.key && reqs[j]?.only === r?.only) return true;
  return false;
}

/** The folder of a path or URI: what `kubectl apply -f dir/` applies together (as NP108 takes it). */
function folderOf(source: string): string {
  return source.slice(0, Math.max(source.lastIndexOf('/'), source.lastIndexOf('\\')) + 1);
}

/**
 * Whether the API server would take the policy as the model reads it: an apiVersion, valid
 * policyTypes, selectors and rules. A policy that would be rejected covers nothing (deleting what
 * it seems to duplicate would lose the rules that do apply) and is not reported as redundant.
 */
function policyIsValid(c: CompiledPolicy): boolean {
  const p = c.info.policy;
  if (p.apiVersion === undefined || c.podRequirements === undefined) return false;
  if (!p.name || objectNameProblems(p.name, false).length > 0 || (p.namespace !== undefined && dns1123LabelProblems(p.namespace).length > 0)) return false;
  if (p.policyTypes && (p.policyTypes.length > 2 || p.policyTypes.some((t) => t.value !== 'Ingress' && t.value !== 'Egress'))) return false;
  // The model keeps only the string entries; a null or a number among them is an error too.
  if (p.policyTypes && p.policyTypesCount !== p.policyTypes.length) return false;
  const selectorsOk = (r: CompiledRule): boolean => r.peers.every((x) => x.kind !== 'pods' || (x.podRequirements !== undefined && x.namespaceRequirements !== undefined));
  return c.rules.every((r) => ruleIsValid(r) && selectorsOk(r));
}

function namespacePass(ix: LintIndex, namespace: string, policies: readonly PolicyInfo[]): Map<NetworkPolicy, Kept> {
  const found = new Map<NetworkPolicy, Finding[]>();
  const add = (p: NetworkPolicy, f: Finding): void => push(found, p, f);
  // Policies are compared within one folder, what is applied together; of two with one name there,
  // the later replaces the earlier (as the engine takes it).
  const folders = new Map<string, PolicyInfo[]>();
  // Policies of one file come together and share one source string: its folder is worked out once.
  let source: string | undefined;
  let folder = '';
  for (const pi of policies) {
    if (pi.policy.source !== source) folder = folderOf((source = pi.policy.source));
    push(folders, folder, pi);
  }
  const ctx = coverContext(ix, namespace);
  for (const group of folders.values()) {
    const last = new Map<string, PolicyInfo>();
    for (const pi of group) if (pi.policy.name) last.set(pi.policy.name, pi);
    const live: Candidate[] = [];
    for (const pi of group) {
      if (pi.policy.name && last.get(pi.policy.name) !== pi) continue;
      const c = compilePolicy(pi);
      live.push({ info: pi, compiled: c, reqs: policyIsValid(c) ? c.podRequirements : undefined, order: live.length });
    }
    const index = new SelectorIndex(live);
    for (const c of live) defaultedPolicyTypes(c, index, add);
    redundantPolicies(live, index, ctx, add);
  }
  const out = new Map<NetworkPolicy, Kept>();
  for (const [p, fs] of found) out.set(p, keep(p, fs));
  return out;
}

/** The policy isolates ingress on purpose: policyTypes says so, it has ingress rules, or it has no egress rules. */
function isolatesIngressOnPurpose(p: NetworkPolicy): boolean {
  if (p.policyTypes && p.policyTypes.length > 0) return p.policyTypes.some((t) => t.value === 'Ingress');
  return p.ingressKeySpan !== undefined || (p.egress?.length ?? 0) === 0;
}

/** NP204: policyTypes omitted next to egress rules, so ingress is isolated as well. */
function defaultedPolicyTypes(c: Candidate, index: SelectorIndex, add: (p: NetworkPolicy, f: Finding) => void): void {
  const p = c.info.policy;
  if ((p.policyTypes && p.policyTypes.length > 0) || !p.egressKeySpan || (p.egress?.length ?? 0) === 0 || p.ingressKeySpan !== undefined) return;
  // Another policy already isolates ingress for every pod this one selects: the default changes nothing.
  if (index.covering(c).some((q) => isolatesIngressOnPurpose(q.info.policy))) return;
  add(
    p,
    finding(
      'NP204',
      p.egressKeySpan,
      `policyTypes is omitted and this policy has egress rules, so it defaults to [Ingress, Egress]: the pods it selects are isolated for ingress too, and all ingress to them is denied unless another policy allows it. Write policyTypes: [Egress] if only egress was meant, or [Ingress, Egress] to keep the deny.`,
    ),
  );
}

/** The first of `others` with a rule that allows at least what `r` allows. */
function coveringRule(ctx: CoverContext, others: readonly Candidate[], r: CompiledRule): Candidate | undefined {
  for (const o of others) for (const x of r.direction === 'ingress' ? o.compiled.ingressRules : o.compiled.egressRules) if (ruleCovers(ctx, x, r)) return o;
  return undefined;
}

/**
 * NP212: policies that change nothing. Taken from the last to the first, a policy is redundant when
 * the policies still kept select all its pods (for every pod, declared or not), isolate each
 * direction it isolates, and have a rule allowing at least what each of its rules allows; it is
 * then set aside, so of two equal policies only the later is reported.
 */
function redundantPolicies(live: readonly Candidate[], index: SelectorIndex, ctx: CoverContext, add: (p: NetworkPolicy, f: Finding) => void): void {
  const removed = new Set<Candidate>();
  for (let i = live.length - 1; i >= 0; i--) {
    const c = live[i];
    if (!c) continue;
    const others = index.covering(c).filter((q) => !removed.has(q));
    if (others.length === 0) continue;
    const used = new Set<Candidate>();
    let covered = true;
    for (const dir of ['ingress', 'egress'] as const) {
      if (!(dir === 'ingress' ? c.compiled.ingress : c.compiled.egress)) continue;
      const rules = dir === 'ingress' ? c.compiled.ingressRules : c.compiled.egressRules;
      if (rules.length === 0) {
        // A deny (isolation without rules) is covered only by another deny: policies that isolate
        // as a side effect of allowing something do not make a default deny redundant.
        const q = others.find((o) => (dir === 'ingress' ? o.compiled.ingress && o.compiled.ingressRules.length === 0 : o.compiled.egress && o.compiled.egressRules.length === 0));
        if (!q) covered = false;
        else used.add(q);
      }
      for (const r of rules) {
        const q = ruleIsValid(r) ? coveringRule(ctx, others, r) : undefined;
        if (!q) {
          covered = false;
          break;
        }
        used.add(q);
      }
      if (!covered) break;
    }
    if (!covered || used.size === 0) continue;
    removed.add(c);
    const p = c.info.policy;
    const covering = [...used].sort((a, b) => a.order - b.order).map((q) => q.info.policy);
    const names = covering.map((o) => o.name || '(unnamed)');
    const one = names.length === 1;
    const pods = p.podSelector && !isEmptySelector(p.podSelector) ? `every pod it selects (${selectorWords(p.podSelector)})` : `every pod of namespace ${ctx.namespace}`;
    const list = names.length > 3 ? `${names.slice(0, 3).join(', ')} and ${names.length - 3} more` : names.join(', ');
    const f = finding(
      'NP212',
      p.nameSpan ?? p.specSpan ?? p.span,
      `This policy changes nothing: ${one ? `policy ${list}` : `policies ${list}`} already ${one ? 'selects' : 'select'} ${pods}, ${one ? 'isolates' : 'isolate'} the same directions and ${one ? 'allows' : 'allow'} at least what it allows. Removing it changes no connection.`,
    );
    const related = covering.map((o, i) => ({ object: o, span: o.nameSpan ?? o.span, message: `policy ${names[i] ?? ''}, which covers it` }));
    add(p, { ...f, related });
  }
}
