/**
 * The same promise at run time: the built server and CLI run with a preload that records every
 * call that would start a process, open or accept a connection, resolve a name or start a worker.
 * A full session (workspace index, edits, every request) and each CLI command leave the record empty.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { TestClient } from '../lsp/client';
import { ROOT } from '../util/paths';

const PRELOAD = `'use strict';
const fs = require('fs');
const log = process.env.NETPOL_TRAP_LOG;
const note = (what) => fs.appendFileSync(log, what + '\\n');
// Which scripts ran with the trap: a run without it proves nothing.
fs.appendFileSync(log + '.ran', String(process.argv[1]) + '\\n');
function trap(name, fns) {
  const m = require(name);
  for (const f of fns) {
    const original = m[f];
    if (typeof original !== 'function') continue;
    m[f] = function (...args) {
      note(name + '.' + f);
      return original.apply(this, args);
    };
  }
}
trap('child_process', ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork']);
trap('net', ['connect', 'createConnection', 'createServer']);
trap('tls', ['connect', 'createServer']);
trap('http', ['request', 'get', 'createServer']);
trap('https', ['request', 'get', 'createServer']);
trap('http2', ['connect', 'createServer', 'createSecureServer']);
trap('dgram', ['createSocket']);
trap('dns', ['lookup', 'resolve', 'resolve4', 'resolve6', 'resolveAny']);
const wt = require('worker_threads');
const Worker = wt.Worker;
wt.Worker = class extends Worker {
  constructor(...args) {
    note('worker_threads.Worker');
    super(...args);
  }
};
if (typeof globalThis.fetch === 'function') {
  const fetch = globalThis.fetch;
  globalThis.fetch = (...args) => {
    note('fetch');
    return fetch(...args);
  };
}
`;

function setup(): { dir: string; preload: string; log: string; env: Record<string, string> } {
  const dir = mkdtempSync(join(tmpdir(), 'netpol-trap-'));
  const preload = join(dir, 'trap.js');
  const log = join(dir, 'trap.log');
  writeFileSync(preload, PRELOAD);
  return { dir, preload, log, env: { NETPOL_TRAP_LOG: log, NODE_OPTIONS: `--require ${preload}` } };
}

function recorded(log: string): string[] {
  return existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter((l) => l !== '') : [];
}

/** The scripts that ran under the trap. */
function ran(log: string): string[] {
  return recorded(`${log}.ran`);
}

test('security: the trap records what it should (a control run)', () => {
  const t = setup();
  try {
    const r = spawnSync(process.execPath, ['--require', t.preload, '-e', "require('child_process').execFileSync(process.execPath, ['-e', '0']); require('net').createServer()"], {
      env: { ...process.env, NETPOL_TRAP_LOG: t.log },
    });
    assert.equal(r.status, 0, String(r.stderr));
    assert.deepEqual(recorded(t.log), ['child_process.execFileSync', 'net.createServer']);
  } finally {
    rmSync(t.dir, { recursive: true, force: true });
  }
});

test('security: netpol check, reach and connectivity start no process and open no connection', () => {
  const t = setup();
  try {
    const cli = join(ROOT, 'dist', 'cli.js');
    const examples = join(ROOT, 'examples');
    for (const args of [
      ['check', examples],
      ['check', examples, '--format', 'json'],
      ['reach', examples, '--from', 'web/frontend', '--to', 'web/backend-api', '--port', '8080'],
      ['connectivity', examples, '--format', 'dot'],
      ['check', join(ROOT, 'test', 'fixtures', 'bad')],
    ]) {
      const r = spawnSync(process.execPath, ['--require', t.preload, cli, ...args], { env: { ...process.env, NETPOL_TRAP_LOG: t.log }, encoding: 'utf8', timeout: 60_000 });
      assert.ok(r.status === 0 || r.status === 1, `netpol ${args.join(' ')}: exit ${String(r.status)} ${r.stderr}`);
    }
    assert.deepEqual(recorded(t.log), []);
    assert.equal(ran(t.log).filter((p) => p.endsWith('cli.js')).length, 5, 'every run was trapped');
  } finally {
    rmSync(t.dir, { recursive: true, force: true });
  }
});

test('security: a server session starts no process and opens no connection', async () => {
  const t = setup();
  const ws = join(t.dir, 'ws');
  cpSync(join(ROOT, 'examples'), ws, { recursive: true });
  const c = new TestClient(t.env);
  try {
    await c.initialize(pathToFileURL(ws).toString());
    const uri = pathToFileURL(join(ws, 'frontend-backend', 'broken.yaml')).toString();
    const text = readFileSync(join(ws, 'frontend-backend', 'broken.yaml'), 'utf8');
    await c.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text } });
    const d = await c.diagnosticsFor(uri, 1);
    const position = { line: 10, character: 6 };
    const td = { textDocument: { uri } };
    await c.conn.sendRequest('textDocument/hover', { ...td, position });
    await c.conn.sendRequest('textDocument/completion', { ...td, position });
    await c.conn.sendRequest('textDocument/definition', { ...td, position });
    await c.conn.sendRequest('textDocument/references', { ...td, position, context: { includeDeclaration: true } });
    await c.conn.sendRequest('textDocument/documentSymbol', td);
    await c.conn.sendRequest('textDocument/codeLens', td);
    await c.conn.sendRequest('workspace/symbol', { query: '' });
    await c.conn.sendRequest('textDocument/codeAction', { ...td, range: { start: { line: 0, character: 0 }, end: { line: 200, character: 0 } }, context: { diagnostics: d.diagnostics } });
    await c.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: `${text}\n# edited\n` }] });
    await c.diagnosticsFor(uri, 2);
    await c.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(join(ws, 'online-shop', 'policies.yaml')).toString(), type: 2 }] });
    await c.conn.sendNotification('textDocument/didClose', td);
  } finally {
    await c.stop();
  }
  try {
    assert.deepEqual(recorded(t.log), [], `stderr: ${c.stderr.join('')}`);
    assert.ok(ran(t.log).some((p) => p.endsWith('server.js')), 'the server ran under the trap');
  } finally {
    rmSync(t.dir, { recursive: true, force: true });
  }
});
