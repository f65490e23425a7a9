import { Inject, Injectable } from '@nestjs/common';
import { and, asc, desc, eq, inArray, ne, sql, SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import {
  attendance,
  courseRequirements,
  DB,
  Database,
  DbExecutor,
  householdCredits,
  householdProgress,
  hourLedger,
  LectureSeries,
  LedgerSource,
  lectures,
} from '@jiaxiao/db';
import { people } from '@jiaxiao/auth';
import { classPlaces, guardianChildren, schoolPlaces, schoolYearPlaces, studentPlaces } from '@jiaxiao/directory';

/**
 * The household half of a credit, as CTEs of the statement that wrote the ledger credits (a CTE
 * `entry` returning their guardian_id, lecture_id, school_year_id and hours): for the credits
 * that count for households (`counts`, a condition on `e`), the lecture counted once for each of
 * their guardians' students (in student id order, so two guardians of the same siblings lock the
 * households' rows in the same order) and their progress (`progress`).
 */
export function householdCredit(counts: SQL): SQL {
  return sql`counted as (
        insert into ${householdCredits} (student_id, lecture_id, school_year_id, hours)
        select g.student_id, e.lecture_id, e.school_year_id, e.hours from ${guardianChildren} g join entry e on e.guardian_id = g.user_id
        where ${counts}
        order by g.student_id, e.lecture_id
        on conflict do nothing returning student_id, school_year_id, hours
      ), progress as (
        insert into ${householdProgress} as p (student_id, school_year_id, earned_hours)
        select student_id, school_year_id, sum(hours) from counted group by student_id, school_year_id order by student_id
        on conflict (student_id, school_year_id) do update set earned_hours = p.earned_hours + excluded.earned_hours, updated_at = now()
        returning 1
      )`;
}

/** The append-only hour ledger, household credits and progress. */
@Injectable()
export class HourLedgerRepository {
  constructor(@Inject(DB) private readonly db: Database) {}

  /**
   * One statement: the guardian's ledger credit and, when it is new and counts for households, the
   * lecture counted once for each of the guardian's students (in student id order, so two guardians
   * of the same siblings lock the households' rows in the same order) and their progress. Returns
   * whether the credit was new.
   */
  async insertCredit(
    values: {
      guardianId: string;
      lectureId: string;
      schoolYearId: string;
      hours: number;
      source: LedgerSource;
      reason?: string;
      recordedBy?: string;
    },
    forHouseholds: boolean,
    db: DbExecutor,
  ): Promise<boolean> {
    const { guardianId, lectureId, schoolYearId, hours, source } = values;
    const result = (await db.execute(sql`
      with entry as (
        insert into ${hourLedger} (guardian_id, lecture_id, school_year_id, kind, hours, source, reason, recorded_by)
        values (${guardianId}, ${lectureId}, ${schoolYearId}, 'credit', ${hours}, ${source}, ${values.reason ?? null}, ${values.recordedBy ?? null})
        on conflict do nothing returning guardian_id, lecture_id, school_year_id, hours
      ), ${householdCredit(sql`${forHouseholds}::boolean`)}
      select (select count(*) from entry)::int as credited, (select count(*) from progress)::int as households`)) as unknown as {
      rows: { credited: number }[];
    };
    return result.rows[0].credited > 0;
  }

  /** Who attended a lecture (scanned, watched or recorded by hand), with their credit and its revocation. */
  attendanceList(lectureId: string) {
    const revocation = alias(hourLedger, 'revocation');
    return this.db
      .select({
        userId: attendance.userId,
        name: people.name,
        phone: people.phone,
        checkedInAt: attendance.checkedInAt,
        checkedOutAt: attendance.checkedOutAt,
        ledgerId: hourLedger.id,
        hours: hourLedger.hours,
        source: hourLedger.source,
        revokedAt: revocation.createdAt,
        revokeReason: revocation.reason,
      })
      .from(attendance)
      .innerJoin(people, eq(people.id, attendance.userId))
      .leftJoin(
        hourLedger,
        and(eq(hourLedger.lectureId, attendance.lectureId), eq(hourLedger.guardianId, attendance.userId), eq(hourLedger.kind, 'credit')),
      )
      .leftJoin(
        revocation,
        and(
          eq(revocation.lectureId, attendance.lectureId),
          eq(revocation.guardianId, attendance.userId),
          eq(revocation.kind, 'revocation'),
        ),
      )
      .where(eq(attendance.lectureId, lectureId))
      .orderBy(asc(attendance.checkedInAt), asc(people.name));
  }

  async ledgerEntry(id: string, db: DbExecutor = this.db) {
    const [row] = await db.select().from(hourLedger).where(eq(hourLedger.id, id));
    return row;
  }

  async insertRevocation(credit: typeof hourLedger.$inferSelect, reason: string, recordedBy: string, db: DbExecutor) {
    const [row] = await db
      .insert(hourLedger)
      .values({
        guardianId: credit.guardianId,
        lectureId: credit.lectureId,
        schoolYearId: credit.schoolYearId,
        kind: 'revocation',
        hours: -credit.hours,
        source: credit.source,
        reason,
        recordedBy,
      })
      .onConflictDoNothing()
      .returning();
    return row;
  }

  /**
   * In student id order: two guardians of the same siblings crediting at once then lock the
   * households' rows in the same order, instead of deadlocking.
   */
  async studentsOfGuardian(guardianId: string, db: DbExecutor): Promise<string[]> {
    const rows = await db
      .select({ id: guardianChildren.studentId })
      .from(guardianChildren)
      .where(eq(guardianChildren.userId, guardianId))
      .orderBy(asc(guardianChildren.studentId));
    return rows.map((r) => r.id);
  }

  /** Whether another guardian of the student still holds an unrevoked credit for the lecture. */
  async otherGuardianCredited(studentId: string, lectureId: string, exceptGuardianId: string, db: DbExecutor): Promise<boolean> {
    const [row] = await db
      .select({ one: sql<number>`1` })
      .from(hourLedger)
      .innerJoin(guardianChildren, and(eq(guardianChildren.userId, hourLedger.guardianId), eq(guardianChildren.studentId, studentId)))
      .where(
        and(
          eq(hourLedger.lectureId, lectureId),
          eq(hourLedger.kind, 'credit'),
          ne(hourLedger.guardianId, exceptGuardianId),
          sql`not exists (select 1 from ${hourLedger} r where r.guardian_id = ${hourLedger.guardianId} and r.lecture_id = ${lectureId} and r.kind = 'revocation')`,
        ),
      )
      .limit(1);
    return Boolean(row);
  }

  async removeHouseholdCredit(studentId: string, lectureId: string, db: DbExecutor): Promise<void> {
    const [removed] = await db
      .delete(householdCredits)
      .where(and(eq(householdCredits.studentId, studentId), eq(householdCredits.lectureId, lectureId)))
      .returning();
    if (!removed) return;
    await db
      .update(householdProgress)
      .set({ earnedHours: sql`${householdProgress.earnedHours} - ${removed.hours}`, updatedAt: new Date() })
      .where(and(eq(householdProgress.studentId, studentId), eq(householdProgress.schoolYearId, removed.schoolYearId)));
  }

  /** A school year by name with its requirement (8 hours unless the city set one), in one read. */
  async yearWithRequirement(name: string) {
    const [row] = await this.db
      .select({
        id: schoolYearPlaces.id,
        name: schoolYearPlaces.name,
        startsOn: schoolYearPlaces.startsOn,
        endsOn: schoolYearPlaces.endsOn,
        required: sql<number>`coalesce(${courseRequirements.requiredHours}, 8)`.mapWith(Number),
      })
      .from(schoolYearPlaces)
      .leftJoin(courseRequirements, eq(courseRequirements.schoolYearId, schoolYearPlaces.id))
      .where(eq(schoolYearPlaces.name, name));
    return row;
  }

  /** A guardian's households: each child with its class, school and the hours earned in the school year named. */
  householdsOf(userId: string, schoolYear: string) {
    return this.db
      .select({
        studentId: studentPlaces.id,
        studentName: studentPlaces.name,
        classId: classPlaces.id,
        className: classPlaces.name,
        grade: classPlaces.grade,
        schoolId: schoolPlaces.id,
        schoolName: schoolPlaces.name,
        districtId: schoolPlaces.districtId,
        earned: sql<number>`coalesce(${householdProgress.earnedHours}, 0)`.mapWith(Number),
      })
      .from(guardianChildren)
      .innerJoin(studentPlaces, eq(studentPlaces.id, guardianChildren.studentId))
      .innerJoin(classPlaces, eq(classPlaces.id, studentPlaces.classId))
      .innerJoin(schoolPlaces, eq(schoolPlaces.id, classPlaces.schoolId))
      .leftJoin(
        householdProgress,
        and(
          eq(householdProgress.studentId, studentPlaces.id),
          eq(householdProgress.schoolYearId, sql`(select id from ${schoolYearPlaces} where name = ${schoolYear})`),
        ),
      )
      .where(eq(guardianChildren.userId, userId))
      .orderBy(asc(studentPlaces.name));
  }

  /** The lectures counted for a guardian's households in the school year named. */
  householdEntriesOf(userId: string, schoolYear: string) {
    return this.db
      .select({
        studentId: householdCredits.studentId,
        lectureId: lectures.id,
        title: lectures.title,
        series: lectures.series,
        startsAt: lectures.startsAt,
        hours: householdCredits.hours,
        creditedAt: householdCredits.createdAt,
      })
      .from(guardianChildren)
      .innerJoin(householdCredits, eq(householdCredits.studentId, guardianChildren.studentId))
      .innerJoin(schoolYearPlaces, and(eq(schoolYearPlaces.id, householdCredits.schoolYearId), eq(schoolYearPlaces.name, schoolYear)))
      .innerJoin(lectures, eq(lectures.id, householdCredits.lectureId))
      .where(eq(guardianChildren.userId, userId))
      .orderBy(asc(lectures.startsAt));
  }

  /** Hours of a series' lectures credited to each of these guardians in a school year (credits minus revocations). */
  async seriesHoursOf(
    guardianIds: string[],
    schoolYearId: string,
    series: LectureSeries,
  ): Promise<{ guardianId: string; hours: number }[]> {
    if (guardianIds.length === 0) return [];
    return this.db
      .select({ guardianId: hourLedger.guardianId, hours: sql<number>`sum(${hourLedger.hours})::float` })
      .from(hourLedger)
      .innerJoin(lectures, eq(lectures.id, hourLedger.lectureId))
      .where(and(inArray(hourLedger.guardianId, guardianIds), eq(hourLedger.schoolYearId, schoolYearId), eq(lectures.series, series)))
      .groupBy(hourLedger.guardianId);
  }

  ledgerOfGuardian(guardianId: string, schoolYearId: string) {
    return this.db
      .select({
        id: hourLedger.id,
        lectureId: hourLedger.lectureId,
        title: lectures.title,
        kind: hourLedger.kind,
        hours: hourLedger.hours,
        source: hourLedger.source,
        reason: hourLedger.reason,
        createdAt: hourLedger.createdAt,
      })
      .from(hourLedger)
      .innerJoin(lectures, eq(lectures.id, hourLedger.lectureId))
      .where(and(eq(hourLedger.guardianId, guardianId), eq(hourLedger.schoolYearId, schoolYearId)))
      .orderBy(desc(hourLedger.createdAt));
  }
}
