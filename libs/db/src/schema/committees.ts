import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  date,
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
import { classes, schoolYears, schools, students } from './directory';
import { users } from './identity';
import { files } from './files';

export const COMMITTEE_LEVELS = ['class', 'grade', 'school'] as const;
export type CommitteeLevel = (typeof COMMITTEE_LEVELS)[number];

export const COMMITTEE_ROLES = ['chair', 'vice_chair', 'secretary', 'member'] as const;
export type CommitteeRole = (typeof COMMITTEE_ROLES)[number];

/** The standard functions a charter chooses from (规范中小学家长委员会的职能); a school may add its own text. */
export const CHARTER_FUNCTIONS = [
  'school_management', // 参与学校管理
  'home_school_communication', // 家校沟通
  'parent_school', // 组织家长学校
  'oversight_canteen', // 民主监督：食堂
  'oversight_uniforms', // 民主监督：校服
  'oversight_materials', // 民主监督：教辅材料
  'volunteering', // 志愿服务
] as const;
export type CharterFunction = (typeof CHARTER_FUNCTIONS)[number];

export const OVERSIGHT_AREAS = ['canteen', 'uniforms', 'materials', 'other'] as const;
export type OversightArea = (typeof OVERSIGHT_AREAS)[number];

export const ELECTION_STATUSES = ['open', 'closed'] as const;
export type ElectionStatus = (typeof ELECTION_STATUSES)[number];

export const NOMINATION_STATUSES = ['pending', 'accepted', 'declined'] as const;
export type NominationStatus = (typeof NOMINATION_STATUSES)[number];

export const FUND_ENTRY_KINDS = ['income', 'expense', 'reversal'] as const;
export type FundEntryKind = (typeof FUND_ENTRY_KINDS)[number];

export interface ElectionResult {
  ballots: number;
  counts: { userId: string; votes: number }[];
  winners: string[];
  /** the tied candidates sent to a run-off, and the run-off election */
  runoff?: { electionId: string; candidates: string[]; seats: number };
  /** a run-off that tied again is settled by lot: the seed is published so anyone can recompute the draw */
  lot?: { seed: string; candidates: string[]; drawn: string[] };
  /** winners who could not be seated (the committee was full, or they no longer have a child in scope) */
  unseated?: string[];
}

/** 家长委员会 of a class, a grade or a school, for one school year. */
export const committees = pgTable(
  'committees',
  {
    id: id(),
    schoolId: uuid('school_id')
      .notNull()
      .references(() => schools.id),
    schoolYearId: uuid('school_year_id')
      .notNull()
      .references(() => schoolYears.id),
    level: text('level', { enum: COMMITTEE_LEVELS }).notNull(),
    /** the class of a class committee */
    classId: uuid('class_id').references(() => classes.id),
    /** the grade (1–12) of a grade committee */
    grade: smallint('grade'),
    /** `class:<id>`, `grade:<n>` or `school`: one committee per scope, school and year */
    scopeKey: varchar('scope_key', { length: 60 }).notNull(),
    name: varchar('name', { length: 100 }).notNull(),
    charter: jsonb('charter').$type<CharterFunction[]>().notNull().default([]),
    /** the school's own wording of the charter */
    charterNote: varchar('charter_note', { length: 2000 }),
    maxMembers: smallint('max_members').notNull().default(7),
    /** a grade or school committee whose members must sit on a class committee of its scope */
    drawsFromClassCommittees: boolean('draws_from_class_committees').notNull().default(false),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('committees_scope_uq').on(t.schoolId, t.schoolYearId, t.scopeKey),
    check('committees_max_members_ck', sql`${t.maxMembers} between 3 and 50`),
  ],
);

