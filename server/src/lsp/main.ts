import {
  createConnection,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  FileChangeType,
  ProposedFeatures,
  TextDocumentSyncKind,
  TextDocuments,
  CodeActionKind,
  type InitializeResult,
  type WorkDoneProgressServerReporter,
} from 'vscode-languageserver/node';
import { complete } from '../core/complete';
import { sameFindings, type Finding } from '../core/diagnostics';
import { codeActions } from '../core/fixes';
import { hover } from '../core/hover';
import { prepareHovers } from '../core/lookup';
import { version } from '../version';
import * as convert from './convert';
import { pathToFileURL, fileURLToPath } from 'node:url';
import { basename, dirname, join, relative, sep } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { CONFIG_FILE, parseProjectConfig } from '../core/ruleconfig';
import { Excludes } from '../core/glob';
import { scanFolder, readText } from './scan';
import { readFilesExclude, readSettings, DEFAULT_SETTINGS, type Settings } from './settings';
import { fileKey, Workspace } from './workspace';
import { guard } from './guard';
import { textDocuments } from './document';
import { registerNavigation } from './navigation';
import { injectFault } from './faults';
import { tuneForColdStart } from '../io/v8';
import { InputWatch, inSlices } from './input';

// A language server lives for hours beside the editor, and every version of a large file it is sent
// is garbage a moment later: let V8 grow the heap by 20 % of what is live after a full collection
// instead of its default (up to 4x on a fresh heap), so that memory follows what the server holds.
// At 5000 policies (7 MB) this cut the peak during edits from ~375 MB to ~260 MB, at the same speed.
setFlagsFromString('--heap-growing-percent=20');
tuneForColdStart();

// createConnection reads --stdio, --node-ipc or --socket=N from argv.
const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(textDocuments);
const workspace = new Workspace();
let canPullConfiguration = false;
let canWatchFiles = false;
/** The client shows a diagnostic's related places (links to NP108's other copy, NP211's covering rule). */
let showsRelated = false;
let settings: Settings = DEFAULT_SETTINGS;
/** Workspace folders as file system paths; only file:// folders are indexed. */
let folders: string[] = [];
let filesExclude: string[] = [];
const navigation = registerNavigation(connection, documents, workspace, () => settings);

connection.onInitialize((params): InitializeResult => {
  canPullConfiguration = params.capabilities.workspace?.configuration === true;
  canWatchFiles = params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
  showsRelated = params.capabilities.textDocument?.publishDiagnostics?.relatedInformation === true;
  const roots = params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []);
  folders = roots.filter((u) => u.startsWith('file:')).map((u) => fileKey(u));
  const init = params.initializationOptions as { settings?: unknown; filesExclude?: unknown } | undefined;
  if (init?.settings) settings = readSettings(init.settings);
  if (init?.filesExclude) filesExclude = readFilesExclude(init.filesExclude);
  // The index starts now, with the settings initialize brought (VS Code's client sends them), not
  // after `initialized` and a settings round trip: the files are read and parsed that much sooner
  // (traced at 1000 policies: ~30 ms). Settings that come later and change what is indexed start
  // it again (applySettings).
  setImmediate(() => void indexWorkspace());
  return {
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
      hoverProvider: true,
      completionProvider: { triggerCharacters: [':', ' ', '-'] },
      ...navigation.initialize(params),
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.Refactor, CodeActionKind.RefactorRewrite, CodeActionKind.Source, 'source.netpol'] },
    },
    serverInfo: { name: 'netpol', version },
  };
});

connection.onInitialized(() => {
  markClientReady();
  if (canPullConfiguration) {
    void connection.client.register(DidChangeConfigurationNotification.type, { section: 'netpol' }).catch(() => undefined);
  }
  if (canWatchFiles) {
    void connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: '**/*.{yaml,yml}' }, { globPattern: `**/${CONFIG_FILE}` }] }).catch(() => undefined);
  }
  void refreshSettings();
});

let markClientReady: () => void = () => undefined;
/** Settled when the client has sent `initialized`: requests to it (progress) wait for that. */
const clientReady = new Promise<void>((resolve) => (markClientReady = resolve));

