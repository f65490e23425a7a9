import { INestApplicationContext, Logger } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { MessageMappingProperties } from '@nestjs/websockets';
import { createAdapter } from '@socket.io/redis-streams-adapter';
import { Redis } from 'ioredis';
import type { Observable } from 'rxjs';
import type { Server, ServerOptions, Socket } from 'socket.io';
import { AppConfig, redisOptionsFromUrl } from '@jiaxiao/common';

/**
 * Socket.IO across gateway nodes on Redis streams: room operations and broadcasts made through
 * the adapter reach every node, and connection-state recovery gives a client that comes back
 * (on any node) its socket id and rooms. Our own events are applied node-locally by the
 * RealtimeSubscriber (any process can publish them), so a missed message is not replayed by
 * recovery: clients catch up with `conversation:sync` by seq. The adapter blocks on XREAD, so
 * it gets its own connection.
 */
export class RedisStreamsIoAdapter extends IoAdapter {
  private readonly client: Redis;
  private readonly logger = new Logger(RedisStreamsIoAdapter.name);

  constructor(
    app: INestApplicationContext,
    private readonly config: AppConfig,
  ) {
    super(app);
    this.client = new Redis({ ...redisOptionsFromUrl(config.REDIS_URL), maxRetriesPerRequest: null });
  }

  override createIOServer(port: number, options?: ServerOptions): Server {
    const server: Server = super.createIOServer(port, {
      ...options,
      cors: { origin: true, credentials: true },
      connectionStateRecovery: { maxDisconnectionDuration: 2 * 60 * 1000, skipMiddlewares: false },
    });
    server.adapter(
      createAdapter(this.client, {
        streamName: `${this.config.REDIS_PREFIX}:socket.io`,
        blockTimeInMs: this.config.SOCKET_STREAM_BLOCK_MS,
      }),
    );
    return server;
  }

  /**
   * Each handler as a plain listener on the socket. Nest's default builds an RxJS pipeline per
   * event per socket (fromEvent → mergeMap → takeUntil(disconnect)) that lives as long as the
   * socket: about 33 KB of heap for every idle connection, two thirds of what one costs. The
   * work per event is the same: map the payload and its ack, run the handler, ack its result.
   */
  override bindMessageHandlers(socket: Socket, handlers: MessageMappingProperties[], transform: (data: unknown) => Observable<unknown>): void {
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
          error: (error: unknown) => this.logger.error(`socket event ${String(message)} failed`, error instanceof Error ? error.stack : String(error)),
        });
      });
    }
  }

  override async close(server: Server): Promise<void> {
    await super.close(server);
    this.client.disconnect();
  }
}
