import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Server } from 'socket.io';
import { AppConfig, RealtimeCommand, realtimeChannel, redisOptionsFromUrl, sessionRoom, userRoom } from '@jiaxiao/common';
import { RealtimePublisher } from '@jiaxiao/notifications';
import { LOGGER } from '@jiaxiao/platform';

/** How long a handshake waits for the node to hear the channel (Redis down at start: the socket is taken without it). */
const READY_WAIT_MS = 1000;

/**
 * Applies the realtime commands any process publishes (RealtimePublisher) to this node's
 * own sockets: every gateway node subscribes, so each delivers to the clients it holds. This
 * node's own commands its publisher applies at once (`deliverLocally`); their copies on the
 * channel are passed over by their first characters, unparsed, and a node alone on the channel
 * does not publish them (RealtimePublisher.startPeering).
 */
@Injectable()
export class RealtimeSubscriber implements OnModuleDestroy {
  private subscriber?: Redis;
  private attached?: Promise<void>;
  private heard = false;

  constructor(
    private readonly config: AppConfig,
    private readonly publisher: RealtimePublisher,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  attach(server: Server): Promise<void> {
    this.attached = this.subscribe(server).then(() => {
      this.heard = true;
    });
    return this.attached;
  }

  /**
   * Resolves once this node hears the channel and has told its peers it is there (attach), so that
   * a socket taken after it gets their commands too; a handshake waits for it, at most a second.
   */
  ready(): Promise<void> {
    if (this.heard) return Promise.resolve();
    let timer: NodeJS.Timeout | undefined;
    return Promise.race([
      (this.attached ?? Promise.resolve()).catch(() => undefined),
      new Promise<void>((resolve) => (timer = setTimeout(resolve, READY_WAIT_MS))),
    ]).finally(() => clearTimeout(timer));
  }

  private async subscribe(server: Server): Promise<void> {
    const channel = realtimeChannel(this.config.REDIS_PREFIX);
    this.subscriber = new Redis({ ...redisOptionsFromUrl(this.config.REDIS_URL), maxRetriesPerRequest: null });
    const own = this.publisher.deliverLocally((command) => this.applySafely(server, command));
    this.subscriber.on('message', (_channel: string, raw: string) => {
      if (raw.startsWith(own)) return;
      let command: RealtimeCommand;
      try {
        command = JSON.parse(raw) as RealtimeCommand;
      } catch (error) {
        this.logger.warn({ err: error }, 'bad realtime command');
        return;
      }
      this.applySafely(server, command);
    });
    await this.subscriber.subscribe(channel);
    await this.publisher.startPeering();
  }

  private applySafely(server: Server, command: RealtimeCommand): void {
    try {
      this.apply(server, command);
    } catch (error) {
      this.logger.warn({ err: error, op: command.op }, 'realtime command failed');
    }
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
      case 'hello':
        this.publisher.peerStarted();
        return;
    }
  }

  async onModuleDestroy(): Promise<void> {
    await this.subscriber?.quit().catch(() => this.subscriber?.disconnect());
  }
}
