/**
 * Code actions as text edits: a quick fix per finding that has one (and "fix all" for a code that
 * occurs several times in the file), the AND/OR peer rewrite, and source actions that add whole
 * policies. The edits live in actions/; this module picks what applies to a range.
 */
import type { Finding } from './diagnostics';
import type { Inventory } from './inventory';
import type { ParsedFile } from './model';
import type { Span } from './text';
import { addDnsNamespace, addDnsTcp, allowDns } from './actions/dns';
import { overlaps, type TextEdit } from './actions/edit';
import { overlapsSpan } from './actions/find';
import type { Fix, FixInput, FixKind, QuickFix } from './actions/fix';
import { mergePeers, separateIpBlock, splitPeer } from './actions/peers';
import { enableIgnoredRules, explicitPolicyTypes } from './actions/policy-types';
import { sourceActions } from './actions/source';
import { removeRedundantPolicy, removeShadowedRule } from './actions/rules';
import { canonicalCidr, declaredName, emptySelector, fixApiVersion, fixMatchExpression, fixObjectName, fixPolicyType, fixProtocol, namedPortProtocol, namespaceNameLabel, removeOutsideExcept, renameUnknownField, servicePortToTarget, singleHostCidr, singleHostExcept, swapEndPort, unquoteNumber, validLabel } from './actions/values';

export { applyEdits, type TextEdit } from './actions/edit';
export { DNS_FIX_TITLE, DNS_RULE, insertEgressRule } from './actions/dns';
export { policyAt } from './actions/find';
export type { Fix, FixKind } from './actions/fix';

/** The quick fix of each rule code that has one. */
const QUICK_FIXES: Readonly<Record<string, QuickFix>> = {
  NP101: singleHostCidr,
  NP102: (input, f) => removeOutsideExcept(input, f) ?? singleHostExcept(input, f),
  NP103: canonicalCidr,
  NP104: renameUnknownField,
  NP105: unquoteNumber,
  NP106: fixApiVersion,
  NP107: fixObjectName,
  NP109: validLabel,
  NP110: validLabel,
  NP111: fixMatchExpression,
  NP112: (input, f) => separateIpBlock(input, f) ?? emptySelector(input, f),
  NP113: fixProtocol,
  NP114: unquoteNumber,
  NP115: swapEndPort,
  NP116: fixPolicyType,
  NP117: fixPolicyType,
  NP201: allowDns,
  NP202: addDnsTcp,
  NP203: mergePeers,
  NP204: explicitPolicyTypes,
  NP205: enableIgnoredRules,
  NP206: declaredName,
  NP207: namespaceNameLabel,
  NP208: (input, f) => declaredName(input, f) ?? namedPortProtocol(input, f),
  NP209: servicePortToTarget,
  NP210: addDnsNamespace,
  NP211: removeShadowedRule,
  NP212: removeRedundantPolicy,
};

/** Codes with a quick fix (their rule pages have a "Quick fix" section). */
export const QUICK_FIX_CODES: readonly string[] = Object.keys(QUICK_FIXES);

/** What "fix all" does, per code. */
const FIX_ALL: Readonly<Record<string, string>> = {
  NP101: 'write every bare address as its /32 (or /128)',
  NP102: 'remove every except entry outside its cidr, and write every bare address inside it as its /32',
  NP103: 'write every CIDR in its canonical form',
  NP104: 'rename every misspelt field',
  NP105: 'unquote every quoted number',
  NP106: 'write networking.k8s.io/v1 and NetworkPolicy everywhere',
  NP107: 'write every name and namespace as a DNS name',
  NP109: 'write every label and annotation key as a valid one',
  NP110: 'write every label value as a valid one',
  NP111: 'correct every selector operator',
  NP112: 'separate every ipBlock from its selectors, and write {} for every empty selector',
  NP113: 'correct every protocol',
  NP114: 'unquote every quoted port number',
  NP115: 'swap every range written backwards',
  NP116: 'correct every policy type',
  NP117: 'remove every policy type listed twice',
  NP201: 'allow DNS egress in every policy that lacks it',
  NP202: 'allow DNS over TCP 53 next to every UDP-only DNS rule',
  NP203: 'merge every OR-ed namespaceSelector/podSelector pair into one peer',
  NP204: 'make every defaulted policyTypes explicit',
  NP205: 'add the missing direction to policyTypes wherever rules are ignored',
  NP206: 'write the label the workloads carry in every selector one typo away',
  NP207: `use kubernetes.io/metadata.name for every namespace name label`,
  NP208: 'write the declared name, or the declared protocol, of every named port',
  NP209: "write the pods' port for every Service port",
  NP210: 'add the kube-system namespaceSelector to every kube-dns peer',
  NP211: 'remove every rule another rule already covers',
  NP212: 'remove every policy the others already cover',
};

