import { Inject, Injectable } from '@nestjs/common';
import { and, asc, desc, eq, isNull, sql } from 'drizzle-orm';
import { DB, Database, DbExecutor, modelSchoolDesignations } from '@jiaxiao/db';
import { districtPlaces, schoolPlaces } from '@jiaxiao/directory';
import { DesignationRow } from './model-schools.repository';

/** Designations under a year's quota and the public list of model schools. */
@Injectable()
export class DesignationRepository {
  constructor(@Inject(DB) private readonly db: Database) {}

  async activeDesignations(year: number, db: DbExecutor): Promise<number> {
    const [row] = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(modelSchoolDesignations)
      .where(and(eq(modelSchoolDesignations.year, year), isNull(modelSchoolDesignations.revokedAt)));
    return Number(row.n);
  }

  async allDesignations(year: number, db: DbExecutor): Promise<number> {
    const [row] = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(modelSchoolDesignations)
      .where(eq(modelSchoolDesignations.year, year));
    return Number(row.n);
  }

  async insertDesignation(values: typeof modelSchoolDesignations.$inferInsert, db: DbExecutor): Promise<DesignationRow> {
    const [row] = await db.insert(modelSchoolDesignations).values(values).returning();
    return row;
  }

  async designation(id: string, db: DbExecutor = this.db): Promise<DesignationRow | undefined> {
    const [row] = await db.select().from(modelSchoolDesignations).where(eq(modelSchoolDesignations.id, id));
    return row;
  }

  async updateDesignation(
    id: string,
    values: Partial<typeof modelSchoolDesignations.$inferInsert>,
    db: DbExecutor,
  ): Promise<DesignationRow> {
    const [row] = await db.update(modelSchoolDesignations).set(values).where(eq(modelSchoolDesignations.id, id)).returning();
    return row;
  }

  /** The public list: active designations of a year with the school and district names. */
  publicList(year: number) {
    return this.db
      .select({ designation: modelSchoolDesignations, schoolName: schoolPlaces.name, districtName: districtPlaces.name })
      .from(modelSchoolDesignations)
      .innerJoin(schoolPlaces, eq(schoolPlaces.id, modelSchoolDesignations.schoolId))
      .innerJoin(districtPlaces, eq(districtPlaces.id, schoolPlaces.districtId))
      .where(and(eq(modelSchoolDesignations.year, year), isNull(modelSchoolDesignations.revokedAt)))
      .orderBy(asc(modelSchoolDesignations.certificateNo));
  }

  designationsOfSchool(schoolId: string) {
    return this.db
      .select()
      .from(modelSchoolDesignations)
      .where(eq(modelSchoolDesignations.schoolId, schoolId))
      .orderBy(desc(modelSchoolDesignations.designatedAt));
  }
}
