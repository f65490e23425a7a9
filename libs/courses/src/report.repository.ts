import { Inject, Injectable } from '@nestjs/common';
import { and, asc, eq, isNull, sql, SQL } from 'drizzle-orm';
import { classHourTotals, classMemberships, DB, Database, householdCredits, householdProgress } from '@jiaxiao/db';
import { people } from '@jiaxiao/auth';
import { classPlaces, districtPlaces, guardianChildren, schoolPlaces, studentPlaces } from '@jiaxiao/directory';

/** Class, school and city compliance reports, read from the totals the ledger's transaction keeps. */
@Injectable()
export class ReportRepository {
  constructor(@Inject(DB) private readonly db: Database) {}

  /**
   * Per class of a school: households (its members that year who have not left), those meeting the
   * year's requirement, average hours. Read from the per-class totals the ledger's transaction keeps.
   */
  classReport(schoolId: string, schoolYearId: string) {
    return this.db
      .select({
        classId: classPlaces.id,
        className: classPlaces.name,
        grade: classPlaces.grade,
        households: sql<number>`coalesce(${classHourTotals.households}, 0)`,
        compliant: sql<number>`coalesce(${classHourTotals.compliant}, 0)`,
        averageHours: sql<number>`coalesce(round(${classHourTotals.earnedHours} / nullif(${classHourTotals.households}, 0), 2), 0)::float`,
      })
      .from(classPlaces)
      .leftJoin(classHourTotals, eq(classHourTotals.classId, classPlaces.id))
      .where(and(eq(classPlaces.schoolId, schoolId), eq(classPlaces.schoolYearId, schoolYearId)))
      .orderBy(asc(classPlaces.grade), asc(classPlaces.name));
  }

  /** One school's households that year and how many meet the requirement, summed from its classes' totals. */
  async schoolTotals(schoolId: string, schoolYearId: string): Promise<{ households: number; compliant: number }> {
    const [row] = await this.db
      .select({
        households: sql<number>`coalesce(sum(${classHourTotals.households}), 0)::int`,
        compliant: sql<number>`coalesce(sum(${classHourTotals.compliant}), 0)::int`,
      })
      .from(classHourTotals)
      .where(and(eq(classHourTotals.schoolId, schoolId), eq(classHourTotals.schoolYearId, schoolYearId)));
    return { households: Number(row.households), compliant: Number(row.compliant) };
  }

  /** Per school with households that year (within a district, or city-wide), summed from the per-class totals. */
  schoolReport(schoolYearId: string, districtId?: string) {
    // Summed per school from the class totals alone (each names its school), then named: the join
    // with the places is 4,000 schools, not 25,000 classes.
    const perSchool = this.db
      .select({
        schoolId: classHourTotals.schoolId,
        households: sql<number>`sum(${classHourTotals.households})::int`.as('households'),
        compliant: sql<number>`sum(${classHourTotals.compliant})::int`.as('compliant'),
        earnedHours: sql<number>`sum(${classHourTotals.earnedHours})`.as('earned_hours'),
      })
      .from(classHourTotals)
      .where(eq(classHourTotals.schoolYearId, schoolYearId))
      .groupBy(classHourTotals.schoolId)
      .having(sql`sum(${classHourTotals.households}) > 0`)
      .as('per_school');
    return this.db
      .select({
        schoolId: schoolPlaces.id,
        schoolName: schoolPlaces.name,
        districtId: schoolPlaces.districtId,
        districtName: districtPlaces.name,
        households: perSchool.households,
        compliant: perSchool.compliant,
        averageHours: sql<number>`coalesce(round(${perSchool.earnedHours} / nullif(${perSchool.households}, 0), 2), 0)::float`,
      })
      .from(perSchool)
      .innerJoin(schoolPlaces, eq(schoolPlaces.id, perSchool.schoolId))
      .innerJoin(districtPlaces, eq(districtPlaces.id, schoolPlaces.districtId))
      .where(districtId ? eq(schoolPlaces.districtId, districtId) : undefined)
      .orderBy(asc(districtPlaces.name), asc(schoolPlaces.name));
  }

  /**
   * Month by month from the start of the school year to this month (Beijing time): how many of the
   * scope's households had earned the requirement by each month's end, from the lectures counted
   * for them (a revoked credit is no longer counted).
   */
  async monthlyCompliance(
    year: { id: string; startsOn: string; endsOn: string },
    required: number,
    scope: { districtId?: string; schoolId?: string; classIds?: string[] },
  ) {
    const filters: SQL[] = [sql`c.school_year_id = ${year.id}`];
    if (scope.districtId) filters.push(sql`s.district_id = ${scope.districtId}`);
    if (scope.schoolId) filters.push(sql`c.school_id = ${scope.schoolId}`);
    if (scope.classIds)
      filters.push(
        scope.classIds.length
          ? sql`c.id in (${sql.join(
              scope.classIds.map((id) => sql`${id}`),
              sql`, `,
            )})`
          : sql`false`,
      );
    const result = (await this.db.execute(sql`
      with households as (
        select m.student_id as id from ${classMemberships} m join ${classPlaces} c on c.id = m.class_id join ${schoolPlaces} s on s.id = c.school_id
        where m.left_at is null and ${sql.join(filters, sql` and `)}
      ), months as (
        select m::timestamp as month from generate_series(
          date_trunc('month', ${year.startsOn}::timestamp),
          date_trunc('month', least(${year.endsOn}::date, (now() at time zone 'Asia/Shanghai')::date)::timestamp),
          interval '1 month') m
      )
      select to_char(months.month, 'YYYY-MM') as month,
        count(h.id)::int as households,
        count(h.id) filter (where coalesce((
          select sum(hc.hours) from ${householdCredits} hc
          where hc.student_id = h.id and hc.school_year_id = ${year.id} and hc.created_at < (months.month + interval '1 month') at time zone 'Asia/Shanghai'
        ), 0) >= ${required})::int as compliant
      from months left join households h on true
      group by months.month order by months.month`)) as unknown as { rows: { month: string; households: number; compliant: number }[] };
    return result.rows;
  }

  /**
   * Households of a class below the requirement, with their guardians: its members of the class's
   * year who have not left, none once the class has graduated (archived).
   */
  nonCompliant(classId: string, schoolYearId: string, required: number) {
    return this.db
      .select({
        studentId: studentPlaces.id,
        studentName: studentPlaces.name,
        earned: sql<number>`coalesce(${householdProgress.earnedHours}, 0)::float`,
        guardianId: people.id,
        guardianName: people.name,
        phone: people.phone,
        relation: guardianChildren.relation,
      })
      .from(classMemberships)
      .innerJoin(classPlaces, eq(classPlaces.id, classMemberships.classId))
      .innerJoin(studentPlaces, eq(studentPlaces.id, classMemberships.studentId))
      .leftJoin(householdProgress, and(eq(householdProgress.studentId, studentPlaces.id), eq(householdProgress.schoolYearId, schoolYearId)))
      .leftJoin(guardianChildren, eq(guardianChildren.studentId, studentPlaces.id))
      .leftJoin(people, eq(people.id, guardianChildren.userId))
      .where(
        and(
          eq(classMemberships.classId, classId),
          isNull(classMemberships.leftAt),
          isNull(classPlaces.archivedAt),
          sql`coalesce(${householdProgress.earnedHours}, 0) < ${required}`,
        ),
      )
      .orderBy(asc(studentPlaces.name), asc(studentPlaces.id));
  }
}
