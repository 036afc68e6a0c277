/**
 * Navigation between policies and what they select: go to definition (a selector → the workloads
 * and Namespace objects it selects), find references (a workload or Namespace → the policies and
 * peers that select it), the outline of a file, policies by name, and the per-policy lens.
 * Results are spans in named sources (the `source` of each object); the LSP layer turns them into
 * locations with the text of those files.
 */
import { describeSelector, isEmptySelector, matches } from './selector';
import { NAMESPACE_NAME_LABEL, namespaceLabels, type Inventory, type PolicyInfo, type WorkloadInfo } from './inventory';
import { isWorkload, type ContainerPort, type K8sObject, type Label, type NamespaceObject, type NetworkPolicy, type ParsedFile, type Peer, type PolicyPort, type Rule, type Selector } from './model';
import { contains, type Span } from './text';

export interface Target {
  readonly source: string;
  /** The whole object, rule or selector: what a peek shows. */
  readonly span: Span;
  /** Where the cursor goes: a name, a label, a container port. Inside `span`. */
  readonly selection: Span;
  /** Names the target in lists and tests: `Deployment shop/web`. */
  readonly label: string;
}

export interface Navigation {
  /** What was under the cursor: the selector, label or name the answer is about. */
  readonly origin: Span;
  readonly targets: readonly Target[];
}

// --- per-inventory lookups, built once: requests on files of thousands of policies stay linear ---

interface Index {
  readonly workloadsByNamespace: ReadonlyMap<string, readonly WorkloadInfo[]>;
  readonly workloadOf: ReadonlyMap<K8sObject, WorkloadInfo>;
  readonly policyOf: ReadonlyMap<K8sObject, PolicyInfo>;
  readonly policiesByNamespace: ReadonlyMap<string, readonly PolicyInfo[]>;
}

const indexes = new WeakMap<Inventory, Index>();

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}

function indexOf(inv: Inventory): Index {
  const cached = indexes.get(inv);
  if (cached) return cached;
  const workloadsByNamespace = new Map<string, WorkloadInfo[]>();
  const workloadOf = new Map<K8sObject, WorkloadInfo>();
  for (const w of inv.workloads) {
    push(workloadsByNamespace, w.namespace, w);
    workloadOf.set(w.workload, w);
  }
  const policyOf = new Map<K8sObject, PolicyInfo>();
  const policiesByNamespace = new Map<string, PolicyInfo[]>();
  for (const pi of inv.policies) {
    policyOf.set(pi.policy, pi);
    push(policiesByNamespace, pi.namespace, pi);
  }
  const ix = { workloadsByNamespace, workloadOf, policyOf, policiesByNamespace };
  indexes.set(inv, ix);
  return ix;
}

function policyInfo(inv: Inventory, p: NetworkPolicy): PolicyInfo {
  return indexOf(inv).policyOf.get(p) ?? { policy: p, namespace: p.namespace ?? inv.defaultNamespace };
}

/** The workloads a policy selects: its namespace, its podSelector (absent: every pod). */
export function selectedWorkloads(inv: Inventory, pi: PolicyInfo): WorkloadInfo[] {
  const sel = pi.policy.podSelector;
  return (indexOf(inv).workloadsByNamespace.get(pi.namespace) ?? []).filter((w) => !sel || matches(sel, w.labels));
}

function peerMatches(inv: Inventory, peer: Peer, policyNamespace: string, w: WorkloadInfo): boolean {
  if (peer.ipBlock) return false;
  const nsOk = peer.namespaceSelector ? matches(peer.namespaceSelector, namespaceLabels(inv, w.namespace)) : w.namespace === policyNamespace;
  return nsOk && (!peer.podSelector || matches(peer.podSelector, w.labels));
}

/** The workloads a peer selects, given the namespace of its policy. */
function peerWorkloads(inv: Inventory, peer: Peer, policyNamespace: string): WorkloadInfo[] {
  if (peer.ipBlock) return [];
  const ix = indexOf(inv);
  const candidates = peer.namespaceSelector ? inv.workloads : (ix.workloadsByNamespace.get(policyNamespace) ?? []);
  return candidates.filter((w) => peerMatches(inv, peer, policyNamespace, w));
}

