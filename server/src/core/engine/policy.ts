import type { ContainerPort, Direction, Peer, PolicyPort, Protocol, Rule, Selector } from '../model';
import type { PolicyInfo } from '../inventory';
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
  /** Whether the policy isolates the pods it selects for each direction (its effective policyTypes). */
  readonly ingress: boolean;
  readonly egress: boolean;
  /** The rules of each direction, empty when the direction is not in the effective policyTypes. */
  readonly ingressRules: readonly CompiledRule[];
  readonly egressRules: readonly CompiledRule[];
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
}

/** Compiled once per inventory entry; entries outlive an edit to another document (inventory.ts). */
const compiled = new WeakMap<PolicyInfo, CompiledPolicy>();

export function compilePolicy(info: PolicyInfo): CompiledPolicy {
  let c = compiled.get(info);
  if (!c) {
    c = compile(info);
    compiled.set(info, c);
  }
  return c;
}

function compile(info: PolicyInfo): CompiledPolicy {
  const p = info.policy;
  let ingress = false;
  let egress = false;
  const types = p.policyTypes?.map((t) => t.value);
  if (types && types.length > 0) {
    ingress = types.includes('Ingress');
    egress = types.includes('Egress');
  } else {
    // The API server's defaulting: Ingress always, Egress when there are egress rules.
    ingress = true;
    egress = (p.egress?.length ?? 0) > 0;
  }
  return {
    info,
    podSelector: p.podSelector,
    ingress,
    egress,
    ingressRules: ingress ? (p.ingress ?? []).map((r) => compileRule(info, r)) : [],
    egressRules: egress ? (p.egress ?? []).map((r) => compileRule(info, r)) : [],
  };
}

export function compileRule(policy: PolicyInfo, rule: Rule): CompiledRule {
  const anyPeer = rule.peers === undefined || rule.peers.length === 0;
  const anyPort = rule.ports === undefined || rule.ports.length === 0;
  return {
    policy,
    rule,
    direction: rule.direction,
    anyPeer,
    peers: anyPeer ? [] : (rule.peers ?? []).map((peer) => compilePeer(policy.namespace, peer)),
    anyPort,
    ports: anyPort ? ALL_PORTS_SPEC : compilePorts(rule.ports ?? []),
  };
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
  return { kind: 'pods', peer, namespaceSelector: peer.namespaceSelector, podSelector: peer.podSelector, namespace };
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
  if (!Number.isInteger(port) || port < 1 || port > 65535) return undefined;
  if (end === undefined) return { numeric: conn(protocol, port), named: [] };
  if (!Number.isInteger(end) || end < port || end > 65535) return undefined;
  return { numeric: conn(protocol, port, end), named: [] };
}

export function compilePorts(ports: readonly PolicyPort[]): PortSpec {
  let numeric = NONE;
  const named: NamedPort[] = [];
  for (const p of ports) {
    const c = compilePort(p);
    if (!c) continue;
    numeric = union(numeric, c.numeric);
    for (const n of c.named) if (!named.some((x) => x.name === n.name && x.protocol === n.protocol)) named.push(n);
  }
  return { numeric, named };
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
