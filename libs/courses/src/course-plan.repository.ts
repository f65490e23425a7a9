import { Inject, Injectable } from '@nestjs/common';
import { and, eq } from 'drizzle-orm';
import { coursePlans, DB, Database } from '@jiaxiao/db';

/** A school's course plan for a school year. */
@Injectable()
export class CoursePlanRepository {
  constructor(@Inject(DB) private readonly db: Database) {}

  async plan(schoolId: string, schoolYearId: string) {
    const [row] = await this.db
      .select()
      .from(coursePlans)
      .where(and(eq(coursePlans.schoolId, schoolId), eq(coursePlans.schoolYearId, schoolYearId)));
    return row;
  }

  async planById(id: string) {
    const [row] = await this.db.select().from(coursePlans).where(eq(coursePlans.id, id));
    return row;
  }

  async insertPlan(values: typeof coursePlans.$inferInsert) {
    const [row] = await this.db.insert(coursePlans).values(values).onConflictDoNothing().returning();
    return row;
  }
}
