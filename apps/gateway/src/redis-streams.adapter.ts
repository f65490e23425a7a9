import { INestApplicationContext } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { createAdapter } from '@socket.io/redis-streams-adapter';
import { Redis } from 'ioredis';
import type { Server, ServerOptions } from 'socket.io';
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

  override async close(server: Server): Promise<void> {
    await super.close(server);
    this.client.disconnect();
  }
}
