import { Inject, Injectable } from '@nestjs/common';
import { and, asc, eq, inArray, isNull, lte, or, sql } from 'drizzle-orm';
import {
  DB,
  Database,
  DbExecutor,
  modelSchoolApplications,
  modelSchoolCriteria,
  modelSchoolDesignations,
  modelSchoolMetricFacts,
  modelSchoolReviews,
  modelSchoolYears,
  supportSites,
} from '@jiaxiao/db';
import { uploads } from '@jiaxiao/files';
import { schoolYearPlaces, staffRoles } from '@jiaxiao/directory';

export type CriterionRow = typeof modelSchoolCriteria.$inferSelect;
export type ApplicationRow = typeof modelSchoolApplications.$inferSelect;
export type ReviewRow = typeof modelSchoolReviews.$inferSelect;
export type DesignationRow = typeof modelSchoolDesignations.$inferSelect;
export type MetricFact = typeof modelSchoolMetricFacts.$inferSelect;

/** The raw inputs of the automatic indicators of one school at one instant. */
export interface MetricInputs {
  households: number;
  compliantHouseholds: number;
  requiredHours: number;
  coordinators: number;
  committeeLevels: number;
  lecturesHeld: number;
  supportSites: number;
  satisfactionResponses: number;
  satisfactionAverage: number | null;
  campaignHouseholds: number;
}

/**
 * The context's transaction, years and criteria, and the counted metrics: its own facts, kept from
 * other contexts' events, as of a snapshot instant. Applications, reviews, designations and the
 * survey have repositories of their own.
 */
@Injectable()
export class ModelSchoolsRepository {
  constructor(@Inject(DB) private readonly db: Database) {}

  transaction<T>(work: (tx: DbExecutor) => Promise<T>): Promise<T> {
    return this.db.transaction(work);
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

  async hasRole(userId: string, role: 'expert' | 'coordinator'): Promise<boolean> {
    const [row] = await this.db
      .select({ id: staffRoles.id })
      .from(staffRoles)
      .where(and(eq(staffRoles.userId, userId), eq(staffRoles.role, role)));
    return Boolean(row);
  }

  // ── years and criteria ────────────────────────────────────────────────────────

  async year(year: number, db: DbExecutor = this.db) {
    const [row] = await db.select().from(modelSchoolYears).where(eq(modelSchoolYears.year, year));
    return row;
  }

  async years(): Promise<number[]> {
    return (await this.db.select({ year: modelSchoolYears.year }).from(modelSchoolYears).orderBy(asc(modelSchoolYears.year))).map(
      (r) => r.year,
    );
  }

  /** The quota row of a year, locked: designations of the year queue behind it. */
  async lockYear(year: number, db: DbExecutor) {
    const [row] = await db.select().from(modelSchoolYears).where(eq(modelSchoolYears.year, year)).for('update');
    return row;
  }

  async upsertYear(year: number, quota: number | undefined, updatedBy: string | null, db: DbExecutor = this.db, passMark?: number) {
    await db
      .insert(modelSchoolYears)
      .values({ year, quota: quota ?? 100, passMark, updatedBy })
      .onConflictDoUpdate({
        target: modelSchoolYears.year,
        set:
          quota === undefined && passMark === undefined ? { updatedAt: new Date() } : { quota, passMark, updatedBy, updatedAt: new Date() },
      });
  }

  criteria(year: number, db: DbExecutor = this.db): Promise<CriterionRow[]> {
    return db.select().from(modelSchoolCriteria).where(eq(modelSchoolCriteria.year, year)).orderBy(asc(modelSchoolCriteria.position));
  }

  async replaceCriteria(year: number, rows: Omit<typeof modelSchoolCriteria.$inferInsert, 'year'>[], db: DbExecutor): Promise<void> {
    await db.delete(modelSchoolCriteria).where(eq(modelSchoolCriteria.year, year));
    if (rows.length) await db.insert(modelSchoolCriteria).values(rows.map((r) => ({ ...r, year })));
  }

  async applicationCount(year: number, db: DbExecutor = this.db): Promise<number> {
    const [row] = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(modelSchoolApplications)
      .where(eq(modelSchoolApplications.year, year));
    return row.n;
  }

  // ── metrics ───────────────────────────────────────────────────────────────────

  /** The id of the school year a programme year names (2025 → 2025-2026), if there is one. */
  async schoolYearId(year: number): Promise<string | undefined> {
    const [row] = await this.db
      .select({ id: schoolYearPlaces.id })
      .from(schoolYearPlaces)
      .where(eq(schoolYearPlaces.name, `${year}-${year + 1}`));
    return row?.id;
  }

  /**
   * The counted inputs as of an instant, from the context's own facts (kept from other contexts'
   * events) and support sites: per metric, the subjects whose deltas up to `at` sum above zero.
   */
  async countedInputs(
    schoolId: string,
    schoolYearId: string | undefined,
    at: Date,
  ): Promise<Pick<MetricInputs, 'coordinators' | 'committeeLevels' | 'lecturesHeld' | 'supportSites' | 'campaignHouseholds'>> {
    const f = modelSchoolMetricFacts;
    const inYear = schoolYearId ? or(eq(f.schoolYearId, schoolYearId), isNull(f.schoolYearId)) : isNull(f.schoolYearId);
    const subjects = this.db
      .select({ metric: f.metric })
      .from(f)
      .where(and(eq(f.schoolId, schoolId), inYear, lte(f.occurredAt, at)))
      .groupBy(f.metric, f.subject)
      .having(sql`sum(${f.delta}) > 0`)
      .as('subjects');
    const counts = await this.db
      .select({ metric: subjects.metric, n: sql<number>`count(*)::int` })
      .from(subjects)
      .groupBy(subjects.metric);
    const [sites] = await this.db
      .select({ n: sql<number>`count(*)::int` })
      .from(supportSites)
      .where(and(eq(supportSites.schoolId, schoolId), lte(supportSites.createdAt, at)));
    const n = (metric: MetricFact['metric']) => Number(counts.find((c) => c.metric === metric)?.n ?? 0);
    return {
      coordinators: n('coordinator'),
      committeeLevels: n('committee_level'),
      lecturesHeld: n('lecture_held'),
      supportSites: Number(sites.n),
      campaignHouseholds: n('campaign_household'),
    };
  }

  /** Writes facts once: a fact whose key is there already (a repeated event) is left as it is. */
  async insertFacts(rows: MetricFact[]): Promise<void> {
    if (rows.length) await this.db.insert(modelSchoolMetricFacts).values(rows).onConflictDoNothing({ target: modelSchoolMetricFacts.key });
  }

  async fact(key: string): Promise<MetricFact | undefined> {
    const [row] = await this.db.select().from(modelSchoolMetricFacts).where(eq(modelSchoolMetricFacts.key, key));
    return row;
  }
}
