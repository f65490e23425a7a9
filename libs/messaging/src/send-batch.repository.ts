import { Inject, Injectable } from '@nestjs/common';
import { sql } from 'drizzle-orm';
import {
  conversationMembers,
  conversations,
  DB,
  Database,
  messageClientIds,
  MessagePayload,
  messages,
  MessageType,
  readMarks,
} from '@jiaxiao/db';
import { staffRoles } from '@jiaxiao/directory';
import { inboxInsert, workingHoursJson } from '@jiaxiao/notifications';
import { SendContext } from './messaging.repository';

export interface ContextQuery {
  conversationId: string;
  userId: string;
  clientMsgId: string;
}

export interface SendValues {
  conversationId: string;
  senderId: string;
  clientMsgId: string;
  type: MessageType;
  text: string | null;
  payload: MessagePayload;
}

/** The inbox entries a send writes with it (a direct message's, one per other member). */
export interface SendInbox {
  userIds: string[];
  deliverAt: Date[];
  kind: string;
  title: string;
  body: string;
}

export interface SentRow {
  row: typeof messages.$inferSelect;
  notifications: { id: string; deliverAt: Date }[];
}

/**
 * The sends of many callers in one statement each: what they need to know, then their writes.
 * `MessageRepository.insertSent` is the same write for one send (notices, which commit with an
 * event, and a batch that failed as a whole); the two must keep the same rules.
 */
@Injectable()
export class SendBatchRepository {
  constructor(@Inject(DB) private readonly db: Database) {}

  /**
   * What each send needs to know before it writes: the conversation and the sender's membership
   * (none: not a member), the message its clientMsgId already made, and the members a push or the
   * quiet-hours answer depends on (in a direct chat the others, elsewhere the staff when a family
   * sends), each with whether they are staff and their own working hours. In the queries' order.
   */
  async contexts(queries: ContextQuery[]): Promise<(SendContext | undefined)[]> {
    const result = (await this.db.execute(sql`
      select q.ord, c.kind, c.staff_only as "staffOnly", me.role,
        (select d.message_id from ${messageClientIds} d where d.sender_id = q.user_id and d.client_msg_id = q.client_msg_id) as "existingId",
        (select coalesce(json_agg(json_build_object(
            'userId', o.user_id, 'role', o.role,
            'staff', exists (select 1 from ${staffRoles} r where r.user_id = o.user_id and r.role in ('teacher', 'coordinator')),
            'hours', ${workingHoursJson(sql`o.user_id`)}
          )), '[]'::json)
          from ${conversationMembers} o
          where o.conversation_id = c.id and o.user_id <> q.user_id and (c.kind = 'direct' or (me.role <> 'staff' and o.role = 'staff'))) as others
      from unnest(${pgArray(queries.map((q) => q.conversationId))}::uuid[], ${pgArray(queries.map((q) => q.userId))}::uuid[],
        ${pgArray(queries.map((q) => q.clientMsgId))}::text[]) with ordinality as q(conversation_id, user_id, client_msg_id, ord)
      join ${conversations} c on c.id = q.conversation_id
      join ${conversationMembers} me on me.conversation_id = c.id and me.user_id = q.user_id`)) as unknown as {
      rows: (SendContext & { ord: string | number })[];
    };
    const found = new Map(result.rows.map(({ ord, ...context }) => [Number(ord), context]));
    return queries.map((_, i) => found.get(i + 1));
  }