/** Egress: the pods the rule's peers select (every pod without peers). Ingress: the policy's pods. */
function ruleDestinations(inv: Inventory, pi: PolicyInfo, rule: Rule): WorkloadInfo[] {
  if (rule.direction === 'ingress') return selectedWorkloads(inv, pi);
  if (!rule.peers || rule.peers.length === 0) return [...inv.workloads];
  const out = new Set<WorkloadInfo>();
  for (const p of rule.peers) for (const w of peerWorkloads(inv, p, pi.namespace)) out.add(w);
  return [...out];
}

// --- targets ---

const labelSpan = (l: Label): Span => ({ start: l.keySpan.start, end: Math.max(l.keySpan.end, l.valueSpan.end) });

function objectLabel(o: K8sObject, namespace: string | undefined): string {
  const name = o.name || '(unnamed)';
  return namespace !== undefined ? `${o.kind} ${namespace}/${name}` : `${o.kind} ${name}`;
}

function workloadTarget(w: WorkloadInfo, selection?: Span): Target {
  const o = w.workload;
  return { source: o.source, span: o.span, selection: selection ?? o.nameSpan ?? o.span, label: objectLabel(o, w.namespace) };
}

function namespaceTarget(ns: NamespaceObject, selection?: Span): Target {
  return { source: ns.source, span: ns.span, selection: selection ?? ns.nameSpan ?? ns.span, label: objectLabel(ns, undefined) };
}

const inSelector = (s: Selector, offset: number): boolean => contains(s.keySpan, offset) || contains(s.span, offset);

/**
 * Targets for a selector under the cursor. On one of its labels (or expressions): the objects'
 * own label with that key, so the cursor lands where the label is written.
 */
function selectorNavigation<T>(sel: Selector, offset: number, objects: readonly T[], target: (o: T, selection?: Span) => Target, written: (o: T) => readonly Label[]): Navigation {
  const label = sel.matchLabels.find((l) => contains(labelSpan(l), offset));
  const expr = label ? undefined : sel.matchExpressions.find((e) => contains(e.span, offset));
  const key = label?.key ?? expr?.key;
  const origin = label ? labelSpan(label) : expr ? expr.span : contains(sel.keySpan, offset) ? sel.keySpan : { start: sel.keySpan.start, end: sel.span.end };
  const targets = objects.map((o) => {
    const own = key !== undefined ? written(o).find((l) => l.key === key) : undefined;
    return target(o, own ? labelSpan(own) : undefined);
  });
  return { origin, targets };
}

function portMatches(p: PolicyPort, cp: ContainerPort): boolean {
  if ((p.protocol?.value ?? 'TCP') !== cp.protocol) return false;
  const v = p.port?.value;
  if (v === undefined) return true;
  if (typeof v === 'string') return cp.name === v;
  return v <= cp.port && cp.port <= (p.endPort?.value ?? v);
}

