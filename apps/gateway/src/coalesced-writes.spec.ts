import { createServer } from 'node:http';
import type { AddressInfo, Socket as NetSocket } from 'node:net';
import { Server, Socket } from 'socket.io';
import { io as connect } from 'socket.io-client';
import { coalesceWrites } from './coalesced-writes';

/** A Socket.IO server whose sockets are handed to the test, and the writes of their connections counted. */
async function serve(coalesce: boolean) {
  const http = createServer();
  const io = new Server(http, { transports: ['websocket'] });
  if (coalesce) coalesceWrites(io);
  const connected = new Promise<Socket>((resolve) => io.on('connection', resolve));
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const client = connect(`http://127.0.0.1:${(http.address() as AddressInfo).port}`, { transports: ['websocket'], forceNew: true });
  const socket = await connected;
  // The connection's system calls: net.Socket writes one chunk with _write and several with _writev.
  const raw = (socket.conn as unknown as { transport: { socket: { _socket: NetSocket & Record<string, unknown> } } }).transport.socket
    ._socket;
  const calls = { count: 0 };
  for (const method of ['_write', '_writev'] as const) {
    const original = raw[method] as (...args: unknown[]) => unknown;
    raw[method] = (...args: unknown[]) => {
      calls.count += 1;
      return original.apply(raw, args);
    };
  }
  const close = async () => {
    client.disconnect();
    await io.close();
  };
  return { socket, client, calls, close };
}

async function received(client: ReturnType<typeof connect>, events: string[]): Promise<string[]> {
  const seen: string[] = [];
  await new Promise<void>((resolve) => {
    for (const event of events)
      client.on(event, (n: number) => {
        seen.push(`${event}:${n}`);
        if (seen.length === events.length) resolve();
      });
  });
  return seen;
}

/** Emits three events to one socket in one turn: the order they arrived in, and the connection's writes for them. */
async function emitThree(coalesce: boolean): Promise<{ order: string[]; writes: number }> {
  const { socket, client, calls, close } = await serve(coalesce);
  try {
    const arrived = received(client, ['a', 'b', 'c']);
    calls.count = 0;
    socket.emit('a', 1);
    socket.emit('b', 2);
    socket.emit('c', 3);
    return { order: await arrived, writes: calls.count };
  } finally {
    await close();
  }
}

describe('coalesceWrites', () => {
  it('writes the packets one turn gives a connection in one system call, in their order', async () => {
    expect(await emitThree(true)).toEqual({ order: ['a:1', 'b:2', 'c:3'], writes: 1 });
  });

  it('leaves a plain server writing each packet on its own (what the change is measured against)', async () => {
    const { order, writes } = await emitThree(false);
    expect(order).toEqual(['a:1', 'b:2', 'c:3']);
    expect(writes).toBeGreaterThan(1);
  });
});
