import { sql } from 'drizzle-orm';
import {
  check,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
  varchar,
} from 'drizzle-orm/pg-core';
import { bytea, createdAt, id } from './columns';
import { districts, schools, students } from './directory';
import { users } from './identity';

/** Automatic indicators: computed from platform data at a snapshot time. */
export const AUTO_METRICS = [
  'course_hour_compliance', // 家长学校学时达标率 (household_progress vs course_requirements)
  'coordinator_appointed', // 配备家庭教育总协调员
  'committees_three_levels', // 班级、年级、学校三级家委会
  'lectures_held', // 本校举办的家长课程/讲座
  'support_site_listed', // 心理辅导室或成长导航站
  'parent_satisfaction', // 家长满意度
  'campaign_participation', // 家庭参与家风家训、书香之家等活动
] as const;
export type AutoMetric = (typeof AUTO_METRICS)[number];

export const INDICATOR_KINDS = ['auto', 'manual'] as const;
export type IndicatorKind = (typeof INDICATOR_KINDS)[number];

export const APPLICATION_STATUSES = ['submitted', 'returned', 'district_passed', 'designated', 'revoked'] as const;
export type ApplicationStatus = (typeof APPLICATION_STATUSES)[number];

export const SUPPORT_SITE_KINDS = ['counselling_room', 'growth_station', 'counselling_centre', 'hotline'] as const;
export type SupportSiteKind = (typeof SUPPORT_SITE_KINDS)[number];

/** Whose a support site is: a school's, a district's (区县中心) or the city's (市级中心、热线). */
export const SUPPORT_SITE_SCOPES = ['school', 'district', 'city'] as const;
export type SupportSiteScope = (typeof SUPPORT_SITE_SCOPES)[number];

/** One indicator's value at the snapshot: the inputs it was computed from are kept beside it. */
export interface MetricSnapshot {
  code: string;
  metric: AutoMetric;
  /** 0–1: the share of the indicator's weight earned */
  ratio: number;
  points: number;
  inputs: Record<string, number | string | boolean | null>;
}

/** A year of the programme: its quota is the row designations lock (`SELECT … FOR UPDATE`). */
export const modelSchoolYears = pgTable(
  'model_school_years',
  {
    year: smallint('year').primaryKey(),
    quota: integer('quota').notNull().default(100),
    /** the lowest total score (of 100) a school may be designated with */
    passMark: numeric('pass_mark', { precision: 5, scale: 2, mode: 'number' }).notNull().default(60),
    updatedBy: uuid('updated_by').references(() => users.id),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check('model_school_years_quota_ck', sql`${t.quota} between 0 and 10000`),
    check('model_school_years_pass_mark_ck', sql`${t.passMark} between 0 and 100`),
  ],
);

/** The weighted rubric of a year: automatic indicators name a metric; manual ones are scored by experts. */
export const modelSchoolCriteria = pgTable(
  'model_school_criteria',
  {
    id: id(),
    year: smallint('year')
      .notNull()
      .references(() => modelSchoolYears.year),
    code: varchar('code', { length: 40 }).notNull(),
    name: varchar('name', { length: 100 }).notNull(),
    description: varchar('description', { length: 500 }),
    kind: text('kind', { enum: INDICATOR_KINDS }).notNull(),
    metric: text('metric', { enum: AUTO_METRICS }),
    /** points of the indicator (the year's weights add up to 100) */
    weight: numeric('weight', { precision: 5, scale: 2, mode: 'number' }).notNull(),
    /** the value that earns full points (a rate, a count, a score out of 5) */
    target: numeric('target', { precision: 7, scale: 2, mode: 'number' }),
    position: smallint('position').notNull().default(0),
  },
  (t) => [
    uniqueIndex('model_school_criteria_year_code_uq').on(t.year, t.code),
    check('model_school_criteria_kind_ck', sql`(${t.kind} = 'auto') = (${t.metric} is not null)`),
    check('model_school_criteria_weight_ck', sql`${t.weight} > 0`),
  ],
);

/**
 * 心理辅导室 / 成长导航站 of a school, a district's or the city's 未成年人心理辅导中心 and hotlines.
 * A school's site names its school, a district's its district, the city's neither.
 */
