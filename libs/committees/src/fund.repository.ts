import { Inject, Injectable } from '@nestjs/common';
import { asc, eq, sql } from 'drizzle-orm';
import { Database, DB, DbExecutor, fundEntries } from '@jiaxiao/db';

export type FundEntryRow = typeof fundEntries.$inferSelect;

/** The class fund (班费): an append-only ledger per committee, reversals as entries of their own. */
@Injectable()
export class FundRepository {
  constructor(@Inject(DB) private readonly db: Database) {}

  async fundEntry(id: string, db: DbExecutor = this.db): Promise<FundEntryRow | undefined> {
    const [row] = await db.select().from(fundEntries).where(eq(fundEntries.id, id));
    return row;
  }

  async reversalOf(entryId: string, db: DbExecutor): Promise<FundEntryRow | undefined> {
    const [row] = await db.select().from(fundEntries).where(eq(fundEntries.reverses, entryId));
    return row;
  }

  /** Appends an entry (the caller holds the committee's lock) and returns it with the balance after it. */
  async appendFundEntry(
    values: Omit<typeof fundEntries.$inferInsert, 'seq'>,
    db: DbExecutor,
  ): Promise<{ entry: FundEntryRow; balanceFen: number }> {
    const [last] = await db
      .select({
        seq: sql<number>`coalesce(max(${fundEntries.seq}), 0)::int`,
        balanceFen: sql<number>`coalesce(sum(${fundEntries.amountFen}), 0)::int`,
      })
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
      group by e.committee_id`)) as unknown as {
      rows: { committeeId: string; incomeFen: number; expenseFen: number; balanceFen: number }[];
    };
    return rows.rows;
  }
}