/** Go to definition. Never throws. */
export function definition(file: ParsedFile, inv: Inventory, offset: number): Navigation | undefined {
  for (const o of file.objects) {
    if (!contains(o.span, offset)) continue;
    if (o.namespace !== undefined && o.namespaceSpan && contains(o.namespaceSpan, offset)) {
      const ns = inv.namespaces.get(o.namespace)?.declared;
      return { origin: o.namespaceSpan, targets: ns ? [namespaceTarget(ns)] : [] };
    }
    if (o.kind !== 'NetworkPolicy') continue;
    const pi = policyInfo(inv, o);
    const sel = o.podSelector;
    if (sel && inSelector(sel, offset)) return selectorNavigation(sel, offset, selectedWorkloads(inv, pi), workloadTarget, (w) => w.workload.podLabels);
    if (o.nameSpan && contains(o.nameSpan, offset)) return { origin: o.nameSpan, targets: selectedWorkloads(inv, pi).map((w) => workloadTarget(w)) };
    for (const rule of [...(o.ingress ?? []), ...(o.egress ?? [])]) {
      if (!contains(rule.span, offset)) continue;
      for (const port of rule.ports ?? []) {
        if (!port.port || !contains(port.port.span, offset)) continue;
        const targets: Target[] = [];
        for (const w of ruleDestinations(inv, pi, rule)) {
          for (const cp of w.workload.ports) if (portMatches(port, cp)) targets.push({ ...workloadTarget(w, cp.span), label: `${objectLabel(w.workload, w.namespace)} ${cp.name ? `${cp.name} ` : ''}${cp.port}/${cp.protocol}` });
        }
        return { origin: port.port.span, targets };
      }
      for (const peer of rule.peers ?? []) {
        if (!contains(peer.span, offset) || peer.ipBlock) continue;
        const ws = peerWorkloads(inv, peer, pi.namespace);
        const ns = peer.namespaceSelector;
        if (ns && inSelector(ns, offset)) {
          const declared = [...inv.namespaces.values()].filter((n) => n.declared && matches(ns, n.labels)).map((n) => n.declared).filter((n): n is NamespaceObject => n !== undefined);
          // No Namespace object in the manifests: the workloads the peer selects there are the next best answer.
          if (declared.length) return selectorNavigation(ns, offset, declared, namespaceTarget, (n) => n.labels);
          return { ...selectorNavigation(ns, offset, [], namespaceTarget, () => []), targets: ws.map((w) => workloadTarget(w)) };
        }
        if (peer.podSelector && inSelector(peer.podSelector, offset)) return selectorNavigation(peer.podSelector, offset, ws, workloadTarget, (w) => w.workload.podLabels);
        return { origin: peer.span, targets: ws.map((w) => workloadTarget(w)) };
      }
    }
  }
  return undefined;
}

// --- references: who selects this workload or namespace ---

function ruleName(rule: Rule): string {
  return `${rule.direction} #${rule.index + 1}`;
}

function policyName(pi: PolicyInfo): string {
  return `NetworkPolicy ${pi.namespace}/${pi.policy.name || '(unnamed)'}`;
}

/** A selector's label (or expression) with this key, as a span. */
function keyIn(sel: Selector | undefined, key: string): Span | undefined {
  if (!sel) return undefined;
  const l = sel.matchLabels.find((x) => x.key === key);
  if (l) return labelSpan(l);
  return sel.matchExpressions.find((e) => e.key === key)?.span;
}

const wholeSelector = (s: Selector): Span => ({ start: s.keySpan.start, end: Math.max(s.keySpan.end, s.span.end) });

/** Find references. `undefined` when the cursor is on nothing netpol navigates from. Never throws. */
export function references(file: ParsedFile, inv: Inventory, offset: number, includeDeclaration: boolean): Navigation | undefined {
  const ix = indexOf(inv);
  for (const o of file.objects) {
    if (!contains(o.span, offset)) continue;
    if (isWorkload(o)) {
      const w = ix.workloadOf.get(o);
      if (!w) return undefined;
      const label = o.podLabels.find((l) => contains(labelSpan(l), offset));
      const onName = o.nameSpan !== undefined && contains(o.nameSpan, offset);
      if (!label && !onName && !(o.podLabelsSpan && contains(o.podLabelsSpan, offset))) continue;
      const key = label?.key;
      const targets: Target[] = [];
      for (const pi of ix.policiesByNamespace.get(w.namespace) ?? []) {
        const sel = pi.policy.podSelector;
        if (sel && !matches(sel, w.labels)) continue;
        const at = key !== undefined ? keyIn(sel, key) : sel ? wholeSelector(sel) : (pi.policy.nameSpan ?? pi.policy.span);
        if (at) targets.push({ source: pi.policy.source, span: pi.policy.span, selection: at, label: `${policyName(pi)} podSelector` });
      }
      for (const pi of inv.policies) {
        for (const rule of [...(pi.policy.ingress ?? []), ...(pi.policy.egress ?? [])]) {
          for (const peer of rule.peers ?? []) {
            if (!peerMatches(inv, peer, pi.namespace, w)) continue;
            const at = key !== undefined ? keyIn(peer.podSelector, key) : peer.span;
            if (at) targets.push({ source: pi.policy.source, span: rule.span, selection: at, label: `${policyName(pi)} ${ruleName(rule)} peer ${peer.index + 1}` });
          }
        }
      }
      if (includeDeclaration) targets.unshift(workloadTarget(w, label ? labelSpan(label) : undefined));
      return { origin: label ? labelSpan(label) : (o.nameSpan ?? o.span), targets };
    }
    if (o.kind === 'Namespace') {
      const label = o.labels.find((l) => contains(labelSpan(l), offset));
      const onName = o.nameSpan !== undefined && contains(o.nameSpan, offset);
      if (!label && !onName) continue;
      const labels = namespaceLabels(inv, o.name);
      const key = label?.key;
      const targets: Target[] = [];
      for (const pi of inv.policies) {
        for (const rule of [...(pi.policy.ingress ?? []), ...(pi.policy.egress ?? [])]) {
          for (const peer of rule.peers ?? []) {
            const ns = peer.namespaceSelector;
            if (!ns || peer.ipBlock || !matches(ns, labels)) continue;
            const at = key !== undefined ? keyIn(ns, key) : wholeSelector(ns);
            if (at) targets.push({ source: pi.policy.source, span: rule.span, selection: at, label: `${policyName(pi)} ${ruleName(rule)} peer ${peer.index + 1}` });
          }
        }
      }
      // The policies that live in the namespace select its pods.
      if (key === undefined) {
        for (const pi of ix.policiesByNamespace.get(o.name) ?? []) {
          targets.push({ source: pi.policy.source, span: pi.policy.span, selection: pi.policy.namespaceSpan ?? pi.policy.nameSpan ?? pi.policy.span, label: `${policyName(pi)} namespace` });
        }
      }
      if (includeDeclaration) targets.unshift(namespaceTarget(o, label ? labelSpan(label) : undefined));
      return { origin: label ? labelSpan(label) : (o.nameSpan ?? o.span), targets };
    }
  }
  return undefined;
}

