#!/usr/bin/env node
// End-to-end tier: the packaged extension in a real VS Code (code-server) driven by headless
// Chromium. Expects `npm run build` and `npm run package` to have run (dist/ and the VSIX).
//
//   node scripts/e2e.mjs                 extension-host tests (mocha, dev payload) + a UI check
//                                        that the VSIX-installed extension shows NP201 in Problems
//   node scripts/e2e.mjs --screenshots   also writes docs/images/hover.png and quickfix.png
//   node scripts/e2e.mjs --keep          keep the temporary profile and logs (kept on failure)
//
// Closes with `e2e: N passed, N failed`; exit code 0 only when nothing failed.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import {
  root, profile, installVsix, listExtensions, freePort, startCodeServer, launchChromium,
  workbenchUrl, ensureCodeServer, vsixPath, extensionId, manifest,
} from './code-server.mjs';

const args = new Set(process.argv.slice(2));
const screenshots = args.has('--screenshots');
const keep = args.has('--keep');
const HOST_TESTS_TIMEOUT_MS = 180_000;
const UI_TIMEOUT_MS = 60_000;
const EXAMPLE = ['frontend-backend', 'broken.yaml'];

const t0 = Date.now();
const secs = () => `${((Date.now() - t0) / 1000).toFixed(1)} s`;
const log = (msg) => console.log(`e2e: ${msg}`);

let passed = 0;
let failed = 0;
const failures = [];
function record(name, err) {
  if (err) {
    failed++;
    failures.push(name);
    console.log(`  ✗ ${name}\n      ${String(err instanceof Error ? err.message : err).split('\n').join('\n      ')}`);
  } else {
    passed++;
    console.log(`  ✓ ${name}`);
  }
}

function preflight() {
  const missing = [];
  if (!existsSync(join(root, manifest().main ?? 'dist/client.js'))) missing.push('dist/ (run `npm run build`)');
  if (!existsSync(vsixPath())) missing.push(`${relative(root, vsixPath())} (run \`npm run package\`)`);
  if (!existsSync(join(root, 'examples', ...EXAMPLE))) missing.push(`examples/${EXAMPLE.join('/')}`);
  if (missing.length) {
    console.error(`e2e: missing ${missing.join(', ')}`);
    console.log('e2e: 0 passed, 1 failed');
    process.exit(1);
  }
  const b = spawnSync(process.execPath, [join(root, 'scripts', 'build-e2e.mjs')], { stdio: 'inherit' });
  if (b.status !== 0) throw new Error('scripts/build-e2e.mjs failed');
}

/** A fresh copy of examples/: the tests edit documents, and the repo's copy must never change. */
function workspaceCopy(base, name) {
  const dir = join(base, name);
  cpSync(join(root, 'examples'), dir, { recursive: true });
  return dir;
}

