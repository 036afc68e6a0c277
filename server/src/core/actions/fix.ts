import type { Finding } from '../diagnostics';
import type { Inventory } from '../inventory';
import type { ParsedFile } from '../model';
import type { TextEdit } from './edit';

/**
 * The kind of a code action, as LSP names it: quick fixes on diagnostics, rewrites offered on a
 * construct, and source actions (`source.netpol.*`) offered anywhere in a document.
 */
export type FixKind = 'quickfix' | 'refactor.rewrite' | `source.netpol.${string}`;

export interface Fix {
  readonly title: string;
  readonly kind: FixKind;
  readonly edits: readonly TextEdit[];
  /** The findings this fix resolves. */
  readonly fixes: readonly Finding[];
  readonly preferred: boolean;
}

/** What every fix may read: the file being edited and the workspace around it. */
export interface FixInput {
  readonly file: ParsedFile;
  readonly inv: Inventory;
}

/** A quick fix for one finding; undefined when the finding's place does not allow one. */
export type QuickFix = (input: FixInput, finding: Finding) => Fix | undefined;
