import { sql } from 'drizzle-orm';
import {
  check,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
  varchar,
} from 'drizzle-orm/pg-core';
import { bytea, createdAt, id } from './columns';
import { classes, districts, schoolYears, schools, students } from './directory';
import { users } from './identity';
import { files } from './files';

export const LECTURE_SERIES = ['parents_forum', 'rural_tour', 'school_course', 'chair_training', 'teacher_training'] as const;
export type LectureSeries = (typeof LECTURE_SERIES)[number];
export const LECTURE_MODES = ['offline', 'live', 'replay', 'hybrid'] as const;
export type LectureMode = (typeof LECTURE_MODES)[number];
export const LECTURE_STATUSES = ['draft', 'published', 'cancelled', 'finished'] as const;
export type LectureStatus = (typeof LECTURE_STATUSES)[number];

/** Who a lecture is open to. */
export type Audience =
  | { scope: 'city' }
  | { scope: 'district'; districtId: string }
  | { scope: 'school'; schoolId: string }
  | { scope: 'grades'; schoolId: string; grades: number[] }
  | { scope: 'classes'; schoolId: string; classIds: string[] }
  | { scope: 'committee_chairs'; districtId?: string; schoolId?: string }
  /** teacher_training: the teachers and coordinators of a school, of a district's schools, or of the city */
  | { scope: 'teachers'; districtId?: string; schoolId?: string };

