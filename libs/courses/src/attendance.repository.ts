import { Inject, Injectable } from '@nestjs/common';
import { and, eq, isNotNull, isNull, sql } from 'drizzle-orm';
import { attendance, DB, Database, DbExecutor } from '@jiaxiao/db';

/** Check-in, check-out and online watch time of one guardian at one lecture. */
@Injectable()
export class AttendanceRepository {
  constructor(@Inject(DB) private readonly db: Database) {}

  async attendanceOf(lectureId: string, userId: string, db: DbExecutor = this.db) {
    const [row] = await db
      .select()
      .from(attendance)
      .where(and(eq(attendance.lectureId, lectureId), eq(attendance.userId, userId)));
    return row;
  }

  /** The first check-in (time and device) stays; a later scan changes nothing. */
  async checkIn(lectureId: string, userId: string, at: Date, db: DbExecutor = this.db, device?: string) {
    await db
      .insert(attendance)
      .values({ lectureId, userId, checkedInAt: at, checkinDevice: device })
      .onConflictDoUpdate({
        target: [attendance.lectureId, attendance.userId],
        set: {
          checkedInAt: sql`coalesce(${attendance.checkedInAt}, excluded.checked_in_at)`,
          checkinDevice: sql`case when ${attendance.checkedInAt} is null then excluded.checkin_device else ${attendance.checkinDevice} end`,
          updatedAt: new Date(),
        },
      });
  }

  /**
   * Records the check-out of a checked-in attendance not yet checked out; undefined when there is
   * none (not checked in, or already out: a concurrent first check-out wins, this one waits for it).
   */
  async checkOut(lectureId: string, userId: string, at: Date, device: string, db: DbExecutor) {
    const [row] = await db
      .update(attendance)
      .set({ checkedOutAt: at, checkoutDevice: device, updatedAt: new Date() })
      .where(
        and(
          eq(attendance.lectureId, lectureId),
          eq(attendance.userId, userId),
          isNotNull(attendance.checkedInAt),
          isNull(attendance.checkedOutAt),
        ),
      )
      .returning();
    return row;
  }

  async setNoCredit(lectureId: string, userId: string, reason: { code: string; params: Record<string, number> }, db: DbExecutor) {
    await db
      .update(attendance)
      .set({ noCredit: reason, updatedAt: new Date() })
      .where(and(eq(attendance.lectureId, lectureId), eq(attendance.userId, userId)));
  }

  /** Adds watched seconds; returns the new total. */
  async addWatched(lectureId: string, userId: string, seconds: number, db: DbExecutor): Promise<number> {
    const [row] = await db
      .insert(attendance)
      .values({ lectureId, userId, watchedSeconds: seconds })
      .onConflictDoUpdate({
        target: [attendance.lectureId, attendance.userId],
        set: { watchedSeconds: sql`${attendance.watchedSeconds} + ${seconds}`, updatedAt: new Date() },
      })
      .returning({ watchedSeconds: attendance.watchedSeconds });
    return row.watchedSeconds;
  }
}
