import { Inject, Injectable } from '@nestjs/common';
import { and, asc, desc, eq, gt, isNull, lt, sql } from 'drizzle-orm';
import {
  conversationMembers,
  conversations,
  DB,
  Database,
  DbExecutor,
  MessagePayload,
  messages,
  MessageType,
  noticeReads,
  notifications,
  roleAssignments,
  users,
} from '@jiaxiao/db';
import { MessageRow, messageColumns, SendContext } from './messaging.repository';

/** Messages of a conversation: the send, its per-conversation seq, paging, read cursors and recall. */
@Injectable()
export class MessageRepository {
  constructor(@Inject(DB) private readonly db: Database) {}

  async messageBySenderClientId(senderId: string, clientMsgId: string, db: DbExecutor = this.db): Promise<MessageRow | undefined> {
    const [row] = await db
      .select(messageColumns)
      .from(messages)
      .leftJoin(users, eq(users.id, messages.senderId))
      .where(and(eq(messages.senderId, senderId), eq(messages.clientMsgId, clientMsgId)));
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
        (select d.id from ${messages} d where d.sender_id = ${userId} and d.client_msg_id = ${clientMsgId}) as "existingId",
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
   * statement on messages_sender_client_uq, seq bump included.
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
        insert into ${noticeReads} (message_id, user_id)
        select m.id, ${senderId}::uuid from ${messages} m, before, moved
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

  /** Messages after (or before) a seq, in seq order. */
  page(conversationId: string, options: { afterSeq?: number; beforeSeq?: number; limit: number }): Promise<MessageRow[]> {
    const query = this.db
      .select(messageColumns)
      .from(messages)
      .leftJoin(users, eq(users.id, messages.senderId))
      .where(
        and(
          eq(messages.conversationId, conversationId),
          options.afterSeq !== undefined ? gt(messages.seq, options.afterSeq) : undefined,
          options.beforeSeq !== undefined ? lt(messages.seq, options.beforeSeq) : undefined,
        ),
      );
    // Paging backwards takes the newest before the bound, then puts them back in seq order.
    if (options.beforeSeq !== undefined && options.afterSeq === undefined) {
      return query
        .orderBy(desc(messages.seq))
        .limit(options.limit)
        .then((rows) => rows.reverse());
    }
    return query.orderBy(asc(messages.seq)).limit(options.limit);
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
        insert into ${noticeReads} (message_id, user_id)
        select m.id, ${userId}::uuid from ${messages} m, before, moved
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
}

/** A PostgreSQL array literal of plain values (uuids, ISO times): one parameter, whatever the count. */
function toPgArray(values: string[]): string {
  return `{${values.join(',')}}`;
}
