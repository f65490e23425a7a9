import { Inject, Injectable } from '@nestjs/common';
import { and, eq, inArray } from 'drizzle-orm';
import { DB, Database, DbExecutor, IdentityProvider, userIdentities } from '@jiaxiao/db';

export type IdentityRow = typeof userIdentities.$inferSelect;

@Injectable()
export class IdentityRepository {
  constructor(@Inject(DB) private readonly db: Database) {}

  /** Inserts the binding; a unique violation (identity or account already bound) surfaces to the caller. */
  transaction<T>(work: (tx: DbExecutor) => Promise<T>): Promise<T> {
    return this.db.transaction(work);
  }

  async insert(
    input: { userId: string; provider: IdentityProvider; appId: string; subject: string; unionid?: string },
    db: DbExecutor = this.db,
  ): Promise<IdentityRow> {
    const [row] = await db.insert(userIdentities).values(input).returning();
    return row;
  }

  async bySubject(provider: IdentityProvider, appId: string, subject: string): Promise<IdentityRow | undefined> {
    const [row] = await this.db
      .select()
      .from(userIdentities)
      .where(and(eq(userIdentities.provider, provider), eq(userIdentities.appId, appId), eq(userIdentities.subject, subject)));
    return row;
  }

  ofUser(userId: string): Promise<IdentityRow[]> {
    return this.db.select().from(userIdentities).where(eq(userIdentities.userId, userId)).orderBy(userIdentities.createdAt);
  }

  ofUsers(userIds: string[]): Promise<IdentityRow[]> {
    if (userIds.length === 0) return Promise.resolve([]);
    return this.db.select().from(userIdentities).where(inArray(userIdentities.userId, userIds));
  }

  async remove(userId: string, provider: IdentityProvider, db: DbExecutor = this.db): Promise<IdentityRow | undefined> {
    const [row] = await db
      .delete(userIdentities)
      .where(and(eq(userIdentities.userId, userId), eq(userIdentities.provider, provider)))
      .returning();
    return row;
  }
}
