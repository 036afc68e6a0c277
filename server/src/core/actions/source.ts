/**
 * Source actions: whole policies for the namespace of the document at the cursor, appended to the
 * file as a new `---` document in the file's style.
 */
import { dnsForPod } from '../dns';
import { blockMap, styleOf, type Value } from '../emit';
import { compilePolicy } from '../engine/policy';
import type { Inventory } from '../inventory';
import { namespaceOf, type K8sObject } from '../model';
import { isEmptySelector } from '../selector';
import { contains } from '../text';
import { DNS_RULE } from './dns';
import { at, documentAt, type TextEdit } from './edit';
import type { Fix, FixInput } from './fix';
import { isJsonDocument } from '../emit';

export const DEFAULT_DENY_KIND = 'source.netpol.defaultDeny';
export const ALLOW_DNS_KIND = 'source.netpol.allowDns';

/** The namespace a document speaks for: a policy's, a Namespace's own name, or an explicit metadata.namespace. */
function namespaceFor(o: K8sObject, inv: Inventory): string | undefined {
  if (o.kind === 'NetworkPolicy') return namespaceOf(o, inv.defaultNamespace);
  if (o.kind === 'Namespace') return o.name || undefined;
  return o.namespace;
}

/** A policy name not yet used in the namespace: `base`, `base-2`, … */
function freeName(inv: Inventory, namespace: string, base: string): string {
  const used = new Set(inv.policies.filter((p) => p.namespace === namespace).map((p) => p.policy.name));
  if (!used.has(base)) return base;
  for (let i = 2; ; i++) if (!used.has(`${base}-${i}`)) return `${base}-${i}`;
}

/** Some policy of the namespace selects every pod and denies both directions outright. */
function hasDefaultDeny(inv: Inventory, namespace: string): boolean {
  return inv.policies.some((pi) => {
    if (pi.namespace !== namespace) return false;
    const sel = pi.policy.podSelector;
    if (sel && !isEmptySelector(sel)) return false;
    const c = compilePolicy(pi);
    return c.ingress && c.egress && c.ingressRules.length === 0 && c.egressRules.length === 0;
  });
}

function policyDocument(name: string, namespace: string, spec: { readonly [key: string]: Value }): { readonly [key: string]: Value } {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace }, spec };
}

/** Source actions for the document at `offset`. */
export function sourceActions(input: FixInput, offset: number): Fix[] {
  const { file, inv } = input;
  const d = documentAt(file, offset);
  if (!d?.parsed || d.skipped || isJsonDocument(file, d)) return [];
  const objects = file.objects.filter((o) => o.docIndex === d.index);
  const o = objects.find((x) => contains(x.span, offset)) ?? objects[0];
  const namespace = o ? namespaceFor(o, inv) : undefined;
  if (!o || !namespace) return [];
  const style = styleOf(file, d.index);
  const append = (doc: { readonly [key: string]: Value }): TextEdit[] => {
    const text = file.text;
    const lead = text.length > 0 && !text.endsWith('\n') && !text.endsWith('\r') ? style.eol : '';
    return [{ span: at(text.length), newText: `${lead}---${style.eol}${blockMap(doc, 0, style)}${style.eol}` }];
  };
  const out: Fix[] = [];
  if (!hasDefaultDeny(inv, namespace)) {
    const doc = policyDocument(freeName(inv, namespace, 'default-deny'), namespace, { podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    out.push({ title: `Add a default-deny policy for namespace ${namespace} (ingress and egress)`, kind: DEFAULT_DENY_KIND, edits: append(doc), fixes: [], preferred: false });
  }
  const dns = dnsForPod(inv, namespace, undefined);
  if (dns.udp !== 'selector' || dns.tcp !== 'selector') {
    const doc = policyDocument(freeName(inv, namespace, 'allow-dns'), namespace, { podSelector: {}, policyTypes: ['Egress'], egress: [DNS_RULE] });
    out.push({ title: `Add an allow-dns policy for namespace ${namespace} (every pod may query kube-dns)`, kind: ALLOW_DNS_KIND, edits: append(doc), fixes: [], preferred: false });
  }
  return out;
}
