/**
 * The servers of `npm run bench:messaging`, each forked into its own process so its RSS is its
 * own and it does not share an event loop with the load generator:
 *
 *   raw      a plain Socket.IO relay: no auth, no database; a socket joins the rooms named in its
 *            handshake, `message:send` is emitted to the payload's conversationId room and acked;
 *   gateway  our gateway app (createGateway, as apps/gateway/src/main.ts builds it) on the
 *            environment's configuration, listening on 127.0.0.1 only (main.ts listens on every
 *            interface).
 *
 * Tells the parent its port over IPC: `{port}`; answers `{memory: true}` with its heap figures after a
 * full garbage collection (the parent forks it with --expose-gc), so the idle-socket phase can tell
 * the JavaScript heap from native memory.
 */
import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { loadConfig } from '@jiaxiao/common';
import { createInfrastructure, listen, LISTEN_BACKLOG } from '@jiaxiao/platform';
import { createGateway } from '../apps/gateway/src/gateway.app';

async function raw(): Promise<number> {
  const http = createServer();
  const io = new Server(http, { serveClient: false, transports: ['websocket'] });
  io.on('connection', (socket) => {
    const rooms = (socket.handshake.auth as { rooms?: unknown }).rooms;
    if (Array.isArray(rooms)) void socket.join(rooms.filter((r): r is string => typeof r === 'string'));
    socket.on('message:send', (payload: { conversationId?: unknown }, ack?: (response: unknown) => void) => {
      if (typeof payload?.conversationId === 'string') io.to(payload.conversationId).emit('message:new', payload);
      if (typeof ack === 'function') ack({ ok: true });
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', LISTEN_BACKLOG, resolve));
  return (http.address() as AddressInfo).port;
}

async function gateway(): Promise<number> {
  const config = loadConfig();
  const infra = await createInfrastructure(config);
  const app = await createGateway(infra);
  const port = Number(new URL(await listen(app, 0, '127.0.0.1')).port);
  const stop = () => {
    void app
      .close()
      .then(() => infra.close())
      .finally(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  return port;
}

process.on('message', (message: { memory?: boolean }) => {
  if (!message.memory) return;
  (globalThis as { gc?: () => void }).gc?.();
  const { rss, heapUsed, external, arrayBuffers } = process.memoryUsage();
  process.send?.({ memory: { rss, heapUsed, external, arrayBuffers } });
});

const kind = process.argv[2];
(kind === 'raw' ? raw() : kind === 'gateway' ? gateway() : Promise.reject(new Error(`unknown server ${kind}`))).then(
  (port) => process.send?.({ port }),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
