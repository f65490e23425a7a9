import { Inject, Injectable } from '@nestjs/common';
import { asc, eq, inArray } from 'drizzle-orm';
import { attendance, DB, Database, hourLedger } from '@jiaxiao/db';
import { people } from '@jiaxiao/auth';
import { guardianChildren } from '@jiaxiao/directory';

export interface AttendanceReportRow {
  userId: string;
  name: string;
  phone: string;
  checkedInAt: Date | null;
  checkedOutAt: Date | null;
  checkinDevice: string | null;
  checkoutDevice: string | null;
  noCredit: { code: string; params: Record<string, number> } | null;
}

/** Reads for the per-lecture attendance report (offline check-ins and their credits). */
@Injectable()
export class AttendanceReportRepository {
  constructor(@Inject(DB) private readonly db: Database) {}

  async scans(lectureId: string): Promise<AttendanceReportRow[]> {
    return this.db
      .select({
        userId: attendance.userId,
        name: people.name,
        phone: people.phone,
        checkedInAt: attendance.checkedInAt,
        checkedOutAt: attendance.checkedOutAt,
        checkinDevice: attendance.checkinDevice,
        checkoutDevice: attendance.checkoutDevice,
        noCredit: attendance.noCredit,
      })
      .from(attendance)
      .innerJoin(people, eq(people.id, attendance.userId))
      .where(eq(attendance.lectureId, lectureId))
      .orderBy(asc(attendance.checkedInAt));
  }

  /** Hours credited per guardian for the lecture, net of revocations. */
  async creditedHours(lectureId: string): Promise<Map<string, number>> {
    const rows = await this.db
      .select({ guardianId: hourLedger.guardianId, hours: hourLedger.hours })
      .from(hourLedger)
      .where(eq(hourLedger.lectureId, lectureId));
    const totals = new Map<string, number>();
    for (const row of rows) totals.set(row.guardianId, (totals.get(row.guardianId) ?? 0) + row.hours);
    return totals;
  }

  /** The students (households) of each guardian. */
  async householdsOf(guardianIds: string[]): Promise<Map<string, string[]>> {
    const map = new Map<string, string[]>();
    if (guardianIds.length === 0) return map;
    const rows = await this.db
      .select({ userId: guardianChildren.userId, studentId: guardianChildren.studentId })
      .from(guardianChildren)
      .where(inArray(guardianChildren.userId, guardianIds));
    for (const row of rows) map.set(row.userId, [...(map.get(row.userId) ?? []), row.studentId]);
    return map;
  }
}