function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms / 1000} s: ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Step 1: mocha inside the extension host, with the repo as the development extension. */
async function hostTests(browser, server, base) {
  const folder = workspaceCopy(base, 'workspace-host');
  const report = join(base, 'mocha-report.json');
  const consoleLog = [];
  const page = await browser.newPage();
  page.on('console', (m) => consoleLog.push(`[${m.type()}] ${m.text()}`));
  page.on('pageerror', (e) => consoleLog.push(`[pageerror] ${e.message}`));
  let exit;
  const exited = new Promise((resolve) => { exit = resolve; });
  // The workbench calls this once the test module's run() settles (VS Code's automation hook).
  await page.exposeFunction('codeAutomationExit', (code) => { exit(Number(code)); });
  // The web workbench parses these as URIs; a bare path would be file:, which only a local
  // (desktop) extension host can load. code-server's remote authority is the page's host.
  const remote = (path) => `vscode-remote://${new URL(server.url).host}${path}`;
  const url = workbenchUrl(server.url, folder, [
    ['extensionDevelopmentPath', remote(root)],
    ['extensionTestsPath', remote(join(root, 'out', 'e2e', 'index.js'))],
  ]);
  log(`extension-host tests (${secs()})`);
  let code;
  try {
    await page.goto(url);
    code = await withTimeout(exited, HOST_TESTS_TIMEOUT_MS, 'extension-host tests never finished');
  } catch (err) {
    record('extension-host tests finished', err);
  } finally {
    writeFileSync(join(base, 'browser-console-host.log'), consoleLog.join('\n'));
    await page.close();
  }
  if (existsSync(report)) {
    const r = JSON.parse(readFileSync(report, 'utf8'));
    console.log(r.output.split('\n').map((l) => `  ${l}`).join('\n'));
    passed += r.passed;
    failed += r.failed;
    failures.push(...r.failures.map((f) => f.title));
    if (r.passed + r.failed === 0) record('extension-host tests ran', 'mocha found no tests');
    else if (code !== 0 && r.failed === 0) record('extension host exited cleanly', `exit code ${code}`);
  } else if (code !== undefined) {
    record('extension-host tests wrote a report', `exit code ${code}, no report (did out/e2e/index.js load? see ${base})`);
  }
}

/** Step 2: the VSIX-installed extension (no dev payload) as a user sees it. */
async function uiCheck(browser, server, base) {
  const folder = workspaceCopy(base, 'workspace-ui');
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const consoleLog = [];
  page.on('console', (m) => consoleLog.push(`[${m.type()}] ${m.text()}`));
  log(`UI check with the installed VSIX (${secs()})`);
  try {
    await page.goto(workbenchUrl(server.url, folder));
    await page.locator('.monaco-workbench').waitFor({ timeout: UI_TIMEOUT_MS });
    await page.locator('.explorer-folders-view, .explorer-viewlet').first().waitFor({ timeout: UI_TIMEOUT_MS });

    // Quick open (Ctrl+P) the example, as a user would.
    await page.locator('.monaco-workbench').click({ position: { x: 640, y: 400 } });
    await page.keyboard.press('Control+P');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ timeout: 15_000 });
    await input.fill(EXAMPLE.join('/'));
    await page.locator('.quick-input-list .monaco-list-row', { hasText: EXAMPLE[1] }).first().waitFor({ timeout: 15_000 });
    await page.keyboard.press('Enter');
    await page.locator(`.tab[data-resource-name="${EXAMPLE[1]}"]`).waitFor({ timeout: 15_000 });

    // Problems panel (Ctrl+Shift+M) lists the warning; clicking it reveals the squiggle, which
    // may be below the fold when the file opens.
    await page.keyboard.press('Control+Shift+M');
    const problem = page.locator('.markers-panel .monaco-list-row', { hasText: 'NP201' }).first();
    await problem.waitFor({ timeout: UI_TIMEOUT_MS });
    await problem.click();
    await page.locator('.editor-instance .monaco-editor .squiggly-warning').first().waitFor({ timeout: 15_000 });
    record('UI: VSIX-installed extension reports NP201 in the Problems panel and editor');
  } catch (err) {
    record('UI: VSIX-installed extension reports NP201 in the Problems panel and editor', err);
    await page.screenshot({ path: join(base, 'ui-failure.png') }).catch(() => undefined);
    writeFileSync(join(base, 'browser-console-ui.log'), consoleLog.join('\n'));
    await page.close();
    return;
  }

  if (screenshots) {
    try {
      await takeScreenshots(page);
      record('UI: screenshots docs/images/hover.png, docs/images/quickfix.png');
    } catch (err) {
      record('UI: screenshots', err);
      await page.screenshot({ path: join(base, 'screenshot-failure.png') }).catch(() => undefined);
    }
  }
  writeFileSync(join(base, 'browser-console-ui.log'), consoleLog.join('\n'));
  await page.close();
}