/**
 * The index's progress. The index starts at initialize, but the client takes requests only after
 * `initialized`: the progress begins then, with the latest message, and ends with the index (at
 * once when the index is done by then, so a client that waits for the end sees one).
 */
function indexProgress(): { report(message: string): void; done(): void } {
  let reporter: WorkDoneProgressServerReporter | undefined;
  let message: string | undefined;
  let over = false;
  void clientReady.then(async () => {
    const p = await connection.window.createWorkDoneProgress().catch(() => undefined);
    if (!p) return;
    p.begin('netpol: indexing manifests', 0, message, false);
    if (over) p.done();
    else reporter = p;
  });
  return {
    report(m: string): void {
      message = m;
      reporter?.report(m);
    },
    done(): void {
      over = true;
      reporter?.done();
      reporter = undefined;
    },
  };
}

// --- parsing ahead of need: the first diagnostics of any open file need every indexed file parsed,
// so parse them while the editor is idle, in slices short enough that a keystroke or a request
// waits at most one slice. An opened file takes over the documents parsed so far. ---
const PRIME_SLICE_MS = 10;
let priming = false;
const input = new InputWatch();

async function primeWorkspace(): Promise<void> {
  if (priming) return;
  priming = true;
  try {
    await inSlices(input, () => {
      const end = performance.now() + PRIME_SLICE_MS;
      return settings.enable && workspace.prime(() => performance.now() >= end);
    });
  } finally {
    priming = false;
  }
}

// --- the workspace index: every YAML file of the folders, so that policies and workloads in files
// that are not open count too ---
let indexGeneration = 0;

function excludesFor(): Excludes {
  return new Excludes([...filesExclude, ...settings.exclude, ...projectExcludes]);
}

let projectExcludes: string[] = [];

/** `.netpol.yaml` at a folder's root: rule levels, default namespace, excludes — as the CLI reads it. */
async function loadProjectConfigs(): Promise<void> {
  projectExcludes = [];
  for (const folder of folders) {
    const text = await readText(join(folder, CONFIG_FILE), 1_000_000);
    const config = text === undefined ? undefined : parseProjectConfig(text);
    workspace.setProjectConfig(folder, config);
    if (config) {
      projectExcludes.push(...config.exclude);
      for (const p of config.problems) connection.console.warn(`netpol: ${join(folder, CONFIG_FILE)}: ${p.message}`);
    }
  }
}

function isExcluded(path: string): boolean {
  const ex = excludesFor();
  return folders.some((f) => {
    const rel = relative(f, path);
    return !rel.startsWith('..') && ex.excluded(rel.split(sep).join('/'));
  });
}

async function indexWorkspace(): Promise<void> {
  const generation = ++indexGeneration;
  // Noted before the await: settings that change meanwhile are read by this walk, and a change
  // compared with them walks again once more at most.
  indexedWith = indexInputs();
  await loadProjectConfigs();
  if (!settings.enable || folders.length === 0) {
    workspace.keepDisk(new Set());
    return;
  }
  const progress = indexProgress();
  const excludes = excludesFor();
  const cancelled = (): boolean => generation !== indexGeneration;
  const found = new Set<string>();
  let count = 0;
  try {
    for (const folder of folders) {
      for await (const path of scanFolder(folder, { excludes, maxFileSize: settings.maxFileSize, cancelled })) {
        const text = await readText(path, settings.maxFileSize);
        if (cancelled()) return;
        const uri = pathToFileURL(path).toString();
        workspace.setDisk(uri, text);
        found.add(uri);
        if (++count % 50 === 0) {
          progress.report(`${count} files`);
          await nextTurn(); // let edits and requests in
        }
      }
    }
    // Indexed again (settings, .netpol.yaml): a file found again with the same text kept its
    // documents; one not found (now excluded, or gone) leaves the index.
    workspace.keepDisk(found);
    progress.report(`parsing ${count} files`);
    await primeWorkspace();
  } finally {
    progress.done();
  }
  connection.console.info(`netpol: indexed ${workspace.diskFiles} YAML files in ${folders.length} folder(s)`);
  scheduleAll();
}

