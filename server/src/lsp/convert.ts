import type { TextDocument } from 'vscode-languageserver-textdocument';
import {
  CodeAction,
  CodeActionKind,
  CompletionItemKind,
  DiagnosticSeverity,
  InsertTextFormat,
  InsertTextMode,
  MarkupKind,
  SymbolKind,
  type CompletionItem,
  type Diagnostic,
  type Hover,
  type CodeLens,
  type DocumentSymbol,
  type Location,
  type LocationLink,
  type Position,
  type Range,
  type SymbolInformation,
  type TextEdit,
} from 'vscode-languageserver';
import type { CompletionItem as CoreCompletion } from '../core/complete';
import type { ParsedFile } from '../core/model';
import type { LensAnchor, SymbolKind as CoreSymbolKind, SymbolNode, Target, WorkspaceSymbol } from '../core/navigate';
import type { Finding } from '../core/diagnostics';
import type { Fix } from '../core/fixes';
import type { Hover as CoreHover } from '../core/hover';
import { ruleDocUrl, type Severity } from '../core/rules';
import { lineMapOf, type Span } from '../core/text';

/** The one place where core results (offsets) become LSP types (positions). */

export function range(doc: TextDocument, s: Span): Range {
  return { start: doc.positionAt(s.start), end: doc.positionAt(s.end) };
}

export function span(doc: TextDocument, r: Range): Span {
  return { start: doc.offsetAt(r.start), end: doc.offsetAt(r.end) };
}

const severities: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/** Where a span of a workspace file is, for a finding's related places; undefined for a file the workspace no longer has. */
export type Locate = (source: string, s: Span) => Location | undefined;

/** `locate` is given when the client shows related information. */
export function diagnostic(doc: TextDocument, f: Finding, locate?: Locate): Diagnostic {
  const d: Diagnostic = {
    range: range(doc, f.span),
    severity: severities[f.severity],
    code: f.code,
    codeDescription: { href: ruleDocUrl(f.code) },
    source: 'netpol',
    message: f.message,
  };
  if (locate && f.related?.length) {
    const related = [];
    for (const r of f.related) {
      const location = locate(r.object.source, r.span);
      if (location) related.push({ location, message: r.message });
    }
    if (related.length) d.relatedInformation = related;
  }
  return d;
}

/**
 * Locations in open documents from their own positions, in other files from their parsed text: a
 * related place in the document being published costs no second line index of it.
 */
export function locator(docOf: (uri: string) => TextDocument | undefined, fileOf: FileOf): Locate {
  return (source, s) => {
    const doc = docOf(source);
    return doc ? { uri: doc.uri, range: range(doc, s) } : location(fileOf, source, s);
  };
}

export function hover(doc: TextDocument, h: CoreHover): Hover {
  return { contents: { kind: MarkupKind.Markdown, value: h.contents }, range: range(doc, h.span) };
}

const kinds: Record<CoreCompletion['kind'], CompletionItemKind> = {
  field: CompletionItemKind.Property,
  value: CompletionItemKind.EnumMember,
  labelKey: CompletionItemKind.Field,
  labelValue: CompletionItemKind.Value,
  port: CompletionItemKind.Value,
  snippet: CompletionItemKind.Snippet,
};

export function completion(doc: TextDocument, c: CoreCompletion): CompletionItem {
  return {
    label: c.label,
    kind: kinds[c.kind],
    detail: c.detail,
    documentation: c.documentation ? { kind: MarkupKind.Markdown, value: c.documentation } : undefined,
    textEdit: { range: range(doc, c.replace), newText: c.insertText },
    insertTextFormat: c.snippet ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
    // Continuation lines are written relative to the cursor's line (see core/complete.ts).
    insertTextMode: c.insertText.includes('\n') ? InsertTextMode.adjustIndentation : undefined,
    sortText: c.sortText,
    filterText: c.filterText,
    labelDetails: c.description ? { description: c.description } : undefined,
  };
}

export function codeAction(doc: TextDocument, fix: Fix, diagnostics: readonly Diagnostic[]): CodeAction {
  const edits: TextEdit[] = fix.edits.map((e) => ({ range: range(doc, e.span), newText: e.newText }));
  // The core names kinds as LSP does (quickfix, refactor.rewrite, source.netpol.*).
  const kind: CodeActionKind = fix.kind;
  const matched = diagnostics.filter((d) => fix.fixes.some((f) => f.code === d.code && doc.offsetAt(d.range.start) === f.span.start));
  return {
    title: fix.title,
    kind,
    diagnostics: matched.length ? matched : undefined,
    isPreferred: fix.preferred,
    edit: { documentChanges: [{ textDocument: { uri: doc.uri, version: doc.version }, edits }] },
  };
}

// --- locations in any file of the workspace, open or only on disk: positions from its parsed text ---

export function rangeIn(file: ParsedFile, s: Span): Range {
  const m = lineMapOf(file);
  return { start: m.position(s.start), end: m.position(s.end) };
}

export function offsetIn(file: ParsedFile, p: Position): number {
  return lineMapOf(file).offset(p);
}

/** The parsed file behind a source URI (the workspace's current version). */
export type FileOf = (source: string) => ParsedFile | undefined;

export function location(fileOf: FileOf, source: string, s: Span): Location | undefined {
  const f = fileOf(source);
  return f ? { uri: source, range: rangeIn(f, s) } : undefined;
}

export function targetLocation(fileOf: FileOf, t: Target): Location | undefined {
  return location(fileOf, t.source, t.selection);
}

export function targetLink(fileOf: FileOf, origin: Range, t: Target): LocationLink | undefined {
  const f = fileOf(t.source);
  return f ? { originSelectionRange: origin, targetUri: t.source, targetRange: rangeIn(f, t.span), targetSelectionRange: rangeIn(f, t.selection) } : undefined;
}

const symbolKinds: Record<CoreSymbolKind, SymbolKind> = {
  policy: SymbolKind.Class,
  rule: SymbolKind.Method,
  workload: SymbolKind.Struct,
  namespace: SymbolKind.Namespace,
  service: SymbolKind.Interface,
};

export function documentSymbol(file: ParsedFile, s: SymbolNode): DocumentSymbol {
  return {
    name: s.name,
    detail: s.detail,
    kind: symbolKinds[s.kind],
    range: rangeIn(file, s.span),
    selectionRange: rangeIn(file, s.selection),
    children: s.children.map((c) => documentSymbol(file, c)),
  };
}

/** For clients without hierarchical outlines: the tree flattened, children named by their parent. */
export function symbolInformation(file: ParsedFile, s: SymbolNode, container?: string): SymbolInformation[] {
  const self: SymbolInformation = { name: s.name, kind: symbolKinds[s.kind], location: { uri: file.source, range: rangeIn(file, s.span) }, containerName: container };
  return [self, ...s.children.flatMap((c) => symbolInformation(file, c, s.name))];
}

export function workspaceSymbol(fileOf: FileOf, s: WorkspaceSymbol): SymbolInformation | undefined {
  const loc = location(fileOf, s.source, s.selection);
  return loc ? { name: s.name, kind: SymbolKind.Class, location: loc, containerName: s.container } : undefined;
}

/** A lens still to be resolved: `data` says which policy of which file. */
export function codeLens(file: ParsedFile, a: LensAnchor): CodeLens {
  return { range: rangeIn(file, a.span), data: { uri: file.source, index: a.index } };
}
