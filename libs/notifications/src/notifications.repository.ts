import { Inject, Injectable } from '@nestjs/common';
import { and, desc, eq, gte, inArray, isNull, like, lt, lte, or, sql } from 'drizzle-orm';
import { DB, Database, DbExecutor, notificationDeliveries, notifications, preparedStatement, workingHours } from '@jiaxiao/db';
import { people } from '@jiaxiao/auth';
import { staffRoles } from '@jiaxiao/directory';

type NotificationRow = typeof notifications.$inferSelect;

/** A claimed entry as the claim's statement answers it: its times as the driver gives them. */
type ClaimedRow = Omit<NotificationRow, 'deliverAt' | 'pushedAt' | 'readAt' | 'createdAt'> & {
  deliverAt: string | Date;
  pushedAt: string | Date | null;
  readAt: string | Date | null;
  createdAt: string | Date;
};

export interface NewNotification {
  userId: string;
  kind: string;
  title: string;
  body: string;
  data: Record<string, unknown>;
  dedupeKey?: string;
  deliverAt: Date;
}

@Injectable()
export class NotificationsRepository {
  // A named prepared statement (parsed and planned once per connection), made at first use.
  private claimStatement?: (values: Record<string, unknown>) => Promise<ClaimedRow[]>;

  constructor(@Inject(DB) private readonly db: Database) {}

  /** Inserts, skipping (user, dedupeKey) pairs that exist: a retried fan-out adds nothing. */
  insertMany(rows: NewNotification[], db: DbExecutor = this.db) {
    if (rows.length === 0) return Promise.resolve([]);
    return db
      .insert(notifications)
      .values(rows)
      .onConflictDoNothing({ target: [notifications.userId, notifications.dedupeKey] })
      .returning();
  }

  async byId(id: string) {
    const [row] = await this.db.select().from(notifications).where(eq(notifications.id, id));
    return row;
  }

  unpushed(dedupeKey: string) {
    return this.db
      .select()
      .from(notifications)
      .where(and(eq(notifications.dedupeKey, dedupeKey), isNull(notifications.pushedAt)));
  }

  /** Removes every inbox entry a message made (direct message, notice, its reminders): a recalled message leaves no trace there. */
  async removeForMessage(messageId: string, db: DbExecutor = this.db): Promise<number> {
    const rows = await db
      .delete(notifications)
      .where(
        or(
          inArray(notifications.dedupeKey, [`message:${messageId}`, `notice:${messageId}`, `notice-unconfirmed:${messageId}`]),
          like(notifications.dedupeKey, `notice-remind:${messageId}:%`),
        ),
      )
      .returning({ id: notifications.id });
    return rows.length;
  }

  /** Claims the pushes of every due, unpushed notification with this key at once (a large fan-out). */
  claimDue(dedupeKey: string) {
    return this.db
      .update(notifications)
      .set({ pushedAt: new Date() })
      .where(and(eq(notifications.dedupeKey, dedupeKey), isNull(notifications.pushedAt), lte(notifications.deliverAt, sql`now()`)))
      .returning();
  }

  /** The in-app delivery rows of every pushed notification with this key, in one statement. */
  async recordRealtimeFor(dedupeKey: string): Promise<void> {
    await this.db.execute(sql`
      insert into notification_deliveries (notification_id, channel, provider, status, attempts)
      select id, 'realtime', 'socket', 'sent', 1 from notifications where dedupe_key = ${dedupeKey} and pushed_at is not null
      on conflict do nothing`);
  }

  /** Claims the push of a notification once; false if already pushed. */
  async claimPush(id: string): Promise<boolean> {
    const rows = await this.db
      .update(notifications)
      .set({ pushedAt: new Date() })
      .where(and(eq(notifications.id, id), isNull(notifications.pushedAt)))
      .returning({ id: notifications.id });
    return rows.length > 0;
  }

  /**
   * Unpushed entries whose push was due in [from, to), oldest first, after the (deliverAt, id) given:
   * one page of the sweep, read from the partial index of unpushed entries.
   */
  unpushedBetween(from: Date, to: Date, limit: number, after?: { deliverAt: Date; id: string }) {
    return this.db
      .select({ id: notifications.id, deliverAt: notifications.deliverAt })
      .from(notifications)
      .where(
        and(
          isNull(notifications.pushedAt),
          gte(notifications.deliverAt, from),
          lt(notifications.deliverAt, to),
          after
            ? sql`(${notifications.deliverAt}, ${notifications.id}) > (${after.deliverAt.toISOString()}::timestamptz, ${after.id}::uuid)`
            : undefined,
        ),
      )
      .orderBy(notifications.deliverAt, notifications.id)
      .limit(limit);
  }