async function takeScreenshots(page) {
  const out = join(root, 'docs', 'images');
  mkdirSync(out, { recursive: true });
  const editor = page.locator('.editor-instance .monaco-editor').first();

  // Hover: over the policy's own podSelector, i.e. the visible `podSelector` key that is least
  // indented (peers under from/to are deeper), topmost on ties.
  const area = await editor.boundingBox();
  if (!area) throw new Error('editor not visible');
  const keys = editor.locator('.view-line span', { hasText: /^podSelector$/ });
  let best;
  for (let i = 0; i < await keys.count(); i++) {
    const b = await keys.nth(i).boundingBox();
    if (!b || b.y < area.y || b.y + b.height > area.y + area.height) continue;
    if (!best || b.x < best.x - 1 || (Math.abs(b.x - best.x) <= 1 && b.y < best.y)) best = b;
  }
  if (!best) throw new Error('no podSelector key visible in the editor');
  await page.mouse.move(best.x + best.width / 2, best.y + best.height / 2);
  const hover = page.locator('.monaco-hover:not(.hidden) .hover-contents').first();
  await hover.waitFor({ timeout: 15_000 });
  await page.waitForTimeout(500); // let the hover finish its fade-in
  await page.screenshot({ path: join(out, 'hover.png') });

  // Quick fix: cursor on the DNS warning, then Ctrl+. opens the code action menu.
  await page.mouse.move(5, 5);
  await page.keyboard.press('Escape');
  const squiggle = editor.locator('.squiggly-warning').first();
  const box = await squiggle.boundingBox();
  if (!box) throw new Error('no squiggle to click');
  await page.mouse.click(box.x + Math.min(box.width / 2, 20), box.y + box.height / 2);
  await page.keyboard.press('Control+.');
  await page.locator('.action-widget', { hasText: 'Allow DNS egress' }).first().waitFor({ timeout: 15_000 });
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(out, 'quickfix.png') });
  await page.keyboard.press('Escape');
}

async function main() {
  preflight();
  ensureCodeServer();
  const base = mkdtempSync(join(tmpdir(), 'netpol-e2e-'));
  const p = profile(base);
  log(`profile ${base}`);

  try {
    installVsix(p, vsixPath());
    const want = `${extensionId()}@${manifest().version}`;
    const listed = listExtensions(p);
    record(`code-server lists ${want}`, listed.includes(want) ? undefined : `--list-extensions printed: ${listed.join(', ') || 'nothing'}`);
  } catch (err) {
    record('install the VSIX into code-server', err);
  }

  const server = await startCodeServer(p, {
    port: await freePort(),
    extraEnv: { NETPOL_E2E_REPORT: join(base, 'mocha-report.json') },
    logFile: join(base, 'code-server.log'),
  });
  log(`code-server at ${server.url} (${secs()})`);
  let browser;
  try {
    browser = await launchChromium();
    await hostTests(browser, server, base);
    await uiCheck(browser, server, base);
  } catch (err) {
    record('e2e driver', err);
  } finally {
    await browser?.close().catch(() => undefined);
    await server.stop();
  }

  if (failed > 0) {
    log(`kept ${base} for inspection: code-server.log, browser-console-*.log, user-data/logs/`);
    for (const d of listLogDirs(join(p.userDataDir, 'logs'))) log(`  logs: ${d}`);
  } else if (!keep) {
    rmSync(base, { recursive: true, force: true });
  } else {
    log(`kept ${base}`);
  }
  log(`finished in ${secs()}`);
  console.log(`e2e: ${passed} passed, ${failed} failed`);
  process.exit(failed > 0 ? 1 : 0);
}

function listLogDirs(dir) {
  try {
    return readdirSync(dir).map((d) => join(dir, d));
  } catch {
    return [];
  }
}

main().catch((err) => {
  console.error(err);
  console.log(`e2e: ${passed} passed, ${failed + 1} failed`);
  process.exit(1);
});