// --- symbols ---

export type SymbolKind = 'policy' | 'rule' | 'workload' | 'namespace' | 'service';

export interface SymbolNode {
  readonly name: string;
  readonly detail: string;
  readonly kind: SymbolKind;
  readonly span: Span;
  /** Inside `span`. */
  readonly selection: Span;
  readonly children: readonly SymbolNode[];
}

function selectorWords(s: Selector): string {
  if (s.malformed) return '(invalid selector)';
  const only = s.matchLabels.length === 1 && s.matchExpressions.length === 0 ? s.matchLabels[0] : undefined;
  if (only?.key === NAMESPACE_NAME_LABEL) return `namespace ${only.value}`;
  return describeSelector(s);
}

function peerWords(p: Peer): string {
  if (p.ipBlock) return p.ipBlock.cidr?.value ?? 'ipBlock';
  const pods = p.podSelector && !isEmptySelector(p.podSelector) ? selectorWords(p.podSelector) : undefined;
  if (!p.namespaceSelector) return pods ?? 'every pod';
  const ns = isEmptySelector(p.namespaceSelector) ? 'every namespace' : selectorWords(p.namespaceSelector);
  const nsWords = ns.startsWith('namespace ') || ns === 'every namespace' ? ns : `namespaces ${ns}`;
  return pods ? `${pods} in ${nsWords}` : nsWords;
}

function portWords(ports: readonly PolicyPort[] | undefined): string {
  if (!ports || ports.length === 0) return 'any port';
  return ports
    .map((p) => {
      const proto = p.protocol?.value ?? 'TCP';
      const v = p.port?.value;
      if (v === undefined) return `any ${proto}`;
      return p.endPort ? `${proto} ${v}-${p.endPort.value}` : `${proto} ${v}`;
    })
    .join(', ');
}

/** `from app=web in namespace shop · TCP 8080`: a rule in a line. */
export function ruleSummary(rule: Rule): string {
  const dir = rule.direction === 'ingress' ? 'from' : 'to';
  const peers = rule.peers && rule.peers.length ? rule.peers.map(peerWords).join(' or ') : 'anywhere';
  return `${dir} ${peers} · ${portWords(rule.ports)}`;
}

