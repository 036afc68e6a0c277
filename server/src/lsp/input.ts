import type { Readable } from 'node:stream';
import { setImmediate as nextTurn } from 'node:timers/promises';

const LF = 10;
/** Longer headers than this are not LSP's: the watch stops following the stream. */
const MAX_HEADER = 4096;

/**
 * Whether a message from the client is half read, from the LSP framing of the stdin stream
 * (`Content-Length: N`, a blank line, N bytes), so that background work steps aside until it is
 * whole. A large message (the didOpen of a 1.5 MB file) comes through the pipe 64 KB at a time,
 * each piece read in its own turn of the event loop; work that ran a slice at every turn would add
 * a slice per piece before the message is even read (measured: ~50 ms of a 1000-policy open).
 *
 * Only a stdin transport can be followed: Node's IPC channel reads its pipe itself and hands over
 * whole messages, and then `whole()` resolves at once.
 */
export class InputWatch {
  /** Bytes of the current message's body still to come; 0 between messages. */
  private body = 0;
  /** Messages read whole so far. */
  private count = 0;
  /** The header read so far (latin1), while it is incomplete. */
  private header = '';
  private lost = false;
  private waiters: (() => void)[] = [];

  /** Follow `stream` from its first byte: call in the tick its reader is attached (data events come in later ticks). */
  watch(stream: Readable): void {
    stream.on('data', (chunk: Buffer | string) => {
      this.read(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
    });
  }

  /** Advance the framing over one piece of input (public for tests). */
  read(chunk: Uint8Array): void {
    if (this.lost) return;
    let i = 0;
    while (i < chunk.length) {
      if (this.body > 0) {
        const n = Math.min(this.body, chunk.length - i);
        this.body -= n;
        i += n;
        if (this.body === 0) this.count++;
        continue;
      }
      // A header, a byte at a time: it is a few dozen bytes.
      const c = chunk[i++] ?? 0;
      this.header += String.fromCharCode(c);
      if (this.header.length > MAX_HEADER) return this.lose();
      if (c !== LF || !this.header.endsWith('\r\n\r\n')) continue;
      const m = /(?:^|\n)content-length:[ \t]*(\d+)\r\n/i.exec(this.header);
      if (!m) return this.lose();
      this.header = '';
      this.body = Number(m[1]);
      if (this.body === 0) this.count++;
    }
    if (!this.pending()) this.release();
  }

  /** How many messages have been read whole: a change means one came in. */
  get messages(): number {
    return this.count;
  }

  /** True while a message is partly read. */
  pending(): boolean {
    return !this.lost && (this.body > 0 || this.header.length > 0);
  }

  /**
   * Resolves when no message is half read: at once, or when its last piece arrives, or after
   * `capMs` without the message completing (a client that stops mid-message blocks nothing).
   */
  whole(capMs = 100): Promise<void> {
    if (!this.pending()) return Promise.resolve();
    return new Promise((resolve) => {
      const t = setTimeout(done, capMs);
      function done(): void {
        clearTimeout(t);
        resolve();
      }
      this.waiters.push(done);
    });
  }

  private lose(): void {
    this.lost = true;
    this.header = '';
    this.body = 0;
    this.release();
  }

  /** Wake whoever waits for a whole message. */
  private release(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }
}

/**
 * Run `slice` again and again, each time in a turn of its own, until it returns false (nothing
 * left to do): background work that a client message never waits behind for more than one slice.
 * While a message is half read, no slice runs; one read whole is handled before the next slice:
 * vscode-jsonrpc decodes a message in one turn (its read semaphore) and hands it to its handler in
 * the next (the connection's message queue), so a slice started at once would run first.
 */
export async function inSlices(input: InputWatch, slice: () => boolean): Promise<void> {
  for (;;) {
    const before = input.messages;
    if (!slice()) return;
    await nextTurn();
    while (input.pending()) {
      await input.whole();
      await nextTurn();
    }
    if (input.messages !== before) {
      await nextTurn();
      await nextTurn();
    }
  }
}
