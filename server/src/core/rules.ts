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
  { code: 'NP101', name: 'invalid-cidr', severity: 'error', summary: 'ipBlock.cidr is not a valid IPv4 or IPv6 CIDR.' },
  { code: 'NP102', name: 'invalid-except', severity: 'error', summary: 'An ipBlock.except entry is not a valid CIDR of the same family strictly inside cidr.' },
  { code: 'NP103', name: 'non-canonical-cidr', severity: 'warning', summary: 'A CIDR has host bits set (10.0.0.1/24); newer API servers reject it.' },
  // NP2xx: accepted by the API server, but probably not what was meant.
  { code: 'NP201', name: 'egress-without-dns', severity: 'warning', summary: 'Egress is isolated for the selected pods and no policy allows them DNS to kube-dns.' },
  { code: 'NP202', name: 'dns-udp-only', severity: 'warning', summary: 'DNS is allowed on UDP 53 but not TCP 53; large answers and some resolvers fall back to TCP.' },
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
