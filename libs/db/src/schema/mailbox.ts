import { sql } from 'drizzle-orm';
import { boolean, check, index, pgTable, text, timestamp, uuid, varchar } from 'drizzle-orm/pg-core';
import { createdAt, id } from './columns';
import { districts, schools } from './directory';
import { users } from './identity';

export const MAILBOX_KINDS = ['complaint', 'suggestion', 'report'] as const;
export type MailboxKind = (typeof MAILBOX_KINDS)[number];
/** 有偿家教 (paid tutoring by teachers) has a topic of its own: the bureau's zero-tolerance line. */
export const MAILBOX_TOPICS = ['paid_tutoring', 'fees', 'teaching', 'safety', 'canteen', 'other'] as const;
export type MailboxTopic = (typeof MAILBOX_TOPICS)[number];
/** Who must answer now: the school, then (unanswered past the deadline) the district, then the city. */
export const MAILBOX_LEVELS = ['school', 'district', 'city'] as const;
export type MailboxLevel = (typeof MAILBOX_LEVELS)[number];

/** 校长信箱: a parent's complaint, suggestion or report to a school, answered within a deadline or escalated. */
export const mailboxItems = pgTable(
  'mailbox_items',
  {
    id: id(),
    schoolId: uuid('school_id')
      .notNull()
      .references(() => schools.id),
    districtId: uuid('district_id')
      .notNull()
      .references(() => districts.id),
    /** always kept, even when anonymous to the school: the bureau can follow up abuse */
    authorId: uuid('author_id')
      .notNull()
      .references(() => users.id),
    anonymous: boolean('anonymous').notNull().default(false),
    kind: text('kind', { enum: MAILBOX_KINDS }).notNull(),
    topic: text('topic', { enum: MAILBOX_TOPICS }).notNull().default('other'),
    subject: varchar('subject', { length: 100 }).notNull(),
    body: varchar('body', { length: 3000 }).notNull(),
    status: text('status', { enum: ['open', 'answered'] })
      .notNull()
      .default('open'),
    level: text('level', { enum: MAILBOX_LEVELS }).notNull().default('school'),
    /** the answer is due by then at the current level */
    dueAt: timestamp('due_at', { withTimezone: true }).notNull(),
    escalatedAt: timestamp('escalated_at', { withTimezone: true }),
    answer: varchar('answer', { length: 3000 }),
    answeredBy: uuid('answered_by').references(() => users.id),
    answeredLevel: text('answered_level', { enum: MAILBOX_LEVELS }),
    answeredAt: timestamp('answered_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    index('mailbox_items_school_status_idx').on(t.schoolId, t.status),
    index('mailbox_items_author_idx').on(t.authorId, t.createdAt),
    index('mailbox_items_due_idx')
      .on(t.dueAt)
      .where(sql`${t.status} = 'open'`),
    check('mailbox_items_answer_ck', sql`(${t.status} = 'answered') = (${t.answer} is not null)`),
  ],
);
