// Shared plumbing for driving code-server (VS Code in a browser) from scripts/e2e.mjs and
// scripts/start.mjs: where it lives, an isolated profile, installing a VSIX, starting and
// stopping the server, and launching Debian's Chromium through playwright-core.
import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('..', import.meta.url));
export const codeServerEntry = join(root, 'e2e', 'code-server', 'node_modules', 'code-server', 'out', 'node', 'entry.js');

/** package.json of the extension (name, version, publisher). */
export function manifest() {
  return JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
}

/** Path of the VSIX that `npm run package` writes. */
export function vsixPath() {
  const m = manifest();
  return join(root, `${m.name}-${m.version}.vsix`);
}

/** The id code-server lists for the extension: publisher.name. */
export function extensionId() {
  const m = manifest();
  return `${m.publisher}.${m.name}`.toLowerCase();
}

/**
 * A code-server profile under `base`: its own HOME and XDG folders, so nothing is read from or
 * written to the machine's own VS Code / code-server settings.
 */
export function profile(base) {
  const p = {
    base,
    userDataDir: join(base, 'user-data'),
    extensionsDir: join(base, 'extensions'),
    env: {
      ...process.env,
      HOME: join(base, 'home'),
      XDG_DATA_HOME: join(base, 'xdg', 'data'),
      XDG_CONFIG_HOME: join(base, 'xdg', 'config'),
      XDG_CACHE_HOME: join(base, 'xdg', 'cache'),
      XDG_STATE_HOME: join(base, 'xdg', 'state'),
      // The extension host would otherwise inherit an outer VS Code's IPC hooks.
      VSCODE_IPC_HOOK_CLI: '',
      ELECTRON_RUN_AS_NODE: '',
    },
  };
  for (const d of [p.userDataDir, p.extensionsDir, p.env.HOME, p.env.XDG_DATA_HOME, p.env.XDG_CONFIG_HOME, p.env.XDG_CACHE_HOME, p.env.XDG_STATE_HOME]) {
    mkdirSync(d, { recursive: true });
  }
  const settings = join(p.userDataDir, 'User', 'settings.json');
  if (!existsSync(settings)) {
    mkdirSync(join(p.userDataDir, 'User'), { recursive: true });
    // Quiet, offline, deterministic workbench: no welcome page, tips, trust prompt or updates.
    writeFileSync(settings, JSON.stringify({
      'workbench.startupEditor': 'none',
      'workbench.tips.enabled': false,
      'workbench.enableExperiments': false,
      'security.workspace.trust.enabled': false,
      'telemetry.telemetryLevel': 'off',
      'update.mode': 'none',
      'extensions.autoCheckUpdates': false,
      'extensions.autoUpdate': false,
      'extensions.ignoreRecommendations': true,
      'chat.commandCenter.enabled': false,
      'git.enabled': false,
      'git.openRepositoryInParentFolders': 'never',
      'editor.hover.delay': 300,
      'editor.stickyScroll.enabled': false,
      'editor.lightbulb.enabled': 'on',
    }, null, 2));
  }
  return p;
}

function cliArgs(p) {
  return ['--user-data-dir', p.userDataDir, '--extensions-dir', p.extensionsDir];
}

/** Runs the code-server CLI synchronously (install/list extensions); returns stdout. */
export function codeServerCli(p, args) {
  const r = spawnSync(process.execPath, [codeServerEntry, ...cliArgs(p), ...args], { env: p.env, encoding: 'utf8', timeout: 120_000 });
  if (r.status !== 0) {
    throw new Error(`code-server ${args.join(' ')} failed (exit ${r.status ?? r.signal}):\n${r.stdout}${r.stderr}`);
  }
  return r.stdout;
}

export function installVsix(p, vsix) {
  codeServerCli(p, ['--install-extension', vsix, '--force']);
}

/** `id@version` lines, as `--list-extensions --show-versions` prints them. */
export function listExtensions(p) {
  return codeServerCli(p, ['--list-extensions', '--show-versions'])
    .split('\n').map((l) => l.trim()).filter((l) => /^[\w.-]+@/.test(l));
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Starts code-server on 127.0.0.1:port in its own process group (so stop() ends the server and
 * the extension hosts it forked) and resolves once /healthz answers.
 */
export async function startCodeServer(p, { port, extraEnv = {}, logFile, timeoutMs = 60_000 }) {
  const args = [
    codeServerEntry, ...cliArgs(p),
    '--auth', 'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--bind-addr', `127.0.0.1:${port}`,
  ];
  const child = spawn(process.execPath, args, {
    env: { ...p.env, ...extraEnv },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  if (logFile) writeFileSync(logFile, '');
  const collect = (chunk) => {
    // Keep only the start in memory (for error messages); the log file gets everything.
    if (output.length < 100_000) output += chunk.toString();
    if (logFile) appendFileSync(logFile, chunk);
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  let exited = null;
  child.on('exit', (code, signal) => { exited = code ?? signal; });

  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exited !== null) throw new Error(`code-server exited (${exited}) before it answered:\n${output}`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      stopProcessGroup(child);
      throw new Error(`code-server did not answer on ${url} within ${timeoutMs / 1000} s:\n${output}`);
    }
    await sleep(200);
  }

  return {
    url,
    child,
    output: () => output,
    stop: () => stopProcessGroup(child),
  };
}

/** SIGTERM to the group we started, SIGKILL if it lingers; resolves when the leader is gone. */
export function stopProcessGroup(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      resolve();
      return;
    }
    const kill = (sig) => {
      try {
        if (child.pid) process.kill(-child.pid, sig);
      } catch {
        // Already gone.
      }
    };
    const timer = setTimeout(() => kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(timer);
      // Children that ignored the TERM (extension hosts) go with the group.
      setTimeout(() => { kill('SIGKILL'); resolve(); }, 200);
    });
    kill('SIGTERM');
  });
}

/** Debian's Chromium (scripts/setup-system.sh installs it); playwright downloads no browser here. */
export function chromiumPath() {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  const r = spawnSync('sh', ['-c', 'command -v chromium || command -v chromium-browser'], { encoding: 'utf8' });
  const path = r.stdout.trim();
  if (!path) throw new Error('chromium not found: run `bash scripts/setup-system.sh` (or set CHROMIUM_PATH)');
  return path;
}

export async function launchChromium() {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: [
      '--no-sandbox', // root in CI
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

/** Workbench URL for a folder, optionally with VS Code's development/test payload. */
export function workbenchUrl(base, folder, payload) {
  // Slashes stay readable: `npm start` prints this URL for people.
  let q = `folder=${encodeURIComponent(folder).replace(/%2F/g, '/')}`;
  if (payload) q += `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  return `${base}/?${q}`;
}

/** Installs code-server into e2e/code-server unless it is already there (fast no-op then). */
export function ensureCodeServer() {
  const r = spawnSync(process.execPath, [join(root, 'scripts', 'install-code-server.mjs')], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error('scripts/install-code-server.mjs failed');
}