/** Hours the bureau requires per school year (default 8), for all schools at once. */
export const courseRequirements = pgTable('course_requirements', {
  schoolYearId: uuid('school_year_id')
    .primaryKey()
    .references(() => schoolYears.id),
  requiredHours: numeric('required_hours', { precision: 4, scale: 1, mode: 'number' }).notNull().default(8),
  updatedBy: uuid('updated_by').references(() => users.id),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** A school's course plan for a year; its sessions are lectures with this plan id. */
export const coursePlans = pgTable(
  'course_plans',
  {
    id: id(),
    schoolId: uuid('school_id')
      .notNull()
      .references(() => schools.id),
    schoolYearId: uuid('school_year_id')
      .notNull()
      .references(() => schoolYears.id),
    note: varchar('note', { length: 500 }),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('course_plans_school_year_uq').on(t.schoolId, t.schoolYearId)],
);

export const experts = pgTable('experts', {
  id: id(),
  name: varchar('name', { length: 40 }).notNull(),
  title: varchar('title', { length: 100 }),
  bio: varchar('bio', { length: 1000 }),
  userId: uuid('user_id').references(() => users.id),
  createdAt: createdAt(),
});

export const lectures = pgTable(
  'lectures',
  {
    id: id(),
    series: text('series', { enum: LECTURE_SERIES }).notNull(),
    title: varchar('title', { length: 100 }).notNull(),
    /** e.g. a unit of 《牵手两代》 */
    curriculumLabel: varchar('curriculum_label', { length: 100 }),
    description: varchar('description', { length: 2000 }),
    schoolYearId: uuid('school_year_id')
      .notNull()
      .references(() => schoolYears.id),
    planId: uuid('plan_id').references(() => coursePlans.id),
    /** 补课: a make-up session for parents who missed this lecture */
    makeupOf: uuid('makeup_of'),
    /** the organiser: a school, a district, or neither (the city) */
    schoolId: uuid('school_id').references(() => schools.id),
    districtId: uuid('district_id').references(() => districts.id),
    expertId: uuid('expert_id').references(() => experts.id),
    speaker: varchar('speaker', { length: 60 }),
    audience: jsonb('audience').$type<Audience>().notNull(),
    mode: text('mode', { enum: LECTURE_MODES }).notNull(),
    startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
    endsAt: timestamp('ends_at', { withTimezone: true }).notNull(),
    venue: varchar('venue', { length: 200 }),
    streamUrl: varchar('stream_url', { length: 500 }),
    replayUrl: varchar('replay_url', { length: 500 }),
    capacity: integer('capacity'),
    registrationCutoff: timestamp('registration_cutoff', { withTimezone: true }),
    creditHours: numeric('credit_hours', { precision: 3, scale: 1, mode: 'number' }).notNull(),
    /** offline credit: latest check-in, in minutes after the start (null: the platform default) */
    lateCheckinMinutes: integer('late_checkin_minutes'),
    /** offline credit: share of the session between check-in and check-out, in % (null: the platform default) */
    minPresencePercent: integer('min_presence_percent'),
    status: text('status', { enum: LECTURE_STATUSES }).notNull().default('draft'),
    /** per-lecture key of the rotating check-in code */
    checkinSecret: varchar('checkin_secret', { length: 64 }).notNull(),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [
    index('lectures_year_start_idx').on(t.schoolYearId, t.startsAt),
    index('lectures_plan_idx').on(t.planId),
    check('lectures_time_ck', sql`${t.endsAt} > ${t.startsAt}`),
    check('lectures_credit_ck', sql`${t.creditHours} > 0 and ${t.creditHours} * 2 = floor(${t.creditHours} * 2)`),
  ],
);

export const MATERIAL_KINDS = ['slides', 'handout', 'other'] as const;
export type MaterialKind = (typeof MATERIAL_KINDS)[number];

/** A lecture's materials (课件, 讲义): uploaded files, readable by whoever may read the lecture. */
export const lectureMaterials = pgTable(
  'lecture_materials',
  {
    id: id(),
    lectureId: uuid('lecture_id')
      .notNull()
      .references(() => lectures.id),
    fileId: uuid('file_id')
      .notNull()
      .references(() => files.id),
    title: varchar('title', { length: 100 }).notNull(),
    kind: text('kind', { enum: MATERIAL_KINDS }).notNull(),
    addedBy: uuid('added_by').references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('lecture_materials_lecture_file_uq').on(t.lectureId, t.fileId), index('lecture_materials_file_idx').on(t.fileId)],
);

export const REGISTRATION_STATUSES = ['registered', 'waitlisted', 'cancelled'] as const;
export type RegistrationStatus = (typeof REGISTRATION_STATUSES)[number];

export const registrations = pgTable(
  'registrations',
  {
    id: id(),
    lectureId: uuid('lecture_id')
      .notNull()
      .references(() => lectures.id),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    status: text('status', { enum: REGISTRATION_STATUSES }).notNull(),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('registrations_lecture_user_uq').on(t.lectureId, t.userId),
    index('registrations_lecture_status_idx').on(t.lectureId, t.status, t.createdAt),
  ],
);

export const attendance = pgTable(
  'attendance',
  {
    lectureId: uuid('lecture_id')
      .notNull()
      .references(() => lectures.id),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    checkedInAt: timestamp('checked_in_at', { withTimezone: true }),
    checkedOutAt: timestamp('checked_out_at', { withTimezone: true }),
    /** the device that scanned: a hash of the client's device id, else of its user agent and address */
    checkinDevice: varchar('checkin_device', { length: 40 }),
    checkoutDevice: varchar('checkout_device', { length: 40 }),
    /** why the check-out earned no credit: an error-catalogue code and its message parameters */
    noCredit: jsonb('no_credit').$type<{ code: string; params: Record<string, number> }>(),
    /** seconds of live or replay watching, flushed from Redis */
    watchedSeconds: integer('watched_seconds').notNull().default(0),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.lectureId, t.userId] })],
);

export const LEDGER_SOURCES = ['offline', 'online', 'manual'] as const;
export type LedgerSource = (typeof LEDGER_SOURCES)[number];

/**
 * The append-only hour ledger. A credit is unique per guardian and lecture; a correction is a
 * revocation entry pointing at it, never an update or a delete.
 */
