import * as vscode from 'vscode';
import { CloseAction, LanguageClient, TransportKind, type ErrorHandler, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import type { Location, Position } from 'vscode-languageclient';
import { MAX_RESTARTS, tellingErrorHandler } from './restart';

let client: LanguageClient | undefined;
let output: vscode.OutputChannel | undefined;

/**
 * Starts the netpol server for YAML documents. Analysis happens in the server; this file only
 * wires it to VS Code. The YAML language id stays Red Hat's: netpol adds to it, it takes nothing over.
 */
export async function activate(context: vscode.ExtensionContext): Promise<void> {
  output = vscode.window.createOutputChannel('netpol');
  context.subscriptions.push(output);
  const module = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6011'] } },
  };
  // VS Code's default policy for a crashed server (restart up to 4 times in 3 minutes), told to the user.
  let policy: ErrorHandler | undefined;
  const basePolicy = (): ErrorHandler => {
    policy ??= client?.createDefaultErrorHandler(MAX_RESTARTS);
    if (!policy) throw new Error('netpol: the language client is not created yet');
    return policy;
  };
  const errorHandler = tellingErrorHandler(basePolicy, CloseAction.Restart, (message, restarting) => {
    output?.appendLine(message);
    const show = restarting ? vscode.window.showWarningMessage : vscode.window.showErrorMessage;
    void show(message, 'Show Log').then((choice) => {
      if (choice) output?.show(true);
    });
  });
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'yaml' },
      { scheme: 'untitled', language: 'yaml' },
    ],
    synchronize: { configurationSection: 'netpol' },
    outputChannel: output,
    traceOutputChannel: output,
    errorHandler,
    // Lenses name this command, which turns their JSON arguments into the types VS Code's
    // editor.action.showReferences needs.
    initializationOptions: () => ({
      showReferencesCommand: 'netpol.showReferences',
      // The server indexes the workspace as soon as it is initialized, before it can ask for
      // settings: these decide what it reads (excludes, size limit) from the first file on.
      settings: JSON.parse(JSON.stringify(vscode.workspace.getConfiguration('netpol'))) as unknown,
      filesExclude: vscode.workspace.getConfiguration('files').get('exclude'),
    }),
  };
  client = new LanguageClient('netpol', 'netpol', serverOptions, clientOptions);

  context.subscriptions.push(
    vscode.commands.registerCommand('netpol.restartServer', async () => {
      if (!client) return;
      output?.appendLine('Restarting the netpol server…');
      await client.restart();
    }),
    vscode.commands.registerCommand('netpol.showOutput', () => output?.show(true)),
    vscode.commands.registerCommand('netpol.showReferences', async (uri: string, position: Position, locations: Location[]) => {
      if (!client) return;
      const c = client.protocol2CodeConverter;
      await vscode.commands.executeCommand('editor.action.showReferences', c.asUri(uri), c.asPosition(position), locations.map((l) => c.asLocation(l)));
    }),
  );
  await client.start();
}

export async function deactivate(): Promise<void> {
  if (client) await client.stop();
  client = undefined;
}
