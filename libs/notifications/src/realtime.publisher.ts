import { randomUUID } from 'node:crypto';
import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { AppConfig, RealtimeCommand, realtimeChannel, ServerEvent, ServerEventPayload, userRoom } from '@jiaxiao/common';
import { REDIS } from '@jiaxiao/platform';

/** Applies a realtime command to the sockets this process holds (a gateway node's). */
export type LocalRealtime = (command: RealtimeCommand) => void;

/** How often a gateway node counts the nodes on the channel (PUBSUB NUMSUB). */
const PEER_CHECK_MS = 1000;
/** How long a node that found others waits after its hello before it takes sockets: the others' turn to hear it. */
const HELLO_SETTLE_MS = 250;

/**
 * Sends realtime events from any process: a Redis PUBLISH that every gateway node applies
 * to its own sockets. Delivery is best effort; clients catch up by seq sync. Events and their
 * payloads are those of ServerToClientEvents, the map the clients are typed against.
 *
 * On a gateway node (`deliverLocally`) a command reaches the node's own sockets at once, without the
 * round trip through Redis, and goes out on the channel marked with the node's origin so that the
 * node's subscriber passes over its own copy. A node that is the channel's only subscriber (one
 * gateway node) does not publish its own commands at all: nobody else holds sockets. It counts the
 * subscribers every second (`startPeering`), and a node that starts publishes a hello first, on
 * which every node publishes again (`peerStarted`).
 */
@Injectable()
export class RealtimePublisher implements OnModuleDestroy {
  private readonly channel: string;
  private local?: { apply: LocalRealtime; origin: string };
  /** This node is the channel's only subscriber (as last counted, and no hello since). */
  private alone = false;
  /** Bumped by each hello: a count sent before it is stale when it answers. */
  private hellos = 0;
  private peerCheck?: NodeJS.Timeout;
  private counting?: Promise<number | undefined>;

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

  /**
   * Called once this node has subscribed to the channel: counts the subscribers; with others there,
   * says hello (they publish their own commands again if they were alone) and gives them a moment to
   * hear it before this node takes sockets. Then counts again every second.
   */
  async startPeering(): Promise<void> {
    this.peerCheck = setInterval(() => void this.countPeers(), PEER_CHECK_MS).unref();
    if (((await this.countPeers()) ?? 0) <= 1) return;
    await this.publish({ op: 'hello' });
    await new Promise((resolve) => setTimeout(resolve, HELLO_SETTLE_MS));
  }

  /** Another gateway node has started: from now on this node's commands go on the channel too. */
  peerStarted(): void {
    this.hellos += 1;
    this.alone = false;
  }

  /**
   * The channel's subscribers, and whether this node is alone among them; undefined when Redis does
   * not answer (the last answer stands). One count at a time, and none while the connection is
   * down (counts queued for it made the outage test's other commands take 15 s longer to fail).
   */
  private countPeers(): Promise<number | undefined> {
    if (this.redis.status !== 'ready') return Promise.resolve(undefined);
    this.counting ??= (async () => {
      const hellos = this.hellos;
      const count = await this.subscribers().catch(() => undefined);
      if (count !== undefined && this.hellos === hellos) this.alone = count <= 1;
      return count;
    })().finally(() => (this.counting = undefined));
    return this.counting;
  }

  private async subscribers(): Promise<number> {
    const [, count] = (await this.redis.pubsub('NUMSUB', this.channel)) as [string, number];
    return Number(count);
  }

  onModuleDestroy(): void {
    clearInterval(this.peerCheck);
  }

  async emit<E extends ServerEvent>(rooms: string[], event: E, payload: ServerEventPayload<E>): Promise<void> {
    if (rooms.length > 0) await this.publish({ op: 'emit', rooms, event, payload });
  }

  toUsers<E extends ServerEvent>(userIds: string[], event: E, payload: ServerEventPayload<E>): Promise<void> {
    return this.emit(userIds.map(userRoom), event, payload);
  }

  /** One event per user (each its own payload), in one Redis pipeline: a large fan-out's pushes. */
  async toEachUser<E extends ServerEvent>(events: { userId: string; event: E; payload: ServerEventPayload<E> }[]): Promise<void> {
    const messages = events.flatMap(
      (e) => this.message({ op: 'emit', rooms: [userRoom(e.userId)], event: e.event, payload: e.payload }) ?? [],
    );
    if (messages.length === 0) return;
    const pipeline = this.redis.pipeline();
    for (const message of messages) pipeline.publish(this.channel, message);
    await pipeline.exec();
  }

  async join(userIds: string[], room: string): Promise<void> {
    if (userIds.length > 0) await this.publish({ op: 'join', userIds, room });
  }

  async leave(userIds: string[], room: string): Promise<void> {
    if (userIds.length > 0) await this.publish({ op: 'leave', userIds, room });
  }

  private async publish(command: RealtimeCommand): Promise<void> {
    const message = this.message(command);
    if (message !== undefined) await this.redis.publish(this.channel, message);
  }

  /**
   * Applies the command here first when this process holds sockets, and words it for the channel:
   * undefined when no other node needs it (this one is alone on the channel).
   */
  private message(command: RealtimeCommand): string | undefined {
    if (!this.local) return JSON.stringify(command);
    this.local.apply(command);
    return this.alone ? undefined : JSON.stringify({ origin: this.local.origin, ...command });
  }
}
