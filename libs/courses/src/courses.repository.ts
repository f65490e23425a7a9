import { Inject, Injectable } from '@nestjs/common';
import { and, asc, desc, eq, gt, gte, ilike, inArray, isNotNull, isNull, lt, ne, or, sql, SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import {
  attendance,
  classes,
  classHourTotals,
  classMemberships,
  coursePlans,
  courseRequirements,
  DB,
  Database,
  DbExecutor,
  districts,
  guardianships,
  householdCredits,
  householdProgress,
  hourLedger,
  LedgerSource,
  lectures,
  registrations,
  reportExports,
  schoolYears,
  schools,
  students,
  users,
} from '@jiaxiao/db';

export type LectureRow = typeof lectures.$inferSelect;

export interface StaffLectureFilter {
  schoolYearId: string;
  city: boolean;
  districtIds: string[];
  schoolIds: string[];
  planId?: string;
  series?: LectureRow['series'];
  status?: LectureRow['status'];
  q?: string;
  from?: Date;
  to?: Date;
  sort?: string;
  limit?: number;
  offset?: number;
}

export interface ChildPlace {
  studentId: string;
  classId: string;
  grade: number;
  schoolId: string;
  districtId: string;
}

@Injectable()
export class CoursesRepository {
  constructor(@Inject(DB) private readonly db: Database) {}

  transaction<T>(work: (tx: DbExecutor) => Promise<T>): Promise<T> {
    return this.db.transaction(work);
  }

  // ── school years and requirements ─────────────────────────────────────────────

  async schoolYearByName(name: string) {
    const [row] = await this.db.select().from(schoolYears).where(eq(schoolYears.name, name));
    return row;
  }

  async requiredHours(schoolYearId: string, db: DbExecutor = this.db): Promise<number> {
    const [row] = await db.select({ hours: courseRequirements.requiredHours }).from(courseRequirements).where(eq(courseRequirements.schoolYearId, schoolYearId));
    return row?.hours ?? 8;
  }

  async setRequiredHours(schoolYearId: string, requiredHours: number, updatedBy: string) {
    await this.db
      .insert(courseRequirements)
      .values({ schoolYearId, requiredHours, updatedBy })
      .onConflictDoUpdate({ target: courseRequirements.schoolYearId, set: { requiredHours, updatedBy, updatedAt: new Date() } });
  }

  // ── places ────────────────────────────────────────────────────────────────────

  /** The children of a guardian with their class, grade, school and district. */
  childPlaces(userId: string, db: DbExecutor = this.db): Promise<(ChildPlace & { studentName: string; className: string; schoolName: string })[]> {
    return db
      .select({
        studentId: students.id,
        studentName: students.name,
        classId: classes.id,
        className: classes.name,
        grade: classes.grade,
        schoolId: schools.id,
        schoolName: schools.name,
        districtId: schools.districtId,
      })
      .from(guardianships)
      .innerJoin(students, eq(students.id, guardianships.studentId))
      .innerJoin(classes, eq(classes.id, students.classId))
      .innerJoin(schools, eq(schools.id, classes.schoolId))
      .where(eq(guardianships.userId, userId))
      .orderBy(asc(students.name));
  }

  async schoolDistrict(schoolId: string): Promise<string | undefined> {
    const [row] = await this.db.select({ districtId: schools.districtId }).from(schools).where(eq(schools.id, schoolId));
    return row?.districtId;
  }

  async schoolName(schoolId: string): Promise<string | undefined> {
    const [row] = await this.db.select({ name: schools.name }).from(schools).where(eq(schools.id, schoolId));
    return row?.name;
  }

  async classesOfSchool(schoolId: string): Promise<string[]> {
    const rows = await this.db.select({ id: classes.id }).from(classes).where(eq(classes.schoolId, schoolId));
    return rows.map((r) => r.id);
  }

  async userByPhone(phone: string) {
    const [row] = await this.db.select({ id: users.id, name: users.name }).from(users).where(eq(users.phone, phone));
    return row;
  }

  // ── lectures ──────────────────────────────────────────────────────────────────

  async lecture(id: string, db: DbExecutor = this.db): Promise<LectureRow | undefined> {
    const [row] = await db.select().from(lectures).where(eq(lectures.id, id));
    return row;
  }

  /** Locks the lecture row: registrations of one lecture are decided one at a time. */
  async lockLecture(id: string, db: DbExecutor): Promise<LectureRow | undefined> {
    const [row] = await db.select().from(lectures).where(eq(lectures.id, id)).for('update');
    return row;
  }

  async insertLecture(values: typeof lectures.$inferInsert, db: DbExecutor = this.db): Promise<LectureRow> {
    const [row] = await db.insert(lectures).values(values).returning();
    return row;
  }

  async updateLecture(id: string, values: Partial<typeof lectures.$inferInsert>, db: DbExecutor = this.db): Promise<LectureRow> {
    const [row] = await db.update(lectures).set(values).where(eq(lectures.id, id)).returning();
    return row;
  }

  /** Published (or finished) lectures of a year open to any of these children, or to a committee chair with these places. */
  lecturesOpenTo(children: ChildPlace[], schoolYearId: string, chairPlaces: { schoolId: string; districtId: string }[] = []) {
    return this.db
      .select()
      .from(lectures)
      .where(and(eq(lectures.schoolYearId, schoolYearId), inArray(lectures.status, ['published', 'finished']), this.audienceMatches(children, chairPlaces)))
      .orderBy(asc(lectures.startsAt));
  }

  /** The published lectures of a year still to end, open to these children or chair places, each with its registered count. */
  upcomingOpenTo(children: ChildPlace[], schoolYearId: string, chairPlaces: { schoolId: string; districtId: string }[] = []) {
    return this.db
      .select({
        lecture: lectures,
        registered: sql<number>`(select count(*)::int from ${registrations} r where r.lecture_id = lectures.id and r.status = 'registered')`,
      })
      .from(lectures)
      .where(and(eq(lectures.schoolYearId, schoolYearId), eq(lectures.status, 'published'), gt(lectures.endsAt, sql`now()`), this.audienceMatches(children, chairPlaces)))
      .orderBy(asc(lectures.startsAt));
  }

  private audienceMatches(children: ChildPlace[], chairPlaces: { schoolId: string; districtId: string }[]) {
    const scope = sql`${lectures.audience} ->> 'scope'`;
    return or(
      sql`${scope} = 'city'`,
      // chair_training: a city-wide committee_chairs audience takes any chair; a school or district one, the chairs there.
      chairPlaces.length > 0 ? sql`(${scope} = 'committee_chairs' and ${lectures.audience} ->> 'schoolId' is null and ${lectures.audience} ->> 'districtId' is null)` : undefined,
      ...chairPlaces.map(
        (p) => sql`(${scope} = 'committee_chairs' and (${lectures.audience} ->> 'schoolId' = ${p.schoolId} or (${lectures.audience} ->> 'schoolId' is null and ${lectures.audience} ->> 'districtId' = ${p.districtId})))`,
      ),
      ...children.map(
        (c) => sql`(
          (${scope} = 'district' and ${lectures.audience} ->> 'districtId' = ${c.districtId})
          or (${scope} = 'school' and ${lectures.audience} ->> 'schoolId' = ${c.schoolId})
          or (${scope} = 'grades' and ${lectures.audience} ->> 'schoolId' = ${c.schoolId} and ${lectures.audience} -> 'grades' @> ${JSON.stringify([c.grade])}::jsonb)
          or (${scope} = 'classes' and ${lectures.audience} -> 'classIds' @> ${JSON.stringify([c.classId])}::jsonb)
        )`,
      ),
    );
  }

  /** Lectures for staff: organised within their area, plus every city- and district-level one. */
  /** The lectures staff see in a school year, filtered, sorted and optionally paged, with the count of all that match. */
  async lecturesForStaff(filter: StaffLectureFilter): Promise<{ rows: LectureRow[]; total: number }> {
    const visible: SQL | undefined = filter.city
      ? undefined
      : or(
          and(isNull(lectures.schoolId), ne(lectures.status, 'draft')),
          inArray(lectures.schoolId, filter.schoolIds),
          inArray(lectures.districtId, filter.districtIds),
        );
    const q = filter.q?.trim().replace(/[\\%_]/g, (c) => `\\${c}`);
    const where = and(
      eq(lectures.schoolYearId, filter.schoolYearId),
      visible,
      filter.planId ? eq(lectures.planId, filter.planId) : undefined,
      filter.series ? eq(lectures.series, filter.series) : undefined,
      filter.status ? eq(lectures.status, filter.status) : undefined,
      q ? or(ilike(lectures.title, `%${q}%`), ilike(lectures.venue, `%${q}%`)) : undefined,
      filter.from ? gte(lectures.startsAt, filter.from) : undefined,
      filter.to ? lt(lectures.startsAt, filter.to) : undefined,
    );
    const sort = filter.sort ?? 'startsAt';
    const column = { startsAt: lectures.startsAt, creditHours: lectures.creditHours, status: lectures.status, title: lectures.title }[sort.replace('-', '') as 'startsAt'];
    const direction = sort.startsWith('-') ? desc : asc;
    const query = this.db.select().from(lectures).where(where).orderBy(direction(column), asc(lectures.startsAt), asc(lectures.id)).$dynamic();
    const rows = filter.limit === undefined ? await query : await query.limit(filter.limit).offset(filter.offset ?? 0);
    if (filter.limit === undefined) return { rows, total: rows.length };
    const [{ n }] = await this.db.select({ n: sql<number>`count(*)::int` }).from(lectures).where(where);
    return { rows, total: n };
  }

  // ── registrations ─────────────────────────────────────────────────────────────

  async registration(lectureId: string, userId: string, db: DbExecutor = this.db) {
    const [row] = await db.select().from(registrations).where(and(eq(registrations.lectureId, lectureId), eq(registrations.userId, userId)));
    return row;
  }

  async countRegistered(lectureId: string, db: DbExecutor): Promise<number> {
    const [row] = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(registrations)
      .where(and(eq(registrations.lectureId, lectureId), eq(registrations.status, 'registered')));
    return row.n;
  }

  async upsertRegistration(lectureId: string, userId: string, status: 'registered' | 'waitlisted', db: DbExecutor) {
    const [row] = await db
      .insert(registrations)
      .values({ lectureId, userId, status })
      .onConflictDoUpdate({ target: [registrations.lectureId, registrations.userId], set: { status, createdAt: new Date(), updatedAt: new Date() } })
      .returning();
    return row;
  }

  async setRegistrationStatus(id: string, status: 'registered' | 'waitlisted' | 'cancelled', db: DbExecutor) {
    await db.update(registrations).set({ status, updatedAt: new Date() }).where(eq(registrations.id, id));
  }

  /** The longest-waiting registration on the waitlist. */
  async firstWaitlisted(lectureId: string, db: DbExecutor) {
    const [row] = await db
      .select()
      .from(registrations)
      .where(and(eq(registrations.lectureId, lectureId), eq(registrations.status, 'waitlisted')))
      .orderBy(asc(registrations.createdAt), asc(registrations.id))
      .limit(1)
      .for('update');
    return row;
  }

  registrationsOf(lectureId: string) {
    return this.db
      .select({ id: registrations.id, userId: users.id, name: users.name, phone: users.phone, status: registrations.status, createdAt: registrations.createdAt })
      .from(registrations)
      .innerJoin(users, eq(users.id, registrations.userId))
      .where(eq(registrations.lectureId, lectureId))
      .orderBy(asc(registrations.status), asc(registrations.createdAt));
  }

  async registeredUserIds(lectureId: string, statuses: ('registered' | 'waitlisted')[] = ['registered']): Promise<string[]> {
    const rows = await this.db
      .select({ userId: registrations.userId })
      .from(registrations)
      .where(and(eq(registrations.lectureId, lectureId), inArray(registrations.status, statuses)));
    return rows.map((r) => r.userId);
  }

  /** The caller's registration status for each of these lectures. */
  async registrationStatuses(userId: string, lectureIds: string[]): Promise<Map<string, string>> {
    if (lectureIds.length === 0) return new Map();
    const rows = await this.db
      .select({ lectureId: registrations.lectureId, status: registrations.status })
      .from(registrations)
      .where(and(eq(registrations.userId, userId), inArray(registrations.lectureId, lectureIds)));
    return new Map(rows.map((r) => [r.lectureId, r.status]));
  }

  async registeredCounts(lectureIds: string[]): Promise<Map<string, number>> {
    if (lectureIds.length === 0) return new Map();
    const rows = await this.db
      .select({ lectureId: registrations.lectureId, n: sql<number>`count(*)::int` })
      .from(registrations)
      .where(and(inArray(registrations.lectureId, lectureIds), eq(registrations.status, 'registered')))
      .groupBy(registrations.lectureId);
    return new Map(rows.map((r) => [r.lectureId, r.n]));
  }

  // ── attendance ────────────────────────────────────────────────────────────────

  async attendanceOf(lectureId: string, userId: string, db: DbExecutor = this.db) {
    const [row] = await db.select().from(attendance).where(and(eq(attendance.lectureId, lectureId), eq(attendance.userId, userId)));
    return row;
  }

  /** The first check-in (time and device) stays; a later scan changes nothing. */
  async checkIn(lectureId: string, userId: string, at: Date, db: DbExecutor = this.db, device?: string) {
    await db
      .insert(attendance)
      .values({ lectureId, userId, checkedInAt: at, checkinDevice: device })
      .onConflictDoUpdate({
        target: [attendance.lectureId, attendance.userId],
        set: {
          checkedInAt: sql`coalesce(${attendance.checkedInAt}, excluded.checked_in_at)`,
          checkinDevice: sql`case when ${attendance.checkedInAt} is null then excluded.checkin_device else ${attendance.checkinDevice} end`,
          updatedAt: new Date(),
        },
      });
  }

  /**
   * Records the check-out of a checked-in attendance not yet checked out; undefined when there is
   * none (not checked in, or already out: a concurrent first check-out wins, this one waits for it).
   */
  async checkOut(lectureId: string, userId: string, at: Date, device: string, db: DbExecutor) {
    const [row] = await db
      .update(attendance)
      .set({ checkedOutAt: at, checkoutDevice: device, updatedAt: new Date() })
      .where(and(eq(attendance.lectureId, lectureId), eq(attendance.userId, userId), isNotNull(attendance.checkedInAt), isNull(attendance.checkedOutAt)))
      .returning();
    return row;
  }

  async setNoCredit(lectureId: string, userId: string, reason: { code: string; params: Record<string, number> }, db: DbExecutor) {
    await db
      .update(attendance)
      .set({ noCredit: reason, updatedAt: new Date() })
      .where(and(eq(attendance.lectureId, lectureId), eq(attendance.userId, userId)));
  }

  /** Adds watched seconds; returns the new total. */
  async addWatched(lectureId: string, userId: string, seconds: number, db: DbExecutor): Promise<number> {
    const [row] = await db
      .insert(attendance)
      .values({ lectureId, userId, watchedSeconds: seconds })
      .onConflictDoUpdate({
        target: [attendance.lectureId, attendance.userId],
        set: { watchedSeconds: sql`${attendance.watchedSeconds} + ${seconds}`, updatedAt: new Date() },
      })
      .returning({ watchedSeconds: attendance.watchedSeconds });
    return row.watchedSeconds;
  }

  // ── the hour ledger and household progress ────────────────────────────────────

  /**
   * One statement: the guardian's ledger credit and, when it is new and counts for households, the
   * lecture counted once for each of the guardian's students (in student id order, so two guardians
   * of the same siblings lock the households' rows in the same order) and their progress. Returns
   * whether the credit was new.
   */
  async insertCredit(
    values: { guardianId: string; lectureId: string; schoolYearId: string; hours: number; source: LedgerSource; reason?: string; recordedBy?: string },
    forHouseholds: boolean,
    db: DbExecutor,
  ): Promise<boolean> {
    const { guardianId, lectureId, schoolYearId, hours, source } = values;
    const result = (await db.execute(sql`
      with entry as (
        insert into ${hourLedger} (guardian_id, lecture_id, school_year_id, kind, hours, source, reason, recorded_by)
        values (${guardianId}, ${lectureId}, ${schoolYearId}, 'credit', ${hours}, ${source}, ${values.reason ?? null}, ${values.recordedBy ?? null})
        on conflict do nothing returning guardian_id
      ), counted as (
        insert into ${householdCredits} (student_id, lecture_id, school_year_id, hours)
        select g.student_id, ${lectureId}::uuid, ${schoolYearId}::uuid, ${hours}::numeric from ${guardianships} g join entry e on e.guardian_id = g.user_id
        where ${forHouseholds}::boolean
        order by g.student_id
        on conflict do nothing returning student_id
      ), progress as (
        insert into ${householdProgress} as p (student_id, school_year_id, earned_hours)
        select student_id, ${schoolYearId}::uuid, ${hours}::numeric from counted order by student_id
        on conflict (student_id, school_year_id) do update set earned_hours = p.earned_hours + excluded.earned_hours, updated_at = now()
        returning 1
      )
      select (select count(*) from entry)::int as credited, (select count(*) from progress)::int as households`)) as unknown as { rows: { credited: number }[] };
    return result.rows[0].credited > 0;
  }

  /** Who attended a lecture (scanned, watched or recorded by hand), with their credit and its revocation. */
  attendanceList(lectureId: string) {
    const revocation = alias(hourLedger, 'revocation');
    return this.db
      .select({
        userId: attendance.userId,
        name: users.name,
        phone: users.phone,
        checkedInAt: attendance.checkedInAt,
        checkedOutAt: attendance.checkedOutAt,
        ledgerId: hourLedger.id,
        hours: hourLedger.hours,
        source: hourLedger.source,
        revokedAt: revocation.createdAt,
        revokeReason: revocation.reason,
      })
      .from(attendance)
      .innerJoin(users, eq(users.id, attendance.userId))
      .leftJoin(hourLedger, and(eq(hourLedger.lectureId, attendance.lectureId), eq(hourLedger.guardianId, attendance.userId), eq(hourLedger.kind, 'credit')))
      .leftJoin(revocation, and(eq(revocation.lectureId, attendance.lectureId), eq(revocation.guardianId, attendance.userId), eq(revocation.kind, 'revocation')))
      .where(eq(attendance.lectureId, lectureId))
      .orderBy(asc(attendance.checkedInAt), asc(users.name));
  }

  async ledgerEntry(id: string, db: DbExecutor = this.db) {
    const [row] = await db.select().from(hourLedger).where(eq(hourLedger.id, id));
    return row;
  }

  async insertRevocation(credit: typeof hourLedger.$inferSelect, reason: string, recordedBy: string, db: DbExecutor) {
    const [row] = await db
      .insert(hourLedger)
      .values({
        guardianId: credit.guardianId,
        lectureId: credit.lectureId,
        schoolYearId: credit.schoolYearId,
        kind: 'revocation',
        hours: -credit.hours,
        source: credit.source,
        reason,
        recordedBy,
      })
      .onConflictDoNothing()
      .returning();
    return row;
  }

  /**
   * In student id order: two guardians of the same siblings crediting at once then lock the
   * households' rows in the same order, instead of deadlocking.
   */
  async studentsOfGuardian(guardianId: string, db: DbExecutor): Promise<string[]> {
    const rows = await db.select({ id: guardianships.studentId }).from(guardianships).where(eq(guardianships.userId, guardianId)).orderBy(asc(guardianships.studentId));
    return rows.map((r) => r.id);
  }

  /** Whether another guardian of the student still holds an unrevoked credit for the lecture. */
  async otherGuardianCredited(studentId: string, lectureId: string, exceptGuardianId: string, db: DbExecutor): Promise<boolean> {
    const [row] = await db
      .select({ one: sql<number>`1` })
      .from(hourLedger)
      .innerJoin(guardianships, and(eq(guardianships.userId, hourLedger.guardianId), eq(guardianships.studentId, studentId)))
      .where(
        and(
          eq(hourLedger.lectureId, lectureId),
          eq(hourLedger.kind, 'credit'),
          ne(hourLedger.guardianId, exceptGuardianId),
          sql`not exists (select 1 from ${hourLedger} r where r.guardian_id = ${hourLedger.guardianId} and r.lecture_id = ${lectureId} and r.kind = 'revocation')`,
        ),
      )
      .limit(1);
    return Boolean(row);
  }

  async removeHouseholdCredit(studentId: string, lectureId: string, db: DbExecutor): Promise<void> {
    const [removed] = await db
      .delete(householdCredits)
      .where(and(eq(householdCredits.studentId, studentId), eq(householdCredits.lectureId, lectureId)))
      .returning();
    if (!removed) return;
    await db
      .update(householdProgress)
      .set({ earnedHours: sql`${householdProgress.earnedHours} - ${removed.hours}`, updatedAt: new Date() })
      .where(and(eq(householdProgress.studentId, studentId), eq(householdProgress.schoolYearId, removed.schoolYearId)));
  }

  /** A school year by name with its requirement (8 hours unless the city set one), in one read. */
  async yearWithRequirement(name: string) {
    const [row] = await this.db
      .select({ id: schoolYears.id, name: schoolYears.name, startsOn: schoolYears.startsOn, endsOn: schoolYears.endsOn, required: sql<number>`coalesce(${courseRequirements.requiredHours}, 8)`.mapWith(Number) })
      .from(schoolYears)
      .leftJoin(courseRequirements, eq(courseRequirements.schoolYearId, schoolYears.id))
      .where(eq(schoolYears.name, name));
    return row;
  }

  /** A guardian's households: each child with its class, school and the hours earned in the school year named. */
  householdsOf(userId: string, schoolYear: string) {
    return this.db
      .select({
        studentId: students.id,
        studentName: students.name,
        classId: classes.id,
        className: classes.name,
        grade: classes.grade,
        schoolId: schools.id,
        schoolName: schools.name,
        districtId: schools.districtId,
        earned: sql<number>`coalesce(${householdProgress.earnedHours}, 0)`.mapWith(Number),
      })
      .from(guardianships)
      .innerJoin(students, eq(students.id, guardianships.studentId))
      .innerJoin(classes, eq(classes.id, students.classId))
      .innerJoin(schools, eq(schools.id, classes.schoolId))
      .leftJoin(
        householdProgress,
        and(eq(householdProgress.studentId, students.id), eq(householdProgress.schoolYearId, sql`(select id from ${schoolYears} where name = ${schoolYear})`)),
      )
      .where(eq(guardianships.userId, userId))
      .orderBy(asc(students.name));
  }

  /** The lectures counted for a guardian's households in the school year named. */
  householdEntriesOf(userId: string, schoolYear: string) {
    return this.db
      .select({
        studentId: householdCredits.studentId,
        lectureId: lectures.id,
        title: lectures.title,
        series: lectures.series,
        startsAt: lectures.startsAt,
        hours: householdCredits.hours,
        creditedAt: householdCredits.createdAt,
      })
      .from(guardianships)
      .innerJoin(householdCredits, eq(householdCredits.studentId, guardianships.studentId))
      .innerJoin(schoolYears, and(eq(schoolYears.id, householdCredits.schoolYearId), eq(schoolYears.name, schoolYear)))
      .innerJoin(lectures, eq(lectures.id, householdCredits.lectureId))
      .where(eq(guardianships.userId, userId))
      .orderBy(asc(lectures.startsAt));
  }

  ledgerOfGuardian(guardianId: string, schoolYearId: string) {
    return this.db
      .select({ id: hourLedger.id, lectureId: hourLedger.lectureId, title: lectures.title, kind: hourLedger.kind, hours: hourLedger.hours, source: hourLedger.source, reason: hourLedger.reason, createdAt: hourLedger.createdAt })
      .from(hourLedger)
      .innerJoin(lectures, eq(lectures.id, hourLedger.lectureId))
      .where(and(eq(hourLedger.guardianId, guardianId), eq(hourLedger.schoolYearId, schoolYearId)))
      .orderBy(desc(hourLedger.createdAt));
  }

  // ── reports ───────────────────────────────────────────────────────────────────

  /**
   * Per class of a school: households (its members that year who have not left), those meeting the
   * year's requirement, average hours. Read from the per-class totals the ledger's transaction keeps.
   */
  classReport(schoolId: string, schoolYearId: string) {
    return this.db
      .select({
        classId: classes.id,
        className: classes.name,
        grade: classes.grade,
        households: sql<number>`coalesce(${classHourTotals.households}, 0)`,
        compliant: sql<number>`coalesce(${classHourTotals.compliant}, 0)`,
        averageHours: sql<number>`coalesce(round(${classHourTotals.earnedHours} / nullif(${classHourTotals.households}, 0), 2), 0)::float`,
      })
      .from(classes)
      .leftJoin(classHourTotals, eq(classHourTotals.classId, classes.id))
      .where(and(eq(classes.schoolId, schoolId), eq(classes.schoolYearId, schoolYearId)))
      .orderBy(asc(classes.grade), asc(classes.name));
  }

  /** Per school with households that year (within a district, or city-wide), summed from the per-class totals. */
  schoolReport(schoolYearId: string, districtId?: string) {
    const households = sql<number>`sum(${classHourTotals.households})::int`;
    return this.db
      .select({
        schoolId: schools.id,
        schoolName: schools.name,
        districtId: schools.districtId,
        districtName: districts.name,
        households,
        compliant: sql<number>`sum(${classHourTotals.compliant})::int`,
        averageHours: sql<number>`coalesce(round(sum(${classHourTotals.earnedHours}) / nullif(sum(${classHourTotals.households}), 0), 2), 0)::float`,
      })
      .from(classHourTotals)
      .innerJoin(classes, eq(classes.id, classHourTotals.classId))
      .innerJoin(schools, eq(schools.id, classes.schoolId))
      .innerJoin(districts, eq(districts.id, schools.districtId))
      .where(and(eq(classHourTotals.schoolYearId, schoolYearId), districtId ? eq(schools.districtId, districtId) : undefined))
      .groupBy(schools.id, schools.name, schools.districtId, districts.name)
      .having(sql`${households} > 0`)
      .orderBy(asc(districts.name), asc(schools.name));
  }

  /**
   * Month by month from the start of the school year to this month (Beijing time): how many of the
   * scope's households had earned the requirement by each month's end, from the lectures counted
   * for them (a revoked credit is no longer counted).
   */
  async monthlyCompliance(year: { id: string; startsOn: string; endsOn: string }, required: number, scope: { districtId?: string; schoolId?: string; classIds?: string[] }) {
    const filters: SQL[] = [sql`c.school_year_id = ${year.id}`];
    if (scope.districtId) filters.push(sql`s.district_id = ${scope.districtId}`);
    if (scope.schoolId) filters.push(sql`c.school_id = ${scope.schoolId}`);
    if (scope.classIds) filters.push(scope.classIds.length ? sql`c.id in (${sql.join(scope.classIds.map((id) => sql`${id}`), sql`, `)})` : sql`false`);
    const result = (await this.db.execute(sql`
      with households as (
        select m.student_id as id from ${classMemberships} m join ${classes} c on c.id = m.class_id join ${schools} s on s.id = c.school_id
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
        studentId: students.id,
        studentName: students.name,
        earned: sql<number>`coalesce(${householdProgress.earnedHours}, 0)::float`,
        guardianId: users.id,
        guardianName: users.name,
        phone: users.phone,
        relation: guardianships.relation,
      })
      .from(classMemberships)
      .innerJoin(classes, eq(classes.id, classMemberships.classId))
      .innerJoin(students, eq(students.id, classMemberships.studentId))
      .leftJoin(householdProgress, and(eq(householdProgress.studentId, students.id), eq(householdProgress.schoolYearId, schoolYearId)))
      .leftJoin(guardianships, eq(guardianships.studentId, students.id))
      .leftJoin(users, eq(users.id, guardianships.userId))
      .where(
        and(
          eq(classMemberships.classId, classId),
          isNull(classMemberships.leftAt),
          isNull(classes.archivedAt),
          sql`coalesce(${householdProgress.earnedHours}, 0) < ${required}`,
        ),
      )
      .orderBy(asc(students.name), asc(students.id));
  }

  // ── course plans ──────────────────────────────────────────────────────────────

  async plan(schoolId: string, schoolYearId: string) {
    const [row] = await this.db.select().from(coursePlans).where(and(eq(coursePlans.schoolId, schoolId), eq(coursePlans.schoolYearId, schoolYearId)));
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

  // ── exports ───────────────────────────────────────────────────────────────────

  async insertExport(values: typeof reportExports.$inferInsert) {
    const [row] = await this.db.insert(reportExports).values(values).returning();
    return row;
  }

  async exportById(id: string) {
    const [row] = await this.db.select().from(reportExports).where(eq(reportExports.id, id));
    return row;
  }

  async updateExport(id: string, values: Partial<typeof reportExports.$inferInsert>) {
    await this.db.update(reportExports).set(values).where(eq(reportExports.id, id));
  }
}
