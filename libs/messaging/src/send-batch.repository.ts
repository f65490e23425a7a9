import { Inject, Injectable } from '@nestjs/common';
import { SQL, sql } from 'drizzle-orm';
import {
  conversationMembers,
  conversations,
  DB,
  Database,
  DbExecutor,
  messageClientIds,
  MessagePayload,
  messages,
  MessageType,
  preparedStatement,
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

/** What the batch write answers: its messages, its inbox entries and the sends whose clientMsgId was taken, as json arrays in one row. */
interface InsertedBatch {
  messages: { conversationId: string; id: string; seq: number; createdAt: string }[];
  notifications: { id: string; deliverAt: string; key: string }[];
  taken: string[];
}

export interface SentRow {
  row: typeof messages.$inferSelect;
  notifications: { id: string; deliverAt: Date }[];
}

/**
 * The sends of many callers in one statement each: what they need to know, then their writes. The
 * write is also every single send's (a notice, inside the transaction of its event; a batch that
 * failed as a whole, written again send by send).
 */
@Injectable()
export class SendBatchRepository {
  // Named prepared statements (parsed and planned once per connection), made at first use.
  private contextsStatement?: (values: Record<string, unknown>) => Promise<(SendContext & { ord: string | number })[]>;
  private insertStatement?: (values: Record<string, unknown>) => Promise<InsertedBatch[]>;

  constructor(@Inject(DB) private readonly db: Database) {}

  /**
   * What each send needs to know before it writes: the conversation and the sender's membership
   * (none: not a member), the message its clientMsgId already made, and the members a push or the
   * quiet-hours answer depends on (in a direct chat the others, elsewhere the staff when a family
   * sends), each with whether they are staff and their own working hours. In the queries' order.
   */
  async contexts(queries: ContextQuery[]): Promise<(SendContext | undefined)[]> {
    this.contextsStatement ??= preparedStatement(
      this.db,
      'send_contexts',
      sql`
      select q.ord, c.kind, c.staff_only as "staffOnly", me.role,
        (select d.message_id from ${messageClientIds} d where d.sender_id = q.user_id and d.client_msg_id = q.client_msg_id) as "existingId",
        (select coalesce(json_agg(json_build_object(
            'userId', o.user_id, 'role', o.role,
            'staff', exists (select 1 from ${staffRoles} r where r.user_id = o.user_id and r.role in ('teacher', 'coordinator')),
            'hours', ${workingHoursJson(sql`o.user_id`)}
          )), '[]'::json)
          from ${conversationMembers} o
          where o.conversation_id = c.id and o.user_id <> q.user_id and (c.kind = 'direct' or (me.role <> 'staff' and o.role = 'staff'))) as others
      from rows from (jsonb_to_recordset(${sql.placeholder('queries')}::jsonb) as (conversation_id uuid, user_id uuid, client_msg_id text))
        with ordinality as q(conversation_id, user_id, client_msg_id, ord)
      join ${conversations} c on c.id = q.conversation_id
      join ${conversationMembers} me on me.conversation_id = c.id and me.user_id = q.user_id`,
    );
    const rows = await this.contextsStatement({
      queries: JSON.stringify(queries.map((q) => ({ conversation_id: q.conversationId, user_id: q.userId, client_msg_id: q.clientMsgId }))),
    });
    const found = new Map(rows.map(({ ord, ...context }) => [Number(ord), context]));
    return queries.map((_, i) => found.get(i + 1));
  }

  /**
   * The writes of sends to distinct conversations, one statement (so one transaction and one WAL
   * flush for all): each re-checks its sender's membership and the staff-only and notice rules,
   * bumps its conversation's seq (the rows are locked first, in id order, so two batches cannot
   * deadlock), inserts its message, moves its sender's read cursor (marking the move) and stores
   * its inbox entries. Undefined for a send whose sender may no longer post; `taken` for one whose
   * sender had already used its clientMsgId (it writes nothing). A clientMsgId claimed by another
   * statement meanwhile fails the whole statement (message_client_ids_pk): the caller then writes
   * the sends one by one.
   */
  async insert(sends: { values: SendValues; inbox: SendInbox }[], db?: DbExecutor): Promise<(SentRow | 'taken' | undefined)[]> {
    // A batch holds one send per conversation, so the conversation names the send; every join below
    // is by a key (no CTE joined to another CTE by a scan per row).
    const inbox = sends.flatMap(({ values, inbox: entry }) =>
      entry.userIds.map((userId, j) => ({ conversationId: values.conversationId, userId, at: entry.deliverAt[j], entry })),
    );
    const values: Record<string, string> = {
      sends: JSON.stringify(
        sends.map(({ values: v }) => ({
          conversation_id: v.conversationId,
          sender_id: v.senderId,
          client_msg_id: v.clientMsgId,
          type: v.type,
          text: v.text,
          payload: JSON.stringify(v.payload),
        })),
      ),
      inbox: JSON.stringify(
        inbox.map((n) => ({
          conversation_id: n.conversationId,
          user_id: n.userId,
          deliver_at: n.at.toISOString(),
          kind: n.entry.kind,
          title: n.entry.title,
          body: n.entry.body,
        })),
      ),
    };
    this.insertStatement ??= preparedStatement(
      this.db,
      'send_batch',
      insertStatement((name) => sql`${sql.placeholder(name)}`),
    );
    // Inside a transaction (a notice, committed with its event) the same statement runs unprepared on it.
    const [result] = db
      ? ((await db.execute(insertStatement((name) => sql`${values[name]}`))) as unknown as { rows: InsertedBatch[] }).rows
      : await this.insertStatement(values);
    const { messages: written, notifications: entries } = result;
    const taken = new Set(result.taken);
    const byConversation = new Map(written.map((row) => [row.conversationId, row]));
    const entriesOf = new Map<string, { id: string; deliverAt: Date }[]>();
    for (const entry of entries) {
      const list = entriesOf.get(entry.key) ?? [];
      list.push({ id: entry.id, deliverAt: new Date(entry.deliverAt) });
      entriesOf.set(entry.key, list);
    }
    return sends.map(({ values }) => {
      if (taken.has(values.conversationId)) return 'taken';
      const row = byConversation.get(values.conversationId);
      if (!row) return undefined;
      return {
        row: { ...values, id: row.id, seq: Number(row.seq), createdAt: new Date(row.createdAt), recalledAt: null },
        notifications: entriesOf.get(`message:${row.id}`) ?? [],
      };
    });
  }
}

/** The batch write, its values given by name: placeholders of the prepared statement, or the values themselves. */
function insertStatement(v: (name: string) => SQL): SQL {
  return sql`
      with input as (
        select t.conversation_id, t.sender_id, t.client_msg_id, t.type, t.text, t.payload::jsonb as payload,
          -- A scalar subquery probes the key for each send: an exists may be planned as a hash of the whole table,
          -- which a connection that planned it while the table was small keeps hashing as the table grows.
          (select d.message_id from ${messageClientIds} d where d.sender_id = t.sender_id and d.client_msg_id = t.client_msg_id) is not null as taken
        from jsonb_to_recordset(${v('sends')}::jsonb)
          as t(conversation_id uuid, sender_id uuid, client_msg_id text, type text, text text, payload text)
      ), allowed as (
        select i.conversation_id, i.sender_id, i.client_msg_id, i.type, i.text, i.payload, m.last_read_seq as read_seq from input i
        join ${conversationMembers} m on m.conversation_id = i.conversation_id and m.user_id = i.sender_id
        join ${conversations} c on c.id = i.conversation_id
        where not i.taken and (not c.staff_only or m.role = 'staff') and (i.type <> 'notice' or m.role = 'staff')
        order by c.id for update of c
      ), bumped as (
        update ${conversations} c set last_seq = c.last_seq + 1, last_message_at = now()
        from allowed a where c.id = a.conversation_id
        returning c.id as conversation_id, c.last_seq as seq, a.sender_id, a.client_msg_id, a.type, a.text, a.payload, a.read_seq
      ), inserted as (
        insert into ${messages} (conversation_id, seq, sender_id, client_msg_id, type, text, payload)
        select conversation_id, seq, sender_id, client_msg_id, type, text, payload from bumped
        returning id, conversation_id, seq, created_at
      ), moved as (
        update ${conversationMembers} m set last_read_seq = greatest(m.last_read_seq, b.seq)
        from bumped b where m.conversation_id = b.conversation_id and m.user_id = b.sender_id
      ), marked as (
        insert into ${readMarks} (conversation_id, user_id, seq)
        select conversation_id, sender_id, seq from bumped where seq - 1 > read_seq
        on conflict do nothing
      ), notified as (${inboxInsert(
        sql`select n.user_id, n.kind, n.title, n.body, 'message:' || i.id as dedupe_key, n.deliver_at,
          jsonb_build_object('conversationId', i.conversation_id, 'messageId', i.id, 'seq', i.seq) as data
        from jsonb_to_recordset(${v('inbox')}::jsonb)
          as n(conversation_id uuid, user_id uuid, deliver_at timestamptz, kind text, title text, body text)
        join inserted i on i.conversation_id = n.conversation_id`,
        null,
        { returning: true },
      )}
      )
      select
        (select coalesce(json_agg(json_build_object('conversationId', conversation_id, 'id', id, 'seq', seq, 'createdAt', created_at)), '[]'::json)
          from inserted) as messages,
        (select coalesce(json_agg(json_build_object('id', id, 'deliverAt', deliver_at, 'key', dedupe_key)), '[]'::json)
          from notified) as notifications,
        (select coalesce(json_agg(conversation_id), '[]'::json) from input where taken) as taken`;
}
