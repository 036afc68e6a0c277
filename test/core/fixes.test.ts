import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { diagnose } from '../../server/src/core/diagnostics';
import { dnsForPod } from '../../server/src/core/dns';
import { applyEdits, codeActions } from '../../server/src/core/fixes';
import { fixture } from '../util/paths';
import { analyse, expectFile, fixtures } from '../util/fixture';

const dir = fixture('fixes', 'dns');

/** Comments of a YAML text, trimmed: a fix must keep every one of them. */
const comments = (t: string): string[] => t.split(/\r?\n/).flatMap((l) => (/#\s.*$/.exec(l)?.[0] ?? '').trim() || []);

for (const [name, path] of fixtures(dir, '.yaml')) {
  test(`DNS quick fix: ${name}`, () => {
    const before = readFileSync(path, 'utf8');
    const { file, inv } = analyse(before, path);
    const findings = diagnose(file, inv);
    const dns = findings.filter((f) => f.code === 'NP201');
    assert.equal(dns.length, 1, `expected one NP201 in ${name}, got ${JSON.stringify(findings)}`);
    const finding = dns[0];
    assert.ok(finding);
    const fixes = codeActions(file, findings, finding.span);
    const fix = fixes.find((f) => f.title.startsWith('Allow DNS egress'));
    assert.ok(fix, 'the DNS quick fix is offered');
    const after = applyEdits(before, fix.edits);

    const expected = expectFile(path.replace(/\.yaml$/, '.expected.yaml'), after);
    assert.equal(after, expected, 'result differs from the .expected.yaml file (UPDATE_EXPECT=1 to rewrite)');

    // The result is valid YAML, keeps the comments and the line endings, and now allows DNS.
    const re = analyse(after, path);
    assert.deepEqual(re.file.documents.flatMap((d) => d.problems), []);
    assert.deepEqual(comments(after).filter((c) => !comments(before).includes(c)), []);
    assert.deepEqual(comments(before).filter((c) => !comments(after).includes(c)), []);
    if (before.includes('\r\n')) assert.ok(!/[^\r]\n/.test(after), 'CRLF kept');
    const remaining = diagnose(re.file, re.inv);
    assert.deepEqual(remaining.filter((f) => f.code === 'NP201' || f.code === 'NP202'), []);
    const policy = re.inv.policies[0];
    assert.ok(policy);
    const status = dnsForPod(re.inv, policy.namespace, undefined, policy);
    assert.equal(status.udp, 'selector');
    assert.equal(status.tcp, 'selector');
    // Nothing else changed: the old text is the new text minus what was inserted.
    assert.equal(re.file.objects.length, file.objects.length);
  });
}
