import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { AppConfig, RealtimeCommand, realtimeChannel, ServerEvent, ServerEventPayload, userRoom } from '@jiaxiao/common';
import { REDIS } from '@jiaxiao/platform';

/** Applies a realtime command to the sockets this process holds (a gateway node's). */
export type LocalRealtime = (command: RealtimeCommand) => void;

/**
 * Sends realtime events from any process: a Redis PUBLISH that every gateway node applies
 * to its own sockets. Delivery is best effort; clients catch up by seq sync. Events and their
 * payloads are those of ServerToClientEvents, the map the clients are typed against.
 *
 * On a gateway node (`deliverLocally`) a command reaches the node's own sockets at once, without the
 * round trip through Redis, and goes out on the channel marked with the node's origin so that the
 * node's subscriber passes over its own copy.
 */
@Injectable()
export class RealtimePublisher {
  private readonly channel: string;
  private local?: { apply: LocalRealtime; origin: string };

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    config: AppConfig,
  ) {
    this.channel = realtimeChannel(config.REDIS_PREFIX);
  }

  /**
   * Makes this process apply its own commands to its sockets. Returns how its commands start on the
   * channel: a message that starts so is this process's own, already applied.
   */
  deliverLocally(apply: LocalRealtime): string {
    const origin = randomUUID();
    this.local = { apply, origin };
    return `{"origin":"${origin}",`;
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
    for (const e of events)
      pipeline.publish(this.channel, this.message({ op: 'emit', rooms: [userRoom(e.userId)], event: e.event, payload: e.payload }));
    await pipeline.exec();
  }

  async join(userIds: string[], room: string): Promise<void> {
    if (userIds.length > 0) await this.publish({ op: 'join', userIds, room });
  }

  async leave(userIds: string[], room: string): Promise<void> {
    if (userIds.length > 0) await this.publish({ op: 'leave', userIds, room });
  }

  private async publish(command: RealtimeCommand): Promise<void> {
    await this.redis.publish(this.channel, this.message(command));
  }

  /** Applies the command here first when this process holds sockets, and words it for the channel. */
  private message(command: RealtimeCommand): string {
    if (!this.local) return JSON.stringify(command);
    this.local.apply(command);
    return JSON.stringify({ origin: this.local.origin, ...command });
  }
}
