/**
 * Printers of `netpol check` for CI: SARIF 2.1.0 (GitHub code scanning and other SARIF viewers)
 * and GitHub Actions workflow commands (annotations on the pull request's diff). Both take the
 * findings already placed on 0-based lines and UTF-16 columns, as the text and JSON outputs do.
 */
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { RULES, ruleDocUrl, type Severity } from '../core/rules';
import { version } from '../version';

export interface Position {
  readonly line: number;
  readonly character: number;
}

export interface CheckDiagnostic {
  readonly range: { readonly start: Position; readonly end: Position };
  readonly severity: Severity;
  readonly code: string;
  readonly message: string;
  /** Other places the message speaks of (see Finding.related). */
  readonly related?: readonly CheckPlace[];
}

export interface CheckPlace {
  readonly path: string;
  readonly range: { readonly start: Position; readonly end: Position };
  readonly message: string;
}

export interface CheckFile {
  /** The path as given or found (relative or absolute). */
  readonly path: string;
  readonly diagnostics: readonly CheckDiagnostic[];
}

export interface CheckError {
  readonly path: string;
  readonly message: string;
}

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
export const SARIF_VERSION = '2.1.0';
const INFORMATION_URI = 'https://github.com/netpol-dev/netpol';

type SarifLevel = 'error' | 'warning' | 'note';

/** SARIF has error, warning and note; information and hint are both notes. */
export function sarifLevel(s: Severity): SarifLevel {
  return s === 'error' ? 'error' : s === 'warning' ? 'warning' : 'note';
}

/**
 * A file's URI relative to the working directory (the repository root in CI, which is what code
 * scanning resolves against), with `/` separators and each segment percent-encoded; a file outside
 * it gets an absolute file: URI.
 */
export function artifactUri(path: string, cwd: string = process.cwd()): { uri: string; uriBaseId?: string } {
  const abs = resolve(cwd, path);
  const rel = relative(cwd, abs);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return { uri: pathToFileURL(abs).href };
  return { uri: rel.split(sep).map(encodeURIComponent).join('/'), uriBaseId: '%SRCROOT%' };
}

/** 1-based region; an empty range stays an insertion point at its start. */
function region(d: { readonly range: CheckDiagnostic['range'] }): { startLine: number; startColumn: number; endLine: number; endColumn: number } {
  return { startLine: d.range.start.line + 1, startColumn: d.range.start.character + 1, endLine: d.range.end.line + 1, endColumn: d.range.end.character + 1 };
}

export function toSarif(files: readonly CheckFile[], errors: readonly CheckError[], cwd: string = process.cwd()): object {
  const rules = [...RULES.values()];
  const index = new Map(rules.map((r, i) => [r.code, i]));
  const results: object[] = [];
  for (const f of files) {
    const location = artifactUri(f.path, cwd);
    for (const d of f.diagnostics) {
      results.push({
        ruleId: d.code,
        ...(index.has(d.code) ? { ruleIndex: index.get(d.code) } : {}),
        level: sarifLevel(d.severity),
        message: { text: d.message },
        locations: [{ physicalLocation: { artifactLocation: location, region: region(d) } }],
        ...(d.related?.length ? { relatedLocations: d.related.map((r, id) => ({ id, physicalLocation: { artifactLocation: artifactUri(r.path, cwd), region: region(r) }, message: { text: r.message } })) } : {}),
      });
    }
  }
  return {
    $schema: SARIF_SCHEMA,
    version: SARIF_VERSION,
    runs: [
      {
        tool: {
          driver: {
            name: 'netpol',
            version,
            semanticVersion: version,
            informationUri: INFORMATION_URI,
            rules: rules.map((r) => ({
              id: r.code,
              name: r.name,
              shortDescription: { text: r.summary },
              helpUri: ruleDocUrl(r.code),
              defaultConfiguration: { level: sarifLevel(r.severity) },
              properties: { tags: [r.code.startsWith('NP1') ? 'api-server' : r.code.startsWith('NP2') ? 'lint' : 'file'] },
            })),
          },
        },
        originalUriBaseIds: { '%SRCROOT%': { uri: `${pathToFileURL(cwd).href.replace(/\/?$/, '/')}` } },
        columnKind: 'utf16CodeUnits',
        invocations: [
          {
            executionSuccessful: errors.length === 0,
            toolExecutionNotifications: errors.map((e) => ({
              level: 'error',
              message: { text: e.message },
              locations: [{ physicalLocation: { artifactLocation: artifactUri(e.path, cwd) } }],
            })),
          },
        ],
        results,
      },
    ],
  };
}

/** Workflow command escaping: the message (data) and the properties (file, title). */
function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

const COMMAND: Record<Severity, string> = { error: 'error', warning: 'warning', information: 'notice', hint: 'notice' };

/** `::error file=…,line=…,col=…,endLine=…,endColumn=…,title=NP201::message`, one line per finding. */
export function toGithub(files: readonly CheckFile[], errors: readonly CheckError[]): string {
  let out = '';
  for (const f of files) {
    const file = escapeProperty(f.path.split(sep).join('/'));
    for (const d of f.diagnostics) {
      const r = region(d);
      out += `::${COMMAND[d.severity]} file=${file},line=${r.startLine},col=${r.startColumn},endLine=${r.endLine},endColumn=${r.endColumn},title=${escapeProperty(d.code)}::${escapeData(d.message)}\n`;
    }
  }
  for (const e of errors) out += `::error file=${escapeProperty(e.path.split(sep).join('/'))},title=netpol::${escapeData(e.message)}\n`;
  return out;
}