export const committeeMembers = pgTable(
  'committee_members',
  {
    id: id(),
    committeeId: uuid('committee_id')
      .notNull()
      .references(() => committees.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    role: text('role', { enum: COMMITTEE_ROLES }).notNull(),
    termStartsOn: date('term_starts_on').notNull(),
    termEndsOn: date('term_ends_on').notNull(),
    /** the election that seated the member, if any */
    electionId: uuid('election_id'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('committee_members_uq').on(t.committeeId, t.userId),
    uniqueIndex('committee_members_one_chair_uq')
      .on(t.committeeId)
      .where(sql`role = 'chair'`),
    index('committee_members_user_idx').on(t.userId),
  ],
);

export const elections = pgTable(
  'elections',
  {
    id: id(),
    committeeId: uuid('committee_id')
      .notNull()
      .references(() => committees.id, { onDelete: 'cascade' }),
    title: varchar('title', { length: 100 }).notNull(),
    /** the role the winners are appointed to */
    role: text('role', { enum: COMMITTEE_ROLES }).notNull(),
    seats: smallint('seats').notNull(),
    nominationStartsAt: timestamp('nomination_starts_at', { withTimezone: true }).notNull(),
    nominationEndsAt: timestamp('nomination_ends_at', { withTimezone: true }).notNull(),
    votingStartsAt: timestamp('voting_starts_at', { withTimezone: true }).notNull(),
    votingEndsAt: timestamp('voting_ends_at', { withTimezone: true }).notNull(),
    status: text('status', { enum: ELECTION_STATUSES }).notNull().default('open'),
    /** a run-off among the tied candidates of this election */
    runoffOf: uuid('runoff_of'),
    result: jsonb('result').$type<ElectionResult>(),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [
    index('elections_committee_idx').on(t.committeeId),
    check(
      'elections_windows_ck',
      sql`${t.nominationEndsAt} > ${t.nominationStartsAt} and ${t.votingStartsAt} >= ${t.nominationEndsAt} and ${t.votingEndsAt} > ${t.votingStartsAt}`,
    ),
    check('elections_seats_ck', sql`${t.seats} between 1 and 50`),
  ],
);

export const nominations = pgTable(
  'nominations',
  {
    id: id(),
    electionId: uuid('election_id')
      .notNull()
      .references(() => elections.id, { onDelete: 'cascade' }),
    nomineeId: uuid('nominee_id')
      .notNull()
      .references(() => users.id),
    nominatedBy: uuid('nominated_by')
      .notNull()
      .references(() => users.id),
    status: text('status', { enum: NOMINATION_STATUSES }).notNull(),
    statement: varchar('statement', { length: 500 }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('nominations_election_nominee_uq').on(t.electionId, t.nomineeId)],
);

/**
 * 已投票: a household (a student) has voted in an election. It says nothing about the choice,
 * and carries no time, so it cannot be lined up with a ballot.
 */
export const electionVoters = pgTable(
  'election_voters',
  {
    electionId: uuid('election_id')
      .notNull()
      .references(() => elections.id, { onDelete: 'cascade' }),
    studentId: uuid('student_id')
      .notNull()
      .references(() => students.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.electionId, t.studentId] })],
);

/**
 * A secret ballot: a random id and the choices, nothing else — no voter, no household, no
 * time, no sequence — so no row can be joined back to whoever cast it.
 */
export const ballots = pgTable(
  'ballots',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    electionId: uuid('election_id')
      .notNull()
      .references(() => elections.id, { onDelete: 'cascade' }),
    /** the chosen candidates' user ids */
    choices: jsonb('choices').$type<string[]>().notNull(),
  },
  (t) => [index('ballots_election_idx').on(t.electionId)],
);

/**
 * A ballot as cast: sealed with a key the database does not hold (AES-256-GCM, padded), written
 * beside the household marker. At the tally the whole pool is opened, shuffled and moved into
 * `ballots` in one statement, and deleted here — so no transaction id, row order or time links a
 * `ballots` row to a marker (docs/security.md).
 */
export const sealedBallots = pgTable(
  'sealed_ballots',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    electionId: uuid('election_id')
      .notNull()
      .references(() => elections.id, { onDelete: 'cascade' }),
    sealed: bytea('sealed').notNull(),
  },
  (t) => [index('sealed_ballots_election_idx').on(t.electionId)],
);

/** 会议纪要 */
export const committeeMinutes = pgTable(
  'committee_minutes',
  {
    id: id(),
    committeeId: uuid('committee_id')
      .notNull()
      .references(() => committees.id, { onDelete: 'cascade' }),
    title: varchar('title', { length: 100 }).notNull(),
    heldAt: timestamp('held_at', { withTimezone: true }).notNull(),
    attendeeIds: jsonb('attendee_ids').$type<string[]>().notNull().default([]),
    decisions: jsonb('decisions').$type<string[]>().notNull().default([]),
    body: varchar('body', { length: 5000 }),
    recordedBy: uuid('recorded_by')
      .notNull()
      .references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [index('committee_minutes_committee_idx').on(t.committeeId, t.heldAt)],
);

/** 民主监督: an inspection of the canteen, uniforms or supplementary materials. */
export const oversightRecords = pgTable(
  'oversight_records',
  {
    id: id(),
    committeeId: uuid('committee_id')
      .notNull()
      .references(() => committees.id, { onDelete: 'cascade' }),
    area: text('area', { enum: OVERSIGHT_AREAS }).notNull(),
    title: varchar('title', { length: 100 }).notNull(),
    inspectedAt: timestamp('inspected_at', { withTimezone: true }).notNull(),
    findings: varchar('findings', { length: 5000 }).notNull(),
    photoFileIds: jsonb('photo_file_ids').$type<string[]>().notNull().default([]),
    recordedBy: uuid('recorded_by')
      .notNull()
      .references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [index('oversight_records_committee_idx').on(t.committeeId, t.inspectedAt)],
);

/**
 * 班费 ledger: append-only. A correction is a reversal entry pointing at the original (once:
 * the partial unique index), never an update or a delete.
 */
export const fundEntries = pgTable(
  'fund_entries',
  {
    id: id(),
    committeeId: uuid('committee_id')
      .notNull()
      .references(() => committees.id, { onDelete: 'cascade' }),
    /** gapless order of the ledger: the running balance follows it */
    seq: bigint('seq', { mode: 'number' }).notNull(),
    kind: text('kind', { enum: FUND_ENTRY_KINDS }).notNull(),
    /** fen (分): positive income, negative expense; a reversal negates the original */
    amountFen: integer('amount_fen').notNull(),
    description: varchar('description', { length: 200 }).notNull(),
    occurredOn: date('occurred_on').notNull(),
    receiptFileId: uuid('receipt_file_id').references(() => files.id),
    reverses: uuid('reverses'),
    recordedBy: uuid('recorded_by')
      .notNull()
      .references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('fund_entries_seq_uq').on(t.committeeId, t.seq),
    uniqueIndex('fund_entries_reverses_uq')
      .on(t.reverses)
      .where(sql`reverses is not null`),
    check(
      'fund_entries_sign_ck',
      sql`(${t.kind} = 'income' and ${t.amountFen} > 0) or (${t.kind} = 'expense' and ${t.amountFen} < 0) or (${t.kind} = 'reversal' and ${t.reverses} is not null)`,
    ),
  ],
);

/** chair_training hours the bureau requires of committee chairs per school year. */
export const chairTrainingRequirements = pgTable('chair_training_requirements', {
  schoolYearId: uuid('school_year_id')
    .primaryKey()
    .references(() => schoolYears.id),
  requiredHours: numeric('required_hours', { precision: 4, scale: 1, mode: 'number' }).notNull(),
  updatedBy: uuid('updated_by').references(() => users.id),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});
