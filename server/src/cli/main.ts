import { run as check, CHECK_USAGE } from './check';
import { EXIT_USAGE, processIO, type CliIO } from './io';
import { version } from '../version';

const USAGE = `netpol ${version} — Kubernetes NetworkPolicy analysis

Usage:
  netpol check <files or dirs…> [--format text|json]   diagnostics (exit 1 on errors)
  netpol --version
  netpol help [command]

Run "netpol <command> --help" for a command's options.
`;

type Command = (argv: string[], io: CliIO) => Promise<number>;

const commands: Record<string, { run: Command; usage: string }> = {
  check: { run: check, usage: CHECK_USAGE },
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
