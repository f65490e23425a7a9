import { Inject, Injectable } from '@nestjs/common';
import { and, asc, desc, eq, inArray, isNotNull, or, sql, SQL } from 'drizzle-orm';
import { campaignLikes, campaignSubmissions, campaigns, DB, Database, DbExecutor } from '@jiaxiao/db';
import { uploads } from '@jiaxiao/files';
import { guardianChildren } from '@jiaxiao/directory';

export type CampaignRow = typeof campaigns.$inferSelect;
export type SubmissionRow = typeof campaignSubmissions.$inferSelect;

export interface HouseholdPlace {
  studentId: string;
  schoolId: string;
  /** the school year of the student's class */
  schoolYearId: string;
  districtId: string;
}

/** The only Drizzle user of the campaigns context. */
@Injectable()
export class CampaignsRepository {
  constructor(@Inject(DB) private readonly db: Database) {}

  transaction<T>(work: (tx: DbExecutor) => Promise<T>): Promise<T> {
    return this.db.transaction(work);
  }

  /** The households (students) a user is a guardian of, with their school and district. */
  households(userId: string): Promise<HouseholdPlace[]> {
    return this.db
      .select({
        studentId: guardianChildren.studentId,
        schoolId: guardianChildren.schoolId,
        schoolYearId: guardianChildren.schoolYearId,
        districtId: guardianChildren.districtId,
      })
      .from(guardianChildren)
      .where(eq(guardianChildren.userId, userId));
  }

  /** Whether every file exists and was uploaded by this user: attaching a file shares it with the readers of what it is attached to. */
  async ownsFiles(ownerId: string, ids: string[]): Promise<boolean> {
    if (ids.length === 0) return true;
    const rows = await this.db
      .select({ id: uploads.id })
      .from(uploads)
      .where(and(inArray(uploads.id, ids), eq(uploads.ownerId, ownerId)));
    return rows.length === new Set(ids).size;
  }

  async insertCampaign(values: typeof campaigns.$inferInsert, db: DbExecutor = this.db): Promise<CampaignRow> {
    const [row] = await db.insert(campaigns).values(values).returning();
    return row;
  }

  async campaign(id: string, db: DbExecutor = this.db): Promise<CampaignRow | undefined> {
    const [row] = await db.select().from(campaigns).where(eq(campaigns.id, id));
    return row;
  }

  async lockCampaign(id: string, db: DbExecutor): Promise<CampaignRow | undefined> {
    const [row] = await db.select().from(campaigns).where(eq(campaigns.id, id)).for('update');
    return row;
  }

  /** Campaigns whose scope covers any of the places (city ones always); all of them when `all`. */
  campaignsCovering(place: { all: boolean; districtIds: string[]; schoolIds: string[] }): Promise<CampaignRow[]> {
    const conditions: SQL[] = [eq(campaigns.scopeType, 'city')];
    if (place.districtIds.length)
      conditions.push(and(eq(campaigns.scopeType, 'district'), inArray(campaigns.scopeId, place.districtIds)) as SQL);
    if (place.schoolIds.length) conditions.push(and(eq(campaigns.scopeType, 'school'), inArray(campaigns.scopeId, place.schoolIds)) as SQL);
    const query = this.db.select().from(campaigns);
    return (place.all ? query : query.where(or(...conditions))).orderBy(desc(campaigns.opensAt));
  }

  /** Submissions whose images include this uploaded file. */
  async submissionsWithImage(fileId: string): Promise<string[]> {
    const rows = await this.db
      .select({ id: campaignSubmissions.id })
      .from(campaignSubmissions)
      .where(sql`${campaignSubmissions.imageFileIds} @> ${JSON.stringify([fileId])}::jsonb`);
    return rows.map((r) => r.id);
  }

  async submission(id: string, db: DbExecutor = this.db): Promise<SubmissionRow | undefined> {
    const [row] = await db.select().from(campaignSubmissions).where(eq(campaignSubmissions.id, id));
    return row;
  }

