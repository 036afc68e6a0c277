import { isolatesEgress, isolatesIngress, selectedWorkloads } from './dns';
import { describePeer, describeRule, peerWorkloads, workloadList } from './describe';
import type { Inventory, PolicyInfo } from './inventory';
import type { NetworkPolicy, ParsedFile, Selector } from './model';
import { describeSelector, isEmptySelector } from './selector';
import { contains, type Span } from './text';

export interface Hover {
  /** Markdown. */
  readonly contents: string;
  readonly span: Span;
}

/** A hover for the position, or undefined when netpol has nothing to say there. Never throws. */
export function hover(file: ParsedFile, inv: Inventory, offset: number): Hover | undefined {
  for (const o of file.objects) {
    if (o.kind !== 'NetworkPolicy' || !contains(o.span, offset)) continue;
    const pi = inv.policies.find((p) => p.policy === o);
    if (!pi) return undefined;
    const sel = o.podSelector;
    if (sel && (contains(sel.keySpan, offset) || contains(sel.span, offset))) return { contents: policySummary(inv, pi), span: contains(sel.keySpan, offset) ? sel.keySpan : sel.span };
    if (o.nameSpan && contains(o.nameSpan, offset)) return { contents: policySummary(inv, pi), span: o.nameSpan };
    for (const rule of [...(o.ingress ?? []), ...(o.egress ?? [])]) {
      for (const peer of rule.peers ?? []) {
        if (!contains(peer.span, offset) || peer.ipBlock) continue;
        const ws = peerWorkloads(inv, peer, pi.namespace);
        return { contents: `**Peer:** ${describePeer(peer, pi.namespace)}\n\nMatches ${workloadList(ws)}.`, span: peer.span };
      }
    }
  }
  return undefined;
}

export function policySummary(inv: Inventory, pi: PolicyInfo): string {
  const p: NetworkPolicy = pi.policy;
  const ws = selectedWorkloads(inv, pi);
  const all = !p.podSelector || isEmptySelector(p.podSelector);
  const which = all ? `every pod in \`${pi.namespace}\`` : `pods \`${describeSelector(p.podSelector as Selector)}\` in \`${pi.namespace}\``;
  const lines: string[] = [];
  lines.push(`**NetworkPolicy \`${pi.namespace}/${p.name || '(unnamed)'}\`** selects ${which}: ${workloadList(ws)}.`);
  const ing = isolatesIngress(p);
  const eg = isolatesEgress(p);
  const defaulted = p.policyTypes ? '' : ' (policyTypes omitted: defaulted)';
  lines.push('');
  lines.push(`Isolates ${[ing ? 'ingress' : '', eg ? 'egress' : ''].filter(Boolean).join(' and ') || 'nothing'}${defaulted}.`);
  const section = (title: string, isolated: boolean, rules: NetworkPolicy['ingress']): void => {
    if (!isolated) return;
    lines.push('');
    if (!rules || rules.length === 0) {
      lines.push(`**${title}:** this policy allows none; unless another policy allows it, all ${title.toLowerCase()} of these pods is denied.`);
      return;
    }
    lines.push(`**${title} allowed by this policy:**`);
    for (const r of rules) lines.push(`- ${describeRule(inv, r, pi.namespace)}`);
    lines.push('', `All other ${title.toLowerCase()} of these pods is denied, unless another policy that selects them allows it.`);
  };
  section('Ingress', ing, p.ingress);
  section('Egress', eg, p.egress);
  const rules = [...(ing ? (p.ingress ?? []) : []), ...(eg ? (p.egress ?? []) : [])];
  if (rules.some((r) => r.peers?.some((x) => x.ipBlock))) {
    lines.push('', '_ipBlock ranges are meant for addresses outside the cluster; whether they also match pod IPs depends on the network plugin._');
  }
  return lines.join('\n');
}

