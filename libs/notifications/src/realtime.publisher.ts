import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { AppConfig, RealtimeCommand, realtimeChannel, userRoom } from '@jiaxiao/common';
import { REDIS } from '@jiaxiao/platform';

/**
 * Sends realtime events from any process: a Redis PUBLISH that every gateway node applies
 * to its own sockets. Delivery is best effort; clients catch up by seq sync.
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

  async emit(rooms: string[], event: string, payload: unknown): Promise<void> {
    if (rooms.length > 0) await this.publish({ op: 'emit', rooms, event, payload });
  }

  toUsers(userIds: string[], event: string, payload: unknown): Promise<void> {
    return this.emit(userIds.map(userRoom), event, payload);
  }

  /** One event per user (each its own payload), in one Redis pipeline: a large fan-out's pushes. */
  async toEachUser(events: { userId: string; event: string; payload: unknown }[]): Promise<void> {
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
