/**
 * Hover markdown. On a policy (its name or podSelector): the pods it selects and, for them, the
 * effective allow sets across every policy that selects them. On a peer, an ipBlock, a port,
 * policyTypes: what that part means. On a workload's name or labels: the policies that select it
 * and its effective allow sets. The engine's analysis is computed once per inventory (lookup.ts),
 * so a hover costs the lookups of one policy or workload.
 */
import { code, ipBlockWords, matchingNamespaces, nameList, namespaceWords, podsWords, policyTypesWords, portWords, workloadList } from './describe';
import { labelsFor } from './engine';
import type { PodView } from './engine/pods';
import type { CompiledPeer, CompiledRule } from './engine/policy';
import { describeConnections, isEmpty, joinWords } from './engine/ports';
import { namespaceLabels, runsMatching, type Inventory, type PolicyInfo, type WorkloadInfo } from './inventory';
import { effectiveOf, lineOf, lookup, objectAt, matchedWorkloads, peerWorkloads, viewOf, type AllowedBy, type Lookup } from './lookup';
import { isWorkload, type ContainerPort, type Direction, type NetworkPolicy, type ParsedFile, type Peer, type PolicyPort, type Rule, type Selector } from './model';
import { describeSelector, matches } from './selector';
import { contains, type Span } from './text';

export interface Hover {
  /** Markdown. */
  readonly contents: string;
  readonly span: Span;
}

export interface HoverOptions {
  /** Other files of the workspace by source (URI), so that hovers can link to their policies. */
  readonly fileOf?: (source: string) => ParsedFile | undefined;
}

interface Ctx {
  readonly file: ParsedFile;
  readonly inv: Inventory;
  readonly l: Lookup;
  readonly options: HoverOptions;
}

/** Allowing rules listed per direction before "and N more": hovers stay short. */
const MAX_ENTRIES = 10;
/** The same, when a policy's pods fall into several groups with different allow sets. */
const MAX_ENTRIES_PER_GROUP = 4;
/** Policies named per list before "and N more". */
const MAX_POLICIES = 5;
/** Pod classes whose allow sets a policy hover computes before it stops (big namespaces). */
const MAX_CLASSES = 24;
/** Groups of pods with different allow sets shown in one policy hover. */
const MAX_GROUPS = 3;

const IPBLOCK_NOTE = '_Whether ipBlocks also match pod IPs depends on the network plugin; netpol takes them to match addresses outside the cluster._';

/** A hover for the position, or undefined when netpol has nothing to say there. Never throws on user input. */
export function hover(file: ParsedFile, inv: Inventory, offset: number, options: HoverOptions = {}): Hover | undefined {
  const o = objectAt(file, offset);
  if (!o) return undefined;
  const ctx: Ctx = { file, inv, l: lookup(inv), options };
  if (o.kind === 'NetworkPolicy') {
    const pi = ctx.l.policies.get(o);
    return pi ? policyPart(ctx, pi, offset) : undefined;
  }
  if (isWorkload(o)) {
    const w = ctx.l.workloads.get(o);
    if (!w) return undefined;
    const at = [o.nameSpan, o.podLabelsSpan, ...o.podLabels.flatMap((l) => [l.keySpan, l.valueSpan])].find((s) => s !== undefined && contains(s, offset));
    return at ? { contents: workloadSummary(ctx, w), span: at } : undefined;
  }
  return undefined;
}