  /**
   * The writes of sends to distinct conversations, one statement (so one transaction and one WAL
   * flush for all): each re-checks its sender's membership and the staff-only and notice rules,
   * bumps its conversation's seq (the rows are locked first, in id order, so two batches cannot
   * deadlock), inserts its message, moves its sender's read cursor (marking the move) and stores
   * its inbox entries. Undefined for a send whose sender may no longer post. A clientMsgId
   * already claimed fails the whole statement (message_client_ids_pk): the caller then writes the
   * sends one by one.
   */
  async insert(sends: { values: SendValues; inbox: SendInbox }[]): Promise<(SentRow | undefined)[]> {
    const column = <T>(pick: (send: { values: SendValues; inbox: SendInbox }) => T) => sends.map(pick);
    const inbox = sends.flatMap((send, i) => send.inbox.userIds.map((userId, j) => ({ ord: i + 1, userId, at: send.inbox.deliverAt[j] })));
    const result = (await this.db.execute(sql`
      with input as (
        select * from unnest(
          ${pgArray(column((s) => s.values.conversationId))}::uuid[], ${pgArray(column((s) => s.values.senderId))}::uuid[],
          ${pgArray(column((s) => s.values.clientMsgId))}::text[], ${pgArray(column((s) => s.values.type))}::text[],
          ${pgArray(column((s) => s.values.text))}::text[], ${pgArray(column((s) => JSON.stringify(s.values.payload)))}::jsonb[],
          ${pgArray(column((s) => s.inbox.kind))}::text[], ${pgArray(column((s) => s.inbox.title))}::text[],
          ${pgArray(column((s) => s.inbox.body))}::text[]
        ) with ordinality as t(conversation_id, sender_id, client_msg_id, type, text, payload, kind, title, body, ord)
      ), allowed as (
        select i.*, m.last_read_seq as read_seq from input i
        join ${conversationMembers} m on m.conversation_id = i.conversation_id and m.user_id = i.sender_id
        join ${conversations} c on c.id = i.conversation_id
        where (not c.staff_only or m.role = 'staff') and (i.type <> 'notice' or m.role = 'staff')
        order by c.id for update of c
      ), bumped as (
        update ${conversations} c set last_seq = c.last_seq + 1, last_message_at = now()
        from allowed a where c.id = a.conversation_id
        returning c.id, c.last_seq as seq
      ), inserted as (
        insert into ${messages} (conversation_id, seq, sender_id, client_msg_id, type, text, payload)
        select a.conversation_id, b.seq, a.sender_id, a.client_msg_id, a.type, a.text, a.payload from allowed a join bumped b on b.id = a.conversation_id
        returning id, conversation_id, seq, created_at
      ), moved as (
        update ${conversationMembers} m set last_read_seq = greatest(m.last_read_seq, i.seq)
        from inserted i join allowed a on a.conversation_id = i.conversation_id
        where m.conversation_id = i.conversation_id and m.user_id = a.sender_id
        returning m.conversation_id, m.user_id, m.last_read_seq as seq
      ), marked as (
        insert into ${readMarks} (conversation_id, user_id, seq)
        select mv.conversation_id, mv.user_id, mv.seq from moved mv join allowed a on a.conversation_id = mv.conversation_id
        where mv.seq - 1 > a.read_seq
        on conflict do nothing
      ), notified as (${inboxInsert(
        sql`select n.user_id, a.kind, a.title, a.body, 'message:' || i.id as dedupe_key, n.deliver_at,
          jsonb_build_object('conversationId', i.conversation_id, 'messageId', i.id, 'seq', i.seq) as data
        from unnest(${pgArray(inbox.map((n) => String(n.ord)))}::int8[], ${pgArray(inbox.map((n) => n.userId))}::uuid[],
          ${pgArray(inbox.map((n) => n.at.toISOString()))}::timestamptz[]) as n(ord, user_id, deliver_at)
        join allowed a on a.ord = n.ord join inserted i on i.conversation_id = a.conversation_id`,
        null,
        { returning: true },
      )}
      )
      select a.ord, i.id, i.seq::float8 as seq, i.created_at as "createdAt",
        (select coalesce(json_agg(json_build_object('id', n.id, 'deliverAt', n.deliver_at)), '[]'::json)
          from notified n where n.dedupe_key = 'message:' || i.id) as notifications
      from inserted i join allowed a on a.conversation_id = i.conversation_id`)) as unknown as {
      rows: {
        ord: string | number;
        id: string;
        seq: number;
        createdAt: Date | string;
        notifications: { id: string; deliverAt: string }[];
      }[];
    };
    const written = new Map(result.rows.map((row) => [Number(row.ord), row]));
    return sends.map(({ values }, i) => {
      const row = written.get(i + 1);
      if (!row) return undefined;
      return {
        row: { ...values, id: row.id, seq: Number(row.seq), createdAt: new Date(row.createdAt), recalledAt: null },
        notifications: row.notifications.map((n) => ({ id: n.id, deliverAt: new Date(n.deliverAt) })),
      };
    });
  }
}

/** A PostgreSQL array literal, each element quoted (so text with commas, quotes or braces survives): one parameter, whatever the count. */
function pgArray(values: (string | null)[]): string {
  return `{${values.map((v) => (v === null ? 'NULL' : `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`)).join(',')}}`;
}
