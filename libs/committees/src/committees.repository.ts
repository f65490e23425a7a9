import { Inject, Injectable } from '@nestjs/common';
import { and, asc, desc, eq, getTableColumns, inArray, or, sql, SQL } from 'drizzle-orm';
import {
  committeeMembers,
  committeeMinutes,
  committees,
  CommitteeRole,
  DB,
  Database,
  DbExecutor,
  fundEntries,
  oversightRecords,
} from '@jiaxiao/db';
import { uploads } from '@jiaxiao/files';
import { people } from '@jiaxiao/auth';
import { classPlaces, guardianChildren, schoolPlaces, schoolYearPlaces, staffRoles, studentPlaces } from '@jiaxiao/directory';

export type CommitteeRow = typeof committees.$inferSelect;

/** The classes a committee serves: its class, the classes of its grade, or every class of its school (that year). */
function classInScope(c: Pick<CommitteeRow, 'level' | 'schoolId' | 'schoolYearId' | 'classId' | 'grade'>): SQL {
  const base = and(eq(classPlaces.schoolId, c.schoolId), eq(classPlaces.schoolYearId, c.schoolYearId)) as SQL;
  if (c.level === 'class') return and(base, eq(classPlaces.id, c.classId as string)) as SQL;
  if (c.level === 'grade') return and(base, eq(classPlaces.grade, c.grade as number)) as SQL;
  return base;
}

/** Today in China: a term is served through its last day (`term_ends_on`), Shanghai time. */
const TODAY = sql`(now() at time zone 'Asia/Shanghai')::date`;

/**
 * A seat that still counts: its term has not ended. Ending a membership early sets the term's
 * last day to yesterday; the row stays as history.
 */
const ACTIVE_MEMBER = sql`${committeeMembers.termEndsOn} >= ${TODAY}`;

/**
 * Committees, their members, minutes and oversight records, and the directory reads the committees
 * context needs. Elections, the class fund and chair training have repositories of their own.
 */
@Injectable()
export class CommitteesRepository {
  constructor(@Inject(DB) private readonly db: Database) {}

  transaction<T>(work: (tx: DbExecutor) => Promise<T>): Promise<T> {
    return this.db.transaction(work);
  }

  // ── directory reads ───────────────────────────────────────────────────────────

  async schoolYearByName(name: string) {
    const [row] = await this.db.select().from(schoolYearPlaces).where(eq(schoolYearPlaces.name, name));
    return row;
  }

  async schoolYearById(id: string, db: DbExecutor = this.db) {
    const [row] = await db.select().from(schoolYearPlaces).where(eq(schoolYearPlaces.id, id));
    return row;
  }

  async classById(id: string) {
    const [row] = await this.db.select().from(classPlaces).where(eq(classPlaces.id, id));
    return row;
  }

  async coordinatorIds(schoolId: string, db: DbExecutor = this.db): Promise<string[]> {
    const rows = await db
      .selectDistinct({ userId: staffRoles.userId })
      .from(staffRoles)
      .where(and(eq(staffRoles.role, 'coordinator'), eq(staffRoles.scopeType, 'school'), eq(staffRoles.scopeId, schoolId)));
    return rows.map((r) => r.userId);
  }

  async fileById(id: string) {
    const [row] = await this.db.select({ id: uploads.id, ownerId: uploads.ownerId }).from(uploads).where(eq(uploads.id, id));
    return row;
  }

  // ── committees ────────────────────────────────────────────────────────────────

  async insertCommittee(values: typeof committees.$inferInsert, db: DbExecutor = this.db): Promise<CommitteeRow | undefined> {
    const [row] = await db.insert(committees).values(values).onConflictDoNothing().returning();
    return row;
  }

  async committee(id: string, db: DbExecutor = this.db): Promise<CommitteeRow | undefined> {
    const [row] = await db.select().from(committees).where(eq(committees.id, id));
    return row;
  }

  /** Locks the committee row: member seats and ledger sequence numbers are decided one at a time. */
  async lockCommittee(id: string, db: DbExecutor): Promise<CommitteeRow | undefined> {
    const [row] = await db.select().from(committees).where(eq(committees.id, id)).for('update');
    return row;
  }

  async updateCommittee(id: string, values: Partial<typeof committees.$inferInsert>, db: DbExecutor = this.db): Promise<CommitteeRow> {
    const [row] = await db.update(committees).set(values).where(eq(committees.id, id)).returning();
    return row;
  }