function policyPart(ctx: Ctx, pi: PolicyInfo, offset: number): Hover | undefined {
  const p = pi.policy;
  for (const rule of [...(p.ingress ?? []), ...(p.egress ?? [])]) {
    const onKey = (rule.peersKeySpan && contains(rule.peersKeySpan, offset)) || (rule.portsKeySpan && contains(rule.portsKeySpan, offset));
    if (!contains(rule.span, offset) && !onKey) continue;
    for (const port of rule.ports ?? []) if (contains(port.span, offset)) return { contents: portSummary(ctx, pi, rule, port), span: port.span };
    for (const peer of rule.peers ?? []) {
      if (!contains(peer.span, offset)) continue;
      if (peer.ipBlock) return { contents: ipBlockWords(peer).join('\n'), span: peer.span };
      return { contents: peerSummary(ctx, pi, rule, peer), span: peer.span };
    }
    if (onKey) return { contents: ruleSummary(ctx, pi, rule), span: (rule.peersKeySpan && contains(rule.peersKeySpan, offset) ? rule.peersKeySpan : rule.portsKeySpan) ?? rule.span };
  }
  const typeSpans = [p.policyTypesKeySpan, ...(p.policyTypes ?? []).map((t) => t.span), p.ingressKeySpan, p.egressKeySpan, p.specKeySpan];
  const typeAt = typeSpans.find((s) => s !== undefined && contains(s, offset));
  if (typeAt) return { contents: policyTypesWords(p).join('\n'), span: typeAt };
  const sel = p.podSelector;
  if (sel && (contains(sel.keySpan, offset) || contains(sel.span, offset))) return { contents: policySummary(ctx, pi), span: contains(sel.keySpan, offset) ? sel.keySpan : sel.span };
  if (p.nameSpan && contains(p.nameSpan, offset)) return { contents: policySummary(ctx, pi), span: p.nameSpan };
  return undefined;
}

// --- links ---

function link(ctx: Ctx, source: string, offset: number): string | undefined {
  const f = source === ctx.file.source ? ctx.file : ctx.options.fileOf?.(source);
  if (!f) return undefined;
  return `${source.replace(/[ ()]/g, (c) => encodeURIComponent(c))}#L${lineOf(f, offset)}`;
}

function policyRef(ctx: Ctx, p: PolicyInfo, self?: PolicyInfo): string {
  if (p === self) return 'this policy';
  const name = code(`${p.namespace}/${p.policy.name || '(unnamed)'}`);
  const to = link(ctx, p.policy.source, (p.policy.nameSpan ?? p.policy.span).start);
  return to ? `[${name}](${to})` : name;
}

function ruleRef(ctx: Ctx, r: CompiledRule, self?: PolicyInfo): string {
  const words = `${r.direction} rule ${r.rule.index + 1}`;
  const to = link(ctx, r.policy.policy.source, r.rule.span.start);
  const rule = to ? `[${words}](${to})` : words;
  return r.policy === self ? rule : `${policyRef(ctx, r.policy)} ${rule}`;
}

// --- effective allow sets ---

function peerWords(p: CompiledPeer | undefined, dir: Direction): string {
  const to = dir === 'ingress' ? 'from' : 'to';
  if (!p) return `${to} anywhere (every pod and every address)`;
  switch (p.kind) {
    case 'ipBlock':
      return `${to} ${code(p.cidr)}${p.except.length ? ` except ${p.except.map(code).join(', ')}` : ''} (outside the cluster)`;
    case 'pods':
      return `${to} ${podsWords(p.podSelector)} ${namespaceWords(p.namespaceSelector, p.namespace)}`;
    case 'invalid':
      return `${to} nothing (${p.reason})`;
  }
}

function uniqueSorted(ns: readonly number[]): number[] {
  return [...new Set(ns)].sort((a, b) => a - b);
}

