/**
 * Snippets (LSP/TextMate snippet syntax) for whole NetworkPolicy documents and for single
 * ingress/egress rules. Bodies are written with two-space indentation at column 0; `layout` moves
 * them to the column they go into. Placeholders offer what the workspace
 * holds (its namespaces, its pod labels) as choices.
 */
import type { Direction } from './model';

export interface Snippet {
  readonly label: string;
  /** One line, shown next to the label. */
  readonly detail: string;
  /** Markdown: what the snippet is for; completion adds a preview of the text. */
  readonly doc: string;
  /** Snippet syntax, two-space indentation, no trailing newline. */
  readonly body: string;
}

/** What the workspace offers for placeholders; empty lists give plain placeholders. */
export interface SnippetData {
  /** Namespaces, the most likely first. */
  readonly namespaces: readonly string[];
  /** The pod label key most workloads carry (`app` when there are none) and its values. */
  readonly podLabelKey: string;
  /** Values on the pods a policy would select (its namespace's), the most common first. */
  readonly podLabelValues: readonly string[];
  /** Values on pods of other namespaces, for peers that name another namespace. */
  readonly peerLabelValues: readonly string[];
}

const MAX_CHOICES = 30;

/** `${n|a,b|}` when there are choices, `${n:fallback}` otherwise. */
function choice(n: number, values: readonly string[], fallback: string): string {
  const vs = [...new Set(values)].slice(0, MAX_CHOICES);
  if (vs.length === 0) return `\${${n}:${escapePlaceholder(fallback)}}`;
  if (vs.length === 1) return `\${${n}:${escapePlaceholder(vs[0] ?? fallback)}}`;
  return `\${${n}|${vs.map(escapeChoice).join(',')}|}`;
}

function escapeChoice(s: string): string {
  return s.replace(/[\\,|$}]/g, (c) => `\\${c}`);
}

function escapePlaceholder(s: string): string {
  return s.replace(/[\\$}]/g, (c) => `\\${c}`);
}

/** A label key as a YAML plain key (keys here are label keys: letters, digits, `-._/`). */
function yamlKey(k: string): string {
  return /^[A-Za-z0-9][A-Za-z0-9_./-]*$/.test(k) ? k : JSON.stringify(k);
}

function header(name: string, nsTab: number, d: SnippetData): string {
  return ['apiVersion: networking.k8s.io/v1', 'kind: NetworkPolicy', 'metadata:', `  name: \${1:${name}}`, `  namespace: ${choice(nsTab, d.namespaces, 'default')}`].join('\n');
}

const DNS_PEER = [
  '- namespaceSelector:',
  '    matchLabels:',
  '      kubernetes.io/metadata.name: kube-system',
  '  podSelector:',
  '    matchLabels:',
  '      k8s-app: kube-dns',
];
const DNS_PORTS = ['ports:', '  - protocol: UDP', '    port: 53', '  - protocol: TCP', '    port: 53'];

const indent = (lines: readonly string[], n: number): string[] => lines.map((l) => ' '.repeat(n) + l);

const AND_NOTE = 'namespaceSelector and podSelector in **one** item: pods with these labels **in** those namespaces (AND). As two items (`- namespaceSelector` and `- podSelector`) they would be alternatives (OR).';