connection.onDidChangeWatchedFiles(async (params) => {
  for (const change of params.changes) {
    if (!change.uri.startsWith('file:')) continue;
    let path: string;
    try {
      path = fileURLToPath(change.uri);
    } catch {
      continue; // file://host/… names no path on this machine
    }
    if (basename(path) === CONFIG_FILE && folders.includes(dirname(path))) {
      void indexWorkspace(); // excludes may have changed: index again
      return;
    }
    if (change.type === FileChangeType.Deleted || isExcluded(path)) workspace.setDisk(change.uri, undefined);
    else workspace.setDisk(change.uri, await readText(path, settings.maxFileSize));
  }
  scheduleAll();
  void primeWorkspace();
});

/** The settings that decide what the index reads; a walk notes those it started with. */
const indexInputs = (): string => JSON.stringify([settings.exclude, settings.maxFileSize, settings.enable, filesExclude]);
let indexedWith: string | undefined;

/**
 * Apply settings however they came (pushed or pulled), and walk the folders again when they change
 * what the index reads. Compared with what the last walk started with, not with the settings a
 * moment ago: a push that comes first makes the pull that follows look like no change.
 */
function applySettings(): void {
  workspace.configure(settings);
  scheduleAll();
  if (indexedWith !== undefined && indexInputs() !== indexedWith) void indexWorkspace();
}

async function refreshSettings(): Promise<void> {
  if (!canPullConfiguration) return;
  try {
    const [raw, files] = (await connection.workspace.getConfiguration([{ section: 'netpol' }, { section: 'files.exclude' }])) as unknown[];
    settings = readSettings(raw);
    filesExclude = readFilesExclude(files);
  } catch (e) {
    connection.console.warn(`netpol: could not read settings: ${String(e)}`);
  }
  applySettings();
}

connection.onDidChangeConfiguration((change) => {
  // Use pushed settings at once (VS Code's client sends them); pull as well where the client can,
  // since the pulled answer is scoped to the resource.
  const raw = (change.settings as { netpol?: unknown } | null | undefined)?.netpol;
  if (raw) {
    settings = readSettings(raw);
    applySettings();
  }
  if (canPullConfiguration) void refreshSettings();
});

// --- diagnostics: coalesce bursts of edits, then publish for every open document ---
let pending: NodeJS.Immediate | undefined;
function scheduleAll(): void {
  if (pending) return;
  pending = setImmediate(() => {
    pending = undefined;
    publishAll();
  });
}

/**
 * What was last published per open document, and for which version. The same findings again for
 * the same version (another document edited, a background index finishing, a setting that changes
 * nothing here) are not sent: the editor would only redraw its problems, and a large file's
 * diagnostics cost a conversion and a message each time.
 */
const published = new Map<string, { version: number; findings: readonly Finding[]; places: string }>();

/**
 * Where the findings' related places are now: their spans are the model's, which an edit of another
 * document moves in place, so equal findings may need their links published again.
 */
function placesOf(findings: readonly Finding[]): string {
  let out = '';
  for (const f of findings) for (const r of f.related ?? []) out += `${r.object.source}\0${r.span.start}\0${r.span.end}\n`;
  return out;
}
const DISABLED: readonly Finding[] = [];

