import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  createConnection,
  DidChangeConfigurationNotification,
  ProposedFeatures,
  ResponseError,
  ErrorCodes,
  TextDocumentSyncKind,
  TextDocuments,
  CodeActionKind,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { complete } from '../core/complete';
import { codeActions } from '../core/fixes';
import { hover } from '../core/hover';
import { version } from '../version';
import * as convert from './convert';
import { readSettings, DEFAULT_SETTINGS, type Settings } from './settings';
import { Workspace } from './workspace';

// createConnection reads --stdio, --node-ipc or --socket=N from argv.
const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
const workspace = new Workspace();
let canPullConfiguration = false;
let settings: Settings = DEFAULT_SETTINGS;

connection.onInitialize((params): InitializeResult => {
  canPullConfiguration = params.capabilities.workspace?.configuration === true;
  const init = params.initializationOptions as { settings?: unknown } | undefined;
  if (init?.settings) settings = readSettings(init.settings);
  return {
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
      hoverProvider: true,
      completionProvider: { triggerCharacters: [':', ' ', '-'] },
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
    },
    serverInfo: { name: 'netpol', version },
  };
});

connection.onInitialized(() => {
  if (canPullConfiguration) {
    void connection.client.register(DidChangeConfigurationNotification.type, { section: 'netpol' }).catch(() => undefined);
    void refreshSettings();
  }
});

async function refreshSettings(): Promise<void> {
  if (!canPullConfiguration) return;
  try {
    const raw: unknown = await connection.workspace.getConfiguration({ section: 'netpol' });
    settings = readSettings(raw);
  } catch (e) {
    connection.console.warn(`netpol: could not read settings: ${String(e)}`);
  }
  workspace.configure(settings);
  scheduleAll();
}

connection.onDidChangeConfiguration((change) => {
  // Use pushed settings at once (VS Code's client sends them); pull as well where the client can,
  // since the pulled answer is scoped to the resource.
  const raw = (change.settings as { netpol?: unknown } | null | undefined)?.netpol;
  if (raw) {
    settings = readSettings(raw);
    workspace.configure(settings);
    scheduleAll();
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

function publishAll(): void {
  for (const doc of documents.all()) {
    try {
      const findings = settings.enable ? workspace.findings(doc.uri) : [];
      void connection.sendDiagnostics({ uri: doc.uri, version: doc.version, diagnostics: findings.map((f) => convert.diagnostic(doc, f)) });
    } catch (e) {
      connection.console.error(`netpol: analysis failed for ${doc.uri}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    }
  }
}

documents.onDidOpen((e) => {
  workspace.update(e.document.uri, e.document.getText(), e.document.version);
  scheduleAll();
});
documents.onDidChangeContent((e) => {
  workspace.update(e.document.uri, e.document.getText(), e.document.version);
  scheduleAll();
});
documents.onDidClose((e) => {
  workspace.remove(e.document.uri);
  void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  scheduleAll();
});

/** Run a feature; an exception becomes an error answer for this request only, and a log line. */
function guarded<T>(name: string, f: () => T): T | ResponseError<void> {
  try {
    return f();
  } catch (e) {
    connection.console.error(`netpol: ${name} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    return new ResponseError(ErrorCodes.InternalError, `netpol ${name} failed: ${e instanceof Error ? e.message : String(e)}`);
  }
}

connection.onHover((params) =>
  guarded('hover', () => {
    const doc = documents.get(params.textDocument.uri);
    const state = doc && settings.enable ? workspace.current(doc.uri) : undefined;
    if (!doc || !state) return null;
    const h = hover(state.file, workspace.inventory(), doc.offsetAt(params.position));
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
    return codeActions(state.file, findings, convert.span(doc, params.range)).map((fix) => convert.codeAction(doc, fix, params.context.diagnostics));
  }),
);

documents.listen(connection);
connection.listen();
