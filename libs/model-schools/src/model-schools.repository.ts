import { Inject, Injectable } from '@nestjs/common';
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { DB, Database, DbExecutor, files, modelSchoolApplications, modelSchoolCriteria, modelSchoolDesignations, modelSchoolReviews, modelSchoolYears } from '@jiaxiao/db';
import { schoolYearPlaces, staffRoles } from '@jiaxiao/directory';

export type CriterionRow = typeof modelSchoolCriteria.$inferSelect;
export type ApplicationRow = typeof modelSchoolApplications.$inferSelect;
export type ReviewRow = typeof modelSchoolReviews.$inferSelect;
export type DesignationRow = typeof modelSchoolDesignations.$inferSelect;

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
 * The context's transaction, years and criteria, and the metrics: they read the course, directory,
 * committee and campaign tables read-only, in one statement, as of a snapshot instant. Applications,
 * reviews, designations and the survey have repositories of their own.
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
      .select({ id: files.id })
      .from(files)
      .where(and(inArray(files.id, ids), eq(files.ownerId, ownerId)));
    return rows.length === new Set(ids).size;
  }

  async hasRole(userId: string, role: 'expert' | 'coordinator'): Promise<boolean> {
    const [row] = await this.db.select({ id: staffRoles.id }).from(staffRoles).where(and(eq(staffRoles.userId, userId), eq(staffRoles.role, role)));
    return Boolean(row);
  }

  // ── years and criteria ────────────────────────────────────────────────────────

  async year(year: number, db: DbExecutor = this.db) {
    const [row] = await db.select().from(modelSchoolYears).where(eq(modelSchoolYears.year, year));
    return row;
  }

  async years(): Promise<number[]> {
    return (await this.db.select({ year: modelSchoolYears.year }).from(modelSchoolYears).orderBy(asc(modelSchoolYears.year))).map((r) => r.year);
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
        set: quota === undefined && passMark === undefined ? { updatedAt: new Date() } : { quota, passMark, updatedBy, updatedAt: new Date() },
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
    const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(modelSchoolApplications).where(eq(modelSchoolApplications.year, year));
    return row.n;
  }

  // ── metrics ───────────────────────────────────────────────────────────────────

  /** The inputs computed in SQL; the satisfaction figures come from the survey pool (FamilySupportService). */
  async metricInputs(schoolId: string, year: number, at: Date, db: DbExecutor = this.db): Promise<Omit<MetricInputs, 'satisfactionResponses' | 'satisfactionAverage'>> {
    const [sy] = await db.select().from(schoolYearPlaces).where(eq(schoolYearPlaces.name, `${year}-${year + 1}`));
    const syId = sy?.id ?? '00000000-0000-0000-0000-000000000000';
    const atIso = at.toISOString();
    const result = (await db.execute(sql`
      with hh as (
        select s.id from students s join classes c on c.id = s.class_id
        where c.school_id = ${schoolId} and c.school_year_id = ${syId}
      ), req as (
        select coalesce((select required_hours from course_requirements where school_year_id = ${syId}), 8)::float as hours
      )
      select
        (select count(*)::int from hh) as households,
        (select count(*)::int from hh join household_progress p on p.student_id = hh.id and p.school_year_id = ${syId}
           where p.earned_hours >= (select hours from req)) as "compliantHouseholds",
        (select hours from req) as "requiredHours",
        (select count(*)::int from role_assignments where role = 'coordinator' and scope_type = 'school' and scope_id = ${schoolId} and created_at <= ${atIso}::timestamptz) as coordinators,
        (select count(distinct level)::int from committees where school_id = ${schoolId} and school_year_id = ${syId} and created_at <= ${atIso}::timestamptz) as "committeeLevels",
        (select count(*)::int from lectures where school_id = ${schoolId} and school_year_id = ${syId} and status in ('published', 'finished') and starts_at <= ${atIso}::timestamptz) as "lecturesHeld",
        (select count(*)::int from support_sites where school_id = ${schoolId} and created_at <= ${atIso}::timestamptz) as "supportSites",
        (select count(distinct cs.student_id)::int from campaign_submissions cs join hh on hh.id = cs.student_id
           where cs.status <> 'rejected' and cs.created_at <= ${atIso}::timestamptz) as "campaignHouseholds"
    `)) as unknown as { rows: Omit<MetricInputs, 'satisfactionResponses' | 'satisfactionAverage'>[] };
    const row = result.rows[0];
    return {
      households: Number(row.households),
      compliantHouseholds: Number(row.compliantHouseholds),
      requiredHours: Number(row.requiredHours),
      coordinators: Number(row.coordinators),
      committeeLevels: Number(row.committeeLevels),
      lecturesHeld: Number(row.lecturesHeld),
      supportSites: Number(row.supportSites),
      campaignHouseholds: Number(row.campaignHouseholds),
    };
  }
}
