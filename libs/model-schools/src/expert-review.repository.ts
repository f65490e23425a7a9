import { Inject, Injectable } from '@nestjs/common';
import { asc, eq } from 'drizzle-orm';
import { DB, Database, DbExecutor, modelSchoolApplications, modelSchoolExperts, modelSchoolReviews } from '@jiaxiao/db';
import { people } from '@jiaxiao/auth';
import { districtPlaces, schoolPlaces } from '@jiaxiao/directory';
import { ReviewRow } from './model-schools.repository';

/** Experts and their reviews of applications. */
@Injectable()
export class ExpertReviewRepository {
  constructor(@Inject(DB) private readonly db: Database) {}

  async upsertExpert(userId: string, districtId: string, db: DbExecutor = this.db): Promise<void> {
    await db
      .insert(modelSchoolExperts)
      .values({ userId, districtId })
      .onConflictDoUpdate({ target: modelSchoolExperts.userId, set: { districtId } });
  }

  /** Registered experts with their name and own district, by name. */
  experts() {
    return this.db
      .select({
        userId: modelSchoolExperts.userId,
        name: people.name,
        districtId: modelSchoolExperts.districtId,
        districtName: districtPlaces.name,
      })
      .from(modelSchoolExperts)
      .innerJoin(people, eq(people.id, modelSchoolExperts.userId))
      .innerJoin(districtPlaces, eq(districtPlaces.id, modelSchoolExperts.districtId))
      .orderBy(asc(people.name));
  }

  async expert(userId: string) {
    const [row] = await this.db.select().from(modelSchoolExperts).where(eq(modelSchoolExperts.userId, userId));
    return row;
  }

  async insertReview(values: typeof modelSchoolReviews.$inferInsert): Promise<ReviewRow | undefined> {
    const [row] = await this.db.insert(modelSchoolReviews).values(values).onConflictDoNothing().returning();
    return row;
  }

  async review(id: string, db: DbExecutor = this.db): Promise<ReviewRow | undefined> {
    const [row] = await db.select().from(modelSchoolReviews).where(eq(modelSchoolReviews.id, id));
    return row;
  }

  reviewsOf(applicationId: string, db: DbExecutor = this.db): Promise<ReviewRow[]> {
    return db
      .select()
      .from(modelSchoolReviews)
      .where(eq(modelSchoolReviews.applicationId, applicationId))
      .orderBy(asc(modelSchoolReviews.createdAt));
  }

  reviewsBy(reviewerId: string) {
    return this.db
      .select({ review: modelSchoolReviews, application: modelSchoolApplications, schoolName: schoolPlaces.name })
      .from(modelSchoolReviews)
      .innerJoin(modelSchoolApplications, eq(modelSchoolApplications.id, modelSchoolReviews.applicationId))
      .innerJoin(schoolPlaces, eq(schoolPlaces.id, modelSchoolApplications.schoolId))
      .where(eq(modelSchoolReviews.reviewerId, reviewerId))
      .orderBy(asc(modelSchoolReviews.createdAt));
  }

  async updateReview(id: string, values: Partial<typeof modelSchoolReviews.$inferInsert>, db: DbExecutor): Promise<ReviewRow> {
    const [row] = await db.update(modelSchoolReviews).set(values).where(eq(modelSchoolReviews.id, id)).returning();
    return row;
  }
}
