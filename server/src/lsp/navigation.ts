import type { TextDocument } from 'vscode-languageserver-textdocument';
import { ResponseError, type ClientCapabilities, type CodeLens, type Connection, type InitializeParams, type ServerCapabilities, type TextDocuments } from 'vscode-languageserver/node';
import type { ParsedFile } from '../core/model';
import { definition, documentSymbols, lens, lensAnchors, references, workspaceSymbols } from '../core/navigate';
import * as convert from './convert';
import { guard } from './guard';
import type { Settings } from './settings';
import type { Workspace } from './workspace';

/** What the server offers for navigation, and what it needs to know about the client. */
export interface NavigationFeature {
  /** Capability entries for the initialize result; reads the client's capabilities and options. */
  initialize(params: InitializeParams): Partial<ServerCapabilities>;
}

/**
 * The command a lens runs to list a policy's workloads, with arguments `[uri, position, locations]`
 * as JSON. VS Code's own `editor.action.showReferences` wants its types, not JSON, so the netpol
 * client passes `showReferencesCommand: 'netpol.showReferences'` (a converting command) in its
 * initialization options.
 */
const DEFAULT_SHOW_REFERENCES = 'editor.action.showReferences';

interface LensData {
  readonly uri: string;
  readonly index: number;
}

function isLensData(x: unknown): x is LensData {
  if (!x || typeof x !== 'object') return false;
  const d = x as Record<string, unknown>;
  return typeof d.uri === 'string' && typeof d.index === 'number';
}

/**
 * Go to definition (selector → workloads and Namespaces), references (workload or Namespace →
 * the policies and peers selecting it), outline, policies by name and a lens above each policy.
 * Every file of the workspace counts, open or not.
 */
export function registerNavigation(connection: Connection, documents: TextDocuments<TextDocument>, workspace: Workspace, getSettings: () => Settings): NavigationFeature {
  let client: ClientCapabilities = {};
  let showReferences = DEFAULT_SHOW_REFERENCES;
  const fileOf: convert.FileOf = (source) => workspace.current(source)?.file;

  const guarded = guard(connection);

  /** The current parse of a document (open, or indexed from disk), unless netpol is off. */
  function fileFor(uri: string): ParsedFile | undefined {
    if (!getSettings().enable) return undefined;
    return workspace.current(uri)?.file;
  }

  function offsetOf(file: ParsedFile, uri: string, position: { line: number; character: number }): number {
    const doc = documents.get(uri);
    return doc ? doc.offsetAt(position) : convert.offsetIn(file, position);
  }

  connection.onDefinition((params) =>
    guarded('definition', () => {
      const file = fileFor(params.textDocument.uri);
      if (!file) return null;
      const nav = definition(file, workspace.inventory(), offsetOf(file, params.textDocument.uri, params.position));
      if (!nav) return null;
      if (client.textDocument?.definition?.linkSupport === true) {
        const origin = convert.rangeIn(file, nav.origin);
        return nav.targets.map((t) => convert.targetLink(fileOf, origin, t)).filter((l) => l !== undefined);
      }
      return nav.targets.map((t) => convert.targetLocation(fileOf, t)).filter((l) => l !== undefined);
    }),
  );

  connection.onReferences((params) =>
    guarded('references', () => {
      const file = fileFor(params.textDocument.uri);
      if (!file) return null;
      const nav = references(file, workspace.inventory(), offsetOf(file, params.textDocument.uri, params.position), params.context.includeDeclaration);
      if (!nav) return null;
      return nav.targets.map((t) => convert.targetLocation(fileOf, t)).filter((l) => l !== undefined);
    }),
  );

  connection.onDocumentSymbol((params) =>
    guarded('document symbols', () => {
      const file = fileFor(params.textDocument.uri);
      if (!file) return null;
      const symbols = documentSymbols(file, workspace.inventory().defaultNamespace);
      if (client.textDocument?.documentSymbol?.hierarchicalDocumentSymbolSupport === true) return symbols.map((s) => convert.documentSymbol(file, s));
      return symbols.flatMap((s) => convert.symbolInformation(file, s));
    }),
  );

  connection.onWorkspaceSymbol((params) =>
    guarded('workspace symbols', () => {
      if (!getSettings().enable) return [];
      return workspaceSymbols(workspace.inventory(), params.query)
        .map((s) => convert.workspaceSymbol(fileOf, s))
        .filter((s) => s !== undefined);
    }),
  );

  // Lenses come cheap (one per policy) and are filled in when shown: a file of thousands of
  // policies does not compute what nobody sees.
  connection.onCodeLens((params) =>
    guarded('code lens', () => {
      const file = fileFor(params.textDocument.uri);
      if (!file) return null;
      return lensAnchors(file).map((a) => convert.codeLens(file, a));
    }),
  );

  connection.onCodeLensResolve((codeLens: CodeLens) => {
    const resolved = guarded('code lens', (): CodeLens => {
      const data: unknown = codeLens.data;
      const file = isLensData(data) ? fileFor(data.uri) : undefined;
      const l = file && isLensData(data) ? lens(file, workspace.inventory(), data.index) : undefined;
      if (!file || !l) return { ...codeLens, command: { title: 'policy changed: save or edit to refresh', command: '' } };
      const locations = l.workloads.map((t) => convert.targetLocation(fileOf, t)).filter((x) => x !== undefined);
      const position = convert.rangeIn(file, l.span).start;
      return { ...codeLens, command: { title: l.title, command: showReferences, arguments: [file.source, position, locations] } };
    });
    return resolved instanceof ResponseError ? codeLens : resolved;
  });

  return {
    initialize(params: InitializeParams): Partial<ServerCapabilities> {
      client = params.capabilities;
      const options = params.initializationOptions as { showReferencesCommand?: unknown } | null | undefined;
      if (typeof options?.showReferencesCommand === 'string' && options.showReferencesCommand) showReferences = options.showReferencesCommand;
      return {
        definitionProvider: true,
        referencesProvider: true,
        documentSymbolProvider: { label: 'netpol' },
        workspaceSymbolProvider: true,
        codeLensProvider: { resolveProvider: true },
      };
    },
  };
}
