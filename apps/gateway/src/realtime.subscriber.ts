import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Server } from 'socket.io';
import { AppConfig, RealtimeCommand, realtimeChannel, redisOptionsFromUrl, sessionRoom, userRoom } from '@jiaxiao/common';
import { LOGGER } from '@jiaxiao/platform';

/**
 * Applies the realtime commands any process publishes (RealtimePublisher) to this node's
 * own sockets: every gateway node subscribes, so each delivers to the clients it holds.
 */
@Injectable()
export class RealtimeSubscriber implements OnModuleDestroy {
  private subscriber?: Redis;

  constructor(
    private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async attach(server: Server): Promise<void> {
    const channel = realtimeChannel(this.config.REDIS_PREFIX);
    this.subscriber = new Redis({ ...redisOptionsFromUrl(this.config.REDIS_URL), maxRetriesPerRequest: null });
    this.subscriber.on('message', (_channel: string, raw: string) => {
      try {
        this.apply(server, JSON.parse(raw) as RealtimeCommand);
      } catch (error) {
        this.logger.warn({ err: error }, 'bad realtime command');
      }
    });
    await this.subscriber.subscribe(channel);
  }

  private apply(server: Server, command: RealtimeCommand): void {
    switch (command.op) {
      case 'emit':
        server.local.to(command.rooms).emit(command.event, command.payload);
        return;
      case 'join':
        server.local.in(command.userIds.map(userRoom)).socketsJoin(command.room);
        return;
      case 'leave':
        server.local.in(command.userIds.map(userRoom)).socketsLeave(command.room);
        return;
      case 'disconnect':
        // A server-side disconnect: the client does not reconnect on its own (and the handshake refuses the ended session).
        server.local.to(command.sessionIds.map(sessionRoom)).emit('session:ended', { reason: 'revoked' });
        server.local.in(command.sessionIds.map(sessionRoom)).disconnectSockets();
        return;
    }
  }

  async onModuleDestroy(): Promise<void> {
    await this.subscriber?.quit().catch(() => this.subscriber?.disconnect());
  }
}
