import type { ContainerPort, Direction, Peer, PolicyPort, Protocol, Rule, Selector } from '../model';
import type { Inventory, PolicyInfo, WorkloadInfo } from '../inventory';
import { matches, type Labels } from '../selector';
import { ipContains, type IpAddress, type IpSet } from './ipset';
import { peerMatchesPod, policySelects } from './match';
import { buildClasses, kubeDnsView, podKey, workloadView, type PodClasses, type PodView } from './pods';
import { compilePolicy, compilePort, resolvePorts, type CompiledPeer, type CompiledPolicy, type CompiledRule, type NamedPort } from './policy';
import { allows, type ConnSet } from './ports';
import { namespaceLabels, policiesByName } from '../inventory';
import { closest } from '../suggest';

/**
 * Kubernetes leaves it to the network plugin whether an ipBlock also matches pod IPs.
 * - `plugin-dependent` (default): ipBlocks are evaluated against addresses outside the cluster, and
 *   every answer about pod-to-pod traffic names the ipBlock rules that might also allow it.
 * - `external-only`: ipBlocks never match pods and nothing is said about it (netpol-analyzer's view).
 */
export type IpBlockMode = 'plugin-dependent' | 'external-only';

export interface AnalyzeOptions {
  readonly ipBlocks?: IpBlockMode;
}

/** One rule of one policy, and the peer in it that matched (undefined: the rule lists no peers). */
export interface RuleRef {
  readonly policy: PolicyInfo;
  readonly direction: Direction;
  readonly rule: Rule;
  readonly peer: Peer | undefined;
}

export type PeerSummary =
  /** The rule has no `from`/`to`: every pod in every namespace and every address outside. */
  | { readonly kind: 'any' }
  | {
      readonly kind: 'pods';
      /** The policy's namespace when there is no namespaceSelector. */
      readonly namespace: string | undefined;
      readonly namespaceSelector: Selector | undefined;
      readonly podSelector: Selector | undefined;
      /** The workloads in the manifests that match. */
      readonly workloads: readonly WorkloadInfo[];
    }
  | { readonly kind: 'ipBlock'; readonly cidr: string; readonly except: readonly string[]; readonly set: IpSet };

export interface AllowEntry {
  readonly peer: PeerSummary;
  /** Ingress: ports allowed on this pod (named ports resolved on it). Egress: the numbered ports. */
  readonly conns: ConnSet;
  /** Named ports of the rule. Egress: resolved on each destination pod. */
  readonly namedPorts: readonly NamedPort[];
  /** Ingress only: named ports that match no container port of this pod (they allow nothing). */
  readonly unresolvedPorts: readonly NamedPort[];
  readonly anyPort: boolean;
  readonly source: RuleRef;
}

/** What a pod may receive (ingress) or send (egress), rule by rule. */
export interface EffectiveAllow {
  readonly direction: Direction;
  /** Some policy selects the pod and has this direction in its policyTypes. */
  readonly isolated: boolean;
  /** The policies that isolate it for this direction. */
  readonly policies: readonly PolicyInfo[];
  /** Not isolated: empty, and everything is allowed. Isolated: the union of these is allowed. */
  readonly entries: readonly AllowEntry[];
}

export type Endpoint =
  | { readonly kind: 'workload'; readonly workload: WorkloadInfo }
  /** A pod the manifests do not declare. */
  | { readonly kind: 'pod'; readonly namespace: string; readonly labels: Labels; readonly ports?: readonly ContainerPort[] }
  /** A host outside the cluster. */
  | { readonly kind: 'ip'; readonly address: IpAddress };

export interface DirectionDecision {
  readonly direction: Direction;
  /** False when this end is outside the cluster: no policy governs it. */
  readonly applies: boolean;
  readonly isolated: boolean;
  readonly allowed: boolean;
  /** The policies that isolate the pod for this direction. */
  readonly policies: readonly PolicyInfo[];
  /** The rules that allow the traffic. */
  readonly rules: readonly RuleRef[];
  /** Rules whose peer matches but whose ports do not: why it is denied. */
  readonly portMismatches: readonly RuleRef[];
  /** ipBlock rules that would allow it if the network plugin matches pod IPs against ipBlocks. */
  readonly ipBlockCaveats: readonly RuleRef[];
}

export interface ReachResult {
  readonly allowed: boolean;
  readonly port: number;
  readonly protocol: Protocol;
  /** The source's egress. */
  readonly egress: DirectionDecision;
  /** The destination's ingress. */
  readonly ingress: DirectionDecision;
}

