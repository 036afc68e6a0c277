import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import type { PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { ROOT } from '../util/paths';

/** A minimal LSP client over stdio for the protocol tier: a real server process, real JSON-RPC. */
export class TestClient {
  readonly conn: MessageConnection;
  private readonly proc: ChildProcess;
  private readonly diagnostics = new Map<string, PublishDiagnosticsParams[]>();
  private waiters: (() => void)[] = [];
  readonly stderr: string[] = [];
  /** Kinds of work-done progress seen (begin, report, end). */
  readonly progress: string[] = [];
  configuration: Record<string, unknown> = {};
  /** workspace/configuration requests asked so far. */
  configurationRequests = 0;
  /** How long the client takes to answer workspace/configuration (a busy editor). */
  configurationDelayMs = 0;
  /** window/logMessage texts (what VS Code shows in the output channel). */
  readonly logs: string[] = [];
  /** Whether the client says it shows a diagnostic's related information (set before initialize). */
  relatedInformation = false;
  /** The server's exit code once it has exited (null when killed by a signal). */
  exitCode: number | null | undefined;

  /** `env` is added to the server's environment (e.g. NETPOL_TEST_THROW). */
  constructor(env: Record<string, string> = {}) {
    this.proc = spawn(process.execPath, [join(ROOT, 'dist', 'server.js'), '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    this.proc.on('exit', (code) => (this.exitCode = code));
    this.proc.stderr?.on('data', (d: Buffer) => this.stderr.push(d.toString()));
    if (!this.proc.stdout || !this.proc.stdin) throw new Error('no stdio');
    this.conn = createMessageConnection(new StreamMessageReader(this.proc.stdout), new StreamMessageWriter(this.proc.stdin));
    this.conn.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
      const list = this.diagnostics.get(p.uri) ?? [];
      list.push(p);
      this.diagnostics.set(p.uri, list);
      const w = this.waiters;
      this.waiters = [];
      for (const f of w) f();
    });
    this.conn.onRequest('workspace/configuration', async (p: { items: { section?: string }[] }) => {
      this.configurationRequests++;
      if (this.configurationDelayMs) await new Promise((r) => setTimeout(r, this.configurationDelayMs));
      return p.items.map((i) => (i.section === 'netpol' ? this.configuration : null));
    });
    this.conn.onRequest('client/registerCapability', () => null);
    this.conn.onRequest('window/workDoneProgress/create', () => null);
    this.conn.onNotification('$/progress', (p: { value?: { kind?: string } }) => {
      if (p.value?.kind) this.progress.push(p.value.kind);
    });
    this.conn.onNotification('window/logMessage', (p: { message?: string }) => {
      this.logs.push(p.message ?? '');
    });
    this.conn.listen();
  }

  async initialize(workspaceFolder?: string, initializationOptions?: unknown): Promise<unknown> {
    const r = await this.conn.sendRequest('initialize', {
      processId: process.pid,
      initializationOptions,
      rootUri: workspaceFolder ?? null,
      workspaceFolders: workspaceFolder ? [{ uri: workspaceFolder, name: 'ws' }] : null,
      capabilities: {
        window: { workDoneProgress: true },
        workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true }, didChangeWatchedFiles: { dynamicRegistration: true }, workspaceFolders: true },
        textDocument: { publishDiagnostics: { versionSupport: true, relatedInformation: this.relatedInformation }, hover: { contentFormat: ['markdown'] }, completion: { completionItem: { snippetSupport: true } } },
      },
    });
    await this.conn.sendNotification('initialized', {});
    return r;
  }

  /** Every diagnostics notification received for `uri` so far, in order. */
  published(uri: string): readonly PublishDiagnosticsParams[] {
    return this.diagnostics.get(uri) ?? [];
  }

  /** The next diagnostics for `uri` with at least this version. */
  async diagnosticsFor(uri: string, version: number, timeoutMs = 10_000): Promise<PublishDiagnosticsParams> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = (this.diagnostics.get(uri) ?? []).find((p) => (p.version ?? -1) >= version);
      if (found) return found;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no diagnostics for ${uri} v${version} within ${timeoutMs} ms; stderr: ${this.stderr.join('')}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  async stop(): Promise<void> {
    try {
      await Promise.race([this.conn.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 2000))]);
      await this.conn.sendNotification('exit');
    } catch {
      // already gone
    }
    this.conn.dispose();
    await new Promise((r) => setTimeout(r, 100));
    if (this.proc.exitCode === null) this.proc.kill();
  }
}