export const supportSites = pgTable(
  'support_sites',
  {
    id: id(),
    scope: text('scope', { enum: SUPPORT_SITE_SCOPES }).notNull().default('school'),
    schoolId: uuid('school_id').references(() => schools.id),
    districtId: uuid('district_id').references(() => districts.id),
    kind: text('kind', { enum: SUPPORT_SITE_KINDS }).notNull(),
    name: varchar('name', { length: 100 }).notNull(),
    location: varchar('location', { length: 200 }),
    openingHours: varchar('opening_hours', { length: 200 }).notNull(),
    contact: varchar('contact', { length: 100 }).notNull(),
    /** the number a parent's phone dials (tel: link); the contact text may say more */
    phone: varchar('phone', { length: 20 }),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [
    index('support_sites_school_idx').on(t.schoolId),
    index('support_sites_district_idx').on(t.districtId),
    check(
      'support_sites_scope_ck',
      sql`(${t.scope} = 'school' and ${t.schoolId} is not null and ${t.districtId} is null) or (${t.scope} = 'district' and ${t.schoolId} is null and ${t.districtId} is not null) or (${t.scope} = 'city' and ${t.schoolId} is null and ${t.districtId} is null)`,
    ),
  ],
);

/** 已答卷: a household (a student) has answered the school's survey of a year. Nothing about the answer. */
export const satisfactionRespondents = pgTable(
  'satisfaction_respondents',
  {
    schoolId: uuid('school_id')
      .notNull()
      .references(() => schools.id),
    year: smallint('year').notNull(),
    studentId: uuid('student_id')
      .notNull()
      .references(() => students.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.schoolId, t.year, t.studentId] })],
);

/** An anonymous answer: no user, no household, no time — it cannot be joined back to whoever gave it. */
export const satisfactionResponses = pgTable(
  'satisfaction_responses',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    schoolId: uuid('school_id')
      .notNull()
      .references(() => schools.id),
    year: smallint('year').notNull(),
    /** 1 (very dissatisfied) – 5 (very satisfied) */
    score: smallint('score').notNull(),
    comment: varchar('comment', { length: 500 }),
  },
  (t) => [
    index('satisfaction_responses_school_idx').on(t.schoolId, t.year),
    check('satisfaction_responses_score_ck', sql`${t.score} between 1 and 5`),
  ],
);

/**
 * A survey answer as given: sealed (see `sealed_ballots`), written beside the "responded" marker.
 * Once a school's pool holds a batch, it is opened, shuffled and moved into `satisfaction_responses`.
 */
export const sealedSurveyAnswers = pgTable(
  'sealed_survey_answers',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    schoolId: uuid('school_id')
      .notNull()
      .references(() => schools.id),
    year: smallint('year').notNull(),
    sealed: bytea('sealed').notNull(),
  },
  (t) => [index('sealed_survey_answers_school_idx').on(t.schoolId, t.year)],
);

export const modelSchoolApplications = pgTable(
  'model_school_applications',
  {
    id: id(),
    schoolId: uuid('school_id')
      .notNull()
      .references(() => schools.id),
    year: smallint('year')
      .notNull()
      .references(() => modelSchoolYears.year),
    status: text('status', { enum: APPLICATION_STATUSES }).notNull().default('submitted'),
    materials: varchar('materials', { length: 10000 }).notNull(),
    materialFileIds: jsonb('material_file_ids').$type<string[]>().notNull().default([]),
    metrics: jsonb('metrics').$type<MetricSnapshot[]>().notNull().default([]),
    snapshotAt: timestamp('snapshot_at', { withTimezone: true }).notNull(),
    autoScore: numeric('auto_score', { precision: 6, scale: 2, mode: 'number' }).notNull().default(0),
    /** the manual items averaged across the submitted expert reviews; null until one is in */
    manualScore: numeric('manual_score', { precision: 6, scale: 2, mode: 'number' }),
    totalScore: numeric('total_score', { precision: 6, scale: 2, mode: 'number' }),
    districtComment: varchar('district_comment', { length: 1000 }),
    districtReviewedBy: uuid('district_reviewed_by').references(() => users.id),
    districtReviewedAt: timestamp('district_reviewed_at', { withTimezone: true }),
    submittedBy: uuid('submitted_by')
      .notNull()
      .references(() => users.id),
    submissions: smallint('submissions').notNull().default(1),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('model_school_applications_school_year_uq').on(t.schoolId, t.year),
    index('model_school_applications_year_status_idx').on(t.year, t.status),
  ],
);

