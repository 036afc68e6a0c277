#!/usr/bin/env node
// `npm start`: try the extension by hand.
//
//   npm start                 build, package, install the VSIX into a local code-server profile
//                             (.vscode-test/code-server-profile) and serve examples/ at a URL
//                             to open in any browser; runs until Ctrl-C
//   npm start -- --desktop    open examples/ in a desktop VS Code (VSCODE_EXECUTABLE or `code` on
//                             PATH) with this repo as the development extension
//   npm start -- --port 8080  serve on a fixed port (default: a free one)
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  root, profile, installVsix, freePort, startCodeServer, ensureCodeServer, vsixPath, workbenchUrl,
} from './code-server.mjs';

const argv = process.argv.slice(2);
const desktop = argv.includes('--desktop');
const portArg = argv.indexOf('--port');
const examples = join(root, 'examples');

function npmRun(script) {
  const r = spawnSync('npm', ['run', '--silent', script], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`start: npm run ${script} failed`);
    process.exit(r.status ?? 1);
  }
}

function findDesktopCode() {
  if (process.env.VSCODE_EXECUTABLE) return existsSync(process.env.VSCODE_EXECUTABLE) ? process.env.VSCODE_EXECUTABLE : null;
  const r = spawnSync('sh', ['-c', 'command -v code'], { encoding: 'utf8' });
  return r.stdout.trim() || null;
}

async function runDesktop() {
  const code = findDesktopCode();
  if (!code) {
    console.error('start: no desktop VS Code found: set VSCODE_EXECUTABLE or put `code` on PATH.\n'
      + 'start: without one, `npm start` serves VS Code in the browser (code-server) instead.');
    process.exit(1);
  }
  npmRun('build');
  console.log(`start: ${code} --extensionDevelopmentPath=${root} ${examples}`);
  const child = spawn(code, [`--extensionDevelopmentPath=${root}`, examples], { stdio: 'inherit' });
  child.on('exit', (c) => process.exit(c ?? 0));
}

async function runCodeServer() {
  npmRun('build');
  npmRun('package');
  // Restore the development bundles (with source maps) that `package` replaced.
  npmRun('build');
  const setup = spawnSync('bash', [join(root, 'scripts', 'setup-system.sh')], { stdio: 'inherit' });
  if (setup.status !== 0) process.exit(setup.status ?? 1);
  ensureCodeServer();

  // A persistent profile inside the repo (.vscode-test/ is git-ignored): settings, open editors
  // and the installed VSIX survive restarts; nothing touches the user's own VS Code.
  const p = profile(join(root, '.vscode-test', 'code-server-profile'));
  installVsix(p, vsixPath());
  const port = portArg >= 0 ? Number(argv[portArg + 1]) : await freePort();
  if (!Number.isInteger(port) || port <= 0) {
    console.error('start: --port needs a number');
    process.exit(1);
  }
  const server = await startCodeServer(p, { port, logFile: join(p.base, 'code-server.log') });
  console.log(`\nstart: netpol is installed in VS Code (code-server) with examples/ open:\n\n    ${workbenchUrl(server.url, examples)}\n`);
  console.log(`start: log ${join(p.base, 'code-server.log')}; Ctrl-C to stop`);

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    console.log('\nstart: stopping code-server');
    await server.stop();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  server.child.on('exit', (c) => {
    if (stopping) return;
    console.error(`start: code-server exited (${c}); see ${join(p.base, 'code-server.log')}`);
    process.exit(1);
  });
}

await (desktop ? runDesktop() : runCodeServer());