/** The ports of an entry, named ports resolved to numbers on the pods they name. */
function entryPorts(ctx: Ctx, e: AllowedBy, pod: PodView, dir: Direction): string {
  const r = e.rule;
  if (r.anyPort) return 'every port';
  const parts: string[] = [];
  if (!isEmpty(r.ports.numeric)) parts.push(describeConnections(r.ports.numeric));
  for (const n of r.ports.named) {
    const named = `named port ${code(n.name)}`;
    let declared: readonly ContainerPort[];
    if (dir === 'ingress') declared = pod.ports;
    else if (e.peer?.kind === 'ipBlock') {
      parts.push(`${named} (${n.protocol}), which matches nothing outside the cluster`);
      continue;
    } else declared = (e.peer ? matchedWorkloads(ctx.l, e.peer) : ctx.inv.workloads).flatMap((w) => w.workload.ports);
    const nums = uniqueSorted(declared.filter((cp) => cp.name === n.name && cp.protocol === n.protocol).map((cp) => cp.port));
    if (nums.length) parts.push(`${n.protocol} ${nums.join(', ')} (${named})`);
    else parts.push(`${named} (${n.protocol}), which ${dir === 'ingress' ? 'no container of these pods' : 'no destination workload'} declares`);
  }
  return parts.length ? joinWords(parts) : 'no port';
}

function entryLine(ctx: Ctx, e: AllowedBy, pod: PodView, dir: Direction, self?: PolicyInfo): string {
  const who = e.peer?.kind === 'pods' ? ` — ${workloadList(matchedWorkloads(ctx.l, e.peer), 5, pod.namespace)}` : '';
  return `- ${peerWords(e.peer, dir)} on ${entryPorts(ctx, e, pod, dir)}${who} · ${ruleRef(ctx, e.rule, self)}`;
}

/** One direction of a pod's effective allow set in markdown, the denial stated plainly. */
function effectiveLines(ctx: Ctx, pod: PodView, dir: Direction, self: PolicyInfo | undefined, limit: number): { lines: string[]; ipBlocks: boolean } {
  const e = effectiveOf(ctx.l, pod, dir);
  const Dir = dir === 'ingress' ? 'Ingress' : 'Egress';
  if (!e.isolated) {
    const all = dir === 'ingress' ? 'every source may connect to these pods' : 'these pods may connect anywhere';
    return { lines: [`**${Dir}** — not isolated: no policy selects these pods for ${dir}, so ${all}, on every port.`], ipBlocks: false };
  }
  const first = (p: PolicyInfo): number => (p === self ? 0 : 1);
  const isolating = [...e.policies].sort((a, b) => first(a) - first(b));
  const named = isolating.slice(0, MAX_POLICIES).map((p) => policyRef(ctx, p, self));
  if (isolating.length > MAX_POLICIES) named.push(`${isolating.length - MAX_POLICIES} more`);
  const by = joinWords(named);
  const toFrom = dir === 'ingress' ? 'to' : 'from';
  if (e.entries.length === 0) return { lines: [`**${Dir}** — isolated by ${by}, and no rule allows any: all ${dir} ${toFrom} these pods is denied.`], ipBlocks: false };
  const entries = [...e.entries].sort((a, b) => first(a.rule.policy) - first(b.rule.policy));
  const lines = [`**${Dir}** — isolated by ${by}. Allowed:`, ''];
  for (const x of entries.slice(0, limit)) lines.push(entryLine(ctx, x, pod, dir, self));
  if (entries.length > limit) lines.push(`- … and ${entries.length - limit} more`);
  lines.push('', `Everything else ${toFrom} these pods is denied.`);
  return { lines, ipBlocks: entries.some((x) => x.peer?.kind === 'ipBlock') };
}

function bothDirections(ctx: Ctx, pod: PodView, self?: PolicyInfo, limit = MAX_ENTRIES): { text: string; ipBlocks: boolean } {
  const i = effectiveLines(ctx, pod, 'ingress', self, limit);
  const e = effectiveLines(ctx, pod, 'egress', self, limit);
  return { text: [...i.lines, '', ...e.lines].join('\n'), ipBlocks: i.ipBlocks || e.ipBlocks };
}

/** A pod the policy selects when the manifests declare none: labels made up from its podSelector. */
function madeUpPod(ctx: Ctx, pi: PolicyInfo): PodView | undefined {
  const labels = labelsFor(pi.policy.podSelector);
  if (pi.policy.podSelector && !matches(pi.policy.podSelector, labels)) return undefined;
  return { namespace: pi.namespace, namespaceLabels: namespaceLabels(ctx.inv, pi.namespace), labels, ports: [] };
}

