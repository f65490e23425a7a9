import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import { Counter } from 'prom-client';
import { DomainEvents, EventName, REACTS_TO_EVENTS, ReactsToEvents } from '@jiaxiao/common';
import { DB, Database, DbExecutor, outboxEvents } from '@jiaxiao/db';
import { MetricsService } from '../metrics/metrics.service';
import { LOGGER } from '../tokens';

type Handler = (payload: unknown, event: { id: number }) => Promise<void>;
interface OutboxRow {
  id: number;
  name: string;
  payload: unknown;
  attempts: number;
}

const BATCH = 100;
/** A failed event waits 2^attempts seconds (capped at 10 minutes) before the next try. */
const backoffSeconds = (attempts: number) => Math.min(600, 2 ** attempts);

/**
 * The transactional outbox. A change records its event in its own transaction (`record`); after the
 * commit the producer hands it on at once (`publish`), and the worker's relay (`relayDue`) hands on
 * whatever a crash left behind. Either way an event is claimed under a row lock (SKIP LOCKED), given
 * to every handler this process has for it, and deleted in the same transaction: delivered at least
 * once, never lost. Handlers live in the contexts that react (`@ReactsToEvents`) and are idempotent;
 * they run inside the claiming transaction, so they hand work on (a job) rather than do it, and never
 * wait on another database connection (embedded PGlite has one).
 */
@Injectable()
export class OutboxService implements OnApplicationBootstrap {
  private readonly handlers = new Map<string, Handler[]>();
  private readonly delivered: Counter<'event' | 'outcome'>;

  constructor(
    @Inject(DB) private readonly db: Database,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly discovery: DiscoveryService,
    metrics: MetricsService,
  ) {
    this.delivered = new Counter({
      name: 'outbox_events_total',
      help: 'Domain events handed on from the outbox, by event and outcome (delivered, failed)',
      labelNames: ['event', 'outcome'],
      registers: [metrics.registry],
    });
  }

  onApplicationBootstrap(): void {
    for (const wrapper of this.discovery.getProviders()) {
      const instance = wrapper.instance as Partial<ReactsToEvents> | undefined;
      if (!wrapper.metatype || !instance || !Reflect.getMetadata(REACTS_TO_EVENTS, wrapper.metatype)) continue;
      const map = instance.eventHandlers?.() ?? {};
      for (const [name, handler] of Object.entries(map) as [string, Handler][]) {
        this.handlers.set(name, [...(this.handlers.get(name) ?? []), handler.bind(instance)]);
      }
    }
  }

  /** Writes the event in the caller's transaction; returns its id for `publish` after the commit. */
  async record<E extends EventName>(tx: DbExecutor, name: E, payload: DomainEvents[E]): Promise<number> {
    if (!this.handlers.has(name)) throw new Error(`no handler for domain event ${name} in this app: import the module that reacts to it`);
    const [row] = await tx
      .insert(outboxEvents)
      .values({ name, payload: payload as unknown as Record<string, unknown> })
      .returning({ id: outboxEvents.id });
    return row.id;
  }

  /**
   * Hands on events just committed. A failure is logged, not thrown: the change is committed and
   * the event stays in the outbox for the relay, so the caller's request still succeeds.
   */
  async publish(...ids: number[]): Promise<void> {
    if (ids.length === 0) return;
    await this.deliver(sql`${outboxEvents.id} in ${ids}`).catch((error: unknown) =>
      this.logger.warn({ err: error, ids }, 'outbox publish failed; the relay will retry'),
    );
  }

  /** The relay's pass: every event due, oldest first, in batches. Returns how many were handed on. */
  async relayDue(): Promise<number> {
    let total = 0;
    for (;;) {
      const count = await this.deliver(sql`${outboxEvents.availableAt} <= now()`);
      total += count;
      if (count < BATCH) return total;
    }
  }

  /** Events waiting (due or backing off): the relay's backlog, for health and tests. */
  async pending(): Promise<number> {
    const [row] = await this.db.select({ n: sql<number>`count(*)::int` }).from(outboxEvents);
    return row.n;
  }

  private deliver(filter: ReturnType<typeof sql>): Promise<number> {
    return this.db.transaction(async (tx) => {
      const claimed = (await tx.execute(
        sql`select ${outboxEvents.id} as id, ${outboxEvents.name} as name, ${outboxEvents.payload} as payload, ${outboxEvents.attempts} as attempts
            from ${outboxEvents} where ${filter} order by ${outboxEvents.id} limit ${BATCH} for update skip locked`,
      )) as unknown as { rows: OutboxRow[] };
      const done: number[] = [];
      for (const row of claimed.rows) {
        const id = Number(row.id);
        try {
          const handlers = this.handlers.get(row.name);
          if (!handlers) throw new Error(`no handler for domain event ${row.name} in this app`);
          for (const handler of handlers) await handler(row.payload, { id });
          done.push(id);
          this.delivered.inc({ event: row.name, outcome: 'delivered' });
        } catch (error) {
          this.delivered.inc({ event: row.name, outcome: 'failed' });
          this.logger.error({ err: error, event: row.name, id }, 'outbox event failed; retrying later');
          await tx
            .update(outboxEvents)
            .set({
              attempts: row.attempts + 1,
              lastError: String(error).slice(0, 500),
              availableAt: sql`now() + make_interval(secs => ${backoffSeconds(row.attempts + 1)})`,
            })
            .where(sql`${outboxEvents.id} = ${id}`);
        }
      }
      if (done.length > 0) await tx.delete(outboxEvents).where(sql`${outboxEvents.id} in ${done}`);
      return claimed.rows.length;
    });
  }
}
