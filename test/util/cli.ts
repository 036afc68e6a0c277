import { main } from '../../server/src/cli/main';
import type { CliIO } from '../../server/src/cli/io';

/** Run the netpol CLI in-process and capture what it prints. */
export async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIO = { out: (t) => (out += t), err: (t) => (err += t) };
  const code = await main(argv, io);
  return { code, out, err };
}
