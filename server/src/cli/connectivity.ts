import { analyze, connectivity, formatReport, IPBLOCK_CAVEAT, REPORT_FORMATS, type IpBlockMode, type ReportFormat } from '../core/engine';
import { displayPath } from './files';
import { EXIT_OK, EXIT_USAGE, UsageError, type CliIO } from './io';
import { parseArgs } from './args';
import { loadManifests } from './manifests';

export const CONNECTIVITY_USAGE = `Usage: netpol connectivity <files or directories…> [--format txt|json|csv|md|dot]
                            [--namespace NS] [--ipblocks plugin-dependent|external-only]

Lists every allowed connection between workloads, and between workloads and
address ranges outside the cluster, one line per pair:

  default/frontend[Deployment] => default/backend[Deployment] : TCP 9090

The txt format is line for line the \`list\` report of np-guard/netpol-analyzer.
Directories are read recursively for .yaml, .yml and .json files.

  --format FMT         txt (default), json, csv, md or dot
  --namespace NS       namespace of objects without metadata.namespace (default "default")
  --ipblocks MODE      plugin-dependent (default): ipBlocks are taken to match only
                       addresses outside the cluster, and a note says that whether
                       they also match pod IPs depends on the network plugin;
                       external-only: the same answer without the note

Exit status: 0 report printed, 2 usage or read errors.
`;

export function parseMode(v: string | boolean | undefined): IpBlockMode {
  if (v === undefined) return 'plugin-dependent';
  if (v === 'plugin-dependent' || v === 'external-only') return v;
  throw new UsageError(`unknown --ipblocks mode "${String(v)}" (plugin-dependent or external-only)`);
}

export async function run(argv: string[], io: CliIO): Promise<number> {
  let args;
  let mode: IpBlockMode;
  try {
    args = parseArgs(argv, { format: 'string', namespace: 'string', ipblocks: 'string', help: 'boolean' });
    mode = parseMode(args.flags.ipblocks);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`netpol connectivity: ${e.message}\n\n${CONNECTIVITY_USAGE}`);
      return EXIT_USAGE;
    }
    throw e;
  }
  if (args.flags.help) {
    io.out(CONNECTIVITY_USAGE);
    return EXIT_OK;
  }
  const format = (args.flags.format as string | undefined) ?? 'txt';
  if (!(REPORT_FORMATS as readonly string[]).includes(format)) {
    io.err(`netpol connectivity: unknown format "${format}" (${REPORT_FORMATS.join(', ')})\n`);
    return EXIT_USAGE;
  }
  if (args.positional.length === 0) {
    io.err(`netpol connectivity: no files or directories given\n\n${CONNECTIVITY_USAGE}`);
    return EXIT_USAGE;
  }
  const m = await loadManifests(args.positional, (args.flags.namespace as string | undefined) ?? 'default');
  for (const e of m.errors) io.err(`netpol connectivity: ${displayPath(e.path)}: ${e.message}\n`);
  if (m.errors.length && m.files.length === 0) return EXIT_USAGE;
  for (const w of m.warnings) io.err(`netpol connectivity: warning: ${w}\n`);
  const report = connectivity(analyze(m.inventory, { ipBlocks: mode }));
  io.out(formatReport(report, format as ReportFormat));
  if (report.ipBlockCaveat) {
    io.err(`netpol connectivity: note: ipBlocks are taken to match only addresses outside the cluster; ${IPBLOCK_CAVEAT}.\n`);
  }
  return EXIT_OK;
}
