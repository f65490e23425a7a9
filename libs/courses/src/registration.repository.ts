import { Inject, Injectable } from '@nestjs/common';
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { DB, Database, DbExecutor, registrations } from '@jiaxiao/db';
import { people } from '@jiaxiao/auth';

/** Registrations for a lecture: places, the waitlist and their counts. */
@Injectable()
export class RegistrationRepository {
  constructor(@Inject(DB) private readonly db: Database) {}

  async registration(lectureId: string, userId: string, db: DbExecutor = this.db) {
    const [row] = await db
      .select()
      .from(registrations)
      .where(and(eq(registrations.lectureId, lectureId), eq(registrations.userId, userId)));
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
      .onConflictDoUpdate({
        target: [registrations.lectureId, registrations.userId],
        set: { status, createdAt: new Date(), updatedAt: new Date() },
      })
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
      .select({
        id: registrations.id,
        userId: people.id,
        name: people.name,
        phone: people.phone,
        status: registrations.status,
        createdAt: registrations.createdAt,
      })
      .from(registrations)
      .innerJoin(people, eq(people.id, registrations.userId))
      .where(eq(registrations.lectureId, lectureId))
      .orderBy(asc(registrations.status), asc(registrations.createdAt));
  }

  async registeredUserIds(
    lectureId: string,
    statuses: ('registered' | 'waitlisted')[] = ['registered'],
    db: DbExecutor = this.db,
  ): Promise<string[]> {
    const rows = await db
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
}
