import type { ContainerPort, Direction, Peer, PolicyPort, Protocol, Rule, Selector } from '../model';
import type { PolicyInfo } from '../inventory';
import { isPortNumber } from '../names';
import { requirements, type Requirement } from '../selector';
import { intern } from '../text';
import { ipBlockSet, type IpSet } from './ipset';
import { ALL, conn, NONE, union, type ConnSet } from './ports';

/**
 * A NetworkPolicy as the engine evaluates it (networking.k8s.io/v1): defaulted policy types,
 * and rules whose peers and ports are read once. Parts the API server would reject match nothing,
 * so an invalid policy never widens what is allowed.
 */
export interface CompiledPolicy {
  readonly info: PolicyInfo;
  /** Selected pods (undefined podSelector: every pod of the namespace). */
  readonly podSelector: Selector | undefined;
  /** The podSelector as requirements (selector.ts); undefined when the API server would reject it. */
  readonly podRequirements: readonly Requirement[] | undefined;
  /** Whether the policy isolates the pods it selects for each direction (its effective policyTypes). */
  readonly ingress: boolean;
  readonly egress: boolean;
  /** The rules of each direction, empty when the direction is not in the effective policyTypes. */
  readonly ingressRules: readonly CompiledRule[];
  readonly egressRules: readonly CompiledRule[];
  /** ingressRules then egressRules. */
  readonly rules: readonly CompiledRule[];
  /** Every rule as written, ingress then egress, also those of a direction the policy does not isolate (the lints read them). */
  readonly writtenRules: readonly CompiledRule[];
}

export interface NamedPort {
  readonly name: string;
  readonly protocol: Protocol;
}

/** The ports of a rule: numbers and ranges, plus named ports still to be resolved on the destination pod. */
export interface PortSpec {
  readonly numeric: ConnSet;
  readonly named: readonly NamedPort[];
}

export const ALL_PORTS_SPEC: PortSpec = Object.freeze({ numeric: ALL, named: [] });
export const NO_PORTS_SPEC: PortSpec = Object.freeze({ numeric: NONE, named: [] });

export type CompiledPeer =
  /** Pods: namespaceSelector AND podSelector; with no namespaceSelector, pods of `namespace`. */
  | {
      readonly kind: 'pods';
      readonly peer: Peer;
      readonly namespaceSelector: Selector | undefined;
      readonly podSelector: Selector | undefined;
      readonly namespace: string;
      /** The selectors as requirements, read once for the containment checks (cover.ts). */
      readonly namespaceRequirements: readonly Requirement[] | undefined;
      readonly podRequirements: readonly Requirement[] | undefined;
    }
  | { readonly kind: 'ipBlock'; readonly peer: Peer; readonly cidr: string; readonly except: readonly string[]; readonly set: IpSet }
  /** A peer the API server would reject; it matches nothing. */
  | { readonly kind: 'invalid'; readonly peer: Peer; readonly reason: string };

export interface CompiledRule {
  readonly policy: PolicyInfo;
  readonly rule: Rule;
  readonly direction: Direction;
  /** `from`/`to` absent or empty: every peer, in the cluster and outside. */
  readonly anyPeer: boolean;
  readonly peers: readonly CompiledPeer[];
  /** `ports` absent or empty: every port. */
  readonly anyPort: boolean;
  readonly ports: PortSpec;
  /**
   * The rule is exactly what it says: no peer or `ports` entry the API server would reject and no
   * unknown key (NP104), so the model is what the author wrote. Only such rules are compared (cover.ts).
   */
  readonly exact: boolean;
}

/** Compiled once per inventory entry, kept with it; entries outlive an edit to another document (inventory.ts). */
export function compilePolicy(info: PolicyInfo): CompiledPolicy {
  const cache = info.cache;
  if (!cache) return compile(info);
  return (cache.compiled ??= compile(info));
}

