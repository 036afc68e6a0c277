import type { PolicyInfo } from '../core/inventory';
import type { Protocol } from '../core/model';
import {
  analyze,
  describeReach,
  findEndpoint,
  IPBLOCK_CAVEAT,
  policyName,
  type DirectionDecision,
  type IpBlockMode,
  type Locator,
  type RuleRef,
} from '../core/engine';
import { displayPath } from './files';
import { EXIT_OK, EXIT_USAGE, UsageError, type CliIO } from './io';
import { parseArgs } from './args';
import { parseMode } from './connectivity';
import { loadManifests } from './manifests';

export const REACH_USAGE = `Usage: netpol reach <files or directories…> --from PEER --to PEER --port N[/TCP|UDP|SCTP]
                     [--json] [--namespace NS] [--ipblocks plugin-dependent|external-only]

Says whether PEER --from may open a connection to PEER --to on a port, and why:
the source's egress and the destination's ingress, with the deciding policies
and rules (file and line).

A PEER is namespace/name of a workload of any kind (Deployment, StatefulSet,
DaemonSet, Job, CronJob, ReplicaSet, ReplicationController, Pod; a Pod also
answers to its controller's name), namespace/Kind/name when the name is
ambiguous, or an IP address (a host outside the cluster).
Directories are read recursively for .yaml, .yml and .json files.

  --port N[/PROTO]     port number, protocol TCP (default), UDP or SCTP
  --json               print a JSON object ({"allowed": true|false, ...})
  --namespace NS       namespace of objects without metadata.namespace (default "default")
  --ipblocks MODE      plugin-dependent (default) or external-only (see netpol connectivity --help)

Exit status: 0 answered (allowed or denied), 2 usage errors, unknown workloads or read errors.
`;

function parsePort(v: string | boolean | undefined): { port: number; protocol: Protocol } {
  if (typeof v !== 'string') throw new UsageError('--port is required (for example --port 443 or --port 53/UDP)');
  const m = /^(\d{1,5})(?:\/(tcp|udp|sctp))?$/i.exec(v.trim());
  const port = m ? Number(m[1]) : NaN;
  if (!m || port < 1 || port > 65535) throw new UsageError(`--port "${v}" is not a port (1-65535, optionally /TCP, /UDP or /SCTP)`);
  return { port, protocol: ((m[2] ?? 'TCP').toUpperCase() as Protocol) };
}

interface JsonRule {
  policy: string;
  direction: string;
  /** 1-based, as in the sentences. */
  rule: number;
  /** 1-based index of the matching peer in from/to; absent when the rule lists no peers. */
  peer?: number;
  file: string;
  line: number;
}

function where(locate: Locator, source: string, offset: number): { file: string; line: number } {
  const s = locate(source, offset) ?? `${displayPath(source)}:0`;
  const i = s.lastIndexOf(':');
  return { file: s.slice(0, i), line: Number(s.slice(i + 1)) };
}

function jsonRule(r: RuleRef, locate: Locator): JsonRule {
  const out: JsonRule = { policy: policyName(r.policy), direction: r.direction, rule: r.rule.index + 1, ...where(locate, r.policy.policy.source, r.rule.span.start) };
  if (r.peer) out.peer = r.peer.index + 1;
  return out;
}

function jsonPolicy(p: PolicyInfo, locate: Locator): { policy: string; file: string; line: number } {
  return { policy: policyName(p), ...where(locate, p.policy.source, p.policy.span.start) };
}

function jsonDecision(d: DirectionDecision, locate: Locator) {
  return {
    allowed: d.allowed,
    applies: d.applies,
    isolated: d.isolated,
    reason: !d.applies ? 'outside-cluster' : !d.isolated ? 'not-isolated' : d.allowed ? 'allowed-by-rule' : 'no-rule-allows',
    policies: d.policies.map((p) => jsonPolicy(p, locate)),
    rules: d.rules.map((r) => jsonRule(r, locate)),
    portMismatches: d.portMismatches.map((r) => jsonRule(r, locate)),
    ipBlockCaveats: d.ipBlockCaveats.map((r) => jsonRule(r, locate)),
  };
}

export async function run(argv: string[], io: CliIO): Promise<number> {
  let args;
  let mode: IpBlockMode;
  let port: { port: number; protocol: Protocol };
  try {
    args = parseArgs(argv, { from: 'string', to: 'string', port: 'string', json: 'boolean', namespace: 'string', ipblocks: 'string', help: 'boolean' });
    if (args.flags.help) {
      io.out(REACH_USAGE);
      return EXIT_OK;
    }
    mode = parseMode(args.flags.ipblocks);
    if (typeof args.flags.from !== 'string') throw new UsageError('--from is required');
    if (typeof args.flags.to !== 'string') throw new UsageError('--to is required');
    port = parsePort(args.flags.port);
    if (args.positional.length === 0) throw new UsageError('no files or directories given');
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`netpol reach: ${e.message}\n\n${REACH_USAGE}`);
      return EXIT_USAGE;
    }
    throw e;
  }
  const m = await loadManifests(args.positional, (args.flags.namespace as string | undefined) ?? 'default');
  for (const e of m.errors) io.err(`netpol reach: ${displayPath(e.path)}: ${e.message}\n`);
  if (m.errors.length && m.files.length === 0) return EXIT_USAGE;
  for (const w of m.warnings) io.err(`netpol reach: warning: ${w}\n`);
  const from = findEndpoint(m.inventory, args.flags.from);
  const to = findEndpoint(m.inventory, args.flags.to);
  for (const [flag, e] of [['--from', from], ['--to', to]] as const) {
    if (!e.ok) io.err(`netpol reach: ${flag}: ${e.message}\n`);
  }
  if (!from.ok || !to.ok) return EXIT_USAGE;
  if (from.endpoint.kind === 'ip' && to.endpoint.kind === 'ip') {
    io.err('netpol reach: both peers are IP addresses; at least one must be a workload (NetworkPolicies govern pods only)\n');
    return EXIT_USAGE;
  }
  const a = analyze(m.inventory, { ipBlocks: mode });
  const r = a.reach(from.endpoint, to.endpoint, port.port, port.protocol);
  const notes: string[] = [];
  if (r.egress.ipBlockCaveats.length || r.ingress.ipBlockCaveats.length) notes.push(`ipBlocks are taken to match only addresses outside the cluster; ${IPBLOCK_CAVEAT}`);
  if (args.flags.json) {
    const out = {
      allowed: r.allowed,
      from: { peer: from.name, kind: from.endpoint.kind },
      to: { peer: to.name, kind: to.endpoint.kind },
      port: r.port,
      protocol: r.protocol,
      egress: jsonDecision(r.egress, m.locate),
      ingress: jsonDecision(r.ingress, m.locate),
      reason: describeReach(r, from.name, to.name, m.locate),
      notes,
    };
    io.out(`${JSON.stringify(out, null, 2)}\n`);
  } else {
    io.out(`${describeReach(r, from.name, to.name, m.locate)}\n`);
    for (const n of notes) io.err(`netpol reach: note: ${n}.\n`);
  }
  return EXIT_OK;
}
