import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { complete, type CompletionItem } from '../../server/src/core/complete';
import { diagnose } from '../../server/src/core/diagnostics';
import { dnsForPod } from '../../server/src/core/dns';
import { applyEdits } from '../../server/src/core/fixes';
import { preview } from '../../server/src/core/snippets';
import { lineAt } from '../../server/src/core/text';
import { fixture } from '../util/paths';
import { analyse, expectFile, fixtures, withCursor } from '../util/fixture';

/**
 * Fixture headers:
 * - `# expect: a, b` labels that must be offered; `# not: c` labels that must not (no expect: nothing offered);
 * - `# snapshot` compares every item (label, detail, insert text, documentation) with `<name>.expected.txt`;
 * - `# apply: label` (or `label | description`) inserts that item as an editor would, checks that the
 *   result parses without errors and compares it with `<name>.expected.yaml`;
 * - `# dns: namespace [key=value]` then checks that pods of that namespace (with that label) reach kube-dns over UDP and TCP.
 */
function header(text: string, key: string): string[] {
  const m = new RegExp(`^# ${key}:(.*)$`, 'm').exec(text);
  return m?.[1] ? m[1].split(',').map((s) => s.trim()).filter(Boolean) : [];
}

function render(items: readonly CompletionItem[]): string {
  const sorted = [...items].sort((a, b) => (a.sortText ?? a.label).localeCompare(b.sortText ?? b.label) || a.label.localeCompare(b.label));
  return sorted
    .map((i) => {
      const head = [i.label, i.kind, i.detail ?? '', i.description ?? ''].join(' | ');
      const doc = (i.documentation ?? '').split('\n').map((l) => `    ${l}`.trimEnd());
      return [head, `  insert${i.snippet ? ' (snippet)' : ''}: ${JSON.stringify(i.insertText)}`, ...doc].join('\n');
    })
    .join('\n\n');
}

/** What an editor does with the item: replace the word, indent continuation lines like the cursor's line, fill placeholders with their defaults. */
function apply(text: string, item: CompletionItem): string {
  const indent = /^\s*/.exec(lineAt(text, item.replace.start).text)?.[0] ?? '';
  const body = item.snippet ? preview(item.insertText) : item.insertText;
  const newText = body.replace(/\n/g, `\n${indent}`).replace(/\n\s+\n/g, '\n\n');
  return applyEdits(text, [{ span: item.replace, newText }]);
}

for (const [name, path] of fixtures(fixture('completion'), '.yaml')) {
  test(`completion: ${name}`, () => {
    const raw = readFileSync(path, 'utf8');
    const { text, offset } = withCursor(raw);
    const { file, inv } = analyse(text, path);
    const items = complete(file, inv, offset);
    const labels = items.map((i) => i.label);
    const expected = header(raw, 'expect');
    for (const e of expected) assert.ok(labels.includes(e), `missing ${e} in [${labels.join(', ')}]`);
    for (const n of header(raw, 'not')) assert.ok(!labels.includes(n), `unexpected ${n} in [${labels.join(', ')}]`);
    if (expected.length === 0) assert.deepEqual(labels, []);
    for (const i of items) {
      assert.ok(i.replace.start <= offset && offset <= i.replace.end, 'the replaced range holds the cursor');
      assert.ok(i.kind === 'field' || i.kind === 'value' || i.documentation, `${i.label} has documentation`);
    }
    if (/^# snapshot$/m.test(raw)) {
      const actual = `${render(items)}\n`;
      assert.equal(actual, expectFile(path.replace(/\.yaml$/, '.expected.txt'), actual), 'differs from .expected.txt (UPDATE_EXPECT=1 to rewrite)');
    }
    const applyLine = /^# apply: (.*)$/m.exec(raw)?.[1]?.trim();
    if (applyLine) {
      const [label, description] = applyLine.split('|').map((s) => s.trim());
      const item = items.find((i) => i.label === label && (description === undefined || i.description === description));
      assert.ok(item, `no item ${applyLine}`);
      const result = apply(text, item);
      assert.equal(result, expectFile(path.replace(/\.yaml$/, '.expected.yaml'), result), 'differs from .expected.yaml (UPDATE_EXPECT=1 to rewrite)');
      const after = analyse(result, path);
      const problems = after.file.documents.flatMap((d) => d.problems);
      assert.deepEqual(problems, [], 'the result is valid YAML');
      const errors = diagnose(after.file, after.inv).filter((f) => f.severity === 'error');
      assert.deepEqual(errors.map((f) => `${f.code} ${f.message}`), [], 'the API server would accept the result');
      const dns = /^# dns: (\S+)(?: (\S+)=(\S+))?$/m.exec(raw);
      if (dns?.[1]) {
        const labels = dns[2] && dns[3] ? new Map([[dns[2], dns[3]]]) : undefined;
        const status = dnsForPod(after.inv, dns[1], labels);
        assert.deepEqual([status.udp, status.tcp], ['selector', 'selector'], 'DNS is allowed');
      }
    }
  });
}
