import { Inject, Injectable } from '@nestjs/common';
import { and, asc, desc, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import { DB, Database, DbExecutor, modelSchoolApplications } from '@jiaxiao/db';
import { districtPlaces, schoolPlaces } from '@jiaxiao/directory';
import { ApplicationRow } from './model-schools.repository';

/** A school's applications for a year, their ranking by score. */
@Injectable()
export class ApplicationRepository {
  constructor(@Inject(DB) private readonly db: Database) {}

  async insertApplication(
    values: typeof modelSchoolApplications.$inferInsert,
    db: DbExecutor = this.db,
  ): Promise<ApplicationRow | undefined> {
    const [row] = await db.insert(modelSchoolApplications).values(values).onConflictDoNothing().returning();
    return row;
  }

  /** Applications whose materials include this uploaded file. */
  async applicationsWithMaterial(fileId: string): Promise<string[]> {
    const rows = await this.db
      .select({ id: modelSchoolApplications.id })
      .from(modelSchoolApplications)
      .where(sql`${modelSchoolApplications.materialFileIds} @> ${JSON.stringify([fileId])}::jsonb`);
    return rows.map((r) => r.id);
  }

  async application(id: string, db: DbExecutor = this.db): Promise<ApplicationRow | undefined> {
    const [row] = await db.select().from(modelSchoolApplications).where(eq(modelSchoolApplications.id, id));
    return row;
  }

  async applicationBySchool(schoolId: string, year: number): Promise<ApplicationRow | undefined> {
    const [row] = await this.db
      .select()
      .from(modelSchoolApplications)
      .where(and(eq(modelSchoolApplications.schoolId, schoolId), eq(modelSchoolApplications.year, year)));
    return row;
  }

  async lockApplication(id: string, db: DbExecutor): Promise<ApplicationRow | undefined> {
    const [row] = await db.select().from(modelSchoolApplications).where(eq(modelSchoolApplications.id, id)).for('update');
    return row;
  }

  async updateApplication(
    id: string,
    values: Partial<typeof modelSchoolApplications.$inferInsert>,
    db: DbExecutor = this.db,
  ): Promise<ApplicationRow> {
    const [row] = await db
      .update(modelSchoolApplications)
      .set({ ...values, updatedAt: new Date() })
      .where(eq(modelSchoolApplications.id, id))
      .returning();
    return row;
  }

  /** Applications of a year in an area (all when `city`), best total first. */
  applications(year: number, area: { city: boolean; districtIds: string[]; schoolIds: string[] }, status?: ApplicationRow['status']) {
    const inArea = area.city
      ? undefined
      : sql`(${schoolPlaces.districtId} in ${area.districtIds.length ? area.districtIds : ['00000000-0000-0000-0000-000000000000']} or ${schoolPlaces.id} in ${area.schoolIds.length ? area.schoolIds : ['00000000-0000-0000-0000-000000000000']})`;
    return this.db
      .select({ application: modelSchoolApplications, schoolName: schoolPlaces.name, districtId: schoolPlaces.districtId })
      .from(modelSchoolApplications)
      .innerJoin(schoolPlaces, eq(schoolPlaces.id, modelSchoolApplications.schoolId))
      .where(and(eq(modelSchoolApplications.year, year), status ? eq(modelSchoolApplications.status, status) : undefined, inArea))
      .orderBy(sql`${modelSchoolApplications.totalScore} desc nulls last`, asc(schoolPlaces.name));
  }

  /** Rank of each scored, district-passed (or designated) application of the year. */
  async ranks(year: number): Promise<Map<string, number>> {
    const rows = await this.db
      .select({ id: modelSchoolApplications.id, rank: sql<number>`rank() over (order by ${modelSchoolApplications.totalScore} desc)::int` })
      .from(modelSchoolApplications)
      .where(
        and(
          eq(modelSchoolApplications.year, year),
          inArray(modelSchoolApplications.status, ['district_passed', 'designated']),
          isNotNull(modelSchoolApplications.totalScore),
        ),
      );
    return new Map(rows.map((r) => [r.id, Number(r.rank)]));
  }

  /** The contenders of a year (scored, district-passed or designated), best first, with their rank (ties share one). */
  ranking(year: number, db: DbExecutor = this.db) {
    return db
      .select({
        applicationId: modelSchoolApplications.id,
        schoolId: modelSchoolApplications.schoolId,
        schoolName: schoolPlaces.name,
        districtName: districtPlaces.name,
        status: modelSchoolApplications.status,
        totalScore: modelSchoolApplications.totalScore,
        rank: sql<number>`rank() over (order by ${modelSchoolApplications.totalScore} desc)::int`,
      })
      .from(modelSchoolApplications)
      .innerJoin(schoolPlaces, eq(schoolPlaces.id, modelSchoolApplications.schoolId))
      .innerJoin(districtPlaces, eq(districtPlaces.id, schoolPlaces.districtId))
      .where(
        and(
          eq(modelSchoolApplications.year, year),
          inArray(modelSchoolApplications.status, ['district_passed', 'designated']),
          isNotNull(modelSchoolApplications.totalScore),
        ),
      )
      .orderBy(sql`${modelSchoolApplications.totalScore} desc`, asc(schoolPlaces.name));
  }

  /** Rank of a score among the year's contenders, and how many there are. */
  async rankOf(year: number, score: number, db: DbExecutor): Promise<{ rank: number; contenders: number }> {
    const [row] = await db
      .select({
        above: sql<number>`count(*) filter (where ${modelSchoolApplications.totalScore} > ${score})::int`,
        contenders: sql<number>`count(*)::int`,
      })
      .from(modelSchoolApplications)
      .where(
        and(
          eq(modelSchoolApplications.year, year),
          inArray(modelSchoolApplications.status, ['district_passed', 'designated']),
          isNotNull(modelSchoolApplications.totalScore),
        ),
      );
    return { rank: Number(row.above) + 1, contenders: Number(row.contenders) };
  }

  applicationsOfSchool(schoolId: string) {
    return this.db
      .select()
      .from(modelSchoolApplications)
      .where(eq(modelSchoolApplications.schoolId, schoolId))
      .orderBy(desc(modelSchoolApplications.year));
  }
}
