import { sql } from 'drizzle-orm';
import { check, index, pgTable, primaryKey, text, timestamp, uuid, varchar } from 'drizzle-orm/pg-core';
import { createdAt, id } from './columns';
import { students } from './directory';
import { users } from './identity';
import { supportSites } from './model-schools';

/** A staff account appointed to a support site: it sees and handles the site's appointment requests. */
export const supportSiteStaff = pgTable(
  'support_site_staff',
  {
    siteId: uuid('site_id')
      .notNull()
      .references(() => supportSites.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    appointedBy: uuid('appointed_by').references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.siteId, t.userId] }), index('support_site_staff_user_idx').on(t.userId)],
);

export const COUNSELLING_TOPICS = ['emotion', 'study', 'relationship', 'behaviour', 'family', 'other'] as const;
export type CounsellingTopic = (typeof COUNSELLING_TOPICS)[number];

/** open → accepted (a time is scheduled) → closed; open → closed. */
export const COUNSELLING_STATUSES = ['open', 'accepted', 'closed'] as const;
export type CounsellingStatus = (typeof COUNSELLING_STATUSES)[number];

/** A parent's private appointment request to a site: only the site's staff and the parent see it. */
export const counsellingRequests = pgTable(
  'counselling_requests',
  {
    id: id(),
    siteId: uuid('site_id')
      .notNull()
      .references(() => supportSites.id, { onDelete: 'cascade' }),
    guardianId: uuid('guardian_id')
      .notNull()
      .references(() => users.id),
    studentId: uuid('student_id').references(() => students.id, { onDelete: 'set null' }),
    topic: text('topic', { enum: COUNSELLING_TOPICS }).notNull(),
    description: varchar('description', { length: 1000 }).notNull(),
    preferredTimes: varchar('preferred_times', { length: 200 }).notNull(),
    contactPhone: varchar('contact_phone', { length: 20 }).notNull(),
    status: text('status', { enum: COUNSELLING_STATUSES }).notNull().default('open'),
    scheduledAt: timestamp('scheduled_at', { withTimezone: true }),
    reply: varchar('reply', { length: 1000 }),
    handledBy: uuid('handled_by').references(() => users.id),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('counselling_requests_site_idx').on(t.siteId, t.status, t.createdAt),
    index('counselling_requests_guardian_idx').on(t.guardianId, t.createdAt),
    check('counselling_requests_scheduled_ck', sql`${t.status} <> 'accepted' or ${t.scheduledAt} is not null`),
  ],
);