function compile(info: PolicyInfo): CompiledPolicy {
  const p = info.policy;
  let ingress = false;
  let egress = false;
  const types = p.policyTypes;
  if (types && types.length > 0) {
    ingress = types.some((t) => t.value === 'Ingress');
    egress = types.some((t) => t.value === 'Egress');
  } else {
    // The API server's defaulting: Ingress always, Egress when there are egress rules.
    ingress = true;
    egress = (p.egress?.length ?? 0) > 0;
  }
  const ingressRules = (p.ingress ?? []).map((r) => compileRule(info, r));
  const egressRules = (p.egress ?? []).map((r) => compileRule(info, r));
  return {
    info,
    podSelector: p.podSelector,
    podRequirements: requirements(p.podSelector),
    ingress,
    egress,
    ingressRules: ingress ? ingressRules : [],
    egressRules: egress ? egressRules : [],
    rules: ingress && egress ? [...ingressRules, ...egressRules] : ingress ? ingressRules : egress ? egressRules : [],
    writtenRules: [...ingressRules, ...egressRules],
  };
}

const PEER_KEYS: readonly string[] = ['podSelector', 'namespaceSelector', 'ipBlock'];
const INGRESS_RULE_KEYS: readonly string[] = ['from', 'ports'];
const EGRESS_RULE_KEYS: readonly string[] = ['to', 'ports'];

/**
 * Only known keys: an unknown one (NP104) means the model may not be what the author wrote. The
 * model sets a field only when its key is written (parse.ts; a peer's null field stays unset), so
 * as many keys as fields set are those fields' keys: the usual case, settled without comparing the
 * strings.
 */
function onlyKeys(written: readonly string[] | undefined, keys: readonly string[], fieldsSet: number): boolean {
  return !written || written.length === fieldsSet || written.every((k) => keys.includes(k));
}

export function compileRule(policy: PolicyInfo, rule: Rule): CompiledRule {
  const anyPeer = rule.peers === undefined || rule.peers.length === 0;
  const anyPort = rule.ports === undefined || rule.ports.length === 0;
  const peers = anyPeer ? [] : (rule.peers ?? []).map((peer) => compilePeer(policy.namespace, peer));
  let ports = anyPort ? ALL_PORTS_SPEC : NO_PORTS_SPEC;
  let portsValid = true;
  for (const entry of rule.ports ?? []) {
    const e = entrySpec(entry);
    if (e) ports = ports === NO_PORTS_SPEC ? e : join(ports, e);
    else portsValid = false;
  }
  const ruleFields = (rule.peers === undefined ? 0 : 1) + (rule.ports === undefined ? 0 : 1);
  const exact = portsValid && peers.every(exactPeer) && onlyKeys(rule.keys, rule.direction === 'ingress' ? INGRESS_RULE_KEYS : EGRESS_RULE_KEYS, ruleFields);
  return { policy, rule, direction: rule.direction, anyPeer, peers, anyPort, ports, exact };
}

function exactPeer(p: CompiledPeer): boolean {
  const peer = p.peer;
  const fields = (peer.podSelector === undefined ? 0 : 1) + (peer.namespaceSelector === undefined ? 0 : 1) + (peer.ipBlock === undefined ? 0 : 1);
  return p.kind !== 'invalid' && onlyKeys(peer.keys, PEER_KEYS, fields);
}

export function compilePeer(namespace: string, peer: Peer): CompiledPeer {
  if (!peer.keys) return { kind: 'invalid', peer, reason: 'the peer is not a map' };
  const hasSelectors = peer.podSelector !== undefined || peer.namespaceSelector !== undefined;
  if (peer.ipBlock) {
    if (hasSelectors) return { kind: 'invalid', peer, reason: 'a peer may not have both ipBlock and a selector' };
    const cidr = peer.ipBlock.cidr?.value;
    if (cidr === undefined) return { kind: 'invalid', peer, reason: 'ipBlock has no cidr' };
    const except = peer.ipBlock.except.map((e) => e.value);
    const set = ipBlockSet(cidr, except);
    if (!set) return { kind: 'invalid', peer, reason: `ipBlock cidr ${JSON.stringify(cidr)} is not a valid CIDR` };
    return { kind: 'ipBlock', peer, cidr, except, set };
  }
  if (!hasSelectors) return { kind: 'invalid', peer, reason: 'the peer specifies nothing' };
  return {
    kind: 'pods',
    peer,
    namespaceSelector: peer.namespaceSelector,
    podSelector: peer.podSelector,
    namespace,
    namespaceRequirements: requirements(peer.namespaceSelector),
    podRequirements: requirements(peer.podSelector),
  };
}

