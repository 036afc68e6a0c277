import type { Connectivity } from './connectivity';
import { formatConnections } from './ports';

export const REPORT_FORMATS = ['txt', 'json', 'csv', 'md', 'dot'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** The connectivity report in netpol-analyzer's `list` formats (dot: one node per peer, one edge per connection). */
export function formatReport(c: Connectivity, format: ReportFormat): string {
  const rows = c.connections.map((x) => ({ src: x.src.name, dst: x.dst.name, conn: formatConnections(x.conns) }));
  switch (format) {
    case 'txt':
      return rows.map((r) => `${r.src} => ${r.dst} : ${r.conn}\n`).join('');
    case 'json':
      return `${JSON.stringify(rows, null, 2)}\n`;
    case 'csv':
      return ['src,dst,conn', ...rows.map((r) => [r.src, r.dst, r.conn].map(csvField).join(','))].join('\n') + '\n';
    case 'md':
      return ['| src | dst | conn |', '|-----|-----|------|', ...rows.map((r) => `| ${r.src} | ${r.dst} | ${r.conn} |`)].join('\n') + '\n';
    case 'dot':
      return dot(c, rows);
  }
}

function csvField(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function dot(c: Connectivity, rows: readonly { src: string; dst: string; conn: string }[]): string {
  const q = (s: string): string => JSON.stringify(s);
  const nodes = new Map<string, boolean>();
  for (const w of c.workloads) nodes.set(w.name, false);
  for (const x of c.connections) {
    if (x.src.kind === 'external') nodes.set(x.src.name, true);
    if (x.dst.kind === 'external') nodes.set(x.dst.name, true);
  }
  const lines = ['digraph {'];
  for (const [name, external] of [...nodes].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) {
    const label = external ? name.replace(/\[External\]$/, '') : name;
    const color = external ? 'red2' : 'blue';
    lines.push(`\t${q(name)} [label=${q(label)} color=${q(color)} fontcolor=${q(color)}]`);
  }
  for (const r of rows) lines.push(`\t${q(r.src)} -> ${q(r.dst)} [label=${q(r.conn)} color="gold2" fontcolor="darkgreen"]`);
  lines.push('}');
  return lines.join('\n') + '\n';
}
