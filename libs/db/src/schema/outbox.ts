import { bigserial, index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { createdAt } from './columns';

/**
 * The transactional outbox: a domain event is written in the same transaction as the change it
 * reports, and the worker's relay hands it to the contexts that react, then deletes it. A crash
 * between commit and relay loses nothing: the row waits for the next relay. Delivery is at least
 * once; handlers are idempotent.
 */
export const outboxEvents = pgTable(
  'outbox_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    name: text('name').notNull(),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    createdAt: createdAt(),
    /** failed relays so far; the next try waits until available_at */
    attempts: integer('attempts').notNull().default(0),
    availableAt: timestamp('available_at', { withTimezone: true }).notNull().defaultNow(),
    lastError: text('last_error'),
  },
  (t) => [index('outbox_events_available_idx').on(t.availableAt, t.id)],
);