// --- the hovers ---

/**
 * The custom resources of a namespace that declare labels the selector (absent: every pod) matches:
 * their operators run pods netpol does not see (NP206 counts them too). Their names in words, and
 * whether there is one; undefined for none.
 */
function operatorsOf(inv: Inventory, namespace: string, sel: Selector | undefined): { names: string; one: boolean } | undefined {
  const found = (inv.customResources ?? []).filter((c) => c.namespace === namespace && runsMatching(c, sel));
  if (found.length === 0) return undefined;
  const names = joinWords(found.slice(0, 3).map((c) => `${c.resource.kind} ${code(c.resource.name)}`));
  return { names: found.length > 3 ? `${names} and ${found.length - 3} more` : names, one: found.length === 1 };
}

/** A peer's pods in words: the workloads it matches, or the custom resources whose operators run such pods. */
function peerPods(ctx: Ctx, p: Peer, namespace: string): string {
  const ws = peerWorkloads(ctx.l, p, namespace);
  const run = ws.length === 0 && !p.namespaceSelector && !p.podSelector?.malformed ? operatorsOf(ctx.inv, namespace, p.podSelector) : undefined;
  return run ? `${workloadList(ws)}; ${run.names} ${run.one ? 'runs' : 'run'} such pods (an operator's)` : workloadList(ws, 5, namespace);
}

function policySummary(ctx: Ctx, pi: PolicyInfo): string {
  const p = pi.policy;
  const a = ctx.l.analysis;
  const selected = a.podsSelectedBy(pi);
  const name = `${pi.namespace}/${p.name || '(unnamed)'}`;
  const lines: string[] = [`**NetworkPolicy ${code(name)}** selects ${podsWords(p.podSelector)} in ${code(pi.namespace)}: ${workloadList(selected, 8, pi.namespace)}.`];
  const run = selected.length === 0 && !p.podSelector?.malformed ? operatorsOf(ctx.inv, pi.namespace, p.podSelector) : undefined;
  if (run) lines.push('', `${run.names} ${run.one ? 'declares' : 'declare'} these labels for the pods ${run.one ? 'its operator runs' : 'their operators run'}, which netpol does not see.`);
  if (a.isShadowed(pi)) lines.push('', '**A later NetworkPolicy with the same namespace and name replaces this one: it has no effect.**');
  lines.push('', typesLine(p));
  let ipBlocks = false;
  if (selected.length === 0) {
    const pod = madeUpPod(ctx, pi);
    if (!pod) return lines.join('\n');
    const labels = [...pod.labels].map(([k, v]) => `${k}=${v}`).join(', ');
    const both = bothDirections(ctx, pod, pi);
    lines.push('', `For a pod it would select${labels ? ` (labels ${code(labels)})` : ''}, across every policy that selects it:`, '', both.text);
    ipBlocks = both.ipBlocks;
  } else {
    // Pods of one class (namespace, labels, named ports) have one allow set; classes with the same text are one group.
    const byClass = new Map<PodView, WorkloadInfo[]>();
    for (const w of selected) {
      const key = viewOf(ctx.l, w);
      if (!key) continue;
      const list = byClass.get(key);
      if (list) list.push(w);
      else byClass.set(key, [w]);
    }
    // Grouped by the whole allow set; shown shorter when there are several groups.
    const groups = new Map<string, { view: PodView; members: WorkloadInfo[] }>();
    let unshown = 0;
    let computed = 0;
    for (const [view, members] of byClass) {
      if (computed++ >= MAX_CLASSES) {
        unshown += members.length;
        continue;
      }
      const key = allowKey(ctx, view);
      const group = groups.get(key);
      if (group) group.members.push(...members);
      else groups.set(key, { view, members: [...members] });
    }
    const list = [...groups.values()];
    const only = list[0];
    if (only && list.length === 1 && unshown === 0) {
      const both = bothDirections(ctx, only.view, pi);
      ipBlocks = both.ipBlocks;
      lines.push('', 'For these pods, across every policy that selects them:', '', both.text, ...dnsNote(ctx, only.members[0]));
    } else {
      for (const g of list.slice(0, MAX_GROUPS)) {
        const both = bothDirections(ctx, g.view, pi, MAX_ENTRIES_PER_GROUP);
        ipBlocks ||= both.ipBlocks;
        lines.push('', `For ${workloadList(g.members, 5, pi.namespace)}:`, '', both.text, ...dnsNote(ctx, g.members[0]));
      }
      const more = list.slice(MAX_GROUPS).reduce((n, g) => n + g.members.length, 0) + unshown;
      if (more) lines.push('', `… and ${more} more workload${more === 1 ? '' : 's'} with other allow sets: hover them in their manifests.`);
    }
  }
  if (ipBlocks) lines.push('', IPBLOCK_NOTE);
  return lines.join('\n');
}

