import { Inject, Injectable } from '@nestjs/common';
import { and, asc, eq, inArray, or, sql } from 'drizzle-orm';
import { DB, Database, hourLedger, lectures } from '@jiaxiao/db';
import { people } from '@jiaxiao/auth';
import { classPlaces, schoolPlaces, staffRoles } from '@jiaxiao/directory';
import type { ChairPlace } from './chair-places.service';

const TEACHING_ROLES = ['teacher', 'coordinator'] as const;

/** Teachers' training (teacher_training): who teaches where, and their own hour ledger. */
@Injectable()
export class TeacherTrainingRepository {
  constructor(@Inject(DB) private readonly db: Database) {}

  /** The schools (and districts) where a user teaches a class or coordinates. */
  async teacherPlaces(userId: string): Promise<ChairPlace[]> {
    const rows = await this.db
      .selectDistinct({ schoolId: schoolPlaces.id, districtId: schoolPlaces.districtId })
      .from(staffRoles)
      .leftJoin(classPlaces, and(eq(staffRoles.scopeType, 'class'), eq(classPlaces.id, staffRoles.scopeId)))
      .innerJoin(
        schoolPlaces,
        or(and(eq(staffRoles.scopeType, 'school'), eq(schoolPlaces.id, staffRoles.scopeId)), eq(schoolPlaces.id, classPlaces.schoolId)),
      )
      .where(and(eq(staffRoles.userId, userId), inArray(staffRoles.role, [...TEACHING_ROLES])));
    return rows;
  }

  /** Published teacher_training lectures of a year (the caller filters by audience). */
  trainingLectures(schoolYearId: string) {
    return this.db
      .select()
      .from(lectures)
      .where(
        and(
          eq(lectures.schoolYearId, schoolYearId),
          eq(lectures.series, 'teacher_training'),
          inArray(lectures.status, ['published', 'finished']),
        ),
      )
      .orderBy(asc(lectures.startsAt));
  }

  /** A user's teacher_training ledger entries of a year (credits and revocations). */
  entries(userId: string, schoolYearId: string) {
    return this.db
      .select({
        id: hourLedger.id,
        lectureId: hourLedger.lectureId,
        title: lectures.title,
        startsAt: lectures.startsAt,
        kind: hourLedger.kind,
        hours: hourLedger.hours,
        source: hourLedger.source,
        createdAt: hourLedger.createdAt,
      })
      .from(hourLedger)
      .innerJoin(lectures, eq(lectures.id, hourLedger.lectureId))
      .where(and(eq(hourLedger.guardianId, userId), eq(hourLedger.schoolYearId, schoolYearId), eq(lectures.series, 'teacher_training')))
      .orderBy(asc(hourLedger.createdAt));
  }

  /** The teachers and coordinators of a school (its classes' teachers included), with their teacher_training hours of a year. */
  schoolTeachers(schoolId: string, schoolYearId: string) {
    const hours = sql<number>`coalesce((select sum(h.hours) from ${hourLedger} h join ${lectures} l on l.id = h.lecture_id
      where h.guardian_id = ${people.id} and h.school_year_id = ${schoolYearId} and l.series = 'teacher_training'), 0)::float`;
    const sessions = sql<number>`(select count(*) from ${hourLedger} h join ${lectures} l on l.id = h.lecture_id
      where h.guardian_id = ${people.id} and h.school_year_id = ${schoolYearId} and l.series = 'teacher_training' and h.kind = 'credit'
      and not exists (select 1 from ${hourLedger} r where r.guardian_id = h.guardian_id and r.lecture_id = h.lecture_id and r.kind = 'revocation'))::int`;
    return this.db
      .select({
        userId: people.id,
        name: people.name,
        roles: sql<string[]>`array_agg(distinct ${staffRoles.role})`,
        earnedHours: hours,
        sessions,
      })
      .from(staffRoles)
      .innerJoin(people, eq(people.id, staffRoles.userId))
      .leftJoin(classPlaces, and(eq(staffRoles.scopeType, 'class'), eq(classPlaces.id, staffRoles.scopeId)))
      .where(
        and(
          inArray(staffRoles.role, [...TEACHING_ROLES]),
          or(and(eq(staffRoles.scopeType, 'school'), eq(staffRoles.scopeId, schoolId)), eq(classPlaces.schoolId, schoolId)),
        ),
      )
      .groupBy(people.id, people.name)
      .orderBy(asc(people.name));
  }

  async school(schoolId: string) {
    const [row] = await this.db
      .select({ id: schoolPlaces.id, name: schoolPlaces.name, districtId: schoolPlaces.districtId })
      .from(schoolPlaces)
      .where(eq(schoolPlaces.id, schoolId));
    return row;
  }
}
