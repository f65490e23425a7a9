import { Inject, Injectable } from '@nestjs/common';
import { and, asc, desc, eq, inArray, lt, or, sql } from 'drizzle-orm';
import { conversationMembers, conversations, DB, Database, DbExecutor, messages, readMarks } from '@jiaxiao/db';
import { people } from '@jiaxiao/auth';
import { classPlaces, guardianChildren, staffRoles } from '@jiaxiao/directory';

export type ConversationRow = typeof conversations.$inferSelect;
/** What a send reads before it writes (SendBatchRepository.contexts): `others` are the members a push or the quiet-hours answer depends on. */
export interface SendContext {
  kind: ConversationRow['kind'];
  staffOnly: boolean;
  role: 'staff' | 'member';
  existingId: string | null;
  others: {
    userId: string;
    role: 'staff' | 'member';
    staff: boolean;
    hours: { days: number[]; startMinute: number; endMinute: number } | null;
  }[];
}

export type MessageRow = typeof messages.$inferSelect & { senderName: string | null };

export const messageColumns = {
  id: messages.id,
  conversationId: messages.conversationId,
  seq: messages.seq,
  senderId: messages.senderId,
  clientMsgId: messages.clientMsgId,
  type: messages.type,
  text: messages.text,
  payload: messages.payload,
  recalledAt: messages.recalledAt,
  createdAt: messages.createdAt,
  senderName: people.name,
};

@Injectable()
export class MessagingRepository {
  constructor(@Inject(DB) private readonly db: Database) {}

  transaction<T>(work: (tx: DbExecutor) => Promise<T>): Promise<T> {
    return this.db.transaction(work);
  }

  // ── conversations ─────────────────────────────────────────────────────────────

  async conversation(id: string, db: DbExecutor = this.db): Promise<ConversationRow | undefined> {
    const [row] = await db.select().from(conversations).where(eq(conversations.id, id));
    return row;
  }

  async membership(conversationId: string, userId: string, db: DbExecutor = this.db) {
    const [row] = await db
      .select()
      .from(conversationMembers)
      .where(and(eq(conversationMembers.conversationId, conversationId), eq(conversationMembers.userId, userId)));
    return row;
  }

  async conversationIdsOf(userId: string): Promise<string[]> {
    const rows = await this.db
      .select({ id: conversationMembers.conversationId })
      .from(conversationMembers)
      .where(eq(conversationMembers.userId, userId));
    return rows.map((r) => r.id);
  }

  /** The caller's conversations by last activity, each with the caller's cursor and the newest message. */
  listForUser(userId: string, options: { before?: [string, string]; limit: number }) {
    const activity = sql<Date>`coalesce(${conversations.lastMessageAt}, ${conversations.createdAt})`;
    // The cursor's time keeps the microseconds PostgreSQL stores; a JS Date would cut them to
    // milliseconds and skip the conversations active within the same millisecond.
    const before = options.before && { at: sql`${options.before[0]}::timestamptz`, id: options.before[1] };
    return this.db
      .select({
        conversation: conversations,
        lastReadSeq: conversationMembers.lastReadSeq,
        activity: sql<string>`to_char(${activity} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`,
      })
      .from(conversationMembers)
      .innerJoin(conversations, eq(conversations.id, conversationMembers.conversationId))
      .where(
        and(
          eq(conversationMembers.userId, userId),
          before ? or(lt(activity, before.at), and(eq(activity, before.at), lt(conversations.id, before.id))) : undefined,
        ),
      )
      .orderBy(desc(activity), desc(conversations.id))
      .limit(options.limit + 1);
  }

  /** The newest message of each conversation. */
  async lastMessages(conversationIds: string[]): Promise<Map<string, MessageRow>> {
    if (conversationIds.length === 0) return new Map();
    const rows = await this.db
      .select(messageColumns)
      .from(messages)
      .innerJoin(conversations, and(eq(conversations.id, messages.conversationId), eq(conversations.lastSeq, messages.seq)))
      .leftJoin(people, eq(people.id, messages.senderId))
      .where(inArray(messages.conversationId, conversationIds));
    return new Map(rows.map((r) => [r.conversationId, r]));
  }

  async insertConversation(values: typeof conversations.$inferInsert, db: DbExecutor) {
    const [row] = await db.insert(conversations).values(values).onConflictDoNothing().returning();
    return row;
  }

  async classGroup(classId: string, db: DbExecutor = this.db) {
    const [row] = await db
      .select()
      .from(conversations)
      .where(and(eq(conversations.kind, 'class_group'), eq(conversations.classId, classId)));
    return row;
  }

  /** The group of a committee or the room of a lecture: one per kind and ref id. */
  async groupByRef(kind: 'committee_group' | 'lecture_room', refId: string, db: DbExecutor = this.db) {
    const [row] = await db
      .select()
      .from(conversations)
      .where(and(eq(conversations.kind, kind), eq(conversations.refId, refId)));
    return row;
  }