/** A warning line (with its blank line) when the pods are egress-isolated without full DNS; none otherwise. */
function dnsNote(ctx: Ctx, w: WorkloadInfo | undefined): string[] {
  const d = w ? ctx.l.analysis.dnsForWorkload(w) : undefined;
  if (!d?.isolated || (d.udp && d.tcp)) return [];
  if (!d.udp && !d.tcp) return ['', '**DNS**: no rule allows UDP or TCP 53 to kube-dns in kube-system, so name lookups from these pods fail.'];
  return ['', `**DNS**: allowed on ${d.udp ? 'UDP' : 'TCP'} 53 only; ${d.udp ? 'answers too large for UDP, which resolvers retry over TCP,' : 'ordinary lookups, which use UDP,'} fail.`];
}

/**
 * What decides a pod's allow sets as the hover shows them: the isolating policies of each
 * direction, and the named container ports that ingress rules resolve on it.
 */
function allowKey(ctx: Ctx, view: PodView): string {
  const ids = (dir: Direction): string => effectiveOf(ctx.l, view, dir).policies.map((p) => `${p.policy.source}:${p.policy.span.start}`).join(',');
  const ports = view.ports.filter((p) => p.name !== undefined).map((p) => `${p.name ?? ''}/${p.protocol}/${p.port}`).sort().join(',');
  return `${ids('ingress')}|${ids('egress')}|${ports}`;
}

/** One line: what this policy isolates, and whether policyTypes was written or defaulted. */
function typesLine(p: NetworkPolicy): string {
  const listed = (p.policyTypes ?? []).map((t) => t.value);
  const ingress = listed.length ? listed.includes('Ingress') : true;
  const egress = listed.length ? listed.includes('Egress') : (p.egress?.length ?? 0) > 0;
  const what = ingress && egress ? 'ingress and egress' : ingress ? 'ingress only' : egress ? 'egress only' : 'nothing';
  const why = listed.length ? `policyTypes [${listed.join(', ')}]` : `policyTypes omitted, defaulted to [${['Ingress', egress ? 'Egress' : ''].filter(Boolean).join(', ')}]`;
  return `This policy isolates ${what} (${why}).`;
}

function workloadSummary(ctx: Ctx, w: WorkloadInfo): string {
  const a = ctx.l.analysis;
  const labels = [...w.labels].map(([k, v]) => `${k}=${v}`).join(', ');
  const lines = [`**${w.workload.kind} ${code(`${w.namespace}/${w.workload.name}`)}** runs pods ${labels ? `labelled ${code(labels)}` : 'without labels'}.`, ''];
  const selecting = a.selectingPolicies(w);
  if (selecting.length === 0) lines.push('No NetworkPolicy selects these pods.');
  else {
    const named = selecting.slice(0, MAX_POLICIES).map((p) => policyRef(ctx, p));
    if (selecting.length > MAX_POLICIES) named.push(`${selecting.length - MAX_POLICIES} more`);
    lines.push(`Selected by ${joinWords(named)}.`);
  }
  const view = viewOf(ctx.l, w);
  if (!view) return lines.join('\n');
  const both = bothDirections(ctx, view);
  lines.push('', both.text, ...dnsNote(ctx, w));
  if (both.ipBlocks) lines.push('', IPBLOCK_NOTE);
  return lines.join('\n');
}

