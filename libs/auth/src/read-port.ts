import { USER_STATUSES } from '@jiaxiao/db';
import { pgView, text, uuid, varchar } from 'drizzle-orm/pg-core';

/*
 * Auth's read port: the view (migration 0019) through which other contexts read accounts — a
 * member's, sender's, author's or nominee's name and phone, whether an account is disabled. Only
 * auth and the directory (which creates accounts on appointment and roster import) name `users`;
 * a repository elsewhere joins `people`, which PostgreSQL inlines into its query (a `for update`
 * on it locks the account's row). Never the password hash.
 */
export const people = pgView('people', {
  id: uuid('id').notNull(),
  name: varchar('name').notNull(),
  phone: varchar('phone').notNull(),
  status: text('status', { enum: USER_STATUSES }).notNull(),
}).existing();
