import { Inject, Injectable } from '@nestjs/common';
import { and, eq, isNull, ne, sql } from 'drizzle-orm';
import {
  authSessions,
  consents,
  DB,
  Database,
  DbExecutor,
  preparedStatement,
  refreshTokens,
  SessionEndReason,
  users,
  UserStatus,
} from '@jiaxiao/db';
import { PrincipalPlaces, principalPlacesColumns } from '@jiaxiao/directory';
import { BatchOutcome, Coalescer } from '@jiaxiao/platform';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface SessionQuery {
  sessionId: string;
  userId: string;
  version: string;
}

interface ActiveSession extends PrincipalPlaces {
  userId: string;
  name: string;
  status: UserStatus;
  passwordChangeRequired: boolean;
  consented: boolean;
}

@Injectable()
export class SessionRepository {
  private activeSessionStatement?: ReturnType<SessionRepository['prepareActiveSessions']>;
  private readonly sessionReads = new Coalescer<SessionQuery, ActiveSession | undefined>((queries) => this.activeSessions(queries), {
    max: 500,
    // One statement at a time: the reads that arrive meanwhile make the next, so a burst of new
    // callers costs a few large statements rather than hundreds of small ones.
    concurrency: 1,
  });

  constructor(@Inject(DB) private readonly db: Database) {}

  transaction<T>(work: (tx: DbExecutor) => Promise<T>): Promise<T> {
    return this.db.transaction(work);
  }

  async userByPhone(phone: string) {
    const [row] = await this.db.select().from(users).where(eq(users.phone, phone));
    return row;
  }

  /** Replaces the stored hash only if it is still the one that was checked (a password change in between wins). */
  async replacePasswordHash(userId: string, checked: string, next: string): Promise<void> {
    await this.db
      .update(users)
      .set({ passwordHash: next })
      .where(and(eq(users.id, userId), eq(users.passwordHash, checked)));
  }

  async createSession(input: { userId: string; userAgent?: string; ip?: string }, db: DbExecutor) {
    const [row] = await db.insert(authSessions).values(input).returning({ id: authSessions.id });
    return row.id;
  }

  async insertRefreshToken(input: { sessionId: string; tokenHash: string; expiresAt: Date }, db: DbExecutor) {
    const [row] = await db.insert(refreshTokens).values(input).returning({ id: refreshTokens.id });
    return row.id;
  }

  async tokenOwner(tokenId: string) {
    const [row] = await this.db
      .select({ userId: authSessions.userId, sessionId: authSessions.id })
      .from(refreshTokens)
      .innerJoin(authSessions, eq(authSessions.id, refreshTokens.sessionId))
      .where(eq(refreshTokens.id, tokenId));
    return row;
  }

  /** Locks the token row so two concurrent refreshes with one token cannot both succeed. */
  async lockRefreshToken(tokenId: string, db: DbExecutor) {
    const [row] = await db
      .select({
        id: refreshTokens.id,
        tokenHash: refreshTokens.tokenHash,
        expiresAt: refreshTokens.expiresAt,
        usedAt: refreshTokens.usedAt,
        sessionId: authSessions.id,
        sessionRevokedAt: authSessions.revokedAt,
        userId: users.id,
        userStatus: users.status,
      })
      .from(refreshTokens)
      .innerJoin(authSessions, eq(authSessions.id, refreshTokens.sessionId))
      .innerJoin(users, eq(users.id, authSessions.userId))
      .where(eq(refreshTokens.id, tokenId))
      .for('update', { of: refreshTokens });
    return row;
  }

  async markUsed(tokenId: string, db: DbExecutor) {
    await db.update(refreshTokens).set({ usedAt: new Date() }).where(eq(refreshTokens.id, tokenId));
  }

  async revokeSession(sessionId: string, reason: SessionEndReason, db: DbExecutor = this.db) {
    await db
      .update(authSessions)
      .set({ revokedAt: new Date(), revokedReason: reason })
      .where(and(eq(authSessions.id, sessionId), isNull(authSessions.revokedAt)));
  }

  /**
   * The session if it is open and its account active, with whether the account has accepted the
   * privacy notice `version` and the account's places (PrincipalPlaces): what a request's caller is
   * made of, in one prepared statement shared by the reads that arrive together (one turn of the
   * event loop).
   */
  async activeSession(sessionId: string, userId: string, noticeVersion: string) {
    const row = await this.sessionReads.call({ sessionId, userId, version: noticeVersion });
    return row?.status === 'active' ? row : undefined;
  }

  private async activeSessions(queries: SessionQuery[]): Promise<BatchOutcome<ActiveSession | undefined>[]> {
    this.activeSessionStatement ??= this.prepareActiveSessions();
    // Not a uuid: no session (one such id must not fail the statement of the others).
    const valid = queries.filter((q) => UUID.test(q.sessionId) && UUID.test(q.userId));
    const rows = await this.activeSessionStatement({
      queries: JSON.stringify(valid.map((q) => ({ session_id: q.sessionId, user_id: q.userId, version: q.version }))),
    });
    const found = new Map(rows.map(({ ord, ...row }) => [valid[Number(ord) - 1], row]));
    return queries.map((q) => ({ ok: true, value: found.get(q) }));
  }

  private prepareActiveSessions() {
    const places = principalPlacesColumns(sql`u.id`);
    return preparedStatement<ActiveSession & { ord: number | string }>(
      this.db,
      'active_sessions',
      sql`select q.ord, u.id as "userId", u.name, u.status, u.password_change_required as "passwordChangeRequired",
        exists (select 1 from ${consents} c where c.user_id = u.id and c.version = q.version and c.withdrawn_at is null) as consented,
        ${places.assignments} as assignments, ${places.children} as children
      from rows from (jsonb_to_recordset(${sql.placeholder('queries')}::jsonb) as (session_id uuid, user_id uuid, version text))
        with ordinality as q(session_id, user_id, version, ord)
      join ${authSessions} s on s.id = q.session_id and s.user_id = q.user_id and s.revoked_at is null
      join ${users} u on u.id = s.user_id`,
    );
  }

  /** Ends every open session of a user but `keep` (the caller's own, for a password change); returns the ended ids. */
  async revokeSessionsOf(userId: string, reason: SessionEndReason, keep: string | undefined, db: DbExecutor): Promise<string[]> {
    const rows = await db
      .update(authSessions)
      .set({ revokedAt: new Date(), revokedReason: reason })
      .where(and(eq(authSessions.userId, userId), isNull(authSessions.revokedAt), keep ? ne(authSessions.id, keep) : undefined))
      .returning({ id: authSessions.id });
    return rows.map((r) => r.id);
  }

  async userById(userId: string) {
    const [row] = await this.db.select().from(users).where(eq(users.id, userId));
    return row;
  }

  /** A new password: it also activates an imported account and lifts a one-time password's change requirement. */
  async setPassword(userId: string, passwordHash: string, db: DbExecutor) {
    await db
      .update(users)
      .set({
        passwordHash,
        passwordChangeRequired: false,
        status: sql`case when ${users.status} = 'invited' then 'active' else ${users.status} end`,
        activatedAt: sql`coalesce(${users.activatedAt}, now())`,
        updatedAt: new Date(),
      })
      .where(eq(users.id, userId));
  }

  /** First sign-in of an imported account; false when it was already active. */
  async activate(userId: string, db: DbExecutor): Promise<boolean> {
    const rows = await db
      .update(users)
      .set({ status: 'active', activatedAt: new Date(), updatedAt: new Date() })
      .where(and(eq(users.id, userId), eq(users.status, 'invited')))
      .returning({ id: users.id });
    return rows.length > 0;
  }
}