export interface DnsCheck {
  /** Egress-isolated: without an allowing rule, DNS lookups fail. */
  readonly isolated: boolean;
  readonly udp: boolean;
  readonly tcp: boolean;
  /** Egress rules that allow port 53 to kube-dns pods. */
  readonly rules: readonly RuleRef[];
  /** ipBlock rules on port 53: they reach kube-dns only if the plugin matches pod IPs against ipBlocks. */
  readonly ipBlockRules: readonly RuleRef[];
}

export interface PolicyDnsCheck extends DnsCheck {
  /** `workloads`: the check holds for every selected workload. `selector`: no declared workload is selected, so a pod was made up from the podSelector. */
  readonly basis: 'workloads' | 'selector';
  readonly workloads: readonly { readonly workload: WorkloadInfo; readonly check: DnsCheck }[];
}

/** Shared state of one analysis; connectivity.ts reads it too. */
export interface EngineContext {
  readonly inventory: Inventory;
  readonly mode: IpBlockMode;
  readonly policies: readonly CompiledPolicy[];
  readonly policiesByNamespace: ReadonlyMap<string, readonly CompiledPolicy[]>;
  readonly classes: PodClasses;
  isolating(view: PodView, direction: Direction): readonly CompiledPolicy[];
}

export interface Analysis {
  readonly inventory: Inventory;
  readonly mode: IpBlockMode;
  readonly context: EngineContext;
  /** Every policy whose podSelector selects the workload, whatever its policyTypes. */
  selectingPolicies(w: WorkloadInfo): readonly PolicyInfo[];
  isolation(w: WorkloadInfo): { readonly ingress: boolean; readonly egress: boolean };
  effective(w: WorkloadInfo, direction: Direction): EffectiveAllow;
  /** Whether `from` may open a connection to `to` on `port`/`protocol`, with the deciding rules. */
  reach(from: Endpoint, to: Endpoint, port: number, protocol?: Protocol): ReachResult;
  /** The declared workloads a policy selects. */
  podsSelectedBy(p: PolicyInfo): readonly WorkloadInfo[];
  /** DNS (port 53) from the workload to kube-dns pods in kube-system. */
  dnsForWorkload(w: WorkloadInfo): DnsCheck;
  /** DNS for the pods a policy selects, counting every other policy that selects them too. */
  dnsForPolicy(p: PolicyInfo): PolicyDnsCheck;
  /** Named ports of a policy that can match nothing among the workloads in the manifests. */
  namedPortProblems(p: PolicyInfo): readonly NamedPortProblem[];
  /** A policy replaced by a later one with the same namespace/name (it has no effect). */
  isShadowed(p: PolicyInfo): boolean;
}

export interface NamedPortProblem {
  readonly rule: RuleRef;
  /** The `ports` entry. */
  readonly port: PolicyPort;
  readonly name: string;
  readonly protocol: Protocol;
  /**
   * `ipblock-only`: an egress rule whose peers are all ipBlocks; addresses outside the cluster have no
   * named ports. `no-container-port`: no destination workload declares this name with this protocol.
   */
  readonly reason: 'ipblock-only' | 'no-container-port';
  /** Destination workloads that declare the name with another protocol. */
  readonly otherProtocol: readonly { readonly workload: WorkloadInfo; readonly protocol: Protocol }[];
  /** The one name the destinations declare with this protocol that is a typo away from it, if any. */
  readonly nearName: string | undefined;
  readonly message: string;
}

export function analyze(inv: Inventory, options: AnalyzeOptions = {}): Analysis {
  return new Analyzer(inv, options.ipBlocks ?? 'plugin-dependent');
}

class Analyzer implements Analysis, EngineContext {
  readonly policies: readonly CompiledPolicy[];
  readonly policiesByNamespace: Map<string, CompiledPolicy[]>;
  readonly classes: PodClasses;
  private readonly compiledByInfo = new Map<PolicyInfo, CompiledPolicy>();
  private readonly isolatingMemo = new Map<string, readonly CompiledPolicy[]>();

  constructor(
    readonly inventory: Inventory,
    readonly mode: IpBlockMode,
  ) {
    const policies: CompiledPolicy[] = [];
    this.policiesByNamespace = new Map();
    const byName = policiesByName(inventory);
    for (const info of inventory.policies) {
      // Two policies with one namespace/name: applying both leaves the later one (files in path order).
      const same = info.policy.name ? byName.get(`${info.namespace}/${info.policy.name}`) : undefined;
      if (same && same[same.length - 1] !== info) continue;
      const c = compilePolicy(info);
      policies.push(c);
      this.compiledByInfo.set(info, c);
      const list = this.policiesByNamespace.get(info.namespace);
      if (list) list.push(c);
      else this.policiesByNamespace.set(info.namespace, [c]);
    }
    this.policies = policies;
    this.classes = buildClasses(inventory);
  }

