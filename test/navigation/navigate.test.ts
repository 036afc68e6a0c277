import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { buildInventory, type Inventory } from '../../server/src/core/inventory';
import type { ParsedFile } from '../../server/src/core/model';
import { definition, documentSymbols, lens, lensAnchors, references, workspaceSymbols, type Navigation, type SymbolNode, type Target } from '../../server/src/core/navigate';
import { parseFile } from '../../server/src/core/parse';
import { LineMap, type Span } from '../../server/src/core/text';
import { CURSOR, expectFile } from '../util/fixture';
import { fixture } from '../util/paths';

/**
 * Navigation fixtures, one folder per request (definition, references, symbols, lens,
 * workspace-symbols). A case is one file, analysed together with `workspace.yaml` (unless it says
 * `# alone`), so answers cross files; `$0` marks the cursor. Headers: `# query: text` (workspace
 * symbols), `# include-declaration` (references). The answer, with file:line:col and the selected
 * text of each location, is compared with `<case>.expected.txt`.
 */
interface Case {
  readonly files: ParsedFile[];
  readonly main: ParsedFile;
  readonly offset: number;
  readonly inv: Inventory;
}

function load(path: string): Case {
  let text = readFileSync(path, 'utf8');
  const at = text.indexOf(CURSOR);
  if (at >= 0) text = text.slice(0, at) + text.slice(at + CURSOR.length);
  const main = parseFile(basename(path), text);
  const files = [main];
  if (!/^# alone$/m.test(text)) files.push(parseFile('workspace.yaml', readFileSync(fixture('navigation', 'workspace.yaml'), 'utf8')));
  return { files, main, offset: Math.max(0, at), inv: buildInventory(files) };
}

function where(files: readonly ParsedFile[], source: string, s: Span): string {
  const f = files.find((x) => x.source === source);
  if (!f) return `${source}:?`;
  const pos = new LineMap(f.text).position(s.start);
  const text = f.text.slice(s.start, s.end).split(/\r?\n/)[0] ?? '';
  return `${source}:${pos.line + 1}:${pos.character + 1} ${JSON.stringify(text)}`;
}

function renderTargets(c: Case, targets: readonly Target[]): string[] {
  return targets.map((t) => {
    const f = c.files.find((x) => x.source === t.source);
    assert.ok(f, `target in an unknown file ${t.source}`);
    assert.ok(t.span.start <= t.selection.start && t.selection.end <= t.span.end, `${t.label}: the selection lies inside the span`);
    return `  ${t.label} → ${where(c.files, t.source, t.selection)}`;
  });
}

function renderNavigation(c: Case, nav: Navigation | undefined): string {
  if (!nav) return 'nothing\n';
  assert.ok(nav.origin.start <= c.offset && c.offset <= nav.origin.end, 'the origin holds the cursor');
  return [`origin ${where(c.files, c.main.source, nav.origin)}`, ...renderTargets(c, nav.targets)].join('\n') + '\n';
}

function renderSymbols(c: Case, symbols: readonly SymbolNode[], depth = 0): string[] {
  return symbols.flatMap((s) => {
    assert.ok(s.span.start <= s.selection.start && s.selection.end <= s.span.end, `${s.name}: the selection lies inside the span`);
    const pad = '  '.repeat(depth);
    return [`${pad}${s.name} [${s.kind}] ${s.detail} @ ${where(c.files, c.main.source, s.selection)}`, ...renderSymbols(c, s.children, depth + 1)];
  });
}

const requests: Record<string, (c: Case) => string> = {
  definition: (c) => renderNavigation(c, definition(c.main, c.inv, c.offset)),
  references: (c) => renderNavigation(c, references(c.main, c.inv, c.offset, /^# include-declaration$/m.test(c.main.text))),
  symbols: (c) => `${renderSymbols(c, documentSymbols(c.main, c.inv.defaultNamespace)).join('\n')}\n`,
  lens: (c) =>
    lensAnchors(c.main)
      .map((a) => {
        const l = lens(c.main, c.inv, a.index);
        assert.ok(l, 'every anchor resolves');
        return [`${where(c.files, c.main.source, a.span)} ${l.title}`, ...renderTargets(c, l.workloads)].join('\n');
      })
      .join('\n') + '\n',
  'workspace-symbols': (c) => {
    const query = /^# query: ?(.*)$/m.exec(c.main.text)?.[1] ?? '';
    return `${workspaceSymbols(c.inv, query)
      .map((s) => `${s.container}/${s.name} → ${where(c.files, s.source, s.selection)}`)
      .join('\n')}\n`;
  },
};

for (const [request, render] of Object.entries(requests)) {
  const dir = fixture('navigation', request);
  if (!existsSync(dir)) continue;
  for (const entry of readdirSync(dir).sort()) {
    if (!entry.endsWith('.yaml')) continue;
    const path = join(dir, entry);
    const name = entry.slice(0, -'.yaml'.length);
    test(`${request}: ${name}`, () => {
      const actual = render(load(path));
      const expected = expectFile(join(dir, `${name}.expected.txt`), actual);
      assert.equal(actual, expected, 'differs from .expected.txt (UPDATE_EXPECT=1 to rewrite)');
    });
  }
}

test('navigation never throws on broken or half-typed documents', () => {
  const texts = [
    '',
    'kind: NetworkPolicy\nspec:\n  podSelector: [\n',
    'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p}\nspec:\n  podSelector: app=web\n  ingress:\n    - from:\n        - podSelector:\n            matchLabels: 7\n      ports:\n        - port: {a: 1}\n',
    'kind: Deployment\nmetadata: {name: [x]}\nspec: {template: {metadata: {labels: {? [a]: b}}}}\n',
    'kind: List\nitems:\n  - kind: Namespace\n    metadata: {name: x, labels: null}\n  - null\n',
  ];
  for (const text of texts) {
    const file = parseFile('broken.yaml', text);
    const inv = buildInventory([file]);
    for (let i = 0; i <= text.length; i++) {
      definition(file, inv, i);
      references(file, inv, i, true);
    }
    documentSymbols(file, 'default');
    workspaceSymbols(inv, 'x');
    for (const a of lensAnchors(file)) lens(file, inv, a.index);
  }
});
