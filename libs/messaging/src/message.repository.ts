import { Inject, Injectable } from '@nestjs/common';
import { and, eq, isNull, SQL, sql } from 'drizzle-orm';
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
  readMarks,
} from '@jiaxiao/db';
import { people } from '@jiaxiao/auth';
import { MessageRow, messageColumns } from './messaging.repository';

export interface PageOptions {
  afterSeq?: number;
  beforeSeq?: number;
  limit: number;
}

/** Messages of a conversation: the send, its per-conversation seq, paging, read cursors and recall. */
@Injectable()
export class MessageRepository {
  constructor(@Inject(DB) private readonly db: Database) {}

  /** Through the claim of the clientMsgId, whose created_at picks the message's partition. */
  async messageBySenderClientId(senderId: string, clientMsgId: string, db: DbExecutor = this.db): Promise<MessageRow | undefined> {
    const [row] = await db
      .select(messageColumns)
      .from(messageClientIds)
      .innerJoin(messages, and(eq(messages.id, messageClientIds.messageId), eq(messages.createdAt, messageClientIds.messageCreatedAt)))
      .leftJoin(people, eq(people.id, messages.senderId))
      .where(and(eq(messageClientIds.senderId, senderId), eq(messageClientIds.clientMsgId, clientMsgId)));
    return row;
  }

  async messageById(id: string, db: DbExecutor = this.db): Promise<MessageRow | undefined> {
    const [row] = await db
      .select(messageColumns)
      .from(messages)
      .leftJoin(people, eq(people.id, messages.senderId))
      .where(eq(messages.id, id));
    return row;
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
    values: {
      conversationId: string;
      seq: number;
      senderId: string | null;
      clientMsgId?: string;
      type: MessageType;
      text: string | null;
      payload: MessagePayload;
    },
    db: DbExecutor,
  ) {
    const [row] = await db.insert(messages).values(values).returning();
    return row;
  }

  /** Makes the monthly partitions of messages from the month of `from` through the month of `to` that are missing; how many it made. */
  async ensurePartitions(from: Date, to: Date): Promise<number> {
    const result = (await this.db.execute(
      sql`select messages_ensure_partitions(${from.toISOString()}::timestamptz, ${to.toISOString()}::timestamptz) as made`,
    )) as unknown as {
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
    return result.rows.map((r) => ({
      ...r,
      seq: Number(r.seq),
      createdAt: new Date(r.createdAt),
      recalledAt: r.recalledAt === null ? null : new Date(r.recalledAt),
    }));
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
        select ${columns} from ${messages} m left join ${people} u on u.id = m.sender_id
        where ${range} and m.created_at >= ${from.toISOString()}::timestamptz and m.created_at < ${until.toISOString()}::timestamptz
        order by ${order} limit ${options.limit}
      ), complete as (
        select count(*) = ${expected} and (count(*) = 0 or ${edge}) as whole from recent r
      )
      select * from (
        select * from recent where (select whole from complete)
        union all
        select * from (select ${columns} from ${messages} m left join ${people} u on u.id = m.sender_id where ${range} order by ${order} limit ${options.limit}) every_month
        where not (select whole from complete)
      ) page order by seq`;
  }

  /**
   * Moves the cursor forward and, in the same statement, marks where it went and when (the read
   * times of the messages it passed). A concurrent move of the same cursor may mark a position
   * the other reached first: the earliest mark at or after a message is its read time.
   */
  async moveReadCursor(conversationId: string, userId: string, seq: number, db: DbExecutor = this.db): Promise<number | undefined> {
    const result = (await db.execute(sql`
      with target as (
        select least(${seq}, c.last_seq) as seq from ${conversations} c where c.id = ${conversationId}
      ), before as (
        select ${conversationMembers.lastReadSeq} as seq from ${conversationMembers}
        where ${conversationMembers.conversationId} = ${conversationId} and ${conversationMembers.userId} = ${userId}
      ), moved as (
        update ${conversationMembers}
        set last_read_seq = greatest(${conversationMembers.lastReadSeq}, (select seq from target))
        where ${conversationMembers.conversationId} = ${conversationId} and ${conversationMembers.userId} = ${userId}
        returning ${conversationMembers.lastReadSeq} as seq
      ), marked as (
        insert into ${readMarks} (conversation_id, user_id, seq)
        select ${conversationId}::uuid, ${userId}::uuid, target.seq from target, before, moved where target.seq > before.seq
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