  committeesForStaff(filter: { schoolYearId: string; city: boolean; districtIds: string[]; schoolIds: string[]; schoolId?: string }) {
    const visible = filter.city
      ? undefined
      : or(
          filter.schoolIds.length ? inArray(committees.schoolId, filter.schoolIds) : undefined,
          filter.districtIds.length ? inArray(schoolPlaces.districtId, filter.districtIds) : undefined,
          sql`false`,
        );
    return this.db
      .select({ committee: committees })
      .from(committees)
      .innerJoin(schoolPlaces, eq(schoolPlaces.id, committees.schoolId))
      .where(
        and(
          eq(committees.schoolYearId, filter.schoolYearId),
          visible,
          filter.schoolId ? eq(committees.schoolId, filter.schoolId) : undefined,
        ),
      )
      .orderBy(asc(committees.level), asc(committees.name));
  }

  /** Committees serving any of the guardian's children, and those the guardian sits on. */
  async committeesForGuardian(userId: string, schoolYearId: string): Promise<CommitteeRow[]> {
    return this.db
      .select()
      .from(committees)
      .where(
        and(
          eq(committees.schoolYearId, schoolYearId),
          or(
            sql`exists (select 1 from ${guardianChildren} g join ${studentPlaces} s on s.id = g.student_id join ${classPlaces} cl on cl.id = s.class_id
              where g.user_id = ${userId} and cl.school_id = ${committees.schoolId} and cl.school_year_id = ${committees.schoolYearId}
                and (${committees.level} = 'school' or (${committees.level} = 'grade' and cl.grade = ${committees.grade}) or (${committees.level} = 'class' and cl.id = ${committees.classId})))`,
            sql`exists (select 1 from ${committeeMembers} m where m.committee_id = ${committees.id} and m.user_id = ${userId} and m.term_ends_on >= ${TODAY})`,
          ),
        ),
      )
      .orderBy(asc(committees.level), asc(committees.name));
  }

  /** The guardian's children in the committee's scope: the households they may vote for. */
  async householdsInScope(committee: CommitteeRow, userId: string, db: DbExecutor = this.db): Promise<string[]> {
    const rows = await db
      .select({ studentId: studentPlaces.id })
      .from(guardianChildren)
      .innerJoin(studentPlaces, eq(studentPlaces.id, guardianChildren.studentId))
      .innerJoin(classPlaces, eq(classPlaces.id, studentPlaces.classId))
      .where(and(eq(guardianChildren.userId, userId), classInScope(committee)))
      .orderBy(asc(studentPlaces.id));
    return rows.map((r) => r.studentId);
  }

  async guardiansInScope(committee: CommitteeRow, db: DbExecutor = this.db): Promise<string[]> {
    const rows = await db
      .selectDistinct({ userId: guardianChildren.userId })
      .from(guardianChildren)
      .innerJoin(studentPlaces, eq(studentPlaces.id, guardianChildren.studentId))
      .innerJoin(classPlaces, eq(classPlaces.id, studentPlaces.classId))
      .where(classInScope(committee));
    return rows.map((r) => r.userId);
  }

  /** Whether the guardian sits on a class committee of the same school and year serving a class in this committee's scope. */
  async onClassCommitteeInScope(committee: CommitteeRow, userId: string, db: DbExecutor = this.db): Promise<boolean> {
    const [row] = await db
      .select({ one: sql<number>`1` })
      .from(committeeMembers)
      .innerJoin(committees, eq(committees.id, committeeMembers.committeeId))
      .innerJoin(classPlaces, eq(classPlaces.id, committees.classId))
      .where(and(eq(committeeMembers.userId, userId), eq(committees.level, 'class'), ACTIVE_MEMBER, classInScope(committee)))
      .limit(1);
    return Boolean(row);
  }

  // ── members ───────────────────────────────────────────────────────────────────

  /** The members whose term has not ended. */
  members(committeeId: string, db: DbExecutor = this.db) {
    return db
      .select({
        id: committeeMembers.id,
        userId: committeeMembers.userId,
        name: people.name,
        phone: people.phone,
        role: committeeMembers.role,
        termStartsOn: committeeMembers.termStartsOn,
        termEndsOn: committeeMembers.termEndsOn,
      })
      .from(committeeMembers)
      .innerJoin(people, eq(people.id, committeeMembers.userId))
      .where(and(eq(committeeMembers.committeeId, committeeId), ACTIVE_MEMBER))
      .orderBy(
        sql`case ${committeeMembers.role} when 'chair' then 0 when 'vice_chair' then 1 when 'secretary' then 2 else 3 end`,
        asc(people.name),
      );
  }

  /** The guardian's seat on the committee, current or ended (`active` says which). */
  async membership(committeeId: string, userId: string, db: DbExecutor = this.db) {
    const [row] = await db
      .select({ ...getTableColumns(committeeMembers), active: sql<boolean>`${ACTIVE_MEMBER}` })
      .from(committeeMembers)
      .where(and(eq(committeeMembers.committeeId, committeeId), eq(committeeMembers.userId, userId)));
    return row;
  }