/** Whether an action kind is among those asked for (LSP: `source` covers `source.netpol.x`). */
export function kindMatches(kind: FixKind, only: readonly string[] | undefined): boolean {
  if (!only || only.length === 0) return true;
  return only.some((o) => kind === o || kind.startsWith(`${o}.`));
}

/**
 * Code actions for `range` of a file: quick fixes for the findings that overlap it (and a "fix
 * all" per code that has several fixable findings in the file), refactors of the construct at the
 * range, and source actions for its document. `only` filters by kind as LSP's context.only does.
 * Never throws on user input.
 */
export function codeActions(file: ParsedFile, inv: Inventory, findings: readonly Finding[], range: Span, only?: readonly string[]): Fix[] {
  const input: FixInput = { file, inv };
  const out: Fix[] = [];
  const memo = new Map<Finding, Fix | undefined>();
  const quickFix = (f: Finding): Fix | undefined => {
    if (memo.has(f)) return memo.get(f);
    const make = QUICK_FIXES[f.code as string];
    const made = make ? make(input, anchored(file.text, f)) : undefined;
    const fix = made ? { ...made, fixes: [f] } : undefined;
    memo.set(f, fix);
    return fix;
  };
  if (kindMatches('quickfix', only)) {
    const codes: string[] = [];
    for (const f of findings) {
      if (!overlapsSpan(f.span, range)) continue;
      const fix = quickFix(f);
      if (!fix) continue;
      if (!out.some((x) => sameEdits(x.edits, fix.edits))) out.push(fix);
      if (!codes.includes(f.code)) codes.push(f.code);
    }
    for (const code of codes) {
      const all = fixAll(code, findings.filter((f) => f.code === code), quickFix);
      if (all) out.push(all);
    }
  }
  if (kindMatches('refactor.rewrite', only)) {
    const split = splitPeer(input, range);
    if (split) out.push(split);
  }
  if (only?.length && !only.some((o) => o === 'source' || o.startsWith('source.'))) return out;
  for (const s of sourceActions(input, range.start)) if (kindMatches(s.kind, only)) out.push(s);
  return out;
}

/** One action with the fixes of every finding of a code, those whose edits do not overlap. */
function fixAll(code: string, findings: readonly Finding[], quickFix: (f: Finding) => Fix | undefined): Fix | undefined {
  if (findings.length < 2) return undefined;
  const edits: TextEdit[] = [];
  const fixed: Finding[] = [];
  let distinct = 0;
  for (const f of findings) {
    const fix = quickFix(f);
    if (!fix) continue;
    if (fix.edits.every((e) => edits.some((x) => x.span.start === e.span.start && x.span.end === e.span.end && x.newText === e.newText))) {
      fixed.push(f); // the same edit as another finding's (two findings on one place)
      continue;
    }
    if (fix.edits.some((e) => edits.some((x) => overlaps(x, e)))) continue;
    edits.push(...fix.edits);
    fixed.push(f);
    distinct++;
  }
  if (distinct < 2) return undefined;
  return { title: `Fix all ${code} in this file: ${FIX_ALL[code] ?? 'apply every quick fix'} (${fixed.length})`, kind: 'quickfix', edits, fixes: fixed, preferred: false };
}

/**
 * The finding with its start moved past leading blanks and list dashes: fixes find what they edit
 * from the start, and a lint may flag a whole line (`  - podSelector:`) as well as a key.
 */
function anchored(text: string, f: Finding): Finding {
  let i = f.span.start;
  while (i < f.span.end && /[\s-]/.test(text[i] ?? '')) i++;
  return i === f.span.start ? f : { ...f, span: { start: i, end: f.span.end } };
}

function sameEdits(a: readonly TextEdit[], b: readonly TextEdit[]): boolean {
  return a.length === b.length && a.every((e, i) => e.span.start === b[i]?.span.start && e.span.end === b[i]?.span.end && e.newText === b[i]?.newText);
}