function publishAll(): void {
  if (warmTimer) clearTimeout(warmTimer); // typing cancels a pending preparation
  const sent: Promise<void>[] = [];
  const locate = showsRelated ? convert.locator((uri) => documents.get(uri), (source) => workspace.current(source)?.file) : undefined;
  for (const doc of documents.all()) {
    try {
      injectFault('diagnostics');
      const findings = settings.enable ? workspace.findings(doc.uri) : DISABLED;
      const last = published.get(doc.uri);
      const places = showsRelated ? placesOf(findings) : '';
      if (last && last.version === doc.version && sameFindings(last.findings, findings) && last.places === places) {
        // The newer list, equal: the old one's related places may hold another file's earlier model.
        last.findings = findings;
        continue;
      }
      published.set(doc.uri, { version: doc.version, findings, places });
      sent.push(connection.sendDiagnostics({ uri: doc.uri, version: doc.version, diagnostics: findings.map((f) => convert.diagnostic(doc, f, locate)) }));
    } catch (e) {
      connection.console.error(`netpol: analysis failed for ${doc.uri}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    }
  }
  // Right after an open (people hover next); after an edit, once typing pauses. Hovers come from
  // open documents: with none open (the index just finished), there is nothing to prepare. Not
  // before the diagnostics are written: the connection writes in a later turn of the event loop,
  // and the preparation would go first (measured: 23 ms later diagnostics at 1000 policies).
  const delay = openedSincePublish ? 0 : 150;
  openedSincePublish = false;
  if (documents.all().length > 0) void Promise.allSettled(sent).then(() => warmSoon(delay));
}

// Build what hovers use (the engine's analysis of the workspace) before the first hover asks, so it
// does not pay for it on a large file.
let warmTimer: NodeJS.Timeout | undefined;
let openedSincePublish = false;
function warmSoon(delayMs: number): void {
  if (warmTimer) clearTimeout(warmTimer);
  warmTimer = setTimeout(() => {
    warmTimer = undefined;
    try {
      if (settings.enable) prepareHovers(workspace.inventory(), documents.all().flatMap((d) => workspace.current(d.uri)?.file ?? []));
    } catch (e) {
      connection.console.error(`netpol: preparing hovers failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    }
  }, delayMs);
  warmTimer.unref();
}

// An open fires onDidOpen, then onDidChangeContent, which reads the text.
documents.onDidOpen(() => {
  openedSincePublish = true;
});
documents.onDidChangeContent((e) => {
  workspace.update(e.document.uri, e.document.getText(), e.document.version);
  scheduleAll();
});
documents.onDidClose((e) => {
  const uri = e.document.uri;
  const indexed = workspace.remove(uri);
  published.delete(uri);
  void connection.sendDiagnostics({ uri, diagnostics: [] });
  scheduleAll();
  // Unsaved edits are gone with the editor: the disk copy counts again (when it is indexed).
  if (uri.startsWith('file:') && indexed) {
    void readText(fileURLToPath(uri), settings.maxFileSize).then((text) => {
      workspace.setDisk(uri, text);
      scheduleAll();
      void primeWorkspace();
    });
  }
});

// Background work (indexing, watched files, settings) runs in promises nobody awaits. Node ends the
// process on an unhandled rejection; a failure there is logged instead, like a failed request.
process.on('unhandledRejection', (e) => {
  connection.console.error(`netpol: background task failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
});

/** Run a feature; an exception becomes an error answer for this request only, and a log line. */
const guarded = guard(connection);

connection.onHover((params) =>
  guarded('hover', () => {
    const doc = documents.get(params.textDocument.uri);
    const state = doc && settings.enable ? workspace.current(doc.uri) : undefined;
    if (!doc || !state) return null;
    // Other files' policies are linked by line: the hover reads them from the workspace.
    const h = hover(state.file, workspace.inventory(), doc.offsetAt(params.position), { fileOf: (source) => workspace.current(source)?.file });
    return h ? convert.hover(doc, h) : null;
  }),
);

connection.onCompletion((params) =>
  guarded('completion', () => {
    const doc = documents.get(params.textDocument.uri);
    const state = doc && settings.enable ? workspace.current(doc.uri) : undefined;
    if (!doc || !state) return [];
    return complete(state.file, workspace.inventory(), doc.offsetAt(params.position)).map((c) => convert.completion(doc, c));
  }),
);

connection.onCodeAction((params) =>
  guarded('code actions', () => {
    const doc = documents.get(params.textDocument.uri);
    const state = doc && settings.enable ? workspace.current(doc.uri) : undefined;
    if (!doc || !state) return [];
    const findings = workspace.findings(doc.uri);
    return codeActions(state.file, workspace.inventory(), findings, convert.span(doc, params.range), params.context.only).map((fix) => convert.codeAction(doc, fix, params.context.diagnostics));
  }),
);

documents.listen(connection);
connection.listen();
// In the same tick as listen(): the stream is read from its first byte on.
if (process.argv.includes('--stdio')) input.watch(process.stdin);
