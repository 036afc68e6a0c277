import { dnsForPod, dnsTargetOf, isolatesEgress, ruleReachesDns, selectedWorkloads, type DnsStatus } from './dns';
import type { Inventory, PolicyInfo } from './inventory';
import type { NetworkPolicy, ParsedFile } from './model';
import { rule, type RuleCode, type Severity } from './rules';
import type { Span } from './text';
import { validateFile } from './validate';

export interface Finding {
  readonly code: RuleCode;
  readonly severity: Severity;
  readonly message: string;
  readonly span: Span;
}

export interface DiagnoseOptions {
  readonly maxFileSize?: number;
}

function finding(code: RuleCode, span: Span, message: string): Finding {
  return { code, severity: rule(code).severity, message, span };
}

/**
 * Every finding for one file. `inv` is the inventory of the whole workspace (this file included),
 * so lints see policies and workloads from other files. Never throws on user input.
 */
export function diagnose(file: ParsedFile, inv: Inventory, options: DiagnoseOptions = {}): Finding[] {
  const out: Finding[] = [];
  if (file.tooLarge) {
    const limit = options.maxFileSize;
    out.push(finding('NP002', { start: 0, end: 0 }, `This file has ${file.text.length} characters, more than netpol.maxFileSize${limit ? ` (${limit})` : ''}; netpol does not analyse it.`));
    return out;
  }
  if (file.binary) {
    out.push(finding('NP003', { start: 0, end: 0 }, 'This file looks binary (it contains NUL bytes); netpol does not analyse it.'));
    return out;
  }
  for (const d of file.documents) {
    for (const p of d.problems) {
      if (p.code === 'ALIAS_LIMIT') out.push(finding('NP004', p.span, p.message));
      else out.push({ code: 'NP001', severity: p.severity, message: p.message, span: p.span });
    }
  }
  // API-server parity (strict decoding and validation), NP101–NP117.
  out.push(...validateFile(file, inv));
  const byPolicy = new Map<NetworkPolicy, PolicyInfo>();
  for (const pi of inv.policies) byPolicy.set(pi.policy, pi);
  for (const o of file.objects) {
    if (o.kind !== 'NetworkPolicy') continue;
    const pi = byPolicy.get(o);
    if (pi) checkDns(pi, inv, out);
  }
  return out;
}

function checkDns(pi: PolicyInfo, inv: Inventory, out: Finding[]): void {
  const p = pi.policy;
  if (!isolatesEgress(p)) return;
  const at = p.egressKeySpan ?? p.policyTypes?.find((t) => t.value === 'Egress')?.span ?? p.policyTypesKeySpan ?? p.nameSpan ?? p.span;
  const workloads = selectedWorkloads(inv, pi);
  const statuses: { who: string; s: DnsStatus }[] = workloads.length
    ? workloads.map((w) => ({ who: w.workload.name, s: dnsForPod(inv, pi.namespace, w.labels) }))
    : [{ who: '', s: dnsForPod(inv, pi.namespace, undefined, pi) }];
  const noDns = statuses.filter((x) => x.s.udp === 'none' && x.s.tcp === 'none');
  const names = (xs: { who: string }[]): string => {
    const n = xs.map((x) => x.who).filter((w) => w);
    if (!n.length) return 'the pods it selects';
    return n.length > 3 ? `${n.slice(0, 3).join(', ')} and ${n.length - 3} more` : n.join(', ');
  };
  if (noDns.length) {
    out.push(
      finding(
        'NP201',
        at,
        `This policy isolates egress for ${names(noDns)}, but no policy allows ${noDns.length === 1 && noDns[0]?.who ? 'it' : 'them'} DNS (UDP and TCP 53 to kube-dns in kube-system): name lookups will fail.`,
      ),
    );
    return;
  }
  // UDP-only DNS is reported on the rule that allows it, so a shared allow-dns policy is flagged once.
  const udpOnly = statuses.filter((x) => x.s.udp !== 'none' && x.s.tcp === 'none');
  if (!udpOnly.length) return;
  const target = dnsTargetOf(inv);
  for (const r of p.egress ?? []) {
    if (ruleReachesDns(r, pi.namespace, target, 'UDP') !== 'none' && ruleReachesDns(r, pi.namespace, target, 'TCP') === 'none') {
      out.push(finding('NP202', r.portsKeySpan ?? r.span, `This rule allows DNS to ${names(udpOnly)} on UDP 53 only; add TCP 53 (large answers and some resolvers use TCP).`));
    }
  }
}
