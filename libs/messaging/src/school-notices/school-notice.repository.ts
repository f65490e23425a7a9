import { Inject, Injectable } from '@nestjs/common';
import { and, desc, eq, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import { DB, Database, DbExecutor, schoolNoticeRecipients, schoolNotices } from '@jiaxiao/db';
import { people } from '@jiaxiao/auth';
import { classPlaces, districtPlaces, schoolPlaces, schoolYearPlaces } from '@jiaxiao/directory';
import { inboxInsert } from '@jiaxiao/notifications';

export type SchoolNoticeRow = typeof schoolNotices.$inferSelect & { senderName: string; schoolName: string | null };

const noticeColumns = {
  id: schoolNotices.id,
  senderId: schoolNotices.senderId,
  audience: schoolNotices.audience,
  schoolId: schoolNotices.schoolId,
  districtId: schoolNotices.districtId,
  grades: schoolNotices.grades,
  classIds: schoolNotices.classIds,
  title: schoolNotices.title,
  body: schoolNotices.body,
  needsAck: schoolNotices.needsAck,
  emergency: schoolNotices.emergency,
  attachments: schoolNotices.attachments,
  recipientCount: schoolNotices.recipientCount,
  fannedOutAt: schoolNotices.fannedOutAt,
  createdAt: schoolNotices.createdAt,
  senderName: people.name,
  schoolName: schoolPlaces.name,
};

/** A family counts as confirmed (or read) when any of its guardians among the recipients has. */
const familyDone = (column: 'acked_at' | 'read_at') =>
  sql.raw(
    `exists (select 1 from guardian_children g join school_notice_recipients r on r.user_id = g.user_id and r.notice_id = f.notice_id and r.${column} is not null where g.student_id = f.student_id)`,
  );

@Injectable()
export class SchoolNoticeRepository {
  constructor(@Inject(DB) private readonly db: Database) {}

  transaction<T>(work: (tx: DbExecutor) => Promise<T>): Promise<T> {
    return this.db.transaction(work);
  }

  async insert(values: typeof schoolNotices.$inferInsert, db: DbExecutor = this.db) {
    const [row] = await db.insert(schoolNotices).values(values).returning({ id: schoolNotices.id });
    return row;
  }

  async byId(id: string): Promise<SchoolNoticeRow | undefined> {
    const [row] = await this.db
      .select(noticeColumns)
      .from(schoolNotices)
      .innerJoin(people, eq(people.id, schoolNotices.senderId))
      .leftJoin(schoolPlaces, eq(schoolPlaces.id, schoolNotices.schoolId))
      .where(eq(schoolNotices.id, id));
    return row;
  }

  /** The notices carrying a file (through the attachments' GIN index), with what their rule needs. */
  noticesWithFile(fileId: string) {
    return this.db
      .select({
        id: schoolNotices.id,
        senderId: schoolNotices.senderId,
        schoolId: schoolNotices.schoolId,
        districtId: schoolNotices.districtId,
      })
      .from(schoolNotices)
      .where(sql`${schoolNotices.attachments} @> ${JSON.stringify([{ fileId }])}::jsonb`);
  }

  async placeOfSchool(schoolId: string) {
    const [row] = await this.db
      .select({ id: schoolPlaces.id, districtId: schoolPlaces.districtId })
      .from(schoolPlaces)
      .where(eq(schoolPlaces.id, schoolId));
    return row;
  }

  async districtExists(districtId: string): Promise<boolean> {
    const [row] = await this.db.select({ id: districtPlaces.id }).from(districtPlaces).where(eq(districtPlaces.id, districtId));
    return Boolean(row);
  }

  async yearIdByName(name: string): Promise<string | undefined> {
    const [row] = await this.db.select({ id: schoolYearPlaces.id }).from(schoolYearPlaces).where(eq(schoolYearPlaces.name, name));
    return row?.id;
  }

  /** How many of these classes are open classes of the school in the year. */
  async countOpenClasses(schoolId: string, schoolYearId: string, classIds: string[]): Promise<number> {
    const [row] = await this.db
      .select({ n: sql<number>`count(*)::int` })
      .from(classPlaces)
      .where(
        and(
          eq(classPlaces.schoolId, schoolId),
          eq(classPlaces.schoolYearId, schoolYearId),
          isNull(classPlaces.archivedAt),
          inArray(classPlaces.id, classIds),
        ),
      );
    return row.n;
  }

  /** Notices whose scope is among these (a school's, a district's, the city's), newest first. */
  listManaged(
    filter: { city: boolean; districtIds: string[]; schoolIds: string[]; senderId: string },
    page: { before?: [string, string]; limit: number },
  ) {
    const scoped = filter.city
      ? undefined
      : or(
          eq(schoolNotices.senderId, filter.senderId),
          filter.schoolIds.length > 0 ? inArray(schoolNotices.schoolId, filter.schoolIds) : undefined,
          filter.districtIds.length > 0 ? inArray(schoolNotices.districtId, filter.districtIds) : undefined,
          filter.districtIds.length > 0 ? inArray(schoolPlaces.districtId, filter.districtIds) : undefined,
        );
    return this.db
      .select(noticeColumns)
      .from(schoolNotices)
      .innerJoin(people, eq(people.id, schoolNotices.senderId))
      .leftJoin(schoolPlaces, eq(schoolPlaces.id, schoolNotices.schoolId))
      .where(and(scoped, this.before(page.before)))
      .orderBy(desc(schoolNotices.createdAt), desc(schoolNotices.id))
      .limit(page.limit + 1);
  }

  /** The notices a user received, newest first, with their own receipt. */
  listReceived(userId: string, page: { before?: [string, string]; limit: number }) {
    return this.db
      .select({ ...noticeColumns, readAt: schoolNoticeRecipients.readAt, ackedAt: schoolNoticeRecipients.ackedAt })
      .from(schoolNoticeRecipients)
      .innerJoin(schoolNotices, eq(schoolNotices.id, schoolNoticeRecipients.noticeId))
      .innerJoin(people, eq(people.id, schoolNotices.senderId))
      .leftJoin(schoolPlaces, eq(schoolPlaces.id, schoolNotices.schoolId))
      .where(and(eq(schoolNoticeRecipients.userId, userId), this.before(page.before)))
      .orderBy(desc(schoolNotices.createdAt), desc(schoolNotices.id))
      .limit(page.limit + 1);
  }

  async receipt(noticeId: string, userId: string) {
    const [row] = await this.db
      .select({ readAt: schoolNoticeRecipients.readAt, ackedAt: schoolNoticeRecipients.ackedAt })
      .from(schoolNoticeRecipients)
      .where(and(eq(schoolNoticeRecipients.noticeId, noticeId), eq(schoolNoticeRecipients.userId, userId)));
    return row;
  }

  async markRead(noticeId: string, userId: string): Promise<void> {
    await this.db
      .update(schoolNoticeRecipients)
      .set({ readAt: sql`now()` })
      .where(
        and(
          eq(schoolNoticeRecipients.noticeId, noticeId),
          eq(schoolNoticeRecipients.userId, userId),
          isNull(schoolNoticeRecipients.readAt),
        ),
      );
  }

  /** 回执: sets the first confirmation (reading it too) and returns when it was. */
  async ack(noticeId: string, userId: string): Promise<Date | undefined> {
    const [row] = await this.db
      .update(schoolNoticeRecipients)
      .set({
        ackedAt: sql`coalesce(${schoolNoticeRecipients.ackedAt}, now())`,
        readAt: sql`coalesce(${schoolNoticeRecipients.readAt}, now())`,
      })
      .where(and(eq(schoolNoticeRecipients.noticeId, noticeId), eq(schoolNoticeRecipients.userId, userId)))
      .returning({ ackedAt: schoolNoticeRecipients.ackedAt });
    return row?.ackedAt ?? undefined;
  }

  // ── fan-out: set-based, one statement per step ────────────────────────────────

  /** Fixes a family notice's families (students of the chosen open classes, this year) and their guardians. */
  async fixFamilies(noticeId: string, schoolYearId: string, db: DbExecutor): Promise<void> {
    await db.execute(sql`
      insert into school_notice_families (notice_id, student_id, class_id)
      select n.id, s.id, s.class_id
      from school_notices n
      join class_places c on c.school_id = n.school_id and c.school_year_id = ${schoolYearId} and c.archived_at is null
      join student_places s on s.class_id = c.id and s.left_at is null
      where n.id = ${noticeId}
        and (n.grades is null or n.grades @> to_jsonb(c.grade))
        and (n.class_ids is null or n.class_ids ? c.id::text)
      on conflict do nothing`);
    await db.execute(sql`
      insert into school_notice_recipients (notice_id, user_id)
      select distinct f.notice_id, g.user_id
      from school_notice_families f join guardian_children g on g.student_id = f.student_id
      where f.notice_id = ${noticeId}
      on conflict do nothing`);
  }

  /** Fixes a coordinator notice's recipients: the coordinators of the district's (or the city's) schools. */
  async fixCoordinators(noticeId: string, db: DbExecutor): Promise<void> {
    await db.execute(sql`
      insert into school_notice_recipients (notice_id, user_id, school_id)
      select distinct on (ra.user_id) n.id, ra.user_id, sc.id
      from school_notices n
      join school_places sc on n.district_id is null or sc.district_id = n.district_id
      join staff_roles ra on ra.role = 'coordinator' and ra.scope_type = 'school' and ra.scope_id = sc.id
      where n.id = ${noticeId} and ra.user_id <> n.sender_id
      order by ra.user_id, sc.name
      on conflict do nothing`);
  }

  async markFannedOut(noticeId: string, db: DbExecutor): Promise<void> {
    await db.execute(sql`
      update school_notices set fanned_out_at = coalesce(fanned_out_at, now()),
        recipient_count = (select count(*)::int from school_notice_recipients r where r.notice_id = ${noticeId})
      where id = ${noticeId}`);
  }

  /**
   * Recipients still to be reached: everyone (round 0), or those not confirmed (a reminder): the
   * guardians of families no guardian has confirmed for, and coordinators who have not.
   */
  async targets(noticeId: string, pendingOnly: boolean, db: DbExecutor = this.db): Promise<{ userId: string; schoolId: string | null }[]> {
    const result = (await db.execute(sql`
      select r.user_id as "userId", r.school_id as "schoolId" from school_notice_recipients r
      where r.notice_id = ${noticeId} and (${!pendingOnly} or (r.acked_at is null and (
        r.school_id is not null or exists (
          select 1 from guardian_children g join school_notice_families f on f.notice_id = r.notice_id and f.student_id = g.student_id
          where g.user_id = r.user_id and not ${familyDone('acked_at')}))))`)) as unknown as {
      rows: { userId: string; schoolId: string | null }[];
    };
    return result.rows;
  }

  /** Inbox entries for every target of a family notice, in one statement. */
  async insertFamilyNotifications(
    noticeId: string,
    entry: { kind: string; title: string; body: string; dedupeKey: string; deliverAt: Date; pendingOnly: boolean },
    db: DbExecutor,
  ): Promise<number> {
    const targets = sql`
      select t.user_id,
        jsonb_build_object('schoolNoticeId', n.id, 'needsAck', n.needs_ack, 'urgent', n.emergency, 'title', n.title, 'schoolId', n.school_id) as data,
        ${entry.dedupeKey}::varchar as dedupe_key, ${entry.deliverAt.toISOString()}::timestamptz as deliver_at
      from school_notices n
      join school_notice_recipients t on t.notice_id = n.id
      where n.id = ${noticeId} and (${!entry.pendingOnly} or (t.acked_at is null and exists (
        select 1 from guardian_children g join school_notice_families f on f.notice_id = t.notice_id and f.student_id = g.student_id
        where g.user_id = t.user_id and not ${familyDone('acked_at')})))`;
    const result = (await db.execute(inboxInsert(targets, entry))) as unknown as { rowCount?: number; affectedRows?: number };
    return Number(result.rowCount ?? result.affectedRows ?? 0);
  }

  // ── receipts ──────────────────────────────────────────────────────────────────

  async familyGroups(noticeId: string) {
    const result = (await this.db.execute(sql`
      select f.class_id as id, c.name, c.grade, count(*)::int as total,
        (count(*) filter (where ${familyDone('read_at')}))::int as read,
        (count(*) filter (where ${familyDone('acked_at')}))::int as confirmed
      from school_notice_families f join class_places c on c.id = f.class_id
      where f.notice_id = ${noticeId}
      group by f.class_id, c.name, c.grade
      order by c.grade, c.name`)) as unknown as {
      rows: { id: string; name: string; grade: number; total: number; read: number; confirmed: number }[];
    };
    return result.rows;
  }

  async coordinatorGroups(noticeId: string) {
    const result = (await this.db.execute(sql`
      select r.school_id as id, sc.name, null::int as grade, count(*)::int as total,
        (count(*) filter (where r.read_at is not null))::int as read,
        (count(*) filter (where r.acked_at is not null))::int as confirmed
      from school_notice_recipients r join school_places sc on sc.id = r.school_id
      where r.notice_id = ${noticeId}
      group by r.school_id, sc.name
      order by sc.name`)) as unknown as {
      rows: { id: string; name: string; grade: number | null; total: number; read: number; confirmed: number }[];
    };
    return result.rows;
  }

  async pendingFamilies(noticeId: string, classId: string | undefined) {
    const result = (await this.db.execute(sql`
      select s.id, s.name, c.id as "groupId", c.name as "groupName"
      from school_notice_families f join student_places s on s.id = f.student_id join class_places c on c.id = f.class_id
      where f.notice_id = ${noticeId} and (${classId ?? null}::uuid is null or f.class_id = ${classId ?? null}::uuid) and not ${familyDone('acked_at')}
      order by c.grade, c.name, s.name`)) as unknown as { rows: { id: string; name: string; groupId: string; groupName: string }[] };
    return result.rows;
  }

  async pendingCoordinators(noticeId: string, schoolId: string | undefined) {
    const result = (await this.db.execute(sql`
      select u.id, u.name, sc.id as "groupId", sc.name as "groupName"
      from school_notice_recipients r join ${people} u on u.id = r.user_id join school_places sc on sc.id = r.school_id
      where r.notice_id = ${noticeId} and r.acked_at is null and (${schoolId ?? null}::uuid is null or r.school_id = ${schoolId ?? null}::uuid)
      order by sc.name, u.name`)) as unknown as { rows: { id: string; name: string; groupId: string; groupName: string }[] };
    return result.rows;
  }

  private before(before: [string, string] | undefined) {
    if (!before) return undefined;
    const at = sql`${before[0]}::timestamptz`;
    return or(lt(schoolNotices.createdAt, at), and(eq(schoolNotices.createdAt, at), lt(schoolNotices.id, before[1])));
  }
}
