import { Inject, Injectable } from '@nestjs/common';
import { and, asc, desc, eq, inArray, isNotNull, isNull, sql } from 'drizzle-orm';
import {
  classes,
  DB,
  Database,
  DbExecutor,
  districts,
  files,
  guardianships,
  modelSchoolApplications,
  modelSchoolCriteria,
  modelSchoolDesignations,
  modelSchoolExperts,
  modelSchoolReviews,
  modelSchoolYears,
  roleAssignments,
  satisfactionRespondents,
  satisfactionResponses,
  sealedSurveyAnswers,
  schoolYears,
  schools,
  students,
  users,
} from '@jiaxiao/db';

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
 * The only Drizzle user of the model-schools context. Metrics read the course, directory,
 * committee and campaign tables read-only, in one statement, as of a snapshot instant.
 */
@Injectable()
export class ModelSchoolsRepository {
  constructor(@Inject(DB) private readonly db: Database) {}

  transaction<T>(work: (tx: DbExecutor) => Promise<T>): Promise<T> {
    return this.db.transaction(work);
  }

  async schoolById(id: string) {
    const [row] = await this.db.select().from(schools).where(eq(schools.id, id));
    return row;
  }

  async districtById(id: string) {
    const [row] = await this.db.select().from(districts).where(eq(districts.id, id));
    return row;
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
    const [row] = await this.db.select({ id: roleAssignments.id }).from(roleAssignments).where(and(eq(roleAssignments.userId, userId), eq(roleAssignments.role, role)));
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
    const [sy] = await db.select().from(schoolYears).where(eq(schoolYears.name, `${year}-${year + 1}`));
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

  // ── support sites and the survey ──────────────────────────────────────────────

  /** The student's school this year, if the user is their guardian. */
  async householdSchool(userId: string, studentId: string): Promise<string | undefined> {
    const [row] = await this.db
      .select({ schoolId: classes.schoolId })
      .from(guardianships)
      .innerJoin(students, eq(students.id, guardianships.studentId))
      .innerJoin(classes, eq(classes.id, students.classId))
      .where(and(eq(guardianships.userId, userId), eq(guardianships.studentId, studentId)));
    return row?.schoolId;
  }

  /** Marks the household as answered (false if it already was) — in the caller's transaction. */
  async markResponded(schoolId: string, year: number, studentId: string, db: DbExecutor): Promise<boolean> {
    const rows = await db.insert(satisfactionRespondents).values({ schoolId, year, studentId }).onConflictDoNothing().returning();
    return rows.length > 0;
  }

  async insertSealedAnswer(values: typeof sealedSurveyAnswers.$inferInsert, db: DbExecutor): Promise<void> {
    await db.insert(sealedSurveyAnswers).values(values);
  }

  /** The school's sealed answers, locked for moving — or none when fewer than `min` wait (or another move holds them). */
  async takeSealedAnswers(schoolId: string, year: number, min: number, tx: DbExecutor): Promise<{ id: string; sealed: Buffer }[]> {
    const rows = await tx
      .select({ id: sealedSurveyAnswers.id, sealed: sealedSurveyAnswers.sealed })
      .from(sealedSurveyAnswers)
      .where(and(eq(sealedSurveyAnswers.schoolId, schoolId), eq(sealedSurveyAnswers.year, year)))
      .for('update', { skipLocked: true });
    return rows.length >= min ? rows.map((r) => ({ id: r.id, sealed: Buffer.from(r.sealed) })) : [];
  }

  /** Writes the opened answers, already shuffled, in one statement, and removes them from the pool. */
  async moveAnswers(ids: string[], answers: (typeof satisfactionResponses.$inferInsert)[], tx: DbExecutor): Promise<void> {
    if (answers.length > 0) await tx.insert(satisfactionResponses).values(answers);
    if (ids.length > 0) await tx.delete(sealedSurveyAnswers).where(inArray(sealedSurveyAnswers.id, ids));
  }

  async pendingSealedAnswers(schoolId: string, year: number): Promise<Buffer[]> {
    const rows = await this.db
      .select({ sealed: sealedSurveyAnswers.sealed })
      .from(sealedSurveyAnswers)
      .where(and(eq(sealedSurveyAnswers.schoolId, schoolId), eq(sealedSurveyAnswers.year, year)));
    return rows.map((r) => Buffer.from(r.sealed));
  }

  /** Answers per score among those already moved to the anonymous table. */
  async satisfactionCounts(schoolId: string, year: number): Promise<Map<number, number>> {
    const rows = await this.db
      .select({ score: satisfactionResponses.score, n: sql<number>`count(*)::int` })
      .from(satisfactionResponses)
      .where(and(eq(satisfactionResponses.schoolId, schoolId), eq(satisfactionResponses.year, year)))
      .groupBy(satisfactionResponses.score);
    return new Map(rows.map((r) => [r.score, Number(r.n)]));
  }

  async hasResponded(schoolId: string, year: number, studentId: string): Promise<boolean> {
    const [row] = await this.db
      .select({ s: satisfactionRespondents.studentId })
      .from(satisfactionRespondents)
      .where(and(eq(satisfactionRespondents.schoolId, schoolId), eq(satisfactionRespondents.year, year), eq(satisfactionRespondents.studentId, studentId)));
    return Boolean(row);
  }

  // ── applications ──────────────────────────────────────────────────────────────

  async insertApplication(values: typeof modelSchoolApplications.$inferInsert, db: DbExecutor = this.db): Promise<ApplicationRow | undefined> {
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
    const [row] = await this.db.select().from(modelSchoolApplications).where(and(eq(modelSchoolApplications.schoolId, schoolId), eq(modelSchoolApplications.year, year)));
    return row;
  }

  async lockApplication(id: string, db: DbExecutor): Promise<ApplicationRow | undefined> {
    const [row] = await db.select().from(modelSchoolApplications).where(eq(modelSchoolApplications.id, id)).for('update');
    return row;
  }

  async updateApplication(id: string, values: Partial<typeof modelSchoolApplications.$inferInsert>, db: DbExecutor = this.db): Promise<ApplicationRow> {
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
      : sql`(${schools.districtId} in ${area.districtIds.length ? area.districtIds : ['00000000-0000-0000-0000-000000000000']} or ${schools.id} in ${area.schoolIds.length ? area.schoolIds : ['00000000-0000-0000-0000-000000000000']})`;
    return this.db
      .select({ application: modelSchoolApplications, schoolName: schools.name, districtId: schools.districtId })
      .from(modelSchoolApplications)
      .innerJoin(schools, eq(schools.id, modelSchoolApplications.schoolId))
      .where(and(eq(modelSchoolApplications.year, year), status ? eq(modelSchoolApplications.status, status) : undefined, inArea))
      .orderBy(sql`${modelSchoolApplications.totalScore} desc nulls last`, asc(schools.name));
  }

  /** Rank of each scored, district-passed (or designated) application of the year. */
  async ranks(year: number): Promise<Map<string, number>> {
    const rows = await this.db
      .select({ id: modelSchoolApplications.id, rank: sql<number>`rank() over (order by ${modelSchoolApplications.totalScore} desc)::int` })
      .from(modelSchoolApplications)
      .where(and(eq(modelSchoolApplications.year, year), inArray(modelSchoolApplications.status, ['district_passed', 'designated']), isNotNull(modelSchoolApplications.totalScore)));
    return new Map(rows.map((r) => [r.id, Number(r.rank)]));
  }

  /** The contenders of a year (scored, district-passed or designated), best first, with their rank (ties share one). */
  ranking(year: number, db: DbExecutor = this.db) {
    return db
      .select({
        applicationId: modelSchoolApplications.id,
        schoolId: modelSchoolApplications.schoolId,
        schoolName: schools.name,
        districtName: districts.name,
        status: modelSchoolApplications.status,
        totalScore: modelSchoolApplications.totalScore,
        rank: sql<number>`rank() over (order by ${modelSchoolApplications.totalScore} desc)::int`,
      })
      .from(modelSchoolApplications)
      .innerJoin(schools, eq(schools.id, modelSchoolApplications.schoolId))
      .innerJoin(districts, eq(districts.id, schools.districtId))
      .where(and(eq(modelSchoolApplications.year, year), inArray(modelSchoolApplications.status, ['district_passed', 'designated']), isNotNull(modelSchoolApplications.totalScore)))
      .orderBy(sql`${modelSchoolApplications.totalScore} desc`, asc(schools.name));
  }

  /** Rank of a score among the year's contenders, and how many there are. */
  async rankOf(year: number, score: number, db: DbExecutor): Promise<{ rank: number; contenders: number }> {
    const [row] = await db
      .select({ above: sql<number>`count(*) filter (where ${modelSchoolApplications.totalScore} > ${score})::int`, contenders: sql<number>`count(*)::int` })
      .from(modelSchoolApplications)
      .where(and(eq(modelSchoolApplications.year, year), inArray(modelSchoolApplications.status, ['district_passed', 'designated']), isNotNull(modelSchoolApplications.totalScore)));
    return { rank: Number(row.above) + 1, contenders: Number(row.contenders) };
  }

  applicationsOfSchool(schoolId: string) {
    return this.db.select().from(modelSchoolApplications).where(eq(modelSchoolApplications.schoolId, schoolId)).orderBy(desc(modelSchoolApplications.year));
  }

  // ── experts and reviews ───────────────────────────────────────────────────────

  async upsertExpert(userId: string, districtId: string, db: DbExecutor = this.db): Promise<void> {
    await db.insert(modelSchoolExperts).values({ userId, districtId }).onConflictDoUpdate({ target: modelSchoolExperts.userId, set: { districtId } });
  }

  /** Registered experts with their name and own district, by name. */
  experts() {
    return this.db
      .select({ userId: modelSchoolExperts.userId, name: users.name, districtId: modelSchoolExperts.districtId, districtName: districts.name })
      .from(modelSchoolExperts)
      .innerJoin(users, eq(users.id, modelSchoolExperts.userId))
      .innerJoin(districts, eq(districts.id, modelSchoolExperts.districtId))
      .orderBy(asc(users.name));
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
    return db.select().from(modelSchoolReviews).where(eq(modelSchoolReviews.applicationId, applicationId)).orderBy(asc(modelSchoolReviews.createdAt));
  }

  reviewsBy(reviewerId: string) {
    return this.db
      .select({ review: modelSchoolReviews, application: modelSchoolApplications, schoolName: schools.name })
      .from(modelSchoolReviews)
      .innerJoin(modelSchoolApplications, eq(modelSchoolApplications.id, modelSchoolReviews.applicationId))
      .innerJoin(schools, eq(schools.id, modelSchoolApplications.schoolId))
      .where(eq(modelSchoolReviews.reviewerId, reviewerId))
      .orderBy(asc(modelSchoolReviews.createdAt));
  }

  async updateReview(id: string, values: Partial<typeof modelSchoolReviews.$inferInsert>, db: DbExecutor): Promise<ReviewRow> {
    const [row] = await db.update(modelSchoolReviews).set(values).where(eq(modelSchoolReviews.id, id)).returning();
    return row;
  }

  // ── designations ──────────────────────────────────────────────────────────────

  async activeDesignations(year: number, db: DbExecutor): Promise<number> {
    const [row] = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(modelSchoolDesignations)
      .where(and(eq(modelSchoolDesignations.year, year), isNull(modelSchoolDesignations.revokedAt)));
    return Number(row.n);
  }

  async allDesignations(year: number, db: DbExecutor): Promise<number> {
    const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(modelSchoolDesignations).where(eq(modelSchoolDesignations.year, year));
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

  async updateDesignation(id: string, values: Partial<typeof modelSchoolDesignations.$inferInsert>, db: DbExecutor): Promise<DesignationRow> {
    const [row] = await db.update(modelSchoolDesignations).set(values).where(eq(modelSchoolDesignations.id, id)).returning();
    return row;
  }

  /** The public list: active designations of a year with the school and district names. */
  publicList(year: number) {
    return this.db
      .select({ designation: modelSchoolDesignations, schoolName: schools.name, districtName: districts.name })
      .from(modelSchoolDesignations)
      .innerJoin(schools, eq(schools.id, modelSchoolDesignations.schoolId))
      .innerJoin(districts, eq(districts.id, schools.districtId))
      .where(and(eq(modelSchoolDesignations.year, year), isNull(modelSchoolDesignations.revokedAt)))
      .orderBy(asc(modelSchoolDesignations.certificateNo));
  }

  designationsOfSchool(schoolId: string) {
    return this.db.select().from(modelSchoolDesignations).where(eq(modelSchoolDesignations.schoolId, schoolId)).orderBy(desc(modelSchoolDesignations.designatedAt));
  }
}