/** Whole documents, offered at the top of an empty document (a new file, or after `---`). */
export function documentSnippets(d: SnippetData): Snippet[] {
  const key = yamlKey(d.podLabelKey);
  const deny = (label: string, types: string[], name: string, what: string): Snippet => ({
    label,
    detail: `NetworkPolicy: ${what}`,
    doc: `Selects every pod of the namespace (\`podSelector: {}\`) and allows no ${types.map((t) => t.toLowerCase()).join(' and no ')}: the baseline that allow policies then open up.${types.includes('Egress') ? ' Add **allow DNS** too, or the pods cannot resolve names.' : ''}`,
    body: [header(name, 2, d), 'spec:', '  podSelector: {}', '  policyTypes:', ...types.map((t) => `    - ${t}`)].join('\n') + '$0',
  });
  // The ingress policies start alike: the selected pods, then one `from` list.
  const ingressFrom = ['spec:', '  podSelector:', '    matchLabels:', `      ${key}: ${choice(3, d.podLabelValues, 'web')}`, '  policyTypes:', '    - Ingress', '  ingress:', '    - from:'];
  // The policy that allows one namespace; the AND form adds a podSelector to the same peer.
  const fromNamespace = [
    ...ingressFrom,
    '        - namespaceSelector:',
    '            matchLabels:',
    `              kubernetes.io/metadata.name: ${choice(4, d.namespaces, 'other')}`,
  ];
  return [
    {
      label: 'NetworkPolicy',
      detail: 'NetworkPolicy: a new policy',
      doc: 'A policy that selects pods by label and allows them ingress from pods of their namespace.',
      body: [
        header('name', 2, d),
        ...ingressFrom,
        '        - podSelector:',
        '            matchLabels:',
        `              ${key}: ${choice(4, [...d.podLabelValues.slice(1), ...d.podLabelValues.slice(0, 1)], 'client')}`,
      ].join('\n') + '$0',
    },
    deny('NetworkPolicy: default deny ingress', ['Ingress'], 'default-deny-ingress', 'default deny ingress'),
    deny('NetworkPolicy: default deny egress', ['Egress'], 'default-deny-egress', 'default deny egress'),
    deny('NetworkPolicy: default deny ingress and egress', ['Ingress', 'Egress'], 'default-deny', 'default deny ingress and egress'),
    {
      label: 'NetworkPolicy: allow DNS',
      detail: 'NetworkPolicy: egress to kube-system/kube-dns, UDP and TCP 53',
      doc: `Every pod of the namespace may resolve names through the cluster DNS (CoreDNS pods labelled \`k8s-app: kube-dns\` in \`kube-system\`), over UDP and TCP (large answers use TCP). ${AND_NOTE}`,
      body: [header('allow-dns', 2, d), 'spec:', '  podSelector: {}', '  policyTypes:', '    - Egress', '  egress:', ...indent(['- to:', ...indent(DNS_PEER, 4), ...indent(DNS_PORTS, 2)], 4)].join('\n') + '$0',
    },
    {
      label: 'NetworkPolicy: allow from a namespace',
      detail: 'NetworkPolicy: ingress from every pod of another namespace',
      doc: 'The selected pods accept traffic from every pod of one namespace, named by its automatic `kubernetes.io/metadata.name` label.',
      body: [header('allow-from-namespace', 2, d), ...fromNamespace].join('\n') + '$0',
    },
    {
      label: 'NetworkPolicy: allow from pods of a namespace',
      detail: 'NetworkPolicy: ingress from some pods of another namespace (AND)',
      doc: `The selected pods accept traffic from the pods with a label in one namespace. ${AND_NOTE}`,
      body: [
        header('allow-from-pods', 2, d),
        ...fromNamespace,
        // The same item of `from` gains a podSelector: namespace AND pods.
        '          podSelector:',
        '            matchLabels:',
        `              ${key}: ${choice(5, d.peerLabelValues, 'client')}`,
      ].join('\n') + '$0',
    },
  ];
}

