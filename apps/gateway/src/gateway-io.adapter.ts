import { Logger } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { MessageMappingProperties } from '@nestjs/websockets';
import type { Observable } from 'rxjs';
import type { Server, ServerOptions, Socket } from 'socket.io';
import { coalesceWrites } from './coalesced-writes';

/**
 * Socket.IO on one node, with one mechanism across nodes: every event (a message, a join, a
 * session's end) is a RealtimeCommand published on Redis that each node applies to the sockets it
 * holds (RealtimeSubscriber), whichever process published it. A client that reconnects, to this
 * node or another, is authenticated and joined to its rooms again by the handshake and catches up
 * with `conversation:sync` by seq. There is no Socket.IO adapter across nodes and no
 * connection-state recovery: recovery would replay only what went through the adapter, which
 * none of our events do, so it would be a second mechanism that restores nothing.
 */
export class GatewayIoAdapter extends IoAdapter {
  private readonly logger = new Logger(GatewayIoAdapter.name);

  /** Any origin with credentials (the H5 and the console are served elsewhere), and each connection's packets of a turn in one write. */
  override createIOServer(port: number, options?: ServerOptions): Server {
    const io = super.createIOServer(port, { ...options, cors: { origin: true, credentials: true } }) as Server;
    coalesceWrites(io);
    return io;
  }

  /**
   * Each handler as a plain listener on the socket. Nest's default builds an RxJS pipeline per
   * event per socket (fromEvent → mergeMap → takeUntil(disconnect)) that lives as long as the
   * socket: about 33 KB of heap for every idle connection, two thirds of what one costs. The
   * work per event is the same: map the payload and its ack, run the handler, ack its result.
   */
  override bindMessageHandlers(
    socket: Socket,
    handlers: MessageMappingProperties[],
    transform: (data: unknown) => Observable<unknown>,
  ): void {
    for (const { message, callback, isAckHandledManually } of handlers) {
      socket.on(message as string, (...args: unknown[]) => {
        // As rxjs' fromEvent hands it on: one argument as itself, several as an array.
        const { data, ack } = this.mapPayload(args.length > 1 ? args : args[0]);
        transform(callback(data, ack)).subscribe({
          next: (response) => {
            if (response === null || response === undefined) return;
            const reply = response as { event?: string; data?: unknown };
            if (reply.event) socket.emit(reply.event, reply.data);
            else if (!isAckHandledManually && typeof ack === 'function') ack(response);
          },
          error: (error: unknown) =>
            this.logger.error(`socket event ${String(message)} failed`, error instanceof Error ? error.stack : String(error)),
        });
      });
    }
  }
}