  /** The guardian's seat if their term has not ended. */
  async activeMembership(committeeId: string, userId: string, db: DbExecutor = this.db) {
    const row = await this.membership(committeeId, userId, db);
    return row?.active ? row : undefined;
  }

  async memberById(id: string, db: DbExecutor = this.db) {
    const [row] = await db
      .select({ ...getTableColumns(committeeMembers), active: sql<boolean>`${ACTIVE_MEMBER}` })
      .from(committeeMembers)
      .where(eq(committeeMembers.id, id));
    return row;
  }

  /** Ends a current term: its last day becomes yesterday, so the seat no longer counts from today. Returns false if it had already ended. */
  async endMember(id: string, db: DbExecutor): Promise<boolean> {
    const rows = await db
      .update(committeeMembers)
      .set({ termEndsOn: sql`${TODAY} - 1` })
      .where(and(eq(committeeMembers.id, id), ACTIVE_MEMBER))
      .returning({ id: committeeMembers.id });
    return rows.length > 0;
  }

  /** Gives an ended seat a new term (a member re-appointed): the same row, since one guardian holds one seat per committee. */
  async renewMember(
    id: string,
    values: { role: CommitteeRole; termStartsOn: string; termEndsOn: string; electionId?: string },
    db: DbExecutor,
  ) {
    await db.update(committeeMembers).set(values).where(eq(committeeMembers.id, id));
  }

  /** Schools (and their districts) where the guardian is a current chair or vice chair: the chair_training audience. */
  async chairPlacesOf(userId: string): Promise<{ schoolId: string; districtId: string }[]> {
    return this.db
      .selectDistinct({ schoolId: schoolPlaces.id, districtId: schoolPlaces.districtId })
      .from(committeeMembers)
      .innerJoin(committees, eq(committees.id, committeeMembers.committeeId))
      .innerJoin(schoolPlaces, eq(schoolPlaces.id, committees.schoolId))
      .where(and(eq(committeeMembers.userId, userId), inArray(committeeMembers.role, ['chair', 'vice_chair']), ACTIVE_MEMBER));
  }

  /** Committees whose fund entries (receipts) or oversight records (photos) reference the file. */
  async committeesReferencingFile(fileId: string): Promise<CommitteeRow[]> {
    return this.db
      .select()
      .from(committees)
      .where(
        or(
          sql`exists (select 1 from ${fundEntries} f where f.committee_id = ${committees.id} and f.receipt_file_id = ${fileId})`,
          sql`exists (select 1 from ${oversightRecords} o where o.committee_id = ${committees.id} and o.photo_file_ids @> ${JSON.stringify([fileId])}::jsonb)`,
        ),
      );
  }

  async insertMember(values: typeof committeeMembers.$inferInsert, db: DbExecutor) {
    await db.insert(committeeMembers).values(values);
  }

  async setMemberRole(committeeId: string, userId: string, role: CommitteeRole, db: DbExecutor, electionId?: string) {
    await db
      .update(committeeMembers)
      .set({ role, ...(electionId ? { electionId } : {}) })
      .where(and(eq(committeeMembers.committeeId, committeeId), eq(committeeMembers.userId, userId)));
  }

  /** Steps a current holder of a single-seat role (the chair) down to member. */
  async demoteRole(committeeId: string, role: CommitteeRole, db: DbExecutor) {
    await db
      .update(committeeMembers)
      .set({ role: 'member' })
      .where(and(eq(committeeMembers.committeeId, committeeId), eq(committeeMembers.role, role)));
  }

  async userExists(userId: string): Promise<boolean> {
    const [row] = await this.db.select({ id: people.id }).from(people).where(eq(people.id, userId));
    return Boolean(row);
  }

  async namesOf(userIds: string[]): Promise<Map<string, string>> {
    if (userIds.length === 0) return new Map();
    const rows = await this.db.select({ id: people.id, name: people.name }).from(people).where(inArray(people.id, userIds));
    return new Map(rows.map((r) => [r.id, r.name]));
  }

  // ── minutes and oversight ─────────────────────────────────────────────────────

  async insertMinutes(values: typeof committeeMinutes.$inferInsert) {
    const [row] = await this.db.insert(committeeMinutes).values(values).returning();
    return row;
  }

  minutesOf(committeeId: string) {
    return this.db
      .select()
      .from(committeeMinutes)
      .where(eq(committeeMinutes.committeeId, committeeId))
      .orderBy(desc(committeeMinutes.heldAt));
  }

  async insertOversight(values: typeof oversightRecords.$inferInsert) {
    const [row] = await this.db.insert(oversightRecords).values(values).returning();
    return row;
  }

  oversightOf(committeeId: string) {
    return this.db
      .select()
      .from(oversightRecords)
      .where(eq(oversightRecords.committeeId, committeeId))
      .orderBy(desc(oversightRecords.inspectedAt));
  }
}
