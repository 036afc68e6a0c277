import { diagnose, type Finding } from '../core/diagnostics';
import { buildInventory } from '../core/inventory';
import type { ParsedFile } from '../core/model';
import { LineMap } from '../core/text';
import { collectFiles, displayPath, readParsed, type FileError } from './files';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, UsageError, type CliIO } from './io';
import { parseArgs } from './args';

export const CHECK_USAGE = `Usage: netpol check <files or directories…> [--format text|json] [--namespace NS]

Checks Kubernetes NetworkPolicy YAML: what the API server would reject and the
mistakes it accepts. Directories are read recursively for .yaml and .yml files;
every file is analysed together with the others (policies, workloads and
namespaces from all of them).

  --format text|json   output format (default text: path:line:col: severity code message)
  --namespace NS       namespace of objects without metadata.namespace (default "default")

Exit status: 0 no errors, 1 errors found, 2 usage or read errors.
`;

interface JsonDiagnostic {
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  severity: string;
  code: string;
  message: string;
}

export async function run(argv: string[], io: CliIO): Promise<number> {
  let args;
  try {
    args = parseArgs(argv, { format: 'string', namespace: 'string', help: 'boolean' });
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`netpol check: ${e.message}\n\n${CHECK_USAGE}`);
      return EXIT_USAGE;
    }
    throw e;
  }
  if (args.flags.help) {
    io.out(CHECK_USAGE);
    return EXIT_OK;
  }
  const format = (args.flags.format as string | undefined) ?? 'text';
  if (format !== 'text' && format !== 'json') {
    io.err(`netpol check: unknown format "${format}" (text or json)\n`);
    return EXIT_USAGE;
  }
  if (args.positional.length === 0) {
    io.err(`netpol check: no files or directories given\n\n${CHECK_USAGE}`);
    return EXIT_USAGE;
  }
  const { files, errors } = collectFiles(args.positional);
  const parsed: ParsedFile[] = [];
  const readErrors: FileError[] = [...errors];
  for (const f of files) {
    const r = readParsed(f);
    if ('message' in r) readErrors.push(r);
    else parsed.push(r);
  }
  const inv = buildInventory(parsed, (args.flags.namespace as string | undefined) ?? 'default');
  let errorCount = 0;
  const results: { path: string; diagnostics: JsonDiagnostic[] }[] = [];
  for (const file of parsed) {
    const findings = diagnose(file, inv).sort((a, b) => a.span.start - b.span.start || a.code.localeCompare(b.code));
    const lines = new LineMap(file.text);
    const diags = findings.map((f: Finding) => {
      if (f.severity === 'error') errorCount++;
      return {
        range: { start: lines.position(f.span.start), end: lines.position(f.span.end) },
        severity: f.severity,
        code: f.code,
        message: f.message,
      };
    });
    results.push({ path: displayPath(file.source), diagnostics: diags });
  }
  if (format === 'json') {
    io.out(`${JSON.stringify({ files: results, errors: readErrors.map((e) => ({ path: displayPath(e.path), message: e.message })) }, null, 2)}\n`);
  } else {
    for (const r of results) {
      for (const d of r.diagnostics) io.out(`${r.path}:${d.range.start.line + 1}:${d.range.start.character + 1}: ${d.severity} ${d.code} ${d.message}\n`);
    }
    for (const e of readErrors) io.err(`${displayPath(e.path)}: ${e.message}\n`);
  }
  if (readErrors.length && files.length === 0) return EXIT_USAGE;
  if (errorCount > 0 || readErrors.length) return EXIT_FINDINGS;
  return EXIT_OK;
}
