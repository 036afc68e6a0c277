/**
 * No network, no process spawning, no code execution in what ships: the server and CLI bundles
 * (dist/server.js, dist/cli.js, as `npm run build` made them) are scanned for the Node modules and
 * constructs that could do any of it. The one exception is stated exactly, with the module that
 * needs it, so a new dependency that pulls in `http` or `child_process` fails here.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../util/paths';

/** Modules that reach the network, start processes or threads, or run code. */
const FORBIDDEN = ['net', 'http', 'https', 'http2', 'tls', 'dgram', 'dns', 'child_process', 'worker_threads', 'cluster', 'inspector', 'vm', 'repl', 'module', 'wasi', 'trace_events'];

/**
 * Allowed, per bundle: module → the bundled file (esbuild's `// path` section) that may require it.
 * `net` in vscode-jsonrpc's node transport: the `--socket=N` and `--pipe` transports of the
 * server connect to the editor on this machine through it (stdio and --node-ipc do not use it).
 * child_process is not here: scripts/build.mjs replaces it in the server bundle with a stand-in
 * that refuses, since vscode-languageserver's unused Files.resolve helpers require it.
 */
const ALLOWED: Record<string, Record<string, string>> = {
  'server.js': { net: 'node_modules/vscode-jsonrpc/lib/node/main.js' },
  'cli.js': {},
};

interface Use {
  readonly module: string;
  /** The esbuild section (source file) it appears in; empty in a minified bundle. */
  readonly section: string;
  readonly line: number;
}

/** esbuild's `// path` line that starts a source file's code, as a path from node_modules/ or the root. */
function sectionOf(line: string): string | undefined {
  const m = /^\/\/ (\S+\.[cm]?[jt]s|netpol-refused:\S+)$/.exec(line);
  return m?.[1]?.replace(/^(?:\.\.\/)*(?:.*\/)?(node_modules\/)/, '$1');
}

/** Every require("x") / require("node:x") / import("x") of a built-in module, with where it is. */
function builtinUses(code: string): Use[] {
  const out: Use[] = [];
  let section = '';
  const lines = code.split('\n');
  lines.forEach((text, i) => {
    const header = sectionOf(text);
    if (header) section = header;
    for (const m of text.matchAll(/\b(?:require|import)\(\s*["'](?:node:)?([a-z_/0-9]+)["']\s*\)/g)) {
      out.push({ module: (m[1] ?? '').split('/')[0] ?? '', section, line: i + 1 });
    }
  });
  return out;
}

/** The bundle cut into esbuild's sections (one per source file); one unnamed section when minified. */
function builtinSections(code: string): { section: string; text: string }[] {
  const out: { section: string; text: string }[] = [{ section: '', text: '' }];
  for (const line of code.split('\n')) {
    const header = sectionOf(line);
    if (header) out.push({ section: header, text: '' });
    const last = out[out.length - 1];
    if (last) last.text += `${line}\n`;
  }
  return out;
}

function bundle(name: string): string {
  const path = join(ROOT, 'dist', name);
  assert.ok(existsSync(path), `${path} is missing: npm run build first`);
  return readFileSync(path, 'utf8');
}

for (const name of Object.keys(ALLOWED)) {
  test(`security: ${name} uses no network, process or code-execution module beyond the stated exceptions`, () => {
    const code = bundle(name);
    const allowed = ALLOWED[name] ?? {};
    const uses = builtinUses(code).filter((u) => FORBIDDEN.includes(u.module));
    const minified = !code.split('\n').some((l) => sectionOf(l) !== undefined);
    for (const u of uses) {
      const where = allowed[u.module];
      assert.ok(where !== undefined, `${name}:${u.line} requires "${u.module}" (in ${u.section || 'a minified bundle'})`);
      if (!minified) assert.equal(u.section, where, `${name}:${u.line} requires "${u.module}" from ${u.section}, allowed only in ${where}`);
    }
    // Each exception is used once, where stated: no second copy sneaks in under its name.
    for (const m of Object.keys(allowed)) assert.ok(uses.filter((u) => u.module === m).length <= 1, `${name}: "${m}" required more than once`);
    // Code from strings and native bindings: not in netpol, not in what it bundles.
    assert.doesNotMatch(code, /[^\w.$]eval\(|new Function\(|process\.binding\(|process\.dlopen\(/, `${name}: eval, new Function or a native binding`);
    // A require of anything but a string literal could load what the workspace names. The one
    // there is text: the script vscode-languageserver's resolver would run in a child process,
    // which the stand-in never starts.
    const dynamic = builtinSections(code)
      .flatMap(({ section, text }) => [...text.matchAll(/[^\w.$]require(?:\.resolve)?\(\s*(?!["'])([^)]{0,40})/g)].map((m) => `${section}: ${m[1] ?? ''}`))
      .filter((d) => !(name === 'server.js' && /^(node_modules\/vscode-languageserver\/lib\/node\/files\.js)?: m\.a$/.test(d)));
    assert.deepEqual(dynamic, [], `${name}: require() of a computed name`);
  });
}

test('security: the server bundle cannot start a process (child_process is the refusing stand-in)', () => {
  const code = bundle('server.js');
  assert.ok(!builtinUses(code).some((u) => u.module === 'child_process'), 'no require("child_process")');
  if (code.split('\n').some((l) => sectionOf(l) !== undefined)) assert.match(code, /^\/\/ netpol-refused:child_process$/m, 'the stand-in is bundled where vscode-languageserver asks for child_process');
  assert.match(code, /netpol does not start processes/);
});

test('security: netpol itself imports no network, process or code-execution module', () => {
  const sources: string[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir)) {
      const p = join(dir, e);
      if (statSync(p).isDirectory()) walk(p);
      else if (p.endsWith('.ts')) sources.push(p);
    }
  };
  walk(join(ROOT, 'server', 'src'));
  assert.ok(sources.length > 20);
  for (const p of sources) {
    const text = readFileSync(p, 'utf8');
    for (const m of text.matchAll(/\bfrom\s+["'](?:node:)?([a-z_]+)(?:\/[^"']*)?["']|\brequire\(\s*["'](?:node:)?([a-z_]+)/g)) {
      const mod = m[1] ?? m[2] ?? '';
      assert.ok(!FORBIDDEN.includes(mod), `${p} imports ${mod}`);
    }
    // vscode-languageserver's Files helpers are the code that forks; netpol never touches them.
    assert.doesNotMatch(text, /\bFiles\.(resolve|resolveModulePath|resolveGlobalNodePath|resolveGlobalYarnPath)\b/, `${p} uses Files.resolve*`);
    assert.doesNotMatch(text, /[^\w.$]eval\(|new Function\(/, `${p} evaluates code`);
  }
});