  async lockSubmission(id: string, db: DbExecutor): Promise<SubmissionRow | undefined> {
    const [row] = await db.select().from(campaignSubmissions).where(eq(campaignSubmissions.id, id)).for('update');
    return row;
  }

  /** Inserts unless the household already has an entry (then undefined). */
  async insertSubmission(values: typeof campaignSubmissions.$inferInsert, db: DbExecutor = this.db): Promise<SubmissionRow | undefined> {
    const [row] = await db.insert(campaignSubmissions).values(values).onConflictDoNothing().returning();
    return row;
  }

  async updateSubmission(
    id: string,
    values: Partial<typeof campaignSubmissions.$inferInsert>,
    db: DbExecutor = this.db,
  ): Promise<SubmissionRow> {
    const [row] = await db.update(campaignSubmissions).set(values).where(eq(campaignSubmissions.id, id)).returning();
    return row;
  }

  /** Published entries, plus the caller's own households' entries (any status), oldest first: no ranking. */
  submissionsForParent(campaignId: string, studentIds: string[]): Promise<SubmissionRow[]> {
    const own = studentIds.length ? inArray(campaignSubmissions.studentId, studentIds) : sql`false`;
    return this.db
      .select()
      .from(campaignSubmissions)
      .where(and(eq(campaignSubmissions.campaignId, campaignId), or(eq(campaignSubmissions.status, 'published'), own)))
      .orderBy(asc(campaignSubmissions.createdAt));
  }

  submissionsForStaff(campaignId: string, status?: SubmissionRow['status']): Promise<SubmissionRow[]> {
    return this.db
      .select()
      .from(campaignSubmissions)
      .where(and(eq(campaignSubmissions.campaignId, campaignId), status ? eq(campaignSubmissions.status, status) : undefined))
      .orderBy(asc(campaignSubmissions.createdAt));
  }

  async likedBy(userId: string, submissionIds: string[]): Promise<Set<string>> {
    if (submissionIds.length === 0) return new Set();
    const rows = await this.db
      .select({ id: campaignLikes.submissionId })
      .from(campaignLikes)
      .where(and(eq(campaignLikes.userId, userId), inArray(campaignLikes.submissionId, submissionIds)));
    return new Set(rows.map((r) => r.id));
  }

  /** One like per user: the primary key turns a repeat (or a concurrent twin) into a no-op; the counter moves only on insert. */
  async like(submissionId: string, userId: string, db: DbExecutor): Promise<{ inserted: boolean; likeCount: number }> {
    const inserted = await db.insert(campaignLikes).values({ submissionId, userId }).onConflictDoNothing().returning();
    if (inserted.length > 0) {
      const [row] = await db
        .update(campaignSubmissions)
        .set({ likeCount: sql`${campaignSubmissions.likeCount} + 1` })
        .where(eq(campaignSubmissions.id, submissionId))
        .returning({ likeCount: campaignSubmissions.likeCount });
      return { inserted: true, likeCount: row.likeCount };
    }
    const [row] = await db
      .select({ likeCount: campaignSubmissions.likeCount })
      .from(campaignSubmissions)
      .where(eq(campaignSubmissions.id, submissionId));
    return { inserted: false, likeCount: row.likeCount };
  }

  async awardedCount(campaignId: string, db: DbExecutor): Promise<number> {
    const [row] = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(campaignSubmissions)
      .where(and(eq(campaignSubmissions.campaignId, campaignId), isNotNull(campaignSubmissions.certificateNo)));
    return row.n;
  }

  /** Whether the user is a guardian of the household. */
  async isGuardian(userId: string, studentId: string): Promise<boolean> {
    const [row] = await this.db
      .select({ id: guardianChildren.studentId })
      .from(guardianChildren)
      .where(and(eq(guardianChildren.userId, userId), eq(guardianChildren.studentId, studentId)));
    return Boolean(row);
  }
}
