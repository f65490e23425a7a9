import { integer, pgView, timestamp, uuid, varchar } from 'drizzle-orm/pg-core';

/*
 * Files' read port: the view (migration 0019) through which other contexts check who uploaded a
 * file and show its name, type and size (a lecture's handouts, a committee's records, a campaign's
 * or an application's evidence). Only files names the `files` table; never the storage key.
 */
export const uploads = pgView('uploads', {
  id: uuid('id').notNull(),
  ownerId: uuid('owner_id').notNull(),
  name: varchar('name').notNull(),
  mime: varchar('mime').notNull(),
  size: integer('size').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
}).existing();