  get context(): EngineContext {
    return this;
  }

  private view(w: WorkloadInfo): PodView {
    return this.classes.byWorkload.get(w) ?? workloadView(this.inventory, w);
  }

  private compiled(p: PolicyInfo): CompiledPolicy {
    return this.compiledByInfo.get(p) ?? compilePolicy(p);
  }

  private selecting(view: PodView): CompiledPolicy[] {
    return (this.policiesByNamespace.get(view.namespace) ?? []).filter((p) => policySelects(p, view));
  }

  isolating(view: PodView, direction: Direction): readonly CompiledPolicy[] {
    const key = `${direction}\u0002${'key' in view && typeof view.key === 'string' ? view.key : podKey(view)}`;
    let r = this.isolatingMemo.get(key);
    if (!r) {
      r = this.selecting(view).filter((p) => (direction === 'ingress' ? p.ingress : p.egress));
      this.isolatingMemo.set(key, r);
    }
    return r;
  }

  selectingPolicies(w: WorkloadInfo): readonly PolicyInfo[] {
    return this.selecting(this.view(w)).map((p) => p.info);
  }

  isolation(w: WorkloadInfo): { ingress: boolean; egress: boolean } {
    const v = this.view(w);
    return { ingress: this.isolating(v, 'ingress').length > 0, egress: this.isolating(v, 'egress').length > 0 };
  }

  podsSelectedBy(p: PolicyInfo): readonly WorkloadInfo[] {
    const c = this.compiled(p);
    const out: WorkloadInfo[] = [];
    for (const cls of this.classes.byNamespace.get(p.namespace) ?? []) {
      if (policySelects(c, cls)) out.push(...cls.members);
    }
    return out;
  }

  private workloadsMatching(peer: CompiledPeer): WorkloadInfo[] {
    const out: WorkloadInfo[] = [];
    for (const cls of this.classes.classes) if (peerMatchesPod(peer, cls)) out.push(...cls.members);
    return out;
  }

  effective(w: WorkloadInfo, direction: Direction): EffectiveAllow {
    return this.effectiveFor(this.view(w), direction);
  }

  effectiveFor(view: PodView, direction: Direction): EffectiveAllow {
    const policies = this.isolating(view, direction);
    const entries: AllowEntry[] = [];
    for (const p of policies) {
      for (const r of direction === 'ingress' ? p.ingressRules : p.egressRules) {
        const conns = direction === 'ingress' ? resolvePorts(r.ports, view.ports) : r.ports.numeric;
        const unresolved = direction === 'ingress' ? r.ports.named.filter((n) => !view.ports.some((cp) => cp.name === n.name && cp.protocol === n.protocol)) : [];
        const base = { conns, namedPorts: r.ports.named, unresolvedPorts: unresolved, anyPort: r.anyPort };
        if (r.anyPeer) {
          entries.push({ ...base, peer: { kind: 'any' }, source: ref(r, undefined) });
          continue;
        }
        for (const peer of r.peers) {
          if (peer.kind === 'pods') {
            entries.push({
              ...base,
              peer: { kind: 'pods', namespace: peer.namespaceSelector ? undefined : peer.namespace, namespaceSelector: peer.namespaceSelector, podSelector: peer.podSelector, workloads: this.workloadsMatching(peer) },
              source: ref(r, peer.peer),
            });
          } else if (peer.kind === 'ipBlock') {
            entries.push({ ...base, peer: { kind: 'ipBlock', cidr: peer.cidr, except: peer.except, set: peer.set }, source: ref(r, peer.peer) });
          }
        }
      }
    }
    return { direction, isolated: policies.length > 0, policies: policies.map((p) => p.info), entries };
  }

  private endpointView(e: Endpoint): PodView | IpAddress {
    if (e.kind === 'workload') return this.view(e.workload);
    if (e.kind === 'ip') return e.address;
    return { namespace: e.namespace, namespaceLabels: namespaceLabels(this.inventory, e.namespace), labels: e.labels, ports: e.ports ?? [] };
  }

  reach(from: Endpoint, to: Endpoint, port: number, protocol: Protocol = 'TCP'): ReachResult {
    const src = this.endpointView(from);
    const dst = this.endpointView(to);
    const egress = isPod(src) ? this.decide(src, 'egress', dst, port, protocol) : notApplicable('egress');
    const ingress = isPod(dst) ? this.decide(dst, 'ingress', src, port, protocol) : notApplicable('ingress');
    return { allowed: egress.allowed && ingress.allowed, port, protocol, egress, ingress };
  }

