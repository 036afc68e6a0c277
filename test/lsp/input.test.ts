import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { PassThrough, type Readable } from 'node:stream';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-languageserver/node';
import { InputWatch, inSlices } from '../../server/src/lsp/input';

const frame = (body: string): string => `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
const open = frame(JSON.stringify({ jsonrpc: '2.0', method: 'textDocument/didOpen', params: { text: 'é'.repeat(5000) } }));
const ping = frame('{"jsonrpc":"2.0","method":"x"}');

/** Pieces of input as the pipe hands them over, and whether a message is half read after each. */
const cases: { name: string; pieces: (string | Buffer)[]; pending: boolean[] }[] = [
  { name: 'one whole message', pieces: [ping], pending: [false] },
  { name: 'cut in the body', pieces: [open.slice(0, 3000), open.slice(3000)], pending: [true, false] },
  { name: 'cut in the header', pieces: ['Content-Len', 'gth: 2\r', '\n\r\n', '{}'], pending: [true, true, true, false] },
  { name: 'cut between the CRLFs', pieces: ['Content-Length: 2\r\n', '\r\n{', '}'], pending: [true, true, false] },
  { name: 'two messages in one piece, a third begun', pieces: [ping + ping + ping.slice(0, 10), ping.slice(10)], pending: [true, false] },
  { name: 'a multi-byte character split across pieces', pieces: splitBytes(open, 4001), pending: [true, false] },
  { name: 'Content-Type first, lower case', pieces: ['Content-Type: application/vscode-jsonrpc; charset=utf-8\r\ncontent-length: 2\r\n\r\n{', '}'], pending: [true, false] },
  { name: 'not LSP framing: no longer followed', pieces: ['hello\r\n\r\n', frame('{}').slice(0, 5)], pending: [false, false] },
];

function splitBytes(s: string, at: number): Buffer[] {
  const b = Buffer.from(s);
  return [b.subarray(0, at), b.subarray(at)];
}

for (const c of cases) {
  test(`input framing: ${c.name}`, () => {
    const stream = new PassThrough();
    const w = new InputWatch();
    w.watch(stream);
    const seen: boolean[] = [];
    for (const p of c.pieces) {
      stream.emit('data', typeof p === 'string' ? Buffer.from(p) : p);
      seen.push(w.pending());
    }
    assert.deepEqual(seen, c.pending);
  });
}

test('whole() waits for the rest of a message, and no longer than its cap', async () => {
  const w = new InputWatch();
  await w.whole(); // nothing half read: at once
  w.read(Buffer.from(open.slice(0, 100)));
  let done = false;
  const waiting = w.whole(60_000).then(() => (done = true));
  await new Promise((r) => setImmediate(r));
  assert.equal(done, false, 'still waiting for the body');
  w.read(Buffer.from(open.slice(100)));
  await waiting;
  assert.equal(done, true);

  w.read(Buffer.from(ping.slice(0, 5)));
  const t = performance.now();
  await w.whole(20);
  assert.ok(performance.now() - t >= 15, 'a stalled client does not hold background work for ever');
  assert.equal(w.pending(), true);
});

/**
 * Background work in slices beside a real connection (vscode-jsonrpc, as the server reads its
 * client), the message sent during the first slice. A stream hands it over in that slice: it is
 * handled before the second. A socket, as a pipe, hands it over in a later turn, either before the
 * second slice or during it: it is handled before the third. (Without the wait for the handler, a
 * slice runs between the read and the handling: the stream's message comes after the second slice,
 * the socket's after the third or later.)
 */
const slicesBefore = { stream: 1, socket: 2 };
for (const transport of ['stream', 'socket'] as const) {
  test(`a message read whole during background work is handled before the next slice (${transport})`, async () => {
    const { input, send, close } = await connected(transport);
    const order: string[] = [];
    const conn = createMessageConnection(new StreamMessageReader(input), new StreamMessageWriter(new PassThrough()));
    conn.onNotification('x', () => order.push('handled'));
    conn.listen();
    const w = new InputWatch();
    w.watch(input);
    let slices = 0;
    await inSlices(w, () => {
      order.push('slice');
      if (++slices === 1) send(ping);
      return slices < 5;
    });
    for (let i = 0; i < 100 && !order.includes('handled'); i++) await new Promise((r) => setTimeout(r, 5));
    conn.dispose();
    close();
    const at = order.indexOf('handled');
    assert.ok(at > 0 && at <= slicesBefore[transport], order.join(' '));
  });
}

async function connected(transport: 'stream' | 'socket'): Promise<{ input: Readable; send: (s: string) => void; close: () => void }> {
  if (transport === 'stream') {
    const input = new PassThrough();
    return { input, send: (s) => input.write(s), close: () => input.destroy() };
  }
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const accepted = new Promise<Socket>((r) => server.once('connection', r));
  const client = connect(port, '127.0.0.1');
  await new Promise((r) => client.once('connect', r));
  const input = await accepted;
  return {
    input,
    send: (s) => client.write(s),
    close: () => {
      client.destroy();
      input.destroy();
      server.close();
    },
  };
}
