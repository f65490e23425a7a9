import { Inject, Injectable } from '@nestjs/common';
import { and, asc, desc, eq, gte, ilike, inArray, isNull, lt, ne, or, sql, SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import {
  attendance,
  classes,
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
    const scope = sql`${lectures.audience} ->> 'scope'`;
    const audienceMatches = or(
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
    return this.db
      .select()
      .from(lectures)
      .where(and(eq(lectures.schoolYearId, schoolYearId), inArray(lectures.status, ['published', 'finished']), audienceMatches))
      .orderBy(asc(lectures.startsAt));
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

  /** Records the first check-out; returns the row as it stands (a concurrent first check-out wins). */
  async checkOut(lectureId: string, userId: string, at: Date, device: string, db: DbExecutor) {
    const [row] = await db
      .update(attendance)
      .set({
        checkedOutAt: sql`coalesce(${attendance.checkedOutAt}, ${at.toISOString()}::timestamptz)`,
        checkoutDevice: sql`coalesce(${attendance.checkoutDevice}, ${device})`,
        updatedAt: new Date(),
      })
      .where(and(eq(attendance.lectureId, lectureId), eq(attendance.userId, userId)))
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

  async insertCredit(
    values: { guardianId: string; lectureId: string; schoolYearId: string; hours: number; source: LedgerSource; reason?: string; recordedBy?: string },
    db: DbExecutor,
  ) {
    const [row] = await db
      .insert(hourLedger)
      .values({ ...values, kind: 'credit' })
      .onConflictDoNothing()
      .returning();
    return row;
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

  /** Counts a lecture for a household once; true when it was new for the household. */
  async addHouseholdCredit(studentId: string, lectureId: string, schoolYearId: string, hours: number, db: DbExecutor): Promise<boolean> {
    const rows = await db.insert(householdCredits).values({ studentId, lectureId, schoolYearId, hours }).onConflictDoNothing().returning({ studentId: householdCredits.studentId });
    if (rows.length === 0) return false;
    await db
      .insert(householdProgress)
      .values({ studentId, schoolYearId, earnedHours: hours })
      .onConflictDoUpdate({
        target: [householdProgress.studentId, householdProgress.schoolYearId],
        set: { earnedHours: sql`${householdProgress.earnedHours} + ${hours}`, updatedAt: new Date() },
      });
    return true;
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

  async progressOf(studentIds: string[], schoolYearId: string): Promise<Map<string, number>> {
    if (studentIds.length === 0) return new Map();
    const rows = await this.db
      .select({ studentId: householdProgress.studentId, earned: householdProgress.earnedHours })
      .from(householdProgress)
      .where(and(inArray(householdProgress.studentId, studentIds), eq(householdProgress.schoolYearId, schoolYearId)));
    return new Map(rows.map((r) => [r.studentId, r.earned]));
  }

  /** The lectures counted for these households, with which guardian's entry earned each. */
  householdEntries(studentIds: string[], schoolYearId: string) {
    if (studentIds.length === 0) return Promise.resolve([]);
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
      .from(householdCredits)
      .innerJoin(lectures, eq(lectures.id, householdCredits.lectureId))
      .where(and(inArray(householdCredits.studentId, studentIds), eq(householdCredits.schoolYearId, schoolYearId)))
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

  /** Per class of a school: households (students), compliant ones, average hours. */
  classReport(schoolId: string, schoolYearId: string, required: number) {
    return this.db
      .select({
        classId: classes.id,
        className: classes.name,
        grade: classes.grade,
        households: sql<number>`count(${students.id})::int`,
        compliant: sql<number>`count(*) filter (where coalesce(${householdProgress.earnedHours}, 0) >= ${required})::int`,
        averageHours: sql<number>`coalesce(round(avg(coalesce(${householdProgress.earnedHours}, 0)), 2), 0)::float`,
      })
      .from(classes)
      .leftJoin(students, eq(students.classId, classes.id))
      .leftJoin(householdProgress, and(eq(householdProgress.studentId, students.id), eq(householdProgress.schoolYearId, schoolYearId)))
      .where(and(eq(classes.schoolId, schoolId), eq(classes.schoolYearId, schoolYearId)))
      .groupBy(classes.id, classes.name, classes.grade)
      .orderBy(asc(classes.grade), asc(classes.name));
  }

  /** Per school (within a district, or city-wide). */
  schoolReport(schoolYearId: string, required: number, districtId?: string) {
    return this.db
      .select({
        schoolId: schools.id,
        schoolName: schools.name,
        districtId: schools.districtId,
        districtName: districts.name,
        households: sql<number>`count(${students.id})::int`,
        compliant: sql<number>`count(*) filter (where coalesce(${householdProgress.earnedHours}, 0) >= ${required})::int`,
        averageHours: sql<number>`coalesce(round(avg(coalesce(${householdProgress.earnedHours}, 0)), 2), 0)::float`,
      })
      .from(schools)
      .innerJoin(districts, eq(districts.id, schools.districtId))
      .innerJoin(classes, and(eq(classes.schoolId, schools.id), eq(classes.schoolYearId, schoolYearId)))
      .innerJoin(students, eq(students.classId, classes.id))
      .leftJoin(householdProgress, and(eq(householdProgress.studentId, students.id), eq(householdProgress.schoolYearId, schoolYearId)))
      .where(districtId ? eq(schools.districtId, districtId) : undefined)
      .groupBy(schools.id, schools.name, schools.districtId, districts.name)
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
        select st.id from ${students} st join ${classes} c on c.id = st.class_id join ${schools} s on s.id = c.school_id
        where ${sql.join(filters, sql` and `)}
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

  /** Households of a class below the requirement, with their guardians. */
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
      .from(students)
      .leftJoin(householdProgress, and(eq(householdProgress.studentId, students.id), eq(householdProgress.schoolYearId, schoolYearId)))
      .leftJoin(guardianships, eq(guardianships.studentId, students.id))
      .leftJoin(users, eq(users.id, guardianships.userId))
      .where(and(eq(students.classId, classId), sql`coalesce(${householdProgress.earnedHours}, 0) < ${required}`))
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
