import type { TextDocument } from 'vscode-languageserver-textdocument';
import {
  CodeAction,
  CodeActionKind,
  CompletionItemKind,
  DiagnosticSeverity,
  InsertTextFormat,
  InsertTextMode,
  MarkupKind,
  type CompletionItem,
  type Diagnostic,
  type Hover,
  type Range,
  type TextEdit,
} from 'vscode-languageserver';
import type { CompletionItem as CoreCompletion } from '../core/complete';
import type { Finding } from '../core/diagnostics';
import type { Fix } from '../core/fixes';
import type { Hover as CoreHover } from '../core/hover';
import { ruleDocUrl, type Severity } from '../core/rules';
import type { Span } from '../core/text';

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

export function diagnostic(doc: TextDocument, f: Finding): Diagnostic {
  return {
    range: range(doc, f.span),
    severity: severities[f.severity],
    code: f.code,
    codeDescription: { href: ruleDocUrl(f.code) },
    source: 'netpol',
    message: f.message,
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
  const kind = fix.kind === 'quickfix' ? CodeActionKind.QuickFix : fix.kind === 'source' ? CodeActionKind.Source : CodeActionKind.Refactor;
  const matched = diagnostics.filter((d) => fix.fixes.some((f) => f.code === d.code && doc.offsetAt(d.range.start) === f.span.start));
  return {
    title: fix.title,
    kind,
    diagnostics: matched.length ? matched : undefined,
    isPreferred: fix.preferred,
    edit: { documentChanges: [{ textDocument: { uri: doc.uri, version: doc.version }, edits }] },
  };
}
