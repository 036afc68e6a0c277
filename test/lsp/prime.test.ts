import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Workspace } from '../../server/src/lsp/workspace';
import { ROOT } from '../util/paths';

const shop = readFileSync(join(ROOT, 'examples', 'online-shop', 'policies.yaml'), 'utf8');
const uri = 'file:///w/shop.yaml';
const other = 'file:///w/other.yaml';
const otherText = shop.split('---').slice(0, 2).join('---');

/** Findings as data, to compare workspaces. */
function findings(ws: Workspace, u: string): string[] {
  return ws.findings(u).map((f) => `${f.code} ${f.span.start}-${f.span.end} ${f.message}`);
}

test('indexed files are parsed ahead of need in slices; an opened file takes their documents, a closed one gives them back', () => {
  const ws = new Workspace();
  ws.setDisk(uri, shop);
  ws.setDisk(other, otherText);
  let slices = 0;
  while (ws.prime(() => true)) slices++;
  assert.ok(slices >= shop.split('\n---').length, `${slices} slices: one document each`);
  const primed = ws.current(uri)?.file.documents ?? [];
  assert.ok(primed.length > 3);

  // Opening the same text reuses every document; the disk copy is dropped, not kept beside it.
  ws.update(uri, shop, 1);
  const opened = ws.current(uri)?.file;
  assert.deepEqual(
    opened?.documents.map((d, i) => d === primed[i]),
    primed.map(() => true),
  );
  assert.equal(ws.files().length, 2, 'the open file and the other disk file, each once');
  const fresh = new Workspace();
  fresh.setDisk(other, otherText);
  fresh.update(uri, shop, 1);
  assert.deepEqual(findings(ws, uri), findings(fresh, uri));

  // Closing: the caller reads the file again; its disk copy reuses the open file's documents.
  assert.equal(ws.remove(uri), true);
  ws.setDisk(uri, shop);
  assert.equal(ws.prime(() => false), false, 'all parsed in one slice');
  assert.deepEqual(
    ws.current(uri)?.file.documents.map((d, i) => d === primed[i]),
    primed.map(() => true),
  );
  // An open file that is not indexed is not read again on close.
  ws.update('file:///elsewhere.yaml', otherText, 1);
  assert.equal(ws.remove('file:///elsewhere.yaml'), false);
});

test('an open arriving in the middle of the background parse finishes it, with the same result', () => {
  const ws = new Workspace();
  ws.setDisk(uri, shop);
  let n = 0;
  assert.equal(
    ws.prime(() => ++n >= 2),
    true,
  );
  const edited = shop.replace('namespace: shop', 'namespace: store');
  ws.update(uri, edited, 1);
  assert.equal(ws.prime(() => false), false, 'nothing left: the open file took over');
  const fresh = new Workspace();
  fresh.update(uri, edited, 1);
  assert.deepEqual(findings(ws, uri), findings(fresh, uri));
  assert.deepEqual(JSON.parse(JSON.stringify(ws.current(uri)?.file)), JSON.parse(JSON.stringify(fresh.current(uri)?.file)));
});

test('the same text at the same version again (an open reports its content twice) keeps the analysis', () => {
  const ws = new Workspace();
  ws.update(uri, shop, 1);
  const file = ws.current(uri)?.file;
  const found = ws.findings(uri);
  ws.update(uri, shop, 1);
  assert.equal(ws.current(uri)?.file, file, 'not parsed again');
  assert.equal(ws.findings(uri), found, 'not analysed again');
  // A new version, or other text at the same version, is read.
  ws.update(uri, shop, 2);
  assert.notEqual(ws.current(uri)?.file, file);
  const edited = shop.replace('namespace: shop', 'namespace: store');
  ws.update(uri, edited, 2);
  assert.equal(ws.current(uri)?.file.text, edited);
});

test('indexing again keeps the parse of the files it finds again and drops the others', () => {
  const ws = new Workspace();
  ws.setDisk(uri, shop);
  ws.setDisk(other, otherText);
  while (ws.prime(() => false));
  const before = ws.current(uri)?.file;
  assert.ok(before && ws.current(other));
  // The second walk (a setting changed what is excluded) finds shop.yaml alone, with the same text.
  ws.setDisk(uri, shop);
  ws.keepDisk(new Set([uri]));
  assert.equal(ws.current(uri)?.file, before, 'the file found again is not parsed again');
  assert.equal(ws.current(other), undefined, 'the file not found again left the index');
  assert.deepEqual(ws.files(), [before]);
  const fresh = new Workspace();
  fresh.setDisk(uri, shop);
  assert.deepEqual(findings(ws, uri), findings(fresh, uri), 'and the analysis follows');
  // An open indexed file that the walk no longer finds is not read again when it closes.
  ws.setDisk(other, otherText);
  ws.update(other, otherText, 1);
  ws.keepDisk(new Set([uri]));
  assert.equal(ws.remove(other), false);
});
