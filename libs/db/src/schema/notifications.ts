import { index, jsonb, pgTable, text, timestamp, unique, uuid, varchar } from 'drizzle-orm/pg-core';
import { createdAt, id } from './columns';
import { users } from './identity';

export const notifications = pgTable(
  'notifications',
  {
    id: id(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    /** `message.direct`, `notice.new`, `notice.remind`, … */
    kind: varchar('kind', { length: 40 }).notNull(),
    title: varchar('title', { length: 200 }).notNull(),
    body: text('body').notNull(),
    /** makes a retried fan-out idempotent: one notification per user and key */
    dedupeKey: varchar('dedupe_key', { length: 80 }),
    data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
    /** when the push may go out (quiet hours move it); the inbox shows it from then */
    deliverAt: timestamp('deliver_at', { withTimezone: true }).notNull().defaultNow(),
    pushedAt: timestamp('pushed_at', { withTimezone: true }),
    readAt: timestamp('read_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    index('notifications_user_idx').on(t.userId, t.deliverAt),
    unique('notifications_dedupe_uq').on(t.userId, t.dedupeKey),
    index('notifications_dedupe_idx').on(t.dedupeKey),
  ],
);

export const NOTIFICATION_CHANNELS = ['realtime', 'wechat', 'sms'] as const;
export type NotificationChannel = (typeof NOTIFICATION_CHANNELS)[number];

/** What went out through outbound channels (WeChat subscribe messages, SMS). */
export const notificationDeliveries = pgTable('notification_deliveries', {
  id: id(),
  notificationId: uuid('notification_id')
    .notNull()
    .references(() => notifications.id, { onDelete: 'cascade' }),
  channel: text('channel', { enum: NOTIFICATION_CHANNELS }).notNull(),
  provider: varchar('provider', { length: 40 }).notNull(),
  status: text('status', { enum: ['sent', 'failed'] }).notNull(),
  detail: varchar('detail', { length: 200 }),
  createdAt: createdAt(),
});
