import { Inject, Injectable } from '@nestjs/common';
import { and, eq, isNotNull, isNull, sql } from 'drizzle-orm';
import { attendance, DB, Database, DbExecutor, hourLedger, preparedStatement } from '@jiaxiao/db';
import { ChangeFeed } from '@jiaxiao/platform';
import { householdCredit } from './hour-ledger.repository';

const value = (name: string) => sql.placeholder(name);

/** What the check-out statement is given: the scan, the latest check-in it credits, and the lecture's credit. */
export interface CreditedCheckOut {
  lectureId: string;
  userId: string;
  at: Date;
  device: string;
  creditedUntil: Date;
  schoolYearId: string;
  hours: number;
  forHouseholds: boolean;
}

/** Check-in, check-out and online watch time of one guardian at one lecture. */
@Injectable()
export class AttendanceRepository {
  private checkOutStatement?: ReturnType<AttendanceRepository['prepareCheckOut']>;

  constructor(
    @Inject(DB) private readonly db: Database,
    private readonly changes: ChangeFeed,
  ) {}

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

  /**
   * Check-outs that earn credit, one prepared statement for all of them and no transaction around
   * it: the check-out of each checked-in attendance not yet checked out whose check-in is no later
   * than its `creditedUntil`, with its ledger credit (none if one exists) and the households'
   * credits (see householdCredit). In the inputs' order (distinct guardian and lecture pairs), each
   * undefined when it matched no attendance: not checked in, checked out before (a concurrent first
   * check-out wins, this one waits for it and then matches nothing), or a check-in too late for credit.
   */
  async checkOutCredited(inputs: CreditedCheckOut[]): Promise<({ checkedInAt: Date; credited: boolean } | undefined)[]> {
    this.checkOutStatement ??= this.prepareCheckOut();
    const rows = await this.checkOutStatement({
      inputs: JSON.stringify(
        inputs.map((i) => ({
          lecture_id: i.lectureId,
          user_id: i.userId,
          at: i.at.toISOString(),
          device: i.device,
          credited_until: i.creditedUntil.toISOString(),
          school_year_id: i.schoolYearId,
          hours: i.hours,
        })),
      ),
      householdLectures: JSON.stringify([...new Set(inputs.filter((i) => i.forHouseholds).map((i) => i.lectureId))]),
    });
    // It writes through CTEs, so PostgreSQL tags it SELECT and the database handle does not count it
    // as a write: this process's next cached read (the parent's hours) must still catch up first.
    this.changes.wrote();
    const found = new Map(rows.map((r) => [Number(r.ord), { checkedInAt: new Date(r.checkedInAt), credited: r.credited }]));
    return inputs.map((_, i) => found.get(i + 1));
  }

  private prepareCheckOut() {
    return preparedStatement<{ ord: number | string; checkedInAt: number; credited: boolean }>(
      this.db,
      'attendance_check_out_credited',
      sql`
      with input as (
        select * from rows from (jsonb_to_recordset(${value('inputs')}::jsonb)
          as (lecture_id uuid, user_id uuid, at timestamptz, device varchar, credited_until timestamptz, school_year_id uuid, hours numeric))
          with ordinality as t(lecture_id, user_id, at, device, credited_until, school_year_id, hours, ord)
      ), checked_out as (
        update ${attendance} a set checked_out_at = i.at, checkout_device = i.device, updated_at = now()
        from input i
        where a.lecture_id = i.lecture_id and a.user_id = i.user_id and a.checked_out_at is null
          and date_trunc('milliseconds', a.checked_in_at) <= i.credited_until
        returning i.ord, a.lecture_id, a.user_id, a.checked_in_at, i.school_year_id, i.hours
      ), entry as (
        insert into ${hourLedger} (guardian_id, lecture_id, school_year_id, kind, hours, source)
        select user_id, lecture_id, school_year_id, 'credit', hours, 'offline' from checked_out order by lecture_id, user_id
        on conflict do nothing returning guardian_id, lecture_id, school_year_id, hours
      ), ${householdCredit(sql`e.lecture_id in (select value::uuid from jsonb_array_elements_text(${value('householdLectures')}::jsonb))`)}
      select c.ord, (extract(epoch from date_trunc('milliseconds', c.checked_in_at)) * 1000)::float8 as "checkedInAt",
        e.guardian_id is not null as credited
      from checked_out c left join entry e on e.guardian_id = c.user_id and e.lecture_id = c.lecture_id`,
    );
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
