/**
 * The connectivity engine: what traffic a set of manifests allows, and why
 * (networking.k8s.io/v1 semantics). Hover, diagnostics, quick-fix checks and the CLI use it.
 */
import type { Analysis } from './analysis';
import { computeConnectivity, type Connectivity } from './connectivity';

export {
  analyze,
  labelsFor,
  type AllowEntry,
  type Analysis,
  type AnalyzeOptions,
  type DirectionDecision,
  type DnsCheck,
  type EffectiveAllow,
  type Endpoint,
  type IpBlockMode,
  type NamedPortProblem,
  type PeerSummary,
  type PolicyDnsCheck,
  type ReachResult,
  type RuleRef,
} from './analysis';
export type { Connection, Connectivity, ReportPeer } from './connectivity';
export { findEndpoint, type EndpointLookup } from './endpoint';
export { describeDns, describeEffective, describePeer, describePolicyRef, describeReach, describeRuleRef, IPBLOCK_CAVEAT, policyName, workloadName, type Locator } from './describe';
export { ALL_IPS, describeIpSet, formatIp, formatIpRange, ipBlockSet, ipContains, parseCidr, parseIp, type Cidr, type Family, type IpAddress, type IpSet } from './ipset';
export { kubeDnsView, workloadPeerName, type PodView } from './pods';
export { compilePolicy, compilePort, type CompiledPolicy, type CompiledRule, type NamedPort, type PortSpec } from './policy';
export {
  ALL,
  NONE,
  allows,
  conn,
  connSet,
  describeConnections,
  equals,
  formatConnections,
  intersect,
  isAll,
  isEmpty,
  parseConnections,
  subtract,
  union,
  type ConnSet,
  type PortRanges,
} from './ports';
export { formatReport, REPORT_FORMATS, type ReportFormat } from './report';

/** Every allowed connection between workloads and to/from ranges outside the cluster. */
export function connectivity(a: Analysis): Connectivity {
  return computeConnectivity(a.context);
}

