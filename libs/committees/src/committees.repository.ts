import { Inject, Injectable } from '@nestjs/common';
import { and, asc, desc, eq, getTableColumns, inArray, or, sql, SQL } from 'drizzle-orm';
import {
  ballots,
  chairTrainingRequirements,
  classes,
  committeeMembers,
  committeeMinutes,
  committees,
  CommitteeRole,
  DB,
  Database,
  DbExecutor,
  districts,
  electionVoters,
  sealedBallots,
  elections,
  files,
  fundEntries,
  guardianships,
  hourLedger,
  lectures,
  nominations,
  NominationStatus,
  oversightRecords,
  roleAssignments,
  schoolYears,
  schools,
  students,
  users,
} from '@jiaxiao/db';

export type CommitteeRow = typeof committees.$inferSelect;
export type ElectionRow = typeof elections.$inferSelect;
export type NominationRow = typeof nominations.$inferSelect;
export type FundEntryRow = typeof fundEntries.$inferSelect;

/** The classes a committee serves: its class, the classes of its grade, or every class of its school (that year). */
function classInScope(c: Pick<CommitteeRow, 'level' | 'schoolId' | 'schoolYearId' | 'classId' | 'grade'>): SQL {
  const base = and(eq(classes.schoolId, c.schoolId), eq(classes.schoolYearId, c.schoolYearId)) as SQL;
  if (c.level === 'class') return and(base, eq(classes.id, c.classId as string)) as SQL;
  if (c.level === 'grade') return and(base, eq(classes.grade, c.grade as number)) as SQL;
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
 * The only Drizzle user of the committees context. Ballots are written and read here without
 * any voter: `castBallot` inserts the household marker and the sealed ballot in the caller's
 * transaction, `moveBallots` writes the opened pool in shuffled order at the tally, and the tally
 * reads ballot choices only.
 */
@Injectable()
export class CommitteesRepository {
  constructor(@Inject(DB) private readonly db: Database) {}

  transaction<T>(work: (tx: DbExecutor) => Promise<T>): Promise<T> {
    return this.db.transaction(work);
  }

  // ── directory reads ───────────────────────────────────────────────────────────

  async schoolYearByName(name: string) {
    const [row] = await this.db.select().from(schoolYears).where(eq(schoolYears.name, name));
    return row;
  }

  async schoolYearById(id: string, db: DbExecutor = this.db) {
    const [row] = await db.select().from(schoolYears).where(eq(schoolYears.id, id));
    return row;
  }

  async classById(id: string) {
    const [row] = await this.db.select().from(classes).where(eq(classes.id, id));
    return row;
  }

  async schoolById(id: string) {
    const [row] = await this.db.select().from(schools).where(eq(schools.id, id));
    return row;
  }

  async coordinatorIds(schoolId: string, db: DbExecutor = this.db): Promise<string[]> {
    const rows = await db
      .selectDistinct({ userId: roleAssignments.userId })
      .from(roleAssignments)
      .where(and(eq(roleAssignments.role, 'coordinator'), eq(roleAssignments.scopeType, 'school'), eq(roleAssignments.scopeId, schoolId)));
    return rows.map((r) => r.userId);
  }

  async fileById(id: string) {
    const [row] = await this.db.select({ id: files.id, ownerId: files.ownerId }).from(files).where(eq(files.id, id));
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
          filter.districtIds.length ? inArray(schools.districtId, filter.districtIds) : undefined,
          sql`false`,
        );
    return this.db
      .select({ committee: committees })
      .from(committees)
      .innerJoin(schools, eq(schools.id, committees.schoolId))
      .where(and(eq(committees.schoolYearId, filter.schoolYearId), visible, filter.schoolId ? eq(committees.schoolId, filter.schoolId) : undefined))
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
            sql`exists (select 1 from ${guardianships} g join ${students} s on s.id = g.student_id join ${classes} cl on cl.id = s.class_id
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
      .select({ studentId: students.id })
      .from(guardianships)
      .innerJoin(students, eq(students.id, guardianships.studentId))
      .innerJoin(classes, eq(classes.id, students.classId))
      .where(and(eq(guardianships.userId, userId), classInScope(committee)))
      .orderBy(asc(students.id));
    return rows.map((r) => r.studentId);
  }

  async guardiansInScope(committee: CommitteeRow): Promise<string[]> {
    const rows = await this.db
      .selectDistinct({ userId: guardianships.userId })
      .from(guardianships)
      .innerJoin(students, eq(students.id, guardianships.studentId))
      .innerJoin(classes, eq(classes.id, students.classId))
      .where(classInScope(committee));
    return rows.map((r) => r.userId);
  }

  /** Whether the guardian sits on a class committee of the same school and year serving a class in this committee's scope. */
  async onClassCommitteeInScope(committee: CommitteeRow, userId: string, db: DbExecutor = this.db): Promise<boolean> {
    const [row] = await db
      .select({ one: sql<number>`1` })
      .from(committeeMembers)
      .innerJoin(committees, eq(committees.id, committeeMembers.committeeId))
      .innerJoin(classes, eq(classes.id, committees.classId))
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
        name: users.name,
        phone: users.phone,
        role: committeeMembers.role,
        termStartsOn: committeeMembers.termStartsOn,
        termEndsOn: committeeMembers.termEndsOn,
      })
      .from(committeeMembers)
      .innerJoin(users, eq(users.id, committeeMembers.userId))
      .where(and(eq(committeeMembers.committeeId, committeeId), ACTIVE_MEMBER))
      .orderBy(sql`case ${committeeMembers.role} when 'chair' then 0 when 'vice_chair' then 1 when 'secretary' then 2 else 3 end`, asc(users.name));
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
  async renewMember(id: string, values: { role: CommitteeRole; termStartsOn: string; termEndsOn: string; electionId?: string }, db: DbExecutor) {
    await db.update(committeeMembers).set(values).where(eq(committeeMembers.id, id));
  }

  /** Schools (and their districts) where the guardian is a current chair or vice chair: the chair_training audience. */
  async chairPlacesOf(userId: string): Promise<{ schoolId: string; districtId: string }[]> {
    return this.db
      .selectDistinct({ schoolId: schools.id, districtId: schools.districtId })
      .from(committeeMembers)
      .innerJoin(committees, eq(committees.id, committeeMembers.committeeId))
      .innerJoin(schools, eq(schools.id, committees.schoolId))
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
    const [row] = await this.db.select({ id: users.id }).from(users).where(eq(users.id, userId));
    return Boolean(row);
  }

  async namesOf(userIds: string[]): Promise<Map<string, string>> {
    if (userIds.length === 0) return new Map();
    const rows = await this.db.select({ id: users.id, name: users.name }).from(users).where(inArray(users.id, userIds));
    return new Map(rows.map((r) => [r.id, r.name]));
  }

  // ── elections ─────────────────────────────────────────────────────────────────

  async insertElection(values: typeof elections.$inferInsert, db: DbExecutor = this.db): Promise<ElectionRow> {
    const [row] = await db.insert(elections).values(values).returning();
    return row;
  }

  async election(id: string, db: DbExecutor = this.db): Promise<ElectionRow | undefined> {
    const [row] = await db.select().from(elections).where(eq(elections.id, id));
    return row;
  }

  async lockElection(id: string, db: DbExecutor): Promise<ElectionRow | undefined> {
    const [row] = await db.select().from(elections).where(eq(elections.id, id)).for('update');
    return row;
  }

  electionsOf(committeeId: string) {
    return this.db.select().from(elections).where(eq(elections.committeeId, committeeId)).orderBy(desc(elections.createdAt));
  }

  async dueElectionIds(now: Date): Promise<string[]> {
    const rows = await this.db
      .select({ id: elections.id })
      .from(elections)
      .where(and(eq(elections.status, 'open'), sql`${elections.votingEndsAt} <= ${now.toISOString()}`));
    return rows.map((r) => r.id);
  }

  async closeElection(id: string, result: NonNullable<ElectionRow['result']>, db: DbExecutor) {
    await db.update(elections).set({ status: 'closed', result, closedAt: new Date() }).where(eq(elections.id, id));
  }

  async insertNomination(values: typeof nominations.$inferInsert, db: DbExecutor = this.db): Promise<NominationRow | undefined> {
    const [row] = await db.insert(nominations).values(values).onConflictDoNothing().returning();
    return row;
  }

  async nomination(id: string): Promise<NominationRow | undefined> {
    const [row] = await this.db.select().from(nominations).where(eq(nominations.id, id));
    return row;
  }

  async setNominationStatus(id: string, status: NominationStatus, db: DbExecutor = this.db) {
    const [row] = await db.update(nominations).set({ status }).where(eq(nominations.id, id)).returning();
    return row;
  }

  nominationsOf(electionId: string, db: DbExecutor = this.db) {
    return db
      .select({ id: nominations.id, nomineeId: nominations.nomineeId, name: users.name, status: nominations.status, statement: nominations.statement, nominatedBy: nominations.nominatedBy })
      .from(nominations)
      .innerJoin(users, eq(users.id, nominations.nomineeId))
      .where(eq(nominations.electionId, electionId))
      .orderBy(asc(users.name));
  }

  /**
   * Marks the household as voted and stores its sealed ballot, in the caller's transaction, while
   * the election is open (a share lock: the tally's update lock waits for casts in flight). A
   * household that already voted (the other parent, at the same moment) gets false: the marker's
   * primary key decides, and nothing else is written.
   */
  async castBallot(electionId: string, studentId: string, sealed: Buffer, tx: DbExecutor): Promise<'cast' | 'already_voted' | 'closed'> {
    const [election] = await tx.select({ status: elections.status }).from(elections).where(eq(elections.id, electionId)).for('share');
    if (election?.status !== 'open') return 'closed';
    const marked = await tx.insert(electionVoters).values({ electionId, studentId }).onConflictDoNothing().returning({ studentId: electionVoters.studentId });
    if (marked.length === 0) return 'already_voted';
    await tx.insert(sealedBallots).values({ electionId, sealed });
    return 'cast';
  }

  /** The election's pool of sealed ballots (the caller holds the election's update lock). */
  async sealedBallotsOf(electionId: string, tx: DbExecutor): Promise<Buffer[]> {
    const rows = await tx.select({ sealed: sealedBallots.sealed }).from(sealedBallots).where(eq(sealedBallots.electionId, electionId));
    return rows.map((r) => Buffer.from(r.sealed));
  }

  /** Writes the opened ballots, already shuffled, in one statement, and empties the pool. */
  async moveBallots(electionId: string, choices: string[][], tx: DbExecutor): Promise<void> {
    if (choices.length > 0) await tx.insert(ballots).values(choices.map((c) => ({ electionId, choices: c })));
    await tx.delete(sealedBallots).where(eq(sealedBallots.electionId, electionId));
  }

  async votedHouseholds(electionId: string, studentIds: string[]): Promise<Set<string>> {
    if (studentIds.length === 0) return new Set();
    const rows = await this.db
      .select({ studentId: electionVoters.studentId })
      .from(electionVoters)
      .where(and(eq(electionVoters.electionId, electionId), inArray(electionVoters.studentId, studentIds)));
    return new Set(rows.map((r) => r.studentId));
  }

  /** Votes per candidate and the number of ballots: aggregates only. */
  async tally(electionId: string, db: DbExecutor): Promise<{ ballots: number; votes: Map<string, number> }> {
    const [count] = await db.select({ n: sql<number>`count(*)::int` }).from(ballots).where(eq(ballots.electionId, electionId));
    const rows = (await db.execute(
      sql`select choice as "userId", count(*)::int as votes from ${ballots}, jsonb_array_elements_text(${ballots.choices}) as choice where ${ballots.electionId} = ${electionId} group by choice`,
    )) as unknown as { rows: { userId: string; votes: number }[] };
    return { ballots: count.n, votes: new Map(rows.rows.map((r) => [r.userId, Number(r.votes)])) };
  }

  // ── minutes and oversight ─────────────────────────────────────────────────────

  async insertMinutes(values: typeof committeeMinutes.$inferInsert) {
    const [row] = await this.db.insert(committeeMinutes).values(values).returning();
    return row;
  }

  minutesOf(committeeId: string) {
    return this.db.select().from(committeeMinutes).where(eq(committeeMinutes.committeeId, committeeId)).orderBy(desc(committeeMinutes.heldAt));
  }

  async insertOversight(values: typeof oversightRecords.$inferInsert) {
    const [row] = await this.db.insert(oversightRecords).values(values).returning();
    return row;
  }

  oversightOf(committeeId: string) {
    return this.db.select().from(oversightRecords).where(eq(oversightRecords.committeeId, committeeId)).orderBy(desc(oversightRecords.inspectedAt));
  }

  // ── class fund ────────────────────────────────────────────────────────────────

  async fundEntry(id: string, db: DbExecutor = this.db): Promise<FundEntryRow | undefined> {
    const [row] = await db.select().from(fundEntries).where(eq(fundEntries.id, id));
    return row;
  }

  async reversalOf(entryId: string, db: DbExecutor): Promise<FundEntryRow | undefined> {
    const [row] = await db.select().from(fundEntries).where(eq(fundEntries.reverses, entryId));
    return row;
  }

  /** Appends an entry with the next seq; the caller holds the committee's row lock. */
  /** Appends an entry (the caller holds the committee's lock) and returns it with the balance after it. */
  async appendFundEntry(values: Omit<typeof fundEntries.$inferInsert, 'seq'>, db: DbExecutor): Promise<{ entry: FundEntryRow; balanceFen: number }> {
    const [last] = await db
      .select({ seq: sql<number>`coalesce(max(${fundEntries.seq}), 0)::int`, balanceFen: sql<number>`coalesce(sum(${fundEntries.amountFen}), 0)::int` })
      .from(fundEntries)
      .where(eq(fundEntries.committeeId, values.committeeId));
    const [entry] = await db
      .insert(fundEntries)
      .values({ ...values, seq: last.seq + 1 })
      .returning();
    return { entry, balanceFen: last.balanceFen + entry.amountFen };
  }

  /** The ledger in order, each entry with the balance after it. */
  fundLedger(committeeId: string) {
    return this.db
      .select({
        entry: fundEntries,
        balanceFen: sql<number>`(sum(${fundEntries.amountFen}) over (order by ${fundEntries.seq}))::int`,
        // Qualified by hand: inside the subquery an unqualified "id" would be the reversal's own.
        reversedBy: sql<string | null>`(select r.id from ${fundEntries} r where r.reverses = "fund_entries"."id")`,
      })
      .from(fundEntries)
      .where(eq(fundEntries.committeeId, committeeId))
      .orderBy(asc(fundEntries.seq));
  }

  /** Per committee with entries dated in [from, to): income, expense (reversals net into their original's side) and the closing balance. */
  async monthlyFundSums(from: string, to: string) {
    const rows = (await this.db.execute(sql`
      select e.committee_id as "committeeId",
        coalesce(sum(case when coalesce(o.kind, e.kind) = 'income' then e.amount_fen end), 0)::int as "incomeFen",
        coalesce(-sum(case when coalesce(o.kind, e.kind) = 'expense' then e.amount_fen end), 0)::int as "expenseFen",
        (select coalesce(sum(b.amount_fen), 0) from ${fundEntries} b where b.committee_id = e.committee_id and b.occurred_on < ${to})::int as "balanceFen"
      from ${fundEntries} e left join ${fundEntries} o on o.id = e.reverses
      where e.occurred_on >= ${from} and e.occurred_on < ${to}
      group by e.committee_id`)) as unknown as { rows: { committeeId: string; incomeFen: number; expenseFen: number; balanceFen: number }[] };
    return rows.rows;
  }

  // ── chair training ────────────────────────────────────────────────────────────

  async chairTrainingHours(schoolYearId: string): Promise<number | undefined> {
    const [row] = await this.db.select().from(chairTrainingRequirements).where(eq(chairTrainingRequirements.schoolYearId, schoolYearId));
    return row?.requiredHours;
  }

  async setChairTrainingHours(schoolYearId: string, requiredHours: number, updatedBy: string, db: DbExecutor = this.db) {
    await db
      .insert(chairTrainingRequirements)
      .values({ schoolYearId, requiredHours, updatedBy })
      .onConflictDoUpdate({ target: chairTrainingRequirements.schoolYearId, set: { requiredHours, updatedBy, updatedAt: new Date() } });
  }

  /**
   * Every chair of a committee of the year still serving on `servingOn` (today, or the year's last
   * day for a past year: a chair whose term was ended early drops out), with the chair_training
   * hours credited to them that year (credits minus revocations in the hour ledger).
   */
  chairsWithTraining(schoolYearId: string, filter: { districtIds?: string[]; schoolIds?: string[] }, servingOn: string) {
    const earned = sql<number>`coalesce((select sum(${hourLedger.hours}) from ${hourLedger} join ${lectures} l on l.id = ${hourLedger.lectureId}
      where ${hourLedger.guardianId} = ${committeeMembers.userId} and ${hourLedger.schoolYearId} = ${schoolYearId} and l.series = 'chair_training'), 0)::float`;
    const area = [
      filter.districtIds?.length ? inArray(schools.districtId, filter.districtIds) : undefined,
      filter.schoolIds?.length ? inArray(schools.id, filter.schoolIds) : undefined,
    ].filter(Boolean) as SQL[];
    return this.db
      .select({
        userId: committeeMembers.userId,
        name: users.name,
        phone: users.phone,
        committeeId: committees.id,
        committeeName: committees.name,
        schoolId: schools.id,
        schoolName: schools.name,
        districtId: districts.id,
        districtName: districts.name,
        earnedHours: earned,
      })
      .from(committeeMembers)
      .innerJoin(committees, eq(committees.id, committeeMembers.committeeId))
      .innerJoin(schools, eq(schools.id, committees.schoolId))
      .innerJoin(districts, eq(districts.id, schools.districtId))
      .innerJoin(users, eq(users.id, committeeMembers.userId))
      .where(and(eq(committees.schoolYearId, schoolYearId), eq(committeeMembers.role, 'chair'), sql`${committeeMembers.termEndsOn} >= ${servingOn}`, area.length ? or(...area) : undefined))
      .orderBy(asc(districts.name), asc(schools.name), asc(committees.name));
  }
}
