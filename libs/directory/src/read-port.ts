import { RELATIONS, SCHOOL_TYPES } from '@jiaxiao/db';
import { boolean, date, pgView, smallint, text, timestamp, uuid, varchar } from 'drizzle-orm/pg-core';

/*
 * The directory's read port: the views (migration 0016) through which other contexts read
 * districts, schools, school years, classes, students, guardians' children and staff roles. Only
 * the directory names its tables (ESLint's no-restricted-imports keeps it so); a repository
 * elsewhere joins these views, which PostgreSQL inlines into its query. Columns keep the tables'
 * names; the place columns a view adds (a school's district name, a class's district and school
 * name, a student's grade, school and year) save the joins that only looked those up.
 */

const place = () => ({
  id: uuid('id').notNull(),
  name: varchar('name').notNull(),
});

export const districtPlaces = pgView('district_places', {
  ...place(),
  code: varchar('code').notNull(),
}).existing();

export const schoolPlaces = pgView('school_places', {
  ...place(),
  districtId: uuid('district_id').notNull(),
  type: text('type', { enum: SCHOOL_TYPES }).notNull(),
  address: varchar('address'),
  districtName: varchar('district_name').notNull(),
}).existing();

export const schoolYearPlaces = pgView('school_year_places', {
  ...place(),
  startsOn: date('starts_on').notNull(),
  endsOn: date('ends_on').notNull(),
}).existing();

export const classPlaces = pgView('class_places', {
  ...place(),
  schoolId: uuid('school_id').notNull(),
  schoolYearId: uuid('school_year_id').notNull(),
  /** 1–12: 一年级 … 高三 (初一 = 7) */
  grade: smallint('grade').notNull(),
  /** a graduated class, kept with its history after the rollover */
  archivedAt: timestamp('archived_at', { withTimezone: true }),
  districtId: uuid('district_id').notNull(),
  schoolName: varchar('school_name').notNull(),
}).existing();

export const studentPlaces = pgView('student_places', {
  ...place(),
  classId: uuid('class_id').notNull(),
  /** the student left the school */
  leftAt: timestamp('left_at', { withTimezone: true }),
  grade: smallint('grade').notNull(),
  schoolId: uuid('school_id').notNull(),
  schoolYearId: uuid('school_year_id').notNull(),
}).existing();

/** One row per guardianship: the guardian (`userId`), the child, the child's place and whether the child left. */
export const guardianChildren = pgView('guardian_children', {
  userId: uuid('user_id').notNull(),
  studentId: uuid('student_id').notNull(),
  relation: text('relation', { enum: RELATIONS }).notNull(),
  isPrimary: boolean('is_primary').notNull(),
  classId: uuid('class_id').notNull(),
  leftAt: timestamp('left_at', { withTimezone: true }),
  grade: smallint('grade').notNull(),
  schoolId: uuid('school_id').notNull(),
  schoolYearId: uuid('school_year_id').notNull(),
  districtId: uuid('district_id').notNull(),
}).existing();

/** Who holds which role where: `scopeId` is a district, school or class id, null for the city. */
export const staffRoles = pgView('staff_roles', {
  id: uuid('id').notNull(),
  userId: uuid('user_id').notNull(),
  role: text('role', { enum: ['teacher', 'coordinator', 'district_admin', 'city_admin', 'expert'] }).notNull(),
  scopeType: text('scope_type', { enum: ['city', 'district', 'school', 'class'] }).notNull(),
  scopeId: uuid('scope_id'),
  title: varchar('title'),
}).existing();