export const hourLedger = pgTable(
  'hour_ledger',
  {
    id: id(),
    guardianId: uuid('guardian_id')
      .notNull()
      .references(() => users.id),
    lectureId: uuid('lecture_id')
      .notNull()
      .references(() => lectures.id),
    schoolYearId: uuid('school_year_id')
      .notNull()
      .references(() => schoolYears.id),
    kind: text('kind', { enum: ['credit', 'revocation'] }).notNull(),
    /** positive for a credit, negative for a revocation */
    hours: numeric('hours', { precision: 3, scale: 1, mode: 'number' }).notNull(),
    source: text('source', { enum: LEDGER_SOURCES }).notNull(),
    reason: varchar('reason', { length: 200 }),
    recordedBy: uuid('recorded_by').references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('hour_ledger_entry_uq').on(t.guardianId, t.lectureId, t.kind),
    index('hour_ledger_guardian_year_idx').on(t.guardianId, t.schoolYearId),
  ],
);

/** A lecture counted for a household (a student): once, whichever guardian attended. */
export const householdCredits = pgTable(
  'household_credits',
  {
    studentId: uuid('student_id')
      .notNull()
      .references(() => students.id, { onDelete: 'cascade' }),
    lectureId: uuid('lecture_id')
      .notNull()
      .references(() => lectures.id),
    schoolYearId: uuid('school_year_id')
      .notNull()
      .references(() => schoolYears.id),
    hours: numeric('hours', { precision: 3, scale: 1, mode: 'number' }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.studentId, t.lectureId] })],
);

/** Per-household progress, updated in the ledger's transaction so reports are index reads. */
export const householdProgress = pgTable(
  'household_progress',
  {
    studentId: uuid('student_id')
      .notNull()
      .references(() => students.id, { onDelete: 'cascade' }),
    schoolYearId: uuid('school_year_id')
      .notNull()
      .references(() => schoolYears.id),
    earnedHours: numeric('earned_hours', { precision: 5, scale: 1, mode: 'number' }).notNull().default(0),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.studentId, t.schoolYearId] })],
);

/**
 * Which class a student was in for a school year: one row per student and year, kept when the
 * rollover moves the student up (so a past year's report still answers for its classes). Written
 * by a trigger on students (insert, class change, leaving); `left_at` copies the student's.
 */
export const classMemberships = pgTable(
  'class_memberships',
  {
    studentId: uuid('student_id')
      .notNull()
      .references(() => students.id, { onDelete: 'cascade' }),
    schoolYearId: uuid('school_year_id')
      .notNull()
      .references(() => schoolYears.id),
    classId: uuid('class_id')
      .notNull()
      .references(() => classes.id, { onDelete: 'cascade' }),
    leftAt: timestamp('left_at', { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.studentId, t.schoolYearId] }), index('class_memberships_class_idx').on(t.classId)],
);

/**
 * Per class and its school year: the households (members who have not left), how many of them
 * meet the year's requirement, and their hours in all. Kept by triggers in the transaction that
 * changes household progress, a membership or the requirement, so a city rollup sums 25,000 rows
 * instead of scanning a million households.
 */
export const classHourTotals = pgTable('class_hour_totals', {
  classId: uuid('class_id')
    .primaryKey()
    .references(() => classes.id, { onDelete: 'cascade' }),
  schoolYearId: uuid('school_year_id')
    .notNull()
    .references(() => schoolYears.id),
  /** The class's school, kept here so a city rollup sums per school without joining 25,000 classes. */
  schoolId: uuid('school_id')
    .notNull()
    .references(() => schools.id),
  households: integer('households').notNull().default(0),
  compliant: integer('compliant').notNull().default(0),
  earnedHours: numeric('earned_hours', { precision: 12, scale: 1, mode: 'number' }).notNull().default(0),
});

/** Report exports run by the worker, with progress; the file stays here for download. */
export const reportExports = pgTable('report_exports', {
  id: id(),
  requestedBy: uuid('requested_by')
    .notNull()
    .references(() => users.id),
  params: jsonb('params').$type<{ schoolYear: string; schoolId?: string; districtId?: string }>().notNull(),
  status: text('status', { enum: ['queued', 'running', 'succeeded', 'failed'] })
    .notNull()
    .default('queued'),
  progress: integer('progress').notNull().default(0),
  fileName: varchar('file_name', { length: 200 }),
  content: bytea('content'),
  createdAt: createdAt(),
  finishedAt: timestamp('finished_at', { withTimezone: true }),
});