  async moveGroup(conversationId: string, classId: string, title: string, db: DbExecutor) {
    await db.update(conversations).set({ classId, title }).where(eq(conversations.id, conversationId));
  }

  async directByKey(key: string, db: DbExecutor = this.db) {
    const [row] = await db.select().from(conversations).where(eq(conversations.directKey, key));
    return row;
  }

  async setStaffOnly(conversationId: string, staffOnly: boolean) {
    await this.db.update(conversations).set({ staffOnly }).where(eq(conversations.id, conversationId));
  }

  members(conversationId: string, db: DbExecutor = this.db) {
    return db
      .select({
        userId: conversationMembers.userId,
        role: conversationMembers.role,
        lastReadSeq: conversationMembers.lastReadSeq,
        name: people.name,
      })
      .from(conversationMembers)
      .innerJoin(people, eq(people.id, conversationMembers.userId))
      .where(eq(conversationMembers.conversationId, conversationId))
      .orderBy(asc(people.name));
  }

  async addMembers(
    conversationId: string,
    rows: { userId: string; role: 'staff' | 'member' }[],
    lastReadSeq: number,
    db: DbExecutor,
  ): Promise<string[]> {
    if (rows.length === 0) return [];
    const added = await db
      .insert(conversationMembers)
      .values(rows.map((r) => ({ conversationId, userId: r.userId, role: r.role, lastReadSeq })))
      .onConflictDoNothing()
      .returning({ userId: conversationMembers.userId });
    // New members start with the history before them read: marked as read when they joined.
    if (lastReadSeq > 0 && added.length > 0) {
      await db
        .insert(readMarks)
        .values(added.map((r) => ({ conversationId, userId: r.userId, seq: lastReadSeq })))
        .onConflictDoNothing();
    }
    return added.map((r) => r.userId);
  }

  async updateRoles(conversationId: string, userIds: string[], role: 'staff' | 'member', db: DbExecutor) {
    if (userIds.length === 0) return;
    await db
      .update(conversationMembers)
      .set({ role })
      .where(and(eq(conversationMembers.conversationId, conversationId), inArray(conversationMembers.userId, userIds)));
  }

  async removeMembers(conversationId: string, userIds: string[], db: DbExecutor): Promise<string[]> {
    if (userIds.length === 0) return [];
    const removed = await db
      .delete(conversationMembers)
      .where(and(eq(conversationMembers.conversationId, conversationId), inArray(conversationMembers.userId, userIds)))
      .returning({ userId: conversationMembers.userId });
    return removed.map((r) => r.userId);
  }

  /** Who belongs in a class group: the guardians of its students, and its teachers as staff. */
  async classAudience(classId: string, db: DbExecutor = this.db) {
    const guardians = await db
      .selectDistinct({ userId: guardianChildren.userId })
      .from(guardianChildren)
      .where(eq(guardianChildren.classId, classId));
    const teachers = await db
      .selectDistinct({ userId: staffRoles.userId })
      .from(staffRoles)
      .where(and(eq(staffRoles.role, 'teacher'), eq(staffRoles.scopeType, 'class'), eq(staffRoles.scopeId, classId)));
    return { guardianIds: guardians.map((g) => g.userId), teacherIds: teachers.map((t) => t.userId) };
  }

  async classTitle(classId: string, db: DbExecutor = this.db) {
    const [row] = await db
      .select({ schoolId: classPlaces.schoolId, title: sql<string>`${classPlaces.schoolName} || ' ' || ${classPlaces.name}` })
      .from(classPlaces)
      .where(eq(classPlaces.id, classId));
    return row;
  }

  async namesOf(userIds: string[], db: DbExecutor = this.db): Promise<Map<string, string>> {
    if (userIds.length === 0) return new Map();
    const rows = await db.select({ id: people.id, name: people.name }).from(people).where(inArray(people.id, userIds));
    return new Map(rows.map((r) => [r.id, r.name]));
  }

  // ── direct chats ──────────────────────────────────────────────────────────────

  /**
   * Whether one of the two is a teacher or coordinator of a school where the other is the
   * guardian of a student (a teacher: of a class they teach).
   */
  async servesFamily(staffId: string, guardianId: string): Promise<boolean> {
    const [row] = await this.db
      .select({ one: sql<number>`1` })
      .from(guardianChildren)
      .innerJoin(classPlaces, eq(classPlaces.id, guardianChildren.classId))
      .innerJoin(
        staffRoles,
        and(
          eq(staffRoles.userId, staffId),
          or(
            and(eq(staffRoles.role, 'teacher'), eq(staffRoles.scopeType, 'class'), eq(staffRoles.scopeId, classPlaces.id)),
            and(eq(staffRoles.role, 'coordinator'), eq(staffRoles.scopeType, 'school'), eq(staffRoles.scopeId, classPlaces.schoolId)),
          ),
        ),
      )
      .where(eq(guardianChildren.userId, guardianId))
      .limit(1);
    return Boolean(row);
  }
}
