import { Inject, Injectable } from '@nestjs/common';
import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import { ballots, Database, DB, DbExecutor, elections, electionVoters, nominations, NominationStatus, sealedBallots } from '@jiaxiao/db';
import { people } from '@jiaxiao/auth';

export type ElectionRow = typeof elections.$inferSelect;
type NominationRow = typeof nominations.$inferSelect;

/**
 * Elections, nominations and ballots. Ballots are written and read here without any voter: `castBallot`
 * inserts the household marker and the sealed ballot in the caller's transaction, `moveBallots` writes the
 * opened pool in shuffled order at the tally, and the tally reads ballot choices only.
 */
@Injectable()
export class ElectionRepository {
  constructor(@Inject(DB) private readonly db: Database) {}

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
      .select({
        id: nominations.id,
        nomineeId: nominations.nomineeId,
        name: people.name,
        status: nominations.status,
        statement: nominations.statement,
        nominatedBy: nominations.nominatedBy,
      })
      .from(nominations)
      .innerJoin(people, eq(people.id, nominations.nomineeId))
      .where(eq(nominations.electionId, electionId))
      .orderBy(asc(people.name));
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
    const marked = await tx
      .insert(electionVoters)
      .values({ electionId, studentId })
      .onConflictDoNothing()
      .returning({ studentId: electionVoters.studentId });
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
    const [count] = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(ballots)
      .where(eq(ballots.electionId, electionId));
    const rows = (await db.execute(
      sql`select choice as "userId", count(*)::int as votes from ${ballots}, jsonb_array_elements_text(${ballots.choices}) as choice where ${ballots.electionId} = ${electionId} group by choice`,
    )) as unknown as { rows: { userId: string; votes: number }[] };
    return { ballots: count.n, votes: new Map(rows.rows.map((r) => [r.userId, Number(r.votes)])) };
  }
}