/** The outline of a file: each policy with its rules, and the other objects netpol reads. */
export function documentSymbols(file: ParsedFile, defaultNamespace: string): SymbolNode[] {
  const out: SymbolNode[] = [];
  for (const o of file.objects) {
    const ns = o.kind === 'Namespace' ? undefined : (o.namespace ?? defaultNamespace);
    const name = o.name || '(unnamed)';
    const selection = o.nameSpan && contains(o.span, o.nameSpan.start) && contains(o.span, o.nameSpan.end) ? o.nameSpan : o.span;
    const detail = ns !== undefined ? `${o.kind} · ${ns}` : o.kind;
    if (o.kind === 'NetworkPolicy') {
      const children = [...(o.ingress ?? []), ...(o.egress ?? [])].map((r) => ({ name: ruleName(r), detail: ruleSummary(r), kind: 'rule' as const, span: r.span, selection: r.span, children: [] }));
      out.push({ name, detail, kind: 'policy', span: o.span, selection, children });
    } else {
      out.push({ name, detail, kind: o.kind === 'Namespace' ? 'namespace' : o.kind === 'Service' ? 'service' : 'workload', span: o.span, selection, children: [] });
    }
  }
  return out;
}

export interface WorkspaceSymbol {
  readonly name: string;
  /** The namespace. */
  readonly container: string;
  readonly source: string;
  readonly span: Span;
  readonly selection: Span;
}

/** 0 exact, 1 prefix, 2 substring, 3 the query's characters in order; undefined: no match. */
function score(name: string, query: string): number | undefined {
  if (query === '') return 2;
  const n = name.toLowerCase();
  if (n === query) return 0;
  if (n.startsWith(query)) return 1;
  if (n.includes(query)) return 2;
  let i = 0;
  for (const c of n) if (c === query[i]) i++;
  return i === query.length ? 3 : undefined;
}

/** Policies by name (or `namespace/name`), best matches first. */
export function workspaceSymbols(inv: Inventory, query: string, limit = 256): WorkspaceSymbol[] {
  const q = query.trim().toLowerCase();
  const found: { s: number; pi: PolicyInfo }[] = [];
  for (const pi of inv.policies) {
    const name = pi.policy.name || '(unnamed)';
    const s = Math.min(score(name, q) ?? 9, (score(`${pi.namespace}/${name}`, q) ?? 9) + 0.5);
    if (s < 9) found.push({ s, pi });
  }
  found.sort((a, b) => a.s - b.s || a.pi.policy.name.localeCompare(b.pi.policy.name) || a.pi.namespace.localeCompare(b.pi.namespace));
  return found.slice(0, limit).map(({ pi }) => ({
    name: pi.policy.name || '(unnamed)',
    container: pi.namespace,
    source: pi.policy.source,
    span: pi.policy.span,
    selection: pi.policy.nameSpan ?? pi.policy.span,
  }));
}

// --- the lens above each policy ---

export interface LensAnchor {
  /** Where the lens stands: the start of the policy. */
  readonly span: Span;
  /** The policy's position among the file's NetworkPolicy objects; `lens` takes it back. */
  readonly index: number;
}

export interface Lens {
  readonly span: Span;
  readonly title: string;
  readonly workloads: readonly Target[];
}

/** Where lenses go: cheap, for every policy of a file; `lens` fills one in when it is shown. */
export function lensAnchors(file: ParsedFile): LensAnchor[] {
  const out: LensAnchor[] = [];
  let index = 0;
  for (const o of file.objects) if (o.kind === 'NetworkPolicy') out.push({ span: { start: o.span.start, end: o.span.start }, index: index++ });
  return out;
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** "selects 2 workloads · 1 ingress / 0 egress rules", and the workloads for the reference list. */
export function lens(file: ParsedFile, inv: Inventory, index: number): Lens | undefined {
  const p = file.objects.filter((o): o is NetworkPolicy => o.kind === 'NetworkPolicy')[index];
  if (!p) return undefined;
  const ws = selectedWorkloads(inv, policyInfo(inv, p));
  const title = `selects ${plural(ws.length, 'workload')} · ${p.ingress?.length ?? 0} ingress / ${p.egress?.length ?? 0} egress rules`;
  return { span: { start: p.span.start, end: p.span.start }, title, workloads: ws.map((w) => workloadTarget(w)) };
}
