import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import type { Location, Position } from 'vscode-languageclient';

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
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'yaml' },
      { scheme: 'untitled', language: 'yaml' },
    ],
    synchronize: { configurationSection: 'netpol' },
    outputChannel: output,
    traceOutputChannel: output,
    // Lenses name this command, which turns their JSON arguments into the types VS Code's
    // editor.action.showReferences needs.
    initializationOptions: { showReferencesCommand: 'netpol.showReferences' },
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
