import { bigint, boolean, index, integer, jsonb, pgTable, primaryKey, text, timestamp, unique, uniqueIndex, uuid, varchar } from 'drizzle-orm/pg-core';
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
    uniqueIndex('conversations_class_group_uq').on(t.classId).where(sql`kind = 'class_group'`),
    uniqueIndex('conversations_ref_uq').on(t.kind, t.refId).where(sql`ref_id is not null`),
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
    role: text('role', { enum: ['staff', 'member'] }).notNull().default('member'),
    /** read cursor: every message with seq ≤ lastReadSeq has been read */
    lastReadSeq: bigint('last_read_seq', { mode: 'number' }).notNull().default(0),
    joinedAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.conversationId, t.userId] }), index('conversation_members_user_idx').on(t.userId)],
);

export const messages = pgTable(
  'messages',
  {
    id: id(),
    conversationId: uuid('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    seq: bigint('seq', { mode: 'number' }).notNull(),
    /** null for system messages */
    senderId: uuid('sender_id').references(() => users.id),
    clientMsgId: varchar('client_msg_id', { length: 64 }),
    type: text('type', { enum: MESSAGE_TYPES }).notNull(),
    text: text('text'),
    payload: jsonb('payload').$type<MessagePayload>().notNull().default({}),
    recalledAt: timestamp('recalled_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [unique('messages_conversation_seq_uq').on(t.conversationId, t.seq), unique('messages_sender_client_uq').on(t.senderId, t.clientMsgId)],
);

/** 回执: a guardian confirmed a notice. */
/** When each member's read cursor first passed a notice: the read list's `at`. */
export const noticeReads = pgTable(
  'notice_reads',
  {
    messageId: uuid('message_id')
      .notNull()
      .references(() => messages.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    readAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.messageId, t.userId] })],
);

export const noticeAcks = pgTable(
  'notice_acks',
  {
    messageId: uuid('message_id')
      .notNull()
      .references(() => messages.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    ackedAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.messageId, t.userId] })],
);

/** A teacher's working hours (免打扰 outside them), Asia/Shanghai wall-clock. */
export const workingHours = pgTable('working_hours', {
  userId: uuid('user_id')
    .primaryKey()
    .references(() => users.id),
  /** ISO weekdays, 1 = Monday */
  days: jsonb('days').$type<number[]>().notNull(),
  /** minutes after midnight */
  startMinute: integer('start_minute').notNull(),
  endMinute: integer('end_minute').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});
