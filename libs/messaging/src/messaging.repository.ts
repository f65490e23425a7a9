import { Inject, Injectable } from '@nestjs/common';
import { and, asc, desc, eq, inArray, isNull, lt, or, SQL, sql } from 'drizzle-orm';
import {
  classes,
  conversationMembers,
  conversations,
  DB,
  Database,
  DbExecutor,
  guardianships,
  messageClientIds,
  MessagePayload,
  messages,
  MessageType,
  noticeAcks,
  noticeReads,
  notifications,
  roleAssignments,
  schools,
  students,
  users,
} from '@jiaxiao/db';

export type ConversationRow = typeof conversations.$inferSelect;
/** What `sendContext` reads: `others` are the members a push or the quiet-hours answer depends on. */
export interface SendContext {
  kind: ConversationRow['kind'];
  staffOnly: boolean;
  role: 'staff' | 'member';
  existingId: string | null;
  others: { userId: string; role: 'staff' | 'member'; staff: boolean; hours: { days: number[]; startMinute: number; endMinute: number } | null }[];
}

export type MessageRow = typeof messages.$inferSelect & { senderName: string | null };
export interface PageOptions {
  afterSeq?: number;
  beforeSeq?: number;
  limit: number;
}

const messageColumns = {
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
  senderName: users.name,
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
    const rows = await this.db.select({ id: conversationMembers.conversationId }).from(conversationMembers).where(eq(conversationMembers.userId, userId));
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
      .leftJoin(users, eq(users.id, messages.senderId))
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
      .select({ userId: conversationMembers.userId, role: conversationMembers.role, lastReadSeq: conversationMembers.lastReadSeq, name: users.name })
      .from(conversationMembers)
      .innerJoin(users, eq(users.id, conversationMembers.userId))
      .where(eq(conversationMembers.conversationId, conversationId))
      .orderBy(asc(users.name));
  }

  async addMembers(conversationId: string, rows: { userId: string; role: 'staff' | 'member' }[], lastReadSeq: number, db: DbExecutor): Promise<string[]> {
    if (rows.length === 0) return [];
    const added = await db
      .insert(conversationMembers)
      .values(rows.map((r) => ({ conversationId, userId: r.userId, role: r.role, lastReadSeq })))
      .onConflictDoNothing()
      .returning({ userId: conversationMembers.userId });
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
      .selectDistinct({ userId: guardianships.userId })
      .from(guardianships)
      .innerJoin(students, eq(students.id, guardianships.studentId))
      .where(eq(students.classId, classId));
    const teachers = await db
      .selectDistinct({ userId: roleAssignments.userId })
      .from(roleAssignments)
      .where(and(eq(roleAssignments.role, 'teacher'), eq(roleAssignments.scopeType, 'class'), eq(roleAssignments.scopeId, classId)));
    return { guardianIds: guardians.map((g) => g.userId), teacherIds: teachers.map((t) => t.userId) };
  }

  async classTitle(classId: string, db: DbExecutor = this.db) {
    const [row] = await db
      .select({ schoolId: schools.id, title: sql<string>`${schools.name} || ' ' || ${classes.name}` })
      .from(classes)
      .innerJoin(schools, eq(schools.id, classes.schoolId))
      .where(eq(classes.id, classId));
    return row;
  }

  async namesOf(userIds: string[], db: DbExecutor = this.db): Promise<Map<string, string>> {
    if (userIds.length === 0) return new Map();
    const rows = await db.select({ id: users.id, name: users.name }).from(users).where(inArray(users.id, userIds));
    return new Map(rows.map((r) => [r.id, r.name]));
  }

  // ── messages ──────────────────────────────────────────────────────────────────

  /** Through the claim of the clientMsgId, whose created_at picks the message's partition. */
  async messageBySenderClientId(senderId: string, clientMsgId: string, db: DbExecutor = this.db): Promise<MessageRow | undefined> {
    const [row] = await db
      .select(messageColumns)
      .from(messageClientIds)
      .innerJoin(messages, and(eq(messages.id, messageClientIds.messageId), eq(messages.createdAt, messageClientIds.messageCreatedAt)))
      .leftJoin(users, eq(users.id, messages.senderId))
      .where(and(eq(messageClientIds.senderId, senderId), eq(messageClientIds.clientMsgId, clientMsgId)));
    return row;
  }

  async messageById(id: string, db: DbExecutor = this.db): Promise<MessageRow | undefined> {
    const [row] = await db.select(messageColumns).from(messages).leftJoin(users, eq(users.id, messages.senderId)).where(eq(messages.id, id));
    return row;
  }

  /**
   * What a send needs to know before it writes, in one statement: the conversation and the
   * sender's membership (no row: not a member), the message this clientMsgId already made, and
   * the members a push or the quiet-hours answer depends on (in a direct chat the others, elsewhere
   * the staff when a family sends), each with whether they are staff and their own working hours.
   */
  async sendContext(conversationId: string, userId: string, clientMsgId: string): Promise<SendContext | undefined> {
    const result = (await this.db.execute(sql`
      select c.kind, c.staff_only as "staffOnly", me.role,
        (select d.message_id from ${messageClientIds} d where d.sender_id = ${userId} and d.client_msg_id = ${clientMsgId}) as "existingId",
        (select coalesce(json_agg(json_build_object(
            'userId', o.user_id, 'role', o.role,
            'staff', exists (select 1 from ${roleAssignments} r where r.user_id = o.user_id and r.role in ('teacher', 'coordinator')),
            'hours', case when w.user_id is null then null else json_build_object('days', w.days, 'startMinute', w.start_minute, 'endMinute', w.end_minute) end
          )), '[]'::json)
          from ${conversationMembers} o left join working_hours w on w.user_id = o.user_id
          where o.conversation_id = c.id and o.user_id <> ${userId} and (c.kind = 'direct' or (me.role <> 'staff' and o.role = 'staff'))) as others
      from ${conversations} c
      join ${conversationMembers} me on me.conversation_id = c.id and me.user_id = ${userId}
      where c.id = ${conversationId}`)) as unknown as { rows: SendContext[] };
    return result.rows[0];
  }

  /**
   * A send's write, one statement (so one transaction): re-checks the membership and the
   * staff-only and notice rules, bumps the conversation's seq (its row lock serialises the senders
   * of one conversation until commit, which keeps seqs gapless), inserts the message, moves the
   * sender's read cursor to it (noting the notices it passes) and stores the inbox entries given.
   * Undefined when the sender may no longer post. A clientMsgId sent twice at once fails the whole
   * statement on message_client_ids_pk (claimed by the insert's trigger), seq bump included.
   */
  async insertSent(
    values: { conversationId: string; senderId: string; clientMsgId: string; type: MessageType; text: string | null; payload: MessagePayload },
    inbox: { userIds: string[]; deliverAt: Date[]; kind: string; title: string; body: string },
  ): Promise<{ row: typeof messages.$inferSelect; notifications: { id: string; deliverAt: Date }[] } | undefined> {
    const { conversationId, senderId } = values;
    const result = (await this.db.execute(sql`
      with allowed as (
        select 1 from ${conversationMembers} m join ${conversations} c on c.id = m.conversation_id
        where m.conversation_id = ${conversationId} and m.user_id = ${senderId}
          and (not c.staff_only or m.role = 'staff') and (${values.type} <> 'notice' or m.role = 'staff')
      ), bumped as (
        update ${conversations} set last_seq = last_seq + 1, last_message_at = now()
        where id = ${conversationId} and exists (select 1 from allowed)
        returning last_seq as seq
      ), inserted as (
        insert into ${messages} (conversation_id, seq, sender_id, client_msg_id, type, text, payload)
        select ${conversationId}, seq, ${senderId}, ${values.clientMsgId}, ${values.type}, ${values.text}, ${JSON.stringify(values.payload)}::jsonb from bumped
        returning id, seq, created_at
      ), before as (
        select last_read_seq as seq from ${conversationMembers} where conversation_id = ${conversationId} and user_id = ${senderId}
      ), moved as (
        update ${conversationMembers} set last_read_seq = greatest(last_read_seq, (select seq from bumped))
        where conversation_id = ${conversationId} and user_id = ${senderId} and exists (select 1 from bumped)
        returning last_read_seq as seq
      ), noted as (
        insert into ${noticeReads} (message_id, message_created_at, user_id)
        select m.id, m.created_at, ${senderId}::uuid from ${messages} m, before, moved
        where m.conversation_id = ${conversationId} and m.seq > before.seq and m.seq <= moved.seq and m.type = 'notice'
        on conflict do nothing
      ), notified as (
        insert into ${notifications} (user_id, kind, title, body, data, dedupe_key, deliver_at)
        select n.user_id, ${inbox.kind}, ${inbox.title}, ${inbox.body},
          jsonb_build_object('conversationId', ${conversationId}::uuid, 'messageId', i.id, 'seq', i.seq), 'message:' || i.id, n.deliver_at
        from inserted i, unnest(${toPgArray(inbox.userIds)}::uuid[], ${toPgArray(inbox.deliverAt.map((d) => d.toISOString()))}::timestamptz[]) as n(user_id, deliver_at)
        on conflict do nothing
        returning id, deliver_at
      )
      select i.id, i.seq::float8 as seq, i.created_at as "createdAt",
        (select coalesce(json_agg(json_build_object('id', n.id, 'deliverAt', n.deliver_at)), '[]'::json) from notified n) as notifications
      from inserted i`)) as unknown as { rows: { id: string; seq: number; createdAt: Date | string; notifications: { id: string; deliverAt: string }[] }[] };
    const [row] = result.rows;
    if (!row) return undefined;
    return {
      row: { ...values, id: row.id, seq: Number(row.seq), createdAt: new Date(row.createdAt), recalledAt: null },
      notifications: row.notifications.map((n) => ({ id: n.id, deliverAt: new Date(n.deliverAt) })),
    };
  }

  /**
   * Allocates the next seq by bumping the conversation's counter. The row lock this takes
   * serialises senders of one conversation until commit, which keeps seqs gapless.
   */
  async nextSeq(conversationId: string, db: DbExecutor): Promise<number> {
    const [row] = await db
      .update(conversations)
      .set({ lastSeq: sql`${conversations.lastSeq} + 1`, lastMessageAt: sql`now()` })
      .where(eq(conversations.id, conversationId))
      .returning({ seq: conversations.lastSeq });
    return row.seq;
  }

  async insertMessage(
    values: { conversationId: string; seq: number; senderId: string | null; clientMsgId?: string; type: MessageType; text: string | null; payload: MessagePayload },
    db: DbExecutor,
  ) {
    const [row] = await db.insert(messages).values(values).returning();
    return row;
  }

  /** Makes the monthly partitions of messages from the month of `from` through the month of `to` that are missing; how many it made. */
  async ensurePartitions(from: Date, to: Date): Promise<number> {
    const result = (await this.db.execute(sql`select messages_ensure_partitions(${from.toISOString()}::timestamptz, ${to.toISOString()}::timestamptz) as made`)) as unknown as {
      rows: { made: number }[];
    };
    return result.rows[0].made;
  }

  /**
   * Messages after (or before) a seq, in seq order, in one statement. It reads this month's and the
   * last month's partitions first (the others are pruned), each through its (conversation_id, seq)
   * index; since seqs are gapless and the statement sees last_seq in the same snapshot, it can tell
   * whether that page is the whole answer (every seq expected is there) and reads every month only
   * when it is not (older history, or a message dated outside the two months). So a read near the
   * newest touches two partitions however many months the table holds.
   */
  async page(conversationId: string, options: PageOptions): Promise<MessageRow[]> {
    const result = (await this.db.execute(this.pageStatement(conversationId, options))) as unknown as {
      rows: (Omit<MessageRow, 'createdAt' | 'recalledAt'> & { createdAt: Date | string; recalledAt: Date | string | null })[];
    };
    return result.rows.map((r) => ({ ...r, seq: Number(r.seq), createdAt: new Date(r.createdAt), recalledAt: r.recalledAt === null ? null : new Date(r.recalledAt) }));
  }

  /** The statement of `page` (bench/message-history.ts explains it). */
  pageStatement(conversationId: string, options: PageOptions): SQL {
    // Paging backwards takes the newest before the bound, then puts them back in seq order.
    const backward = options.beforeSeq !== undefined && options.afterSeq === undefined;
    const after = options.afterSeq ?? 0;
    const range = sql`m.conversation_id = ${conversationId} and m.seq > ${after}${options.beforeSeq !== undefined ? sql` and m.seq < ${options.beforeSeq}` : sql``}`;
    const order = backward ? sql`m.seq desc` : sql`m.seq`;
    // The newest seq the page may hold; then how many rows it must hold, and its seq farthest from the cursor.
    const top = options.beforeSeq !== undefined ? sql`least(c.last_seq, ${options.beforeSeq - 1})` : sql`c.last_seq`;
    const expected = sql`greatest(0, least(${options.limit}, (select top from newest) - ${after}))`;
    const edge = backward ? sql`max(r.seq) = (select top from newest)` : sql`min(r.seq) = ${after + 1}`;
    // The two months as values, not now(): the planner then prunes the other partitions before
    // planning them (with a stable expression it plans every one and prunes only when running).
    const now = new Date();
    const from = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
    const until = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
    const columns = sql`m.id, m.conversation_id as "conversationId", m.seq::float8 as seq, m.sender_id as "senderId", m.client_msg_id as "clientMsgId",
      m.type, m.text, m.payload, m.recalled_at as "recalledAt", m.created_at as "createdAt", u.name as "senderName"`;
    return sql`
      with newest as (
        select ${top} as top from ${conversations} c where c.id = ${conversationId}
      ), recent as (
        select ${columns} from ${messages} m left join ${users} u on u.id = m.sender_id
        where ${range} and m.created_at >= ${from.toISOString()}::timestamptz and m.created_at < ${until.toISOString()}::timestamptz
        order by ${order} limit ${options.limit}
      ), complete as (
        select count(*) = ${expected} and (count(*) = 0 or ${edge}) as whole from recent r
      )
      select * from (
        select * from recent where (select whole from complete)
        union all
        select * from (select ${columns} from ${messages} m left join ${users} u on u.id = m.sender_id where ${range} order by ${order} limit ${options.limit}) every_month
        where not (select whole from complete)
      ) page order by seq`;
  }

  /**
   * Moves the cursor forward and, in the same statement, notes when it passed each notice between
   * the old and the new position (a concurrent move may note some twice: the first time stays).
   */
  async moveReadCursor(conversationId: string, userId: string, seq: number, db: DbExecutor = this.db): Promise<number | undefined> {
    const result = (await db.execute(sql`
      with before as (
        select ${conversationMembers.lastReadSeq} as seq from ${conversationMembers}
        where ${conversationMembers.conversationId} = ${conversationId} and ${conversationMembers.userId} = ${userId}
      ), moved as (
        update ${conversationMembers}
        set last_read_seq = greatest(${conversationMembers.lastReadSeq}, least(${seq}, (select c.last_seq from ${conversations} c where c.id = ${conversationId})))
        where ${conversationMembers.conversationId} = ${conversationId} and ${conversationMembers.userId} = ${userId}
        returning ${conversationMembers.lastReadSeq} as seq
      ), noted as (
        insert into ${noticeReads} (message_id, message_created_at, user_id)
        select m.id, m.created_at, ${userId}::uuid from ${messages} m, before, moved
        where m.conversation_id = ${conversationId} and m.seq > before.seq and m.seq <= moved.seq and m.type = 'notice'
        on conflict do nothing
      )
      select seq::float8 as seq from moved`)) as unknown as { rows: { seq: number }[] };
    return result.rows[0]?.seq;
  }

  async recall(messageId: string, db: DbExecutor) {
    const [row] = await db
      .update(messages)
      .set({ recalledAt: new Date(), text: null, payload: {} })
      .where(and(eq(messages.id, messageId), isNull(messages.recalledAt)))
      .returning();
    return row;
  }

  // ── notices and receipts ──────────────────────────────────────────────────────

  /** The notice's created_at is copied in SQL: a JS Date would lose its microseconds and miss the key. */
  async ack(messageId: string, userId: string): Promise<boolean> {
    const result = (await this.db.execute(sql`
      insert into ${noticeAcks} (message_id, message_created_at, user_id)
      select m.id, m.created_at, ${userId}::uuid from ${messages} m where m.id = ${messageId}
      on conflict do nothing
      returning user_id`)) as unknown as { rows: unknown[] };
    return result.rows.length > 0;
  }

  /** Members who have read a notice, and when. */
  async noticeReadTimes(messageId: string): Promise<Map<string, Date>> {
    const rows = await this.db.select().from(noticeReads).where(eq(noticeReads.messageId, messageId));
    return new Map(rows.map((r) => [r.userId, r.readAt]));
  }

  async ackedUserIds(messageId: string): Promise<Map<string, Date>> {
    const rows = await this.db.select().from(noticeAcks).where(eq(noticeAcks.messageId, messageId));
    return new Map(rows.map((r) => [r.userId, r.ackedAt]));
  }

  /** The families of a class: each student with the guardians who are members of the conversation. */
  families(classId: string, conversationId: string) {
    return this.db
      .select({ studentId: students.id, studentName: students.name, userId: users.id, name: users.name, relation: guardianships.relation, lastReadSeq: conversationMembers.lastReadSeq })
      .from(students)
      .innerJoin(guardianships, eq(guardianships.studentId, students.id))
      .innerJoin(users, eq(users.id, guardianships.userId))
      .innerJoin(conversationMembers, and(eq(conversationMembers.userId, users.id), eq(conversationMembers.conversationId, conversationId)))
      .where(eq(students.classId, classId))
      .orderBy(asc(students.name), asc(students.id));
  }

  // ── direct chats ──────────────────────────────────────────────────────────────

  /**
   * Whether one of the two is a teacher or coordinator of a school where the other is the
   * guardian of a student (a teacher: of a class they teach).
   */
  async servesFamily(staffId: string, guardianId: string): Promise<boolean> {
    const [row] = await this.db
      .select({ one: sql<number>`1` })
      .from(guardianships)
      .innerJoin(students, eq(students.id, guardianships.studentId))
      .innerJoin(classes, eq(classes.id, students.classId))
      .innerJoin(
        roleAssignments,
        and(
          eq(roleAssignments.userId, staffId),
          or(
            and(eq(roleAssignments.role, 'teacher'), eq(roleAssignments.scopeType, 'class'), eq(roleAssignments.scopeId, classes.id)),
            and(eq(roleAssignments.role, 'coordinator'), eq(roleAssignments.scopeType, 'school'), eq(roleAssignments.scopeId, classes.schoolId)),
          ),
        ),
      )
      .where(eq(guardianships.userId, guardianId))
      .limit(1);
    return Boolean(row);
  }

  // ── files ─────────────────────────────────────────────────────────────────────

  /** Whether a message that is not recalled still carries the file. */
  async fileInUse(fileId: string): Promise<boolean> {
    const [row] = await this.db
      .select({ one: sql<number>`1` })
      .from(messages)
      .where(and(sql`${messages.payload} -> 'attachment' ->> 'fileId' = ${fileId}`, isNull(messages.recalledAt)))
      .limit(1);
    return Boolean(row);
  }

  /** A member of a conversation where the file was sent may read it. */
  async canReadFile(fileId: string, userId: string): Promise<boolean> {
    const [row] = await this.db
      .select({ one: sql<number>`1` })
      .from(messages)
      .innerJoin(conversationMembers, and(eq(conversationMembers.conversationId, messages.conversationId), eq(conversationMembers.userId, userId)))
      .where(and(sql`${messages.payload} -> 'attachment' ->> 'fileId' = ${fileId}`, isNull(messages.recalledAt)))
      .limit(1);
    return Boolean(row);
  }
}

/** A PostgreSQL array literal of plain values (uuids, ISO times): one parameter, whatever the count. */
function toPgArray(values: string[]): string {
  return `{${values.join(',')}}`;
}