  /** One direction of `reach`: does `self`'s policy let traffic to (egress) or from (ingress) `other` through? */
  private decide(self: PodView, direction: Direction, other: PodView | IpAddress, port: number, protocol: Protocol): DirectionDecision {
    const policies = this.isolating(self, direction);
    const rules: RuleRef[] = [];
    const portMismatches: RuleRef[] = [];
    const ipBlockCaveats: RuleRef[] = [];
    // Named ports resolve on the destination: the peer for egress, the pod itself for ingress.
    const destPorts = direction === 'ingress' ? self.ports : isPod(other) ? other.ports : undefined;
    for (const p of policies) {
      for (const r of direction === 'ingress' ? p.ingressRules : p.egressRules) {
        const portOk = allows(resolvePorts(r.ports, destPorts), protocol, port);
        if (r.anyPeer) {
          (portOk ? rules : portMismatches).push(ref(r, undefined));
          continue;
        }
        let matched: CompiledPeer | undefined;
        let caveat: CompiledPeer | undefined;
        for (const peer of r.peers) {
          if (isPod(other)) {
            if (peerMatchesPod(peer, other)) {
              matched = peer;
              break;
            }
            if (peer.kind === 'ipBlock' && caveat === undefined) caveat = peer;
          } else if (peer.kind === 'ipBlock' && ipContains(peer.set, other)) {
            matched = peer;
            break;
          }
        }
        if (matched) (portOk ? rules : portMismatches).push(ref(r, matched.peer));
        else if (caveat && portOk && this.mode === 'plugin-dependent') ipBlockCaveats.push(ref(r, caveat.peer));
      }
    }
    const isolated = policies.length > 0;
    return {
      direction,
      applies: true,
      isolated,
      allowed: !isolated || rules.length > 0,
      policies: policies.map((p) => p.info),
      rules,
      portMismatches,
      ipBlockCaveats: rules.length > 0 ? [] : ipBlockCaveats,
    };
  }

  private dnsFor(view: PodView, extra: CompiledPolicy | undefined): DnsCheck {
    let policies = this.isolating(view, 'egress');
    if (extra && extra.egress && !policies.includes(extra)) policies = [...policies, extra];
    if (policies.length === 0) return { isolated: false, udp: true, tcp: true, rules: [], ipBlockRules: [] };
    const dns = kubeDnsView(this.inventory);
    let udp = false;
    let tcp = false;
    const rules: RuleRef[] = [];
    const ipBlockRules: RuleRef[] = [];
    for (const p of policies) {
      for (const r of p.egressRules) {
        const c = resolvePorts(r.ports, dns.ports);
        const u = allows(c, 'UDP', 53);
        const t = allows(c, 'TCP', 53);
        if (!u && !t) continue;
        const peer = r.anyPeer ? undefined : r.peers.find((x) => peerMatchesPod(x, dns));
        if (r.anyPeer || peer) {
          udp ||= u;
          tcp ||= t;
          rules.push(ref(r, peer?.peer));
        } else {
          const ib = r.peers.find((x) => x.kind === 'ipBlock');
          if (ib) ipBlockRules.push(ref(r, ib.peer));
        }
      }
    }
    return { isolated: true, udp, tcp, rules, ipBlockRules };
  }

  isShadowed(p: PolicyInfo): boolean {
    return !this.compiledByInfo.has(p);
  }

