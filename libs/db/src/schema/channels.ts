import { index, jsonb, pgTable, text, varchar } from 'drizzle-orm/pg-core';
import { createdAt, id } from './columns';

/**
 * What the development SMS (and, later, WeChat) providers "sent": read back by the development
 * outbox route so a newcomer can sign in without a vendor account. Never written in production.
 */
export const devOutbox = pgTable(
  'dev_outbox',
  {
    id: id(),
    channel: text('channel', { enum: ['sms', 'wechat'] }).notNull(),
    phone: varchar('phone', { length: 11 }).notNull(),
    template: varchar('template', { length: 40 }).notNull(),
    params: jsonb('params').$type<Record<string, string>>().notNull().default({}),
    createdAt: createdAt(),
  },
  (t) => [index('dev_outbox_phone_idx').on(t.phone, t.createdAt)],
);
