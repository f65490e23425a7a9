import { Inject, Injectable } from '@nestjs/common';
import { and, eq, inArray, sql } from 'drizzle-orm';
import {
  DB,
  Database,
  DbExecutor,
  DeliveryStatus,
  NotificationChannel,
  notificationDeliveries,
  schoolSmsBudgets,
  smsUsage,
} from '@jiaxiao/db';
import { classPlaces, guardianChildren, schoolPlaces, staffRoles } from '@jiaxiao/directory';

export type DeliveryRow = typeof notificationDeliveries.$inferSelect;

interface DeliveryUpdate {
  notificationId: string;
  channel: NotificationChannel;
  provider: string;
  status: DeliveryStatus;
  detail?: string | null;
  /** count this as one more attempt */
  attempted?: boolean;
  schoolId?: string | null;
}

@Injectable()
export class DeliveryRepository {
  constructor(@Inject(DB) private readonly db: Database) {}

  /** One row per notification and channel, updated as the router goes (attempts add up). */
  async record(update: DeliveryUpdate): Promise<void> {
    const attempts = update.attempted ? 1 : 0;
    const detail = update.detail?.slice(0, 200) ?? null;
    await this.db
      .insert(notificationDeliveries)
      .values({
        notificationId: update.notificationId,
        channel: update.channel,
        provider: update.provider,
        status: update.status,
        detail,
        attempts,
        schoolId: update.schoolId ?? null,
      })
      .onConflictDoUpdate({
        target: [notificationDeliveries.notificationId, notificationDeliveries.channel],
        set: {
          provider: update.provider,
          status: update.status,
          detail,
          attempts: sql`${notificationDeliveries.attempts} + ${attempts}`,
          schoolId: sql`coalesce(${update.schoolId ?? null}::uuid, ${notificationDeliveries.schoolId})`,
          updatedAt: new Date(),
        },
      });
  }

  async of(notificationId: string): Promise<Map<NotificationChannel, DeliveryRow>> {
    const rows = await this.db.select().from(notificationDeliveries).where(eq(notificationDeliveries.notificationId, notificationId));
    return new Map(rows.map((r) => [r.channel, r]));
  }

  async school(schoolId: string): Promise<{ id: string; name: string } | undefined> {
    const [row] = await this.db
      .select({ id: schoolPlaces.id, name: schoolPlaces.name })
      .from(schoolPlaces)
      .where(eq(schoolPlaces.id, schoolId));
    return row;
  }

  /** The school a user belongs to when a notification names none: a child's school, else where they work. */
  async schoolOfUser(userId: string): Promise<{ id: string; name: string } | undefined> {
    const [family] = await this.db
      .select({ id: classPlaces.schoolId, name: classPlaces.schoolName })
      .from(guardianChildren)
      .innerJoin(classPlaces, eq(classPlaces.id, guardianChildren.classId))
      .where(eq(guardianChildren.userId, userId))
      .orderBy(classPlaces.schoolName)
      .limit(1);
    if (family) return family;
    const [staff] = await this.db
      .select({ id: schoolPlaces.id, name: schoolPlaces.name })
      .from(staffRoles)
      .leftJoin(classPlaces, and(eq(staffRoles.scopeType, 'class'), eq(classPlaces.id, staffRoles.scopeId)))
      .innerJoin(
        schoolPlaces,
        sql`${schoolPlaces.id} = coalesce(${classPlaces.schoolId}, case when ${staffRoles.scopeType} = 'school' then ${staffRoles.scopeId} end)`,
      )
      .where(and(eq(staffRoles.userId, userId), inArray(staffRoles.scopeType, ['school', 'class'])))
      .limit(1);
    return staff;
  }

  async budgetOverride(schoolId: string): Promise<number | undefined> {
    const [row] = await this.db
      .select({ limit: schoolSmsBudgets.monthlyLimit })
      .from(schoolSmsBudgets)
      .where(eq(schoolSmsBudgets.schoolId, schoolId));
    return row?.limit;
  }

  transaction<T>(work: (tx: DbExecutor) => Promise<T>): Promise<T> {
    return this.db.transaction(work);
  }

  async setBudgetOverride(schoolId: string, monthlyLimit: number | null, db: DbExecutor = this.db): Promise<void> {
    if (monthlyLimit === null) {
      await db.delete(schoolSmsBudgets).where(eq(schoolSmsBudgets.schoolId, schoolId));
      return;
    }
    await db
      .insert(schoolSmsBudgets)
      .values({ schoolId, monthlyLimit })
      .onConflictDoUpdate({ target: schoolSmsBudgets.schoolId, set: { monthlyLimit, updatedAt: new Date() } });
  }

  async used(schoolId: string, month: string): Promise<number> {
    const [row] = await this.db
      .select({ used: smsUsage.used })
      .from(smsUsage)
      .where(and(eq(smsUsage.schoolId, schoolId), eq(smsUsage.month, month)));
    return row?.used ?? 0;
  }

  /** Takes one message of the month's budget, atomically; false when it is spent. */
  async reserve(schoolId: string, month: string, limit: number): Promise<boolean> {
    await this.db.insert(smsUsage).values({ schoolId, month, used: 0 }).onConflictDoNothing();
    const rows = await this.db
      .update(smsUsage)
      .set({ used: sql`${smsUsage.used} + 1` })
      .where(and(eq(smsUsage.schoolId, schoolId), eq(smsUsage.month, month), sql`${smsUsage.used} < ${limit}`))
      .returning({ used: smsUsage.used });
    return rows.length > 0;
  }

  /** Gives back a reserved message that did not go out. */
  async release(schoolId: string, month: string): Promise<void> {
    await this.db
      .update(smsUsage)
      .set({ used: sql`greatest(${smsUsage.used} - 1, 0)` })
      .where(and(eq(smsUsage.schoolId, schoolId), eq(smsUsage.month, month)));
  }
}
