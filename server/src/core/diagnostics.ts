import { parseCidr, within, type Cidr } from './cidr';
import { dnsForPod, dnsTarget, isolatesEgress, ruleReachesDns, selectedWorkloads, type DnsStatus } from './dns';
import type { Inventory, PolicyInfo } from './inventory';
import type { IPBlock, NetworkPolicy, ParsedFile } from './model';
import { rule, type RuleCode, type Severity } from './rules';
import type { Span } from './text';

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
  const byPolicy = new Map<NetworkPolicy, PolicyInfo>();
  for (const pi of inv.policies) byPolicy.set(pi.policy, pi);
  for (const o of file.objects) {
    if (o.kind !== 'NetworkPolicy') continue;
    checkIpBlocks(o, out);
    const pi = byPolicy.get(o);
    if (pi) checkDns(pi, inv, out);
  }
  return out;
}

function allIpBlocks(p: NetworkPolicy): IPBlock[] {
  const out: IPBlock[] = [];
  for (const r of [...(p.ingress ?? []), ...(p.egress ?? [])]) for (const peer of r.peers ?? []) if (peer.ipBlock) out.push(peer.ipBlock);
  return out;
}

function checkIpBlocks(p: NetworkPolicy, out: Finding[]): void {
  for (const b of allIpBlocks(p)) {
    let outer: Cidr | undefined;
    if (b.cidr) {
      const r = parseCidr(b.cidr.value);
      if (!r.ok) out.push(finding('NP101', b.cidr.span, `ipBlock.cidr "${b.cidr.value}" ${r.reason}.`));
      else {
        outer = r.cidr;
        if (!r.cidr.isCanonical) out.push(finding('NP103', b.cidr.span, `"${b.cidr.value}" has host bits set; it means ${r.cidr.canonical}. Write ${r.cidr.canonical} (API servers with StrictIPCIDRValidation reject it).`));
      }
    }
    for (const e of b.except) {
      const r = parseCidr(e.value);
      if (!r.ok) {
        out.push(finding('NP102', e.span, `except entry "${e.value}" ${r.reason}.`));
        continue;
      }
      if (!r.cidr.isCanonical) out.push(finding('NP103', e.span, `"${e.value}" has host bits set; it means ${r.cidr.canonical}.`));
      if (!outer) continue;
      if (r.cidr.family !== outer.family) out.push(finding('NP102', e.span, `except entry ${e.value} is IPv${r.cidr.family} but cidr ${outer.canonical} is IPv${outer.family}.`));
      else if (!within(r.cidr, outer) || (r.cidr.first === outer.first && r.cidr.last === outer.last)) {
        out.push(finding('NP102', e.span, `except entry ${e.value} must be strictly inside cidr ${outer.canonical}.`));
      }
    }
  }
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
  const target = dnsTarget(inv);
  for (const r of p.egress ?? []) {
    if (ruleReachesDns(r, pi.namespace, target, 'UDP') !== 'none' && ruleReachesDns(r, pi.namespace, target, 'TCP') === 'none') {
      out.push(finding('NP202', r.portsKeySpan ?? r.span, `This rule allows DNS to ${names(udpOnly)} on UDP 53 only; add TCP 53 (large answers and some resolvers use TCP).`));
    }
  }
}