/** A city expert's home district: they never review a school of it. */
export const modelSchoolExperts = pgTable('model_school_experts', {
  userId: uuid('user_id')
    .primaryKey()
    .references(() => users.id),
  districtId: uuid('district_id')
    .notNull()
    .references(() => districts.id),
  createdAt: createdAt(),
});

/** An expert assigned to an application, and their scores of the manual items. */
export const modelSchoolReviews = pgTable(
  'model_school_reviews',
  {
    id: id(),
    applicationId: uuid('application_id')
      .notNull()
      .references(() => modelSchoolApplications.id, { onDelete: 'cascade' }),
    reviewerId: uuid('reviewer_id')
      .notNull()
      .references(() => users.id),
    /** the reviewer's district when assigned: kept so the own-district rule holds even if it changes */
    reviewerDistrictId: uuid('reviewer_district_id')
      .notNull()
      .references(() => districts.id),
    /** criterion code → points given (0 – the criterion's weight) */
    scores: jsonb('scores').$type<Record<string, number>>(),
    total: numeric('total', { precision: 6, scale: 2, mode: 'number' }),
    comment: varchar('comment', { length: 1000 }),
    assignedBy: uuid('assigned_by').references(() => users.id),
    submittedAt: timestamp('submitted_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('model_school_reviews_application_reviewer_uq').on(t.applicationId, t.reviewerId),
    index('model_school_reviews_reviewer_idx').on(t.reviewerId),
  ],
);

/** 家庭教育示范学校: a designation under the year's quota; revocation keeps the row. */
export const modelSchoolDesignations = pgTable(
  'model_school_designations',
  {
    id: id(),
    applicationId: uuid('application_id')
      .notNull()
      .references(() => modelSchoolApplications.id),
    schoolId: uuid('school_id')
      .notNull()
      .references(() => schools.id),
    year: smallint('year')
      .notNull()
      .references(() => modelSchoolYears.year),
    certificateNo: varchar('certificate_no', { length: 40 }).notNull().unique(),
    score: numeric('score', { precision: 6, scale: 2, mode: 'number' }),
    designatedBy: uuid('designated_by')
      .notNull()
      .references(() => users.id),
    designatedAt: timestamp('designated_at', { withTimezone: true }).notNull().defaultNow(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    revokedBy: uuid('revoked_by').references(() => users.id),
    revokeReason: varchar('revoke_reason', { length: 500 }),
  },
  (t) => [
    uniqueIndex('model_school_designations_application_uq').on(t.applicationId),
    index('model_school_designations_year_idx').on(t.year),
    index('model_school_designations_school_idx').on(t.schoolId),
  ],
);

export const MODEL_SCHOOL_METRICS = ['coordinator', 'committee_level', 'lecture_held', 'campaign_household'] as const;

/**
 * The facts behind the counted indicators, written by model-schools from other contexts' events
 * (a coordinator appointed or revoked, a committee established, a lecture published, moved or
 * cancelled, a campaign entry made or rejected). A metric as of an instant counts the subjects
 * (an assignment, a committee level, a lecture, a household) whose deltas up to then sum above
 * zero. The key names the change it records (`coordinator.appointed:<assignment>`,
 * `lecture.rescheduled:<event>:to`…), so a repeated event or backfill writes nothing more.
 * A coordinator counts for every year: its facts have no school year.
 */
export const modelSchoolMetricFacts = pgTable(
  'model_school_metric_facts',
  {
    key: text('key').primaryKey(),
    schoolId: uuid('school_id')
      .notNull()
      .references(() => schools.id, { onDelete: 'cascade' }),
    schoolYearId: uuid('school_year_id'),
    metric: text('metric', { enum: MODEL_SCHOOL_METRICS }).notNull(),
    subject: text('subject').notNull(),
    delta: smallint('delta').notNull(),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('model_school_metric_facts_school_idx').on(t.schoolId, t.metric, t.occurredAt),
    check('model_school_metric_facts_delta_ck', sql`${t.delta} in (-1, 1)`),
  ],
);
