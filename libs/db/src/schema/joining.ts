import { index, pgTable, text, timestamp, uniqueIndex, uuid, varchar } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { createdAt, id } from './columns';
import { classes, RELATIONS, students } from './directory';
import { users } from './identity';

/** The join link of a class (shown as a QR code at a 家长会): one secret token per class. */
export const classJoinLinks = pgTable('class_join_links', {
  classId: uuid('class_id')
    .primaryKey()
    .references(() => classes.id, { onDelete: 'cascade' }),
  token: varchar('token', { length: 43 }).notNull().unique(),
  createdBy: uuid('created_by').references(() => users.id),
  createdAt: createdAt(),
});

export const JOIN_REQUEST_STATUSES = ['pending', 'approved', 'rejected'] as const;

/**
 * "I am the guardian of this pupil": from a parent who opened the class's join link, or from an
 * existing guardian inviting another (invitedBy). The class teacher approves or rejects it.
 */
export const joinRequests = pgTable(
  'join_requests',
  {
    id: id(),
    classId: uuid('class_id')
      .notNull()
      .references(() => classes.id, { onDelete: 'cascade' }),
    studentId: uuid('student_id')
      .notNull()
      .references(() => students.id, { onDelete: 'cascade' }),
    /** who would become a guardian */
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    relation: text('relation', { enum: RELATIONS }).notNull(),
    /** the guardian who invited them, when it is an invitation */
    invitedBy: uuid('invited_by').references(() => users.id),
    status: text('status', { enum: JOIN_REQUEST_STATUSES }).notNull().default('pending'),
    decidedBy: uuid('decided_by').references(() => users.id),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    index('join_requests_class_idx').on(t.classId, t.status, t.createdAt),
    index('join_requests_user_idx').on(t.userId, t.status),
    uniqueIndex('join_requests_pending_uq')
      .on(t.studentId, t.userId)
      .where(sql`status = 'pending'`),
  ],
);
