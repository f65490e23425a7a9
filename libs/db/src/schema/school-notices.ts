import { boolean, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid, varchar } from 'drizzle-orm/pg-core';
import { createdAt, id } from './columns';
import { classes, districts, schools, students } from './directory';
import { users } from './identity';
import type { Attachment } from './messaging';

export const SCHOOL_NOTICE_AUDIENCES = ['families', 'coordinators'] as const;
export type SchoolNoticeAudience = (typeof SCHOOL_NOTICE_AUDIENCES)[number];

/**
 * A notice above the class (校务公开): a school's coordinator to the families of the school, of
 * some grades or of some classes; a district or the city bureau to the coordinators of its
 * schools. The recipients are fixed when the worker fans it out.
 */
export const schoolNotices = pgTable(
  'school_notices',
  {
    id: id(),
    senderId: uuid('sender_id')
      .notNull()
      .references(() => users.id),
    audience: text('audience', { enum: SCHOOL_NOTICE_AUDIENCES }).notNull(),
    /** families: the school; coordinators: none for the whole city */
    schoolId: uuid('school_id').references(() => schools.id),
    /** coordinators of one district's schools */
    districtId: uuid('district_id').references(() => districts.id),
    /** families of these grades only (null: every grade) */
    grades: jsonb('grades').$type<number[]>(),
    /** families of these classes only (null: every class) */
    classIds: jsonb('class_ids').$type<string[]>(),
    title: varchar('title', { length: 100 }).notNull(),
    body: text('body').notNull(),
    needsAck: boolean('needs_ack').notNull().default(false),
    emergency: boolean('emergency').notNull().default(false),
    /** files the sender uploaded, shown with the notice (their readers: the notice's readers) */
    attachments: jsonb('attachments').$type<Attachment[]>().notNull().default([]),
    recipientCount: integer('recipient_count'),
    fannedOutAt: timestamp('fanned_out_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    index('school_notices_school_idx').on(t.schoolId, t.createdAt),
    index('school_notices_district_idx').on(t.districtId, t.createdAt),
    // which notices carry a file: the file rule's lookup (attachments @> [{fileId}])
    index('school_notices_attachments_idx').using('gin', t.attachments.op('jsonb_path_ops')),
  ],
);

/** The families a notice went to: one row per student, with the class it was in then. */
export const schoolNoticeFamilies = pgTable(
  'school_notice_families',
  {
    noticeId: uuid('notice_id')
      .notNull()
      .references(() => schoolNotices.id, { onDelete: 'cascade' }),
    studentId: uuid('student_id')
      .notNull()
      .references(() => students.id, { onDelete: 'cascade' }),
    classId: uuid('class_id')
      .notNull()
      .references(() => classes.id),
  },
  (t) => [primaryKey({ columns: [t.noticeId, t.studentId] }), index('school_notice_families_class_idx').on(t.noticeId, t.classId)],
);

/** Who received a notice (a guardian, or a coordinator with the school), and their 回执. */
export const schoolNoticeRecipients = pgTable(
  'school_notice_recipients',
  {
    noticeId: uuid('notice_id')
      .notNull()
      .references(() => schoolNotices.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    /** a coordinator's school (coordinator notices) */
    schoolId: uuid('school_id').references(() => schools.id),
    readAt: timestamp('read_at', { withTimezone: true }),
    ackedAt: timestamp('acked_at', { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.noticeId, t.userId] }), index('school_notice_recipients_user_idx').on(t.userId)],
);
