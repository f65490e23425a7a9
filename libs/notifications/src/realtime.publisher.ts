import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { AppConfig, RealtimeCommand, realtimeChannel, ServerEvent, ServerEventPayload, userRoom } from '@jiaxiao/common';
import { REDIS } from '@jiaxiao/platform';

/**
 * Sends realtime events from any process: a Redis PUBLISH that every gateway node applies
 * to its own sockets. Delivery is best effort; clients catch up by seq sync. Events and their
 * payloads are those of ServerToClientEvents, the map the clients are typed against.
 */
@Injectable()
export class RealtimePublisher {
  private readonly channel: string;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    config: AppConfig,
  ) {
    this.channel = realtimeChannel(config.REDIS_PREFIX);
  }

  async emit<E extends ServerEvent>(rooms: string[], event: E, payload: ServerEventPayload<E>): Promise<void> {
    if (rooms.length > 0) await this.publish({ op: 'emit', rooms, event, payload });
  }

  toUsers<E extends ServerEvent>(userIds: string[], event: E, payload: ServerEventPayload<E>): Promise<void> {
    return this.emit(userIds.map(userRoom), event, payload);
  }

  /** One event per user (each its own payload), in one Redis pipeline: a large fan-out's pushes. */
  async toEachUser<E extends ServerEvent>(events: { userId: string; event: E; payload: ServerEventPayload<E> }[]): Promise<void> {
    if (events.length === 0) return;
    const pipeline = this.redis.pipeline();
    for (const e of events) {
      const command: RealtimeCommand = { op: 'emit', rooms: [userRoom(e.userId)], event: e.event, payload: e.payload };
      pipeline.publish(this.channel, JSON.stringify(command));
    }
    await pipeline.exec();
  }

  async join(userIds: string[], room: string): Promise<void> {
    if (userIds.length > 0) await this.publish({ op: 'join', userIds, room });
  }

  async leave(userIds: string[], room: string): Promise<void> {
    if (userIds.length > 0) await this.publish({ op: 'leave', userIds, room });
  }

  private async publish(command: RealtimeCommand): Promise<void> {
    await this.redis.publish(this.channel, JSON.stringify(command));
  }
}
