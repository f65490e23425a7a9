import {
  bigint,
  boolean,
  foreignKey,
  index,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
  varchar,
} from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { createdAt, id } from './columns';
import { classes, schools } from './directory';
import { users } from './identity';

export const CONVERSATION_KINDS = ['direct', 'class_group', 'committee_group', 'lecture_room'] as const;
export type ConversationKind = (typeof CONVERSATION_KINDS)[number];

export const MESSAGE_TYPES = ['text', 'image', 'file', 'notice', 'system'] as const;
export type MessageType = (typeof MESSAGE_TYPES)[number];

export interface Attachment {
  fileId: string;
  name: string;
  mime: string;
  size: number;
}

export interface NoticeBody {
  title: string;
  body: string;
  needsAck: boolean;
  emergency: boolean;
}

export interface SystemEvent {
  event: 'joined' | 'left' | 'recalled';
  userIds: string[];
  names: string[];
}

export type MessagePayload = { attachment: Attachment } | { notice: NoticeBody } | { system: SystemEvent } | Record<string, never>;

export const conversations = pgTable(
  'conversations',
  {
    id: id(),
    kind: text('kind', { enum: CONVERSATION_KINDS }).notNull(),
    title: varchar('title', { length: 100 }).notNull(),
    schoolId: uuid('school_id').references(() => schools.id),
    /** the class of a class group */
    classId: uuid('class_id').references(() => classes.id),
    /** the committee or lecture of a committee group or lecture room */
    refId: uuid('ref_id'),
    /** `${smaller user id}:${larger user id}` of a direct chat, so a pair has one */
    directKey: varchar('direct_key', { length: 80 }),
    /** 只允许老师发言: only staff members may post */
    staffOnly: boolean('staff_only').notNull().default(false),
    /** the seq of the newest message; the next message gets lastSeq + 1 in its insert transaction */
    lastSeq: bigint('last_seq', { mode: 'number' }).notNull().default(0),
    lastMessageAt: timestamp('last_message_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('conversations_class_group_uq')
      .on(t.classId)
      .where(sql`kind = 'class_group'`),
    uniqueIndex('conversations_ref_uq')
      .on(t.kind, t.refId)
      .where(sql`ref_id is not null`),
    unique('conversations_direct_key_uq').on(t.directKey),
  ],
);

export const conversationMembers = pgTable(
  'conversation_members',
  {
    conversationId: uuid('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    /** staff may post in staff-only groups, recall others' messages is not allowed to anyone */
    role: text('role', { enum: ['staff', 'member'] })
      .notNull()
      .default('member'),
    /** read cursor: every message with seq ≤ lastReadSeq has been read */
    lastReadSeq: bigint('last_read_seq', { mode: 'number' }).notNull().default(0),
    joinedAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.conversationId, t.userId] }), index('conversation_members_user_idx').on(t.userId)],
);

/**
 * Partitioned by month of created_at (UTC), which Drizzle does not model: migration
 * 0015_messages_partitioned creates the table with `PARTITION BY RANGE (created_at)`, a default
 * partition and messages_ensure_partitions(from, to), which the worker calls daily to keep the
 * coming months' partitions made ahead. A unique key must hold the partition key, so:
 * - the primary key is (id, created_at); a lookup by id alone probes each partition's key once;
 * - (conversation_id, seq) is indexed, not unique: seqs come from conversations.last_seq bumped
 *   under the conversation's row lock in the insert's transaction, which is what keeps them
 *   unique and gapless (a unique index there could not hold across partitions anyway);
 * - clientMsgId is claimed in message_client_ids by a trigger on insert (exactly-once per sender);
 * - its keys to conversations and users are not foreign keys but statement triggers (migration
 *   0024), as are read_marks', notifications' to users and notification_deliveries' to
 *   notifications: a foreign key checks and share-locks its parent row once per inserted row (a
 *   WAL record each), a large share of a batch of sends' time (the migration says how much). A check
 *   per statement refuses a row whose parent is missing with the same error (23503, the old
 *   constraint's name); deleting a conversation or notification deletes what named it, and a user
 *   named by any of them cannot be deleted. No parent row is locked: the send statement locks its
 *   conversations itself, and users, conversations and notification keys are never changed.
 */
export const messages = pgTable(
  'messages',
  {
    id: uuid('id').notNull().defaultRandom(),
    /** a key of conversations, kept by statement triggers (see above) */
    conversationId: uuid('conversation_id').notNull(),
    seq: bigint('seq', { mode: 'number' }).notNull(),
    /** a key of users, kept by statement triggers; null for system messages */
    senderId: uuid('sender_id'),
    clientMsgId: varchar('client_msg_id', { length: 64 }),
    type: text('type', { enum: MESSAGE_TYPES }).notNull(),
    text: text('text'),
    payload: jsonb('payload').$type<MessagePayload>().notNull().default({}),
    recalledAt: timestamp('recalled_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.id, t.createdAt] }), index('messages_conversation_seq_idx').on(t.conversationId, t.seq)],
);

/**
 * The clientMsgId a sender has used, with the message it made: the unique key the partitioned
 * messages table cannot hold. Filled by the messages_claim_client_ids statement trigger in the insert's
 * statement, so a second send with the same id fails on this key and its whole write rolls back.
 * Statement triggers on messages also carry a message's deletion and a move of its created_at here
 * (migration 0023): a foreign key to the partitioned table cost every send a check through it.
 */
export const messageClientIds = pgTable(
  'message_client_ids',
  {
    senderId: uuid('sender_id').notNull(),
    clientMsgId: varchar('client_msg_id', { length: 64 }).notNull(),
    messageId: uuid('message_id').notNull(),
    messageCreatedAt: timestamp('message_created_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ name: 'message_client_ids_pk', columns: [t.senderId, t.clientMsgId] })],
);

/**
 * Where a member's read cursor was set, and when: one row each time it moves forward (a read, a
 * send that passed others' messages, a join that starts the history read). A message's read time
 * for a member is the earliest mark at or after its seq — the read list's `at`, for every kind of
 * message — at one row per move rather than one per message and reader.
 */
export const readMarks = pgTable(
  'read_marks',
  {
    /** keys of conversations and users, kept by statement triggers (as messages') */
    conversationId: uuid('conversation_id').notNull(),
    userId: uuid('user_id').notNull(),
    seq: bigint('seq', { mode: 'number' }).notNull(),
    readAt: timestamp('read_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.conversationId, t.userId, t.seq] })],
);

/** 回执: a guardian confirmed a notice. */
export const noticeAcks = pgTable(
  'notice_acks',
  {
    messageId: uuid('message_id').notNull(),
    /** the notice's created_at, half of its key in the partitioned messages table */
    messageCreatedAt: timestamp('message_created_at', { withTimezone: true }).notNull(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    ackedAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.messageId, t.userId] }),
    foreignKey({
      name: 'notice_acks_message_fk',
      columns: [t.messageId, t.messageCreatedAt],
      foreignColumns: [messages.id, messages.createdAt],
    })
      .onDelete('cascade')
      .onUpdate('cascade'),
  ],
);
