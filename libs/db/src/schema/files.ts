import { integer, pgTable, uuid, varchar } from 'drizzle-orm/pg-core';
import { createdAt, id } from './columns';
import { users } from './identity';

/** Uploaded images and files; the bytes live in the file storage under storageKey. */
export const files = pgTable('files', {
  id: id(),
  ownerId: uuid('owner_id')
    .notNull()
    .references(() => users.id),
  name: varchar('name', { length: 200 }).notNull(),
  mime: varchar('mime', { length: 100 }).notNull(),
  size: integer('size').notNull(),
  storageKey: varchar('storage_key', { length: 200 }).notNull(),
  createdAt: createdAt(),
});
