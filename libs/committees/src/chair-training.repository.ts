import { Inject, Injectable } from '@nestjs/common';
import { and, asc, eq, inArray, or, sql, SQL } from 'drizzle-orm';
import { chairTrainingRequirements, committeeMembers, committees, Database, DB, DbExecutor } from '@jiaxiao/db';
import { people } from '@jiaxiao/auth';
import { districtPlaces, schoolPlaces } from '@jiaxiao/directory';

/** The year's chair-training requirement and the chairs' training hours. */
@Injectable()
export class ChairTrainingRepository {
  constructor(@Inject(DB) private readonly db: Database) {}

  async chairTrainingHours(schoolYearId: string): Promise<number | undefined> {
    const [row] = await this.db.select().from(chairTrainingRequirements).where(eq(chairTrainingRequirements.schoolYearId, schoolYearId));
    return row?.requiredHours;
  }

  async setChairTrainingHours(schoolYearId: string, requiredHours: number, updatedBy: string, db: DbExecutor = this.db) {
    await db
      .insert(chairTrainingRequirements)
      .values({ schoolYearId, requiredHours, updatedBy })
      .onConflictDoUpdate({ target: chairTrainingRequirements.schoolYearId, set: { requiredHours, updatedBy, updatedAt: new Date() } });
  }

  /**
   * Every chair of a committee of the year still serving on `servingOn` (today, or the year's last
   * day for a past year: a chair whose term was ended early drops out). Their training hours are
   * courses' to count (HourLedgerService.chairTrainingHours).
   */
  chairsWithTraining(schoolYearId: string, filter: { districtIds?: string[]; schoolIds?: string[] }, servingOn: string) {
    const area = [
      filter.districtIds?.length ? inArray(schoolPlaces.districtId, filter.districtIds) : undefined,
      filter.schoolIds?.length ? inArray(schoolPlaces.id, filter.schoolIds) : undefined,
    ].filter(Boolean) as SQL[];
    return this.db
      .select({
        userId: committeeMembers.userId,
        name: people.name,
        phone: people.phone,
        committeeId: committees.id,
        committeeName: committees.name,
        schoolId: schoolPlaces.id,
        schoolName: schoolPlaces.name,
        districtId: districtPlaces.id,
        districtName: districtPlaces.name,
      })
      .from(committeeMembers)
      .innerJoin(committees, eq(committees.id, committeeMembers.committeeId))
      .innerJoin(schoolPlaces, eq(schoolPlaces.id, committees.schoolId))
      .innerJoin(districtPlaces, eq(districtPlaces.id, schoolPlaces.districtId))
      .innerJoin(people, eq(people.id, committeeMembers.userId))
      .where(
        and(
          eq(committees.schoolYearId, schoolYearId),
          eq(committeeMembers.role, 'chair'),
          sql`${committeeMembers.termEndsOn} >= ${servingOn}`,
          area.length ? or(...area) : undefined,
        ),
      )
      .orderBy(asc(districtPlaces.name), asc(schoolPlaces.name), asc(committees.name));
  }
}