function rulePeersWord(rule: Rule): string {
  return rule.direction === 'ingress' ? 'from' : 'to';
}

/** A peer: what it matches, and whether its selectors read AND (one item) or OR (two items). */
function peerSummary(ctx: Ctx, pi: PolicyInfo, rule: Rule, peer: Peer): string {
  const ns = pi.namespace;
  const key = rulePeersWord(rule);
  const lines: string[] = [];
  const words = `${podsWords(peer.podSelector)} ${namespaceWords(peer.namespaceSelector, ns)}`;
  if (!peer.podSelector && !peer.namespaceSelector) return `**Peer** ${peer.index + 1} of ${code(key)}: no podSelector, namespaceSelector or ipBlock, so it matches nothing (the API server rejects it).`;
  lines.push(`**Peer** ${peer.index + 1} of ${code(key)}: ${words}.`);
  if (peer.namespaceSelector && peer.podSelector) {
    lines.push('', `**AND**: both selectors are in one item, so a pod must match ${code(describeSelector(peer.podSelector))} *and* be in a namespace matching ${code(describeSelector(peer.namespaceSelector))}. (As two items, \`- namespaceSelector\` and \`- podSelector\`, they would read OR.)`);
  } else {
    const partner = orPartner(rule, peer);
    if (partner) {
      const other = `${podsWords(partner.podSelector)} ${namespaceWords(partner.namespaceSelector, ns)}`;
      const both = `${podsWords(peer.podSelector ?? partner.podSelector)} ${namespaceWords(peer.namespaceSelector ?? partner.namespaceSelector, ns)}`;
      lines.push('', `**OR**: this item and item ${partner.index + 1} are separate peers, so the rule allows ${words}, *or* ${other}. If you meant ${both}, put both selectors in one item.`);
    }
  }
  if (peer.namespaceSelector && !peer.namespaceSelector.malformed) {
    const names = matchingNamespaces(ctx.inv, peer.namespaceSelector).map((n) => n.name);
    lines.push('', `Namespaces: ${names.length ? nameList(names) : 'none in these manifests'}.`);
  }
  lines.push('', `Workloads: ${workloadList(peerWorkloads(ctx.l, peer, ns), 8, ns)}.`);
  return lines.join('\n');
}

/** The neighbouring item that, with this one, looks like one peer split in two (OR where AND was likely meant). */
function orPartner(rule: Rule, peer: Peer): Peer | undefined {
  const onlyNs = (p: Peer): boolean => !!p.namespaceSelector && !p.podSelector && !p.ipBlock;
  const onlyPods = (p: Peer): boolean => !!p.podSelector && !p.namespaceSelector && !p.ipBlock;
  const peers = rule.peers ?? [];
  for (const other of [peers[peer.index - 1], peers[peer.index + 1]]) {
    if (other && ((onlyNs(peer) && onlyPods(other)) || (onlyPods(peer) && onlyNs(other)))) return other;
  }
  return undefined;
}

