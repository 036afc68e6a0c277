import { run as check, CHECK_USAGE } from './check';
import { run as connectivity, CONNECTIVITY_USAGE } from './connectivity';
import { run as reach, REACH_USAGE } from './reach';
import { EXIT_USAGE, processIO, type CliIO } from './io';
import { version } from '../version';

const USAGE = `netpol ${version} — Kubernetes NetworkPolicy analysis

Usage:
  netpol check <files or dirs…> [--format text|json|sarif|github]
                                                       diagnostics (exit 1 on errors)
  netpol reach <paths…> --from PEER --to PEER --port N[/TCP|UDP|SCTP] [--json]
                                                       is this connection allowed, and why
  netpol connectivity <paths…> [--format txt|json|csv|md|dot]
                                                       every allowed connection
  netpol --version
  netpol help [command]

Run "netpol <command> --help" for a command's options.
`;

type Command = (argv: string[], io: CliIO) => Promise<number>;

const commands: Record<string, { run: Command; usage: string }> = {
  check: { run: check, usage: CHECK_USAGE },
  reach: { run: reach, usage: REACH_USAGE },
  connectivity: { run: connectivity, usage: CONNECTIVITY_USAGE },
};

export async function main(argv: string[], io: CliIO = processIO): Promise<number> {
  const [cmd, ...rest] = argv;
  if (cmd === undefined || cmd === '--help' || cmd === '-h') {
    io.out(USAGE);
    return cmd === undefined ? EXIT_USAGE : 0;
  }
  if (cmd === '--version' || cmd === '-v') {
    io.out(`${version}\n`);
    return 0;
  }
  if (cmd === 'help') {
    const c = rest[0] !== undefined ? commands[rest[0]] : undefined;
    io.out(c ? c.usage : USAGE);
    return 0;
  }
  const c = commands[cmd];
  if (!c) {
    io.err(`netpol: unknown command "${cmd}"\n\n${USAGE}`);
    return EXIT_USAGE;
  }
  try {
    return await c.run(rest, io);
  } catch (e) {
    // A bug, not bad input: say so plainly rather than print a stack to a CI log.
    io.err(`netpol ${cmd}: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return 3;
  }
}
