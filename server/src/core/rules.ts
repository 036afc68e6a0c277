/**
 * The rule table: one entry per diagnostic code. Codes never change meaning; users silence and
 * document by them, and SARIF reports by them. Settings, docs and severities come from here.
 */
export type Severity = 'error' | 'warning' | 'information' | 'hint';

export interface RuleInfo {
  readonly code: string;
  /** kebab-case name, for humans and settings UIs. */
  readonly name: string;
  readonly severity: Severity;
  readonly summary: string;
}

const table = [
  // NP0xx: the file itself.
  { code: 'NP001', name: 'yaml-syntax', severity: 'error', summary: 'The YAML does not parse.' },
  { code: 'NP002', name: 'file-too-large', severity: 'information', summary: 'The file is larger than netpol.maxFileSize; it is not analysed.' },
  { code: 'NP003', name: 'binary-file', severity: 'information', summary: 'The file looks binary; it is not analysed.' },
  { code: 'NP004', name: 'alias-limit', severity: 'warning', summary: 'A document dereferences too many YAML aliases (an alias bomb?); it is not analysed.' },
  // NP1xx: what the API server rejects.
  { code: 'NP101', name: 'invalid-cidr', severity: 'error', summary: 'ipBlock.cidr is missing or not a valid IPv4 or IPv6 CIDR.' },
  { code: 'NP102', name: 'invalid-except', severity: 'error', summary: 'An ipBlock.except entry is not a valid CIDR of the same family strictly inside cidr.' },
  { code: 'NP103', name: 'non-canonical-cidr', severity: 'warning', summary: 'A CIDR has host bits set (10.0.0.1/24); newer API servers reject it.' },
  { code: 'NP104', name: 'unknown-field', severity: 'error', summary: 'A field that NetworkPolicy does not have (a typo or wrong indentation); kubectl rejects it.' },
  { code: 'NP105', name: 'wrong-type', severity: 'error', summary: 'A value of the wrong type: a map where a list belongs, a number or unquoted yes/no where a string belongs, a string where a number belongs.' },
  { code: 'NP106', name: 'unsupported-api-version', severity: 'error', summary: 'A NetworkPolicy that is not apiVersion networking.k8s.io/v1, kind NetworkPolicy.' },
  { code: 'NP107', name: 'invalid-object-name', severity: 'error', summary: 'metadata.name is missing or not a DNS subdomain, or metadata.namespace is not a DNS label.' },
  { code: 'NP108', name: 'duplicate-object', severity: 'error', summary: 'Two NetworkPolicies with the same name in the same namespace, or two Namespaces with the same name, in one folder.' },
  { code: 'NP109', name: 'invalid-label-key', severity: 'error', summary: 'A label or annotation key that is not a qualified name (optional DNS prefix and /, then at most 63 letters, digits, -, _, .).' },
  { code: 'NP110', name: 'invalid-label-value', severity: 'error', summary: 'A label value longer than 63 characters or with characters other than letters, digits, -, _, .' },
  { code: 'NP111', name: 'invalid-match-expression', severity: 'error', summary: 'A matchExpressions item with no key, an operator other than In, NotIn, Exists, DoesNotExist, or values where they are required or forbidden.' },
  { code: 'NP112', name: 'invalid-peer', severity: 'error', summary: 'A from/to peer with none of podSelector, namespaceSelector, ipBlock, or ipBlock together with a selector.' },
  { code: 'NP113', name: 'invalid-protocol', severity: 'error', summary: 'A port protocol other than TCP, UDP or SCTP (upper case).' },
  { code: 'NP114', name: 'invalid-port', severity: 'error', summary: 'A port number outside 1-65535, or a port name that is not a valid IANA service name.' },
  { code: 'NP115', name: 'invalid-end-port', severity: 'error', summary: 'endPort without a numeric port, below port, or outside 1-65535.' },
  { code: 'NP116', name: 'invalid-policy-types', severity: 'error', summary: 'policyTypes with an entry other than Ingress or Egress (case-sensitive), or more than two entries.' },
  { code: 'NP117', name: 'duplicate-policy-type', severity: 'warning', summary: 'policyTypes lists the same type twice; the API server accepts it, but it is redundant.' },
  // NP2xx: accepted by the API server, but probably not what was meant.
  { code: 'NP201', name: 'egress-without-dns', severity: 'warning', summary: 'Egress is isolated for the selected pods and no policy allows them DNS to kube-dns.' },
  { code: 'NP202', name: 'dns-udp-only', severity: 'warning', summary: 'DNS is allowed on UDP 53 but not TCP 53; large answers and some resolvers fall back to TCP.' },
  { code: 'NP203', name: 'or-where-and-meant', severity: 'information', summary: "A from/to list with a namespaceSelector-only item next to a podSelector-only item: two peers OR'd, where one peer with both (AND) was probably meant." },
  { code: 'NP204', name: 'policy-types-defaulted', severity: 'warning', summary: 'policyTypes is omitted in a policy with egress rules and no ingress: it defaults to [Ingress, Egress], so all ingress to the selected pods is denied too.' },
  { code: 'NP205', name: 'rules-ignored', severity: 'warning', summary: 'policyTypes leaves out Ingress (Egress) while ingress (egress) rules are written: those rules are ignored.' },
  { code: 'NP206', name: 'selector-matches-nothing', severity: 'warning', summary: 'A policy or peer podSelector matches none of the workloads the workspace declares in the namespace it looks in.' },
  { code: 'NP207', name: 'namespace-label-unknown', severity: 'warning', summary: 'A namespaceSelector on a label no declared Namespace carries (name: where kubernetes.io/metadata.name was meant).' },
  { code: 'NP208', name: 'named-port-undeclared', severity: 'warning', summary: 'A named port that no container of the destination pods declares with that protocol (or one toward ipBlocks only): it matches nothing.' },
  { code: 'NP209', name: 'service-port-not-target-port', severity: 'warning', summary: "A port that is a Service's port but not its targetPort on the selected pods: policies see pod ports, so the Service's traffic is not allowed." },
  { code: 'NP210', name: 'dns-peer-without-namespace-selector', severity: 'warning', summary: "A kube-dns podSelector without namespaceSelector: it looks for DNS pods in the policy's own namespace, not in kube-system." },
  { code: 'NP211', name: 'rule-shadowed', severity: 'hint', summary: 'A rule that allows nothing another rule of the same policy does not already allow.' },
  { code: 'NP212', name: 'policy-redundant', severity: 'hint', summary: 'A policy that selects, isolates and allows nothing beyond what other policies of its namespace already do.' },
] as const satisfies readonly RuleInfo[];

export type RuleCode = (typeof table)[number]['code'];

export const RULES: ReadonlyMap<string, RuleInfo> = new Map(table.map((r) => [r.code, r]));

export function rule(code: RuleCode): RuleInfo {
  const r = RULES.get(code);
  if (!r) throw new Error(`unknown rule ${code}`);
  return r;
}

/** Where a rule's documentation lives; the LSP layer links it as codeDescription.href. */
export const RULE_DOCS_BASE = 'https://github.com/netpol-dev/netpol/blob/main/docs/rules/';
export function ruleDocUrl(code: string): string {
  return `${RULE_DOCS_BASE}${code}.md`;
}