  namedPortProblems(p: PolicyInfo): readonly NamedPortProblem[] {
    const c = this.compiled(p);
    const out: NamedPortProblem[] = [];
    const selected = this.podsSelectedBy(p);
    for (const r of [...c.ingressRules, ...c.egressRules]) {
      if (r.ports.named.length === 0) continue;
      let dests: WorkloadInfo[];
      let ipOnly = false;
      if (r.direction === 'ingress') dests = [...selected];
      else if (r.anyPeer) dests = [...this.inventory.workloads];
      else {
        const valid = r.peers.filter((x) => x.kind !== 'invalid');
        ipOnly = valid.length > 0 && valid.every((x) => x.kind === 'ipBlock');
        dests = valid.flatMap((x) => (x.kind === 'pods' ? this.workloadsMatching(x) : []));
      }
      for (const port of r.rule.ports ?? []) {
        const spec = compilePort(port);
        const n = spec?.named[0];
        if (!n) continue;
        const declares = (w: WorkloadInfo, proto?: Protocol): boolean => w.workload.ports.some((cp) => cp.name === n.name && (proto === undefined || cp.protocol === proto));
        const base = { rule: ref(r, undefined), port, name: n.name, protocol: n.protocol };
        if (ipOnly) {
          out.push({ ...base, reason: 'ipblock-only', otherProtocol: [], nearName: undefined, message: `Named port "${n.name}" in an egress rule whose peers are all ipBlocks matches nothing: addresses outside the cluster have no named ports. Use the port number.` });
          continue;
        }
        // Without any destination workload in the manifests there is nothing to check against.
        if (dests.length === 0 || dests.some((w) => declares(w, n.protocol))) continue;
        const otherProtocol = dests.filter((w) => declares(w)).map((w) => ({ workload: w, protocol: w.workload.ports.find((cp) => cp.name === n.name)?.protocol ?? 'TCP' }));
        const whose = r.direction === 'ingress' ? 'the pods this policy selects' : 'the destination pods of this rule';
        const other = otherProtocol.length ? ` (${otherProtocol.map((x) => `${x.workload.workload.name} declares it as ${x.protocol}`).join(', ')})` : '';
        const names = new Set(dests.flatMap((w) => w.workload.ports.flatMap((cp) => (cp.name !== undefined && cp.protocol === n.protocol ? [cp.name] : []))));
        const nearName = otherProtocol.length ? undefined : closest(n.name, [...names]);
        const mean = nearName === undefined ? '' : ` Did you mean "${nearName}"?`;
        out.push({ ...base, reason: 'no-container-port', otherProtocol, nearName, message: `Named port "${n.name}" (${n.protocol}) matches no container port of ${whose}${other}, so this entry allows nothing.${mean}` });
      }
    }
    return out;
  }

  dnsForWorkload(w: WorkloadInfo): DnsCheck {
    return this.dnsFor(this.view(w), undefined);
  }

  dnsForPolicy(p: PolicyInfo): PolicyDnsCheck {
    const c = this.compiled(p);
    const selected = this.podsSelectedBy(p);
    if (selected.length === 0) {
      const view: PodView = { namespace: p.namespace, namespaceLabels: namespaceLabels(this.inventory, p.namespace), labels: labelsFor(c.podSelector), ports: [] };
      return { ...this.dnsFor(view, c), basis: 'selector', workloads: [] };
    }
    const workloads = selected.map((w) => ({ workload: w, check: this.dnsFor(this.view(w), c) }));
    const rules: RuleRef[] = [];
    const ipBlockRules: RuleRef[] = [];
    for (const { check } of workloads) {
      for (const r of check.rules) if (!rules.some((x) => sameRef(x, r))) rules.push(r);
      for (const r of check.ipBlockRules) if (!ipBlockRules.some((x) => sameRef(x, r))) ipBlockRules.push(r);
    }
    return {
      isolated: workloads.some((x) => x.check.isolated),
      udp: workloads.every((x) => x.check.udp),
      tcp: workloads.every((x) => x.check.tcp),
      rules,
      ipBlockRules,
      basis: 'workloads',
      workloads,
    };
  }
}

function isPod(x: PodView | IpAddress): x is PodView {
  return 'labels' in x;
}

function notApplicable(direction: Direction): DirectionDecision {
  return { direction, applies: false, isolated: false, allowed: true, policies: [], rules: [], portMismatches: [], ipBlockCaveats: [] };
}

function ref(r: CompiledRule, peer: Peer | undefined): RuleRef {
  return { policy: r.policy, direction: r.direction, rule: r.rule, peer };
}

function sameRef(a: RuleRef, b: RuleRef): boolean {
  return a.rule === b.rule && a.peer === b.peer;
}

/** Labels of a made-up pod that the selector selects (as far as one can: In takes its first value). */
export function labelsFor(s: Selector | undefined): Labels {
  const m = new Map<string, string>();
  if (!s) return m;
  for (const l of s.matchLabels) m.set(l.key, l.value);
  for (const e of s.matchExpressions) {
    if (m.has(e.key)) continue;
    if (e.operator === 'In' && e.values[0]) m.set(e.key, e.values[0].value);
    else if (e.operator === 'Exists') m.set(e.key, '');
  }
  if (!matches(s, m)) {
    // NotIn may exclude a value chosen above; give up on the expressions rather than guess further.
    for (const e of s.matchExpressions) if (e.operator === 'NotIn' && e.values.some((v) => v.value === m.get(e.key))) m.delete(e.key);
  }
  return m;
}
