import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgTable, primaryKey, text, timestamp, unique, uuid, varchar } from 'drizzle-orm/pg-core';
import { createdAt, id } from './columns';
import { schools } from './directory';
import { users } from './identity';

export const notifications = pgTable(
  'notifications',
  {
    id: id(),
    /** a key of users, kept by statement triggers (migration 0024; see messages) */
    userId: uuid('user_id').notNull(),
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
    /** the worker's sweep of pushes a crash lost: only the unpushed entries, by when they were due */
    index('notifications_unpushed_idx')
      .on(t.deliverAt, t.id)
      .where(sql`pushed_at is null`),
  ],
);

export const NOTIFICATION_CHANNELS = ['realtime', 'wechat', 'sms'] as const;
export type NotificationChannel = (typeof NOTIFICATION_CHANNELS)[number];

export const DELIVERY_STATUSES = ['queued', 'sent', 'failed', 'refused', 'skipped'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/**
 * One row per notification and channel: what the delivery router did with it (queued while
 * quiet hours hold it or a retry is due; refused when the user declined WeChat messages;
 * skipped when a rule left the channel out, e.g. the school's SMS budget is spent).
 */
export const notificationDeliveries = pgTable(
  'notification_deliveries',
  {
    id: id(),
    /** a key of notifications, kept by statement triggers: a deleted notification takes its rows with it */
    notificationId: uuid('notification_id').notNull(),
    channel: text('channel', { enum: NOTIFICATION_CHANNELS }).notNull(),
    provider: varchar('provider', { length: 40 }).notNull(),
    status: text('status', { enum: DELIVERY_STATUSES }).notNull(),
    /** the vendor's error, or why the channel was skipped */
    detail: varchar('detail', { length: 200 }),
    attempts: integer('attempts').notNull().default(0),
    /** the school whose SMS budget paid for it */
    schoolId: uuid('school_id').references(() => schools.id),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique('notification_deliveries_uq').on(t.notificationId, t.channel)],
);

/** A school's own monthly SMS budget, overriding SMS_MONTHLY_BUDGET. */
export const schoolSmsBudgets = pgTable('school_sms_budgets', {
  schoolId: uuid('school_id')
    .primaryKey()
    .references(() => schools.id),
  monthlyLimit: integer('monthly_limit').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Text messages charged to a school in a month (YYYY-MM, Asia/Shanghai), reserved before sending. */
export const smsUsage = pgTable(
  'sms_usage',
  {
    schoolId: uuid('school_id')
      .notNull()
      .references(() => schools.id),
    month: varchar('month', { length: 7 }).notNull(),
    used: integer('used').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.schoolId, t.month] })],
);

/** A teacher's working hours (免打扰 outside them), Asia/Shanghai wall-clock. */
export const workingHours = pgTable('working_hours', {
  userId: uuid('user_id')
    .primaryKey()
    .references(() => users.id),
  /** ISO weekdays, 1 = Monday */
  days: jsonb('days').$type<number[]>().notNull(),
  /** minutes after midnight */
  startMinute: integer('start_minute').notNull(),
  endMinute: integer('end_minute').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});