function ruleSummary(ctx: Ctx, pi: PolicyInfo, rule: Rule): string {
  const Dir = rule.direction === 'ingress' ? 'Ingress' : 'Egress';
  const peers = rule.peers ?? [];
  const ports = rule.ports && rule.ports.length ? joinWords(rule.ports.map(portWords)) : 'every port';
  const head = `**${Dir} rule ${rule.index + 1}** of ${code(`${pi.namespace}/${pi.policy.name}`)}`;
  const lines: string[] = [];
  if (peers.length === 0) lines.push(`${head} allows ${rulePeersWord(rule) === 'from' ? 'from' : 'to'} anywhere (no ${code(rulePeersWord(rule))}: every pod and every address) on ${ports}.`);
  else {
    lines.push(`${head} allows ${peers.length === 1 ? 'this peer' : `any of these ${peers.length} peers (items are OR-ed)`} on ${ports}:`, '');
    for (const p of peers) {
      const w = p.ipBlock
        ? `${code(p.ipBlock.cidr?.value ?? '(no cidr)')}${p.ipBlock.except.length ? ` except ${p.ipBlock.except.map((e) => code(e.value)).join(', ')}` : ''}`
        : `${podsWords(p.podSelector)} ${namespaceWords(p.namespaceSelector, pi.namespace)} — ${peerPods(ctx, p, pi.namespace)}`;
      lines.push(`- ${w}`);
    }
  }
  const partner = peers.find((p) => orPartner(rule, p));
  if (partner) lines.push('', 'Two neighbouring items hold one selector each; they are OR-ed. Hover one of them for what one item (AND) would mean.');
  const types = (pi.policy.policyTypes ?? []).map((t) => t.value);
  if (types.length && !types.includes(Dir)) lines.push('', `**Ignored**: ${Dir} is not in policyTypes.`);
  return lines.join('\n');
}

/** A port: its protocol and range; a named port with the containers and numbers it resolves to. */
function portSummary(ctx: Ctx, pi: PolicyInfo, rule: Rule, port: PolicyPort): string {
  const lines = [`**Port**: ${portWords(port)}${port.protocol ? '' : ' (protocol omitted: TCP is the default)'}.`];
  const name = port.port?.value;
  if (typeof name !== 'string') return lines.join('\n');
  const proto = port.protocol?.value ?? 'TCP';
  let holders: readonly WorkloadInfo[];
  let whose: string;
  if (rule.direction === 'ingress') {
    holders = ctx.l.analysis.podsSelectedBy(pi);
    whose = 'the pods this policy selects';
  } else if (!rule.peers || rule.peers.length === 0) {
    holders = ctx.inv.workloads;
    whose = 'any destination';
  } else {
    holders = rule.peers.flatMap((p) => peerWorkloads(ctx.l, p, pi.namespace));
    whose = 'the destinations of this rule';
    if (rule.peers.every((p) => p.ipBlock)) {
      lines.push('', 'The peers are all ipBlocks: addresses outside the cluster have no named ports, so this entry allows nothing. Use the port number.');
      return lines.join('\n');
    }
  }
  const found: string[] = [];
  const otherProtocol: string[] = [];
  for (const w of holders) {
    for (const cp of w.workload.ports) {
      if (cp.name !== name) continue;
      const where = `${code(w.workload.name)} (${w.workload.kind}), container ${code(cp.container)}`;
      if (cp.protocol === proto) found.push(`- ${where}: ${cp.protocol} ${cp.port}`);
      else otherProtocol.push(`${where} declares it as ${cp.protocol}`);
    }
  }
  lines.push('', `A named port matches the containerPort of that name and protocol on ${whose}:`);
  if (found.length) lines.push('', ...found.slice(0, 10), ...(found.length > 10 ? [`- … and ${found.length - 10} more`] : []));
  else lines.push('', `None of them declares ${code(name)} for ${proto}${holders.length ? '' : ' (no such workload in these manifests)'}, so this entry allows nothing there.`);
  if (otherProtocol.length) lines.push('', `Not matched: ${otherProtocol.join('; ')}.`);
  return lines.join('\n');
}

/** Exported for the CLI and tests: the summary of a policy, as the hover shows it. */
export function describePolicy(file: ParsedFile, inv: Inventory, pi: PolicyInfo, options: HoverOptions = {}): string {
  return policySummary({ file, inv, l: lookup(inv), options }, pi);
}
