import { Inject, Injectable } from '@nestjs/common';
import { and, eq, isNull } from 'drizzle-orm';
import { consents, DB, Database, DbExecutor } from '@jiaxiao/db';

@Injectable()
export class ConsentRepository {
  constructor(@Inject(DB) private readonly db: Database) {}

  transaction<T>(work: (tx: DbExecutor) => Promise<T>): Promise<T> {
    return this.db.transaction(work);
  }

  /** Whether the user holds a live (not withdrawn) acceptance of this version. */
  async accepted(userId: string, version: string): Promise<boolean> {
    const [row] = await this.db
      .select({ id: consents.id })
      .from(consents)
      .where(and(eq(consents.userId, userId), eq(consents.version, version), isNull(consents.withdrawnAt)))
      .limit(1);
    return row !== undefined;
  }

  async accept(userId: string, version: string, db: DbExecutor): Promise<void> {
    await db.insert(consents).values({ userId, version });
  }

  /** Withdraws every live acceptance of the user; returns how many there were. */
  async withdraw(userId: string, db: DbExecutor): Promise<number> {
    const rows = await db
      .update(consents)
      .set({ withdrawnAt: new Date() })
      .where(and(eq(consents.userId, userId), isNull(consents.withdrawnAt)))
      .returning({ id: consents.id });
    return rows.length;
  }
}
