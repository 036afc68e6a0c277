import { diagnose, type Finding } from '../core/diagnostics';
import { buildInventory } from '../core/inventory';
import type { ParsedFile } from '../core/model';
import { lineMapOf, type Span } from '../core/text';
import { Excludes } from '../core/glob';
import { applyRuleSettings, parseProjectConfig, CONFIG_FILE, type ProjectConfig } from '../core/ruleconfig';
import { collectFiles, displayPath, readParsed, type FileError } from './files';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, UsageError, type CliIO } from './io';
import { parseArgs } from './args';
import { toGithub, toSarif, type CheckDiagnostic, type CheckPlace } from './sarif';

const FORMATS = ['text', 'json', 'sarif', 'github'];

export const CHECK_USAGE = `Usage: netpol check <files or directories…> [--format text|json|sarif|github] [--namespace NS]

Checks Kubernetes NetworkPolicy YAML: what the API server would reject and the
mistakes it accepts. Directories are read recursively for .yaml and .yml files;
every file is analysed together with the others (policies, workloads and
namespaces from all of them).

  --format FORMAT      text (default: path:line:col: severity code message), json,
                       sarif (SARIF 2.1.0 for code scanning; paths relative to the current
                       folder) or github (GitHub Actions annotations: ::error file=…::…)
  --namespace NS       namespace of objects without metadata.namespace (default "default")
  --config FILE        project settings (default: the nearest ${CONFIG_FILE} from the current
                       folder up): rule levels, defaultNamespace, exclude

Exit status: 0 no errors, 1 errors found, 2 usage or read errors.
`;

export async function run(argv: string[], io: CliIO): Promise<number> {
  let args;
  try {
    args = parseArgs(argv, { format: 'string', namespace: 'string', config: 'string', help: 'boolean' });
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
  if (!FORMATS.includes(format)) {
    io.err(`netpol check: unknown format "${format}" (${FORMATS.join(', ')})\n`);
    return EXIT_USAGE;
  }
  if (args.positional.length === 0) {
    io.err(`netpol check: no files or directories given\n\n${CHECK_USAGE}`);
    return EXIT_USAGE;
  }
  const configPath = (args.flags.config as string | undefined) ?? findConfig(process.cwd());
  let config: ProjectConfig | undefined;
  if (configPath !== undefined) {
    try {
      config = parseProjectConfig(readFileSync(configPath, 'utf8'));
    } catch (e) {
      io.err(`netpol check: cannot read ${configPath}: ${e instanceof Error ? e.message : String(e)}\n`);
      return EXIT_USAGE;
    }
    for (const p of config.problems) io.err(`${displayPath(configPath)}: ${p.message}\n`);
  }
  const collected = await collectFiles(args.positional);
  const errors = collected.errors;
  let files = collected.files;
  if (config && configPath !== undefined && config.exclude.length) {
    const ex = new Excludes(config.exclude);
    const base = dirname(resolve(configPath));
    files = files.filter((f) => {
      const rel = relative(base, resolve(f));
      return rel.startsWith('..') || !ex.excluded(rel.split(sep).join('/'));
    });
  }
  const parsed: ParsedFile[] = [];
  const readErrors: FileError[] = [...errors];
  for (const f of files) {
    const r = readParsed(f);
    if ('message' in r) readErrors.push(r);
    else parsed.push(r);
  }
  const inv = buildInventory(parsed, (args.flags.namespace as string | undefined) ?? config?.defaultNamespace ?? 'default');
  let errorCount = 0;
  const results: { path: string; diagnostics: CheckDiagnostic[] }[] = [];
  const bySource = new Map(parsed.map((p) => [p.source, p]));
  const place = (source: string, s: Span): CheckPlace['range'] | undefined => {
    const file = bySource.get(source);
    if (!file) return undefined;
    const lines = lineMapOf(file);
    return { start: lines.position(s.start), end: lines.position(s.end) };
  };
  for (const file of parsed) {
    const findings = applyRuleSettings(diagnose(file, inv), file, config?.rules ?? new Map()).sort((a, b) => a.span.start - b.span.start || a.code.localeCompare(b.code));
    const lines = lineMapOf(file);
    const diags = findings.map((f: Finding): CheckDiagnostic => {
      if (f.severity === 'error') errorCount++;
      const related: CheckPlace[] = [];
      for (const r of f.related ?? []) {
        const range = place(r.object.source, r.span);
        if (range) related.push({ path: displayPath(r.object.source), range, message: r.message });
      }
      return {
        range: { start: lines.position(f.span.start), end: lines.position(f.span.end) },
        severity: f.severity,
        code: f.code,
        message: f.message,
        ...(related.length ? { related } : {}),
      };
    });
    results.push({ path: displayPath(file.source), diagnostics: diags });
  }
  const errorList = readErrors.map((e) => ({ path: displayPath(e.path), message: e.message }));
  if (format === 'json') {
    io.out(`${JSON.stringify({ files: results, errors: errorList }, null, 2)}\n`);
  } else if (format === 'sarif') {
    io.out(`${JSON.stringify(toSarif(results, errorList), null, 2)}\n`);
  } else if (format === 'github') {
    io.out(toGithub(results, errorList));
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

/** The nearest project file from a folder up to the file system root. */
function findConfig(from: string): string | undefined {
  let dir = resolve(from);
  for (;;) {
    const candidate = join(dir, CONFIG_FILE);
    if (existsSync(candidate)) return candidate;
    const up = dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}