const PROTOCOL_NAMES: readonly string[] = ['TCP', 'UDP', 'SCTP'];

/** One `ports` entry; undefined when the API server would reject it. */
export function compilePort(p: PolicyPort): PortSpec | undefined {
  const proto = p.protocol?.value ?? 'TCP';
  if (!PROTOCOL_NAMES.includes(proto)) return undefined;
  const protocol = proto as Protocol;
  const port = p.port?.value;
  const end = p.endPort?.value;
  if (port === undefined) {
    if (end !== undefined) return undefined;
    return { numeric: conn(protocol), named: [] };
  }
  if (typeof port === 'string') {
    if (end !== undefined) return undefined;
    return { numeric: NONE, named: [{ name: port, protocol }] };
  }
  if (!isPortNumber(port)) return undefined;
  if (end === undefined) return { numeric: conn(protocol, port), named: [] };
  if (!Number.isInteger(end) || end < port || end > 65535) return undefined;
  return { numeric: conn(protocol, port, end), named: [] };
}

/**
 * Port specs are shared: files repeat a few `ports` entries thousands of times, so each distinct
 * entry is compiled once and each list is the join of its entries' specs, also kept. Specs are
 * immutable, and equal lists then compare by identity (containment checks test that first).
 */
const entrySpecs = new Map<string | undefined, Map<number | string | undefined, Map<number | undefined, PortSpec | null>>>();
const joins = new Map<PortSpec, Map<PortSpec, PortSpec>>();
let kept = 0;
const KEPT_MAX = 10_000;

function keeping(): void {
  if (++kept < KEPT_MAX) return;
  entrySpecs.clear();
  joins.clear();
  kept = 0;
}

function entrySpec(p: PolicyPort): PortSpec | undefined {
  const protocol = p.protocol?.value;
  const port = p.port?.value;
  const end = p.endPort?.value;
  // Only short texts are kept (no valid protocol or port name is long), interned: a slice of the
  // file's text would keep the whole text alive.
  if ((protocol?.length ?? 0) > 16 || (typeof port === 'string' && port.length > 16)) return compilePort(p);
  let byPort = entrySpecs.get(protocol);
  if (!byPort) entrySpecs.set(protocol === undefined ? undefined : intern(protocol), (byPort = new Map()));
  let byEnd = byPort.get(port);
  if (!byEnd) byPort.set(typeof port === 'string' ? intern(port) : port, (byEnd = new Map()));
  let spec = byEnd.get(end);
  if (spec === undefined) {
    spec = compilePort(p) ?? null;
    byEnd.set(end, spec);
    keeping();
  }
  return spec ?? undefined;
}

/** The union of two specs; named ports once each, in order. */
function join(a: PortSpec, b: PortSpec): PortSpec {
  let byB = joins.get(a);
  if (!byB) joins.set(a, (byB = new Map()));
  let j = byB.get(b);
  if (!j) {
    const named = [...a.named];
    for (const n of b.named) if (!named.some((x) => x.name === n.name && x.protocol === n.protocol)) named.push(n);
    j = { numeric: union(a.numeric, b.numeric), named };
    byB.set(b, j);
    keeping();
  }
  return j;
}

/** The ports a spec allows on a pod with these container ports: named ports match by name and protocol. */
export function resolvePorts(spec: PortSpec, containerPorts: readonly ContainerPort[] | undefined): ConnSet {
  if (spec.named.length === 0) return spec.numeric;
  let out = spec.numeric;
  if (!containerPorts) return out;
  for (const n of spec.named) {
    for (const cp of containerPorts) {
      if (cp.name === n.name && cp.protocol === n.protocol && cp.port >= 1 && cp.port <= 65535) out = union(out, conn(n.protocol, cp.port));
    }
  }
  return out;
}