  /**
   * Claims these entries' pushes (those not pushed yet) and records their in-app deliveries, in
   * one statement (one commit for a PushBatcher batch or a sweep's page): the claimed entries.
   */
  async claimPushes(ids: string[]): Promise<NotificationRow[]> {
    this.claimStatement ??= preparedStatement(
      this.db,
      'claim_pushes',
      // claim_pushes (migration 0025) probes the primary key for each id, whatever the plan saw first.
      sql`select id, user_id as "userId", kind, title, body, dedupe_key as "dedupeKey", data, deliver_at as "deliverAt",
        pushed_at as "pushedAt", read_at as "readAt", created_at as "createdAt"
      from claim_pushes(${sql.placeholder('ids')}::jsonb)`,
    );
    const rows = await this.claimStatement({ ids: JSON.stringify(ids) });
    return rows.map((row) => ({
      ...row,
      deliverAt: new Date(row.deliverAt),
      pushedAt: row.pushedAt === null ? null : new Date(row.pushedAt),
      readAt: row.readAt === null ? null : new Date(row.readAt),
      createdAt: new Date(row.createdAt),
    }));
  }

  /** The in-app channel's delivery row: published to the user's sockets (and kept in the inbox). */
  async recordRealtime(notificationId: string): Promise<void> {
    await this.db
      .insert(notificationDeliveries)
      .values({ notificationId, channel: 'realtime', provider: 'socket', status: 'sent', attempts: 1 })
      .onConflictDoNothing();
  }

  /** The inbox: delivered notifications, newest first, keyset-paged by (deliverAt, id). */
  list(userId: string, options: { before?: [string, string]; limit: number; unreadOnly: boolean }) {
    return this.db
      .select()
      .from(notifications)
      .where(
        and(
          eq(notifications.userId, userId),
          lte(notifications.deliverAt, sql`now()`),
          options.unreadOnly ? isNull(notifications.readAt) : undefined,
          options.before
            ? or(
                lt(notifications.deliverAt, new Date(options.before[0])),
                and(eq(notifications.deliverAt, new Date(options.before[0])), lt(notifications.id, options.before[1])),
              )
            : undefined,
        ),
      )
      .orderBy(desc(notifications.deliverAt), desc(notifications.id))
      .limit(options.limit + 1);
  }

  async unreadCount(userId: string): Promise<number> {
    const [row] = await this.db
      .select({ n: sql<number>`count(*)::int` })
      .from(notifications)
      .where(and(eq(notifications.userId, userId), isNull(notifications.readAt), lte(notifications.deliverAt, sql`now()`)));
    return row.n;
  }

  /** Marks delivered notifications read: one still held back by quiet hours is not in the inbox yet. */
  async markRead(userId: string, ids: string[] | 'all'): Promise<number> {
    const rows = await this.db
      .update(notifications)
      .set({ readAt: new Date() })
      .where(
        and(
          eq(notifications.userId, userId),
          isNull(notifications.readAt),
          lte(notifications.deliverAt, sql`now()`),
          ids === 'all' ? undefined : inArray(notifications.id, ids),
        ),
      )
      .returning({ id: notifications.id });
    return rows.length;
  }

  async phoneOf(userId: string): Promise<string | undefined> {
    const [row] = await this.db.select({ phone: people.phone }).from(people).where(eq(people.id, userId));
    return row?.phone;
  }

  async workingHoursOf(userIds: string[], db: DbExecutor = this.db) {
    if (userIds.length === 0) return [];
    return db.select().from(workingHours).where(inArray(workingHours.userId, userIds));
  }

  /** Which of these users are teachers or coordinators (they keep working hours). */
  async staffAmong(userIds: string[], db: DbExecutor = this.db): Promise<Set<string>> {
    if (userIds.length === 0) return new Set();
    const rows = await db
      .selectDistinct({ userId: staffRoles.userId })
      .from(staffRoles)
      .where(and(inArray(staffRoles.userId, userIds), inArray(staffRoles.role, ['teacher', 'coordinator'])));
    return new Set(rows.map((r) => r.userId));
  }

  async setWorkingHours(userId: string, value: { days: number[]; startMinute: number; endMinute: number }) {
    await this.db
      .insert(workingHours)
      .values({ userId, ...value })
      .onConflictDoUpdate({ target: workingHours.userId, set: { ...value, updatedAt: new Date() } });
  }
}
