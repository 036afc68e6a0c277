import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Document } from '../../server/src/lsp/document';
import { rng } from '../util/random';

// The reference is the library the server used before: positions must not move by a character.
test('Document answers as vscode-languageserver-textdocument through random range and full edits', () => {
  const random = rng(11);
  const rand = (n: number): number => Math.floor(random() * n);
  const pieces = ['a', 'bc', ' ', '\n', '\n', '\r\n', '\r', 'é', '😀', 'key: value\n'];
  const some = (n: number): string => {
    let t = '';
    for (let i = rand(n); i > 0; i--) t += pieces[rand(pieces.length)];
    return t;
  };
  let checked = 0;
  for (let k = 0; k < 120; k++) {
    // Half the documents without CR: those take the shifted line index, the others a fresh scan.
    const lf = k % 2 === 0;
    const clean = (t: string): string => (lf ? t.replace(/\r/g, '') : t);
    const text = clean(some(30));
    let ref = TextDocument.create('file:///a.yaml', 'yaml', 1, text);
    const doc = new Document('file:///a.yaml', 'yaml', 1, text);
    assert.equal(doc.lineCount, ref.lineCount); // builds the index, so that the edits below shift it
    for (let v = 2; v < 14; v++) {
      const pos = (): { line: number; character: number } => ({ line: rand(doc.lineCount + 2) - 1, character: rand(12) - 1 });
      const changes = Array.from({ length: 1 + rand(3) }, () => (rand(8) === 0 ? { text: clean(some(20)) } : { range: { start: pos(), end: pos() }, text: clean(some(4)) }));
      // One change at a time, each on a fresh library document: its own range edits can split a
      // CRLF that an edit completes into two lines (a fresh document does not), and later ranges
      // would then land elsewhere.
      for (const c of changes) ref = TextDocument.update(TextDocument.create('file:///a.yaml', 'yaml', v, ref.getText()), [c], v);
      doc.update(changes, v);
      const t = ref.getText();
      assert.equal(doc.getText(), t);
      const fresh = TextDocument.create('file:///a.yaml', 'yaml', v, t);
      assert.equal(doc.version, v);
      assert.equal(doc.lineCount, fresh.lineCount, JSON.stringify(t));
      for (let o = -1; o <= t.length + 1; o++) assert.deepEqual(doc.positionAt(o), fresh.positionAt(o), `${JSON.stringify(t)} @${o}`);
      for (let line = -1; line <= fresh.lineCount; line++) {
        for (let character = -1; character < 14; character++) {
          assert.equal(doc.offsetAt({ line, character }), fresh.offsetAt({ line, character }), `${JSON.stringify(t)} ${line}:${character}`);
        }
      }
      const r = { start: pos(), end: pos() };
      assert.equal(doc.getText(r), fresh.getText(r));
      checked++;
    }
  }
  assert.equal(checked, 120 * 12);
});
