import { Inject, Injectable } from '@nestjs/common';
import { and, desc, eq, inArray, isNotNull, isNull, lt, or, sql, SQL } from 'drizzle-orm';
import { DB, Database, DbExecutor, mailboxItems, MailboxLevel } from '@jiaxiao/db';
import { people } from '@jiaxiao/auth';
import { schoolPlaces } from '@jiaxiao/directory';

export type MailboxItemRow = typeof mailboxItems.$inferSelect;
export type MailboxListRow = { item: MailboxItemRow; schoolName: string; authorName: string; authorPhone: string };

/** The area a list is limited to: every school (city), some districts, some schools. */
export interface MailboxArea {
  city: boolean;
  districtIds: string[];
  schoolIds: string[];
}

const LIST_LIMIT = 200;

@Injectable()
export class MailboxRepository {
  constructor(@Inject(DB) private readonly db: Database) {}

  transaction<T>(work: (tx: DbExecutor) => Promise<T>): Promise<T> {
    return this.db.transaction(work);
  }

  async schoolDistrict(schoolId: string): Promise<string | undefined> {
    const [row] = await this.db.select({ districtId: schoolPlaces.districtId }).from(schoolPlaces).where(eq(schoolPlaces.id, schoolId));
    return row?.districtId;
  }

  async insert(values: typeof mailboxItems.$inferInsert, db: DbExecutor = this.db): Promise<MailboxItemRow> {
    const [row] = await db.insert(mailboxItems).values(values).returning();
    return row;
  }

  async item(id: string, db: DbExecutor = this.db): Promise<MailboxItemRow | undefined> {
    const [row] = await db.select().from(mailboxItems).where(eq(mailboxItems.id, id));
    return row;
  }

  async lock(id: string, db: DbExecutor): Promise<MailboxItemRow | undefined> {
    const [row] = await db.select().from(mailboxItems).where(eq(mailboxItems.id, id)).for('update');
    return row;
  }

  async answer(id: string, values: { answer: string; answeredBy: string; answeredLevel: MailboxLevel }, db: DbExecutor): Promise<void> {
    await db
      .update(mailboxItems)
      .set({ ...values, status: 'answered', answeredAt: new Date() })
      .where(eq(mailboxItems.id, id));
  }

  /** Newest first: the caller's own items, or the items of an area. */
  list(filter: {
    authorId?: string;
    area?: MailboxArea;
    status?: 'open' | 'answered';
    schoolId?: string;
    escalated?: boolean;
  }): Promise<MailboxListRow[]> {
    const conditions: (SQL | undefined)[] = [
      filter.authorId ? eq(mailboxItems.authorId, filter.authorId) : undefined,
      filter.area ? inArea(filter.area) : undefined,
      filter.status ? eq(mailboxItems.status, filter.status) : undefined,
      filter.schoolId ? eq(mailboxItems.schoolId, filter.schoolId) : undefined,
      filter.escalated === undefined
        ? undefined
        : filter.escalated
          ? isNotNull(mailboxItems.escalatedAt)
          : isNull(mailboxItems.escalatedAt),
    ];
    return this.db
      .select({ item: mailboxItems, schoolName: schoolPlaces.name, authorName: people.name, authorPhone: people.phone })
      .from(mailboxItems)
      .innerJoin(schoolPlaces, eq(schoolPlaces.id, mailboxItems.schoolId))
      .innerJoin(people, eq(people.id, mailboxItems.authorId))
      .where(and(...conditions))
      .orderBy(desc(mailboxItems.createdAt))
      .limit(LIST_LIMIT);
  }

  async withNames(item: MailboxItemRow): Promise<MailboxListRow> {
    const [row] = await this.db
      .select({ schoolName: schoolPlaces.name, authorName: people.name, authorPhone: people.phone })
      .from(mailboxItems)
      .innerJoin(schoolPlaces, eq(schoolPlaces.id, mailboxItems.schoolId))
      .innerJoin(people, eq(people.id, mailboxItems.authorId))
      .where(eq(mailboxItems.id, item.id));
    return { item, ...row };
  }

  /**
   * Moves every open item past its deadline one level up and gives the new level its own
   * deadline; items already at the city stay overdue there. Returns how many moved.
   */
  async escalateDue(now: Date, answerDays: number): Promise<number> {
    const moved = await this.db
      .update(mailboxItems)
      .set({
        level: sql`case ${mailboxItems.level} when 'school' then 'district' else 'city' end`,
        dueAt: sql`${now.toISOString()}::timestamptz + make_interval(days => ${answerDays})`,
        escalatedAt: now,
      })
      .where(and(eq(mailboxItems.status, 'open'), lt(mailboxItems.dueAt, now), inArray(mailboxItems.level, ['school', 'district'])))
      .returning({ id: mailboxItems.id });
    return moved.length;
  }

  /** Counts per school of an area (schools without items included). */
  counts(area: MailboxArea, now: Date) {
    const due = now.toISOString();
    return this.db
      .select({
        schoolId: schoolPlaces.id,
        schoolName: schoolPlaces.name,
        districtId: schoolPlaces.districtId,
        open: sql<number>`count(${mailboxItems.id}) filter (where ${mailboxItems.status} = 'open')::int`,
        answered: sql<number>`count(${mailboxItems.id}) filter (where ${mailboxItems.status} = 'answered')::int`,
        overdue: sql<number>`count(${mailboxItems.id}) filter (where ${mailboxItems.status} = 'open' and ${mailboxItems.dueAt} < ${due}::timestamptz)::int`,
        escalated: sql<number>`count(${mailboxItems.id}) filter (where ${mailboxItems.escalatedAt} is not null)::int`,
        paidTutoring: sql<number>`count(${mailboxItems.id}) filter (where ${mailboxItems.topic} = 'paid_tutoring')::int`,
      })
      .from(schoolPlaces)
      .leftJoin(mailboxItems, eq(mailboxItems.schoolId, schoolPlaces.id))
      .where(area.city ? undefined : or(inList(schoolPlaces.districtId, area.districtIds), inList(schoolPlaces.id, area.schoolIds)))
      .groupBy(schoolPlaces.id, schoolPlaces.name, schoolPlaces.districtId)
      .orderBy(schoolPlaces.name);
  }
}

function inList(
  column: typeof schoolPlaces.id | typeof schoolPlaces.districtId | typeof mailboxItems.schoolId | typeof mailboxItems.districtId,
  ids: string[],
): SQL {
  return ids.length ? inArray(column, ids) : sql`false`;
}

function inArea(area: MailboxArea): SQL | undefined {
  if (area.city) return undefined;
  return or(inList(mailboxItems.districtId, area.districtIds), inList(mailboxItems.schoolId, area.schoolIds));
}
