import { boolean, date, index, jsonb, pgTable, smallint, text, timestamp, unique, uniqueIndex, uuid, varchar } from 'drizzle-orm/pg-core';
import { createdAt, id } from './columns';
import { users } from './identity';

export const SCHOOL_TYPES = ['kindergarten', 'primary', 'junior', 'senior', 'vocational', 'nine_year', 'twelve_year'] as const;
export type SchoolType = (typeof SCHOOL_TYPES)[number];

export const RELATIONS = ['父亲', '母亲', '祖父母', '外祖父母', '其他'] as const;
export type Relation = (typeof RELATIONS)[number];

export const districts = pgTable('districts', {
  id: id(),
  name: varchar('name', { length: 50 }).notNull().unique(),
  code: varchar('code', { length: 12 }).notNull().unique(),
  createdAt: createdAt(),
});

export const schools = pgTable(
  'schools',
  {
    id: id(),
    districtId: uuid('district_id')
      .notNull()
      .references(() => districts.id),
    name: varchar('name', { length: 80 }).notNull().unique(),
    type: text('type', { enum: SCHOOL_TYPES }).notNull(),
    address: varchar('address', { length: 200 }),
    createdAt: createdAt(),
  },
  (t) => [index('schools_district_idx').on(t.districtId)],
);

export const schoolYears = pgTable('school_years', {
  id: id(),
  /** "2026-2027": runs 1 September 2026 – 31 August 2027 */
  name: varchar('name', { length: 9 }).notNull().unique(),
  startsOn: date('starts_on').notNull(),
  endsOn: date('ends_on').notNull(),
  createdAt: createdAt(),
});

export const classes = pgTable(
  'classes',
  {
    id: id(),
    schoolId: uuid('school_id')
      .notNull()
      .references(() => schools.id),
    schoolYearId: uuid('school_year_id')
      .notNull()
      .references(() => schoolYears.id),
    /** 1–12: 一年级 … 高三 (初一 = 7) */
    grade: smallint('grade').notNull(),
    name: varchar('name', { length: 40 }).notNull(),
    /** a graduated class, kept with its history after the school-year rollover (升级) */
    archivedAt: timestamp('archived_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('classes_school_year_name_uq').on(t.schoolId, t.schoolYearId, t.name)],
);

/** Minors: only what the platform needs — a name, a class, guardians. No ID numbers, no birthdays. */
export const students = pgTable(
  'students',
  {
    id: id(),
    classId: uuid('class_id')
      .notNull()
      .references(() => classes.id),
    name: varchar('name', { length: 40 }).notNull(),
    /** the student left the school: guardianships ended, hours and messages kept */
    leftAt: timestamp('left_at', { withTimezone: true }),
    leftReason: varchar('left_reason', { length: 100 }),
    createdAt: createdAt(),
  },
  // Names are unique within a class: roster imports match students by name (a school tells
  // two 张伟 apart as 张伟(大) and 张伟(小)).
  (t) => [uniqueIndex('students_class_name_uq').on(t.classId, t.name)],
);

export const guardianships = pgTable(
  'guardianships',
  {
    id: id(),
    studentId: uuid('student_id')
      .notNull()
      .references(() => students.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    relation: text('relation', { enum: RELATIONS }).notNull(),
    isPrimary: boolean('is_primary').notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('guardianships_student_user_uq').on(t.studentId, t.userId), index('guardianships_user_idx').on(t.userId)],
);

export interface RolloverSummary {
  promoted: { fromClassId: string; toClassId: string; from: string; to: string; students: number }[];
  archived: { classId: string; name: string; students: number }[];
}

/** A school's school-year rollover (升级), once per school and year it leaves. */
export const schoolRollovers = pgTable(
  'school_rollovers',
  {
    id: id(),
    schoolId: uuid('school_id')
      .notNull()
      .references(() => schools.id),
    fromYearId: uuid('from_year_id')
      .notNull()
      .references(() => schoolYears.id),
    toYearId: uuid('to_year_id')
      .notNull()
      .references(() => schoolYears.id),
    performedBy: uuid('performed_by')
      .notNull()
      .references(() => users.id),
    summary: jsonb('summary').$type<RolloverSummary>().notNull(),
    createdAt: createdAt(),
  },
  (t) => [unique('school_rollovers_school_year_uq').on(t.schoolId, t.fromYearId)],
);