/** Single rules, offered inside an `ingress:`/`egress:` list. Bodies start at the item's first key (`from:`/`to:`). */
export function ruleSnippets(direction: Direction, d: SnippetData): Snippet[] {
  const key = yamlKey(d.podLabelKey);
  const peers = direction === 'ingress' ? 'from' : 'to';
  const ports = (tab: number): string[] => ['ports:', `  - protocol: \${${tab}|TCP,UDP,SCTP|}`, `    port: \${${tab + 1}:8080}`];
  const out: Snippet[] = [];
  if (direction === 'egress') {
    out.push({
      label: 'rule: allow DNS',
      detail: 'egress rule: kube-system/kube-dns, UDP and TCP 53',
      doc: `Lets the selected pods resolve names through the cluster DNS (CoreDNS pods labelled \`k8s-app: kube-dns\` in \`kube-system\`), over UDP and TCP. ${AND_NOTE}`,
      body: [`${peers}:`, ...indent(DNS_PEER, 2), ...DNS_PORTS].join('\n'),
    });
  }
  out.push(
    {
      label: `rule: ${peers} pods of this namespace`,
      detail: `${direction} rule: pods by label in the policy's namespace`,
      doc: "A podSelector alone selects pods of the policy's own namespace only.",
      body: [`${peers}:`, '  - podSelector:', '      matchLabels:', `        ${key}: ${choice(1, d.podLabelValues, 'web')}`, ...ports(2)].join('\n'),
    },
    {
      label: `rule: ${peers} a namespace`,
      detail: `${direction} rule: every pod of a namespace`,
      doc: 'Every pod of one namespace, named by its automatic `kubernetes.io/metadata.name` label.',
      body: [`${peers}:`, '  - namespaceSelector:', '      matchLabels:', `        kubernetes.io/metadata.name: ${choice(1, d.namespaces, 'other')}`].join('\n'),
    },
    {
      label: `rule: ${peers} pods of a namespace`,
      detail: `${direction} rule: pods by label in another namespace (AND)`,
      doc: AND_NOTE,
      body: [
        `${peers}:`,
        '  - namespaceSelector:',
        '      matchLabels:',
        `        kubernetes.io/metadata.name: ${choice(1, d.namespaces, 'other')}`,
        '    podSelector:',
        '      matchLabels:',
        `        ${key}: ${choice(2, d.peerLabelValues, 'web')}`,
        ...ports(3),
      ].join('\n'),
    },
    {
      label: `rule: ${peers} an IP range`,
      detail: `${direction} rule: addresses outside the cluster (ipBlock)`,
      doc: 'An ipBlock is meant for addresses outside the cluster; whether it also matches pod IPs depends on the network plugin.',
      body: [`${peers}:`, '  - ipBlock:', '      cidr: ${1:10.0.0.0/8}', ...ports(2)].join('\n'),
    },
  );
  return out.map((s) => ({ ...s, body: `${s.body}$0` }));
}

/**
 * Move a body to where it is inserted: lines after the first get `prefix` spaces, the columns
 * between the line's own indentation and the insertion point, since editors indent continuation
 * lines like the cursor's line (LSP `insertTextMode: adjustIndentation`). Two-space nesting is
 * valid YAML whatever unit the rest of the file uses.
 */
export function layout(body: string, prefix: number, eol: string): string {
  const pad = ' '.repeat(prefix);
  return body
    .split('\n')
    .map((l, i) => (i === 0 || l.trim() === '' ? l : pad + l))
    .join(eol);
}

/** The text a snippet inserts when every placeholder keeps its default: for documentation. */
export function preview(body: string): string {
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === '\\' && i + 1 < body.length) {
      out += body[++i];
      continue;
    }
    if (c !== '$') {
      out += c;
      continue;
    }
    const simple = /^\$(\d+)/.exec(body.slice(i));
    if (simple) {
      i += simple[0].length - 1;
      continue;
    }
    const placeholder = /^\$\{\d+:((?:\\.|[^}\\])*)\}/.exec(body.slice(i));
    if (placeholder) {
      out += (placeholder[1] ?? '').replace(/\\(.)/g, '$1');
      i += placeholder[0].length - 1;
      continue;
    }
    const choices = /^\$\{\d+\|((?:\\.|[^|\\])*)\|\}/.exec(body.slice(i));
    if (choices) {
      const first = /^((?:\\.|[^,\\])*)/.exec(choices[1] ?? '')?.[1] ?? '';
      out += first.replace(/\\(.)/g, '$1');
      i += choices[0].length - 1;
      continue;
    }
    out += c;
  }
  return out.replace(/\n+$/, '');
}
