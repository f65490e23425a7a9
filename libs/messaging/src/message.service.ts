import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { AppConfig, conversationRoom, DomainError, enqueue, Principal, QUEUES } from '@jiaxiao/common';
import { Attachment, MessagePayload, MessageType, pgConstraint, pgErrorCode, UNIQUE_VIOLATION } from '@jiaxiao/db';
import { UploadService } from '@jiaxiao/files';
import { NotificationsService, PushBatcher, RealtimePublisher } from '@jiaxiao/notifications';
import { LOGGER, REDIS } from '@jiaxiao/platform';
import { ConversationService } from './conversation.service';
import { AcksDto, FamilyStatusDto, HistoryQueryDto, MAX_TEXT, MessageDto, MessagePageDto, ReadsDto, SendMessageDto, SendResultDto } from './dto/message.dto';
import { toMessageDto } from './message.mapper';
import { ConversationRow, MessageRow, MessagingRepository, SendContext } from './messaging.repository';

export const RECALL_WINDOW_MS = 2 * 60 * 1000;
export const SEND_LIMIT = { count: 20, windowSeconds: 10 };
export const REMIND_INTERVAL_SECONDS = 3600;

/**
 * Sending, syncing, reading, recalling and confirming messages. A send is acknowledged only
 * after its transaction commits; seqs are allocated inside it, so they are gapless; the
 * sender's clientMsgId makes a retried send return the stored message instead of a copy.
 */
@Injectable()
export class MessageService {
  constructor(
    private readonly repository: MessagingRepository,
    private readonly conversations: ConversationService,
    private readonly uploads: UploadService,
    private readonly notifications: NotificationsService,
    private readonly pushes: PushBatcher,
    private readonly realtime: RealtimePublisher,
    @Inject(REDIS) private readonly redis: Redis,
    @InjectQueue(QUEUES.notifications) private readonly queue: Queue,
    private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /**
   * Two statements: what the send needs to know, then the write (seq, message, cursor and the
   * inbox entries of a direct message, committed together); the ack waits for that commit only.
   * The broadcast and the pushes go out after it, not awaited.
   */
  async send(principal: Principal, input: SendMessageDto): Promise<SendResultDto> {
    const context = await this.repository.sendContext(input.conversationId, principal.userId, input.clientMsgId);
    if (!context) throw new DomainError('FORBIDDEN');
    if (context.existingId) return this.resend(principal, context, input);
    if (context.staffOnly && context.role !== 'staff') throw new DomainError('STAFF_ONLY_CONVERSATION');
    if (input.type === 'notice' && context.role !== 'staff') throw new DomainError('NOTICE_SENDER_ONLY');
    const content = await this.content(principal, input);
    await this.throttle(principal.userId);

    const now = new Date();
    const times = this.notifications.deliveryTimesOf(context.others, now);
    const quietHours = quietFor(context, times, now);
    const direct = context.kind === 'direct' && content.type !== 'notice';
    const recipients = direct ? context.others.map((o) => o.userId) : [];
    let sent: Awaited<ReturnType<MessagingRepository['insertSent']>>;
    try {
      sent = await this.repository.insertSent(
        { conversationId: input.conversationId, senderId: principal.userId, clientMsgId: input.clientMsgId, ...content },
        {
          userIds: recipients,
          deliverAt: recipients.map((id) => times.get(id) ?? now),
          kind: 'message.direct',
          title: principal.name,
          body: preview(content),
        },
      );
    } catch (error) {
      // The same clientMsgId sent twice at once: the loser returns the winner's message.
      if (pgErrorCode(error) === UNIQUE_VIOLATION && pgConstraint(error) === 'message_client_ids_pk') {
        const winner = await this.repository.messageBySenderClientId(principal.userId, input.clientMsgId);
        if (winner) return { message: toMessageDto(winner), quietHours };
      }
      throw error;
    }
    // The membership or the staff-only switch changed between the two statements.
    if (!sent) throw new DomainError('FORBIDDEN');

    const message = toMessageDto({ ...sent.row, senderName: principal.name });
    this.background('broadcast', this.realtime.emit([conversationRoom(input.conversationId)], 'message:new', message));
    this.pushes.add(sent.notifications);
    if (sent.row.type === 'notice') await this.queueNotice(sent.row);
    return { message, quietHours };
  }

  /** A retried send: the stored message, unless the id was used in another conversation (a client bug, not a retry). */
  private async resend(principal: Principal, context: SendContext, input: SendMessageDto): Promise<SendResultDto> {
    const existing = await this.repository.messageById(context.existingId ?? '');
    if (!existing || existing.conversationId !== input.conversationId) {
      throw new DomainError('VALIDATION_FAILED', {}, [{ field: 'clientMsgId', constraint: 'clientMsgIdReused' }]);
    }
    const now = new Date();
    return { message: toMessageDto(existing), quietHours: quietFor(context, this.notifications.deliveryTimesOf(context.others, now), now) };
  }

  /** Work after the ack: a failure is logged; clients catch up by sync, and held pushes by the worker. */
  private background(what: string, work: Promise<unknown>): void {
    work.catch((error: unknown) => this.logger.error({ err: error }, `${what} failed after the send`));
  }

  /** History in seq order: `afterSeq` pages forward (sync), `beforeSeq` backward (scrolling up). */
  async history(conversationId: string, query: HistoryQueryDto): Promise<MessagePageDto> {
    const limit = query.limit ?? 50;
    const rows = await this.repository.page(conversationId, {
      afterSeq: query.afterSeq ?? (query.beforeSeq === undefined ? 0 : undefined),
      beforeSeq: query.beforeSeq,
      limit,
    });
    const forward = query.beforeSeq === undefined;
    const nextCursor = forward && rows.length === limit ? String(rows[rows.length - 1].seq) : null;
    return { items: rows.map(toMessageDto), nextCursor };
  }

  async sync(principal: Principal, conversationId: string, afterSeq: number, limit = 100): Promise<MessageDto[]> {
    await this.assertMember(principal, conversationId);
    const rows = await this.repository.page(conversationId, { afterSeq, limit });
    return rows.map(toMessageDto);
  }

  /** Moves the caller's read cursor forward (never back) and tells the conversation. */
  async read(principal: Principal, conversationId: string, seq: number): Promise<number> {
    const cursor = await this.repository.moveReadCursor(conversationId, principal.userId, seq);
    if (cursor === undefined) throw new DomainError('FORBIDDEN');
    await this.realtime.emit([conversationRoom(conversationId)], 'conversation:read', { conversationId, userId: principal.userId, seq: cursor });
    return cursor;
  }

  /** The sender takes a message back within 2 minutes: a tombstone stays, the body and file go. */
  async recall(principal: Principal, messageId: string): Promise<MessageDto> {
    const message = await this.repository.messageById(messageId);
    if (!message || !(await this.repository.membership(message.conversationId, principal.userId))) throw new DomainError('MESSAGE_NOT_FOUND');
    if (message.senderId !== principal.userId) throw new DomainError('FORBIDDEN');
    if (message.recalledAt) return toMessageDto(message);
    if (Date.now() - message.createdAt.getTime() > RECALL_WINDOW_MS) throw new DomainError('RECALL_WINDOW_PASSED');
    const fileId = (message.payload as { attachment?: { fileId: string } }).attachment?.fileId;

    const outcome = await this.repository.transaction(async (tx) => {
      const updated = await this.repository.recall(messageId, tx);
      // A concurrent recall of the same message (a double tap) won the row: it writes the one system message.
      if (!updated) return undefined;
      const system = await this.conversations.systemMessage(message.conversationId, 'recalled', [principal.userId], tx);
      await this.notifications.removeForMessage(messageId, tx);
      return { recalled: updated, notice: system };
    });
    if (!outcome) return toMessageDto((await this.repository.messageById(messageId)) ?? message);
    const { recalled, notice } = outcome;
    // The file goes with the message, unless the uploader also sent it in a message that still stands.
    if (fileId && !(await this.repository.fileInUse(fileId))) await this.uploads.remove(fileId);
    const tombstone = toMessageDto({ ...message, ...recalled, senderName: message.senderName });
    const room = conversationRoom(message.conversationId);
    await this.realtime.emit([room], 'message:recalled', { conversationId: message.conversationId, messageId, seq: message.seq });
    await this.realtime.emit([room], 'message:new', toMessageDto(notice));
    return tombstone;
  }

  /** 已读/未读 of one message: by family in a class group, by member elsewhere. The sender or staff may ask. */
  async reads(principal: Principal, messageId: string): Promise<ReadsDto> {
    const { message, conversation } = await this.forSenderOrStaff(principal, messageId);
    // Read times are kept for notices; other messages have only the cursor, so no time.
    const readAt = message.type === 'notice' ? await this.repository.noticeReadTimes(messageId) : new Map<string, Date>();
    const statuses = await this.familyStatuses(conversation, message, (member) => member.lastReadSeq >= message.seq, (member) => readAt.get(member.userId) ?? null);
    return { messageId, read: statuses.done, unread: statuses.pending };
  }

  /** A guardian confirms a notice (回执). Idempotent. */
  async ack(principal: Principal, messageId: string): Promise<{ messageId: string; ackedAt: string }> {
    const message = await this.repository.messageById(messageId);
    if (!message || !(await this.repository.membership(message.conversationId, principal.userId))) throw new DomainError('MESSAGE_NOT_FOUND');
    if (!isAckNotice(message)) throw new DomainError('NOT_A_NOTICE');
    await this.repository.ack(messageId, principal.userId);
    const acked = await this.repository.ackedUserIds(messageId);
    const at = acked.get(principal.userId) ?? new Date();
    if (message.senderId) await this.realtime.toUsers([message.senderId], 'notice:acked', { messageId, userId: principal.userId });
    return { messageId, ackedAt: at.toISOString() };
  }

  async acks(principal: Principal, messageId: string): Promise<AcksDto> {
    const { message, conversation } = await this.forSenderOrStaff(principal, messageId);
    if (!isAckNotice(message)) throw new DomainError('NOT_A_NOTICE');
    const acked = await this.repository.ackedUserIds(messageId);
    const statuses = await this.familyStatuses(conversation, message, (member) => acked.has(member.userId), (member) => acked.get(member.userId) ?? null);
    return { messageId, confirmed: statuses.done, unconfirmed: statuses.pending };
  }

  /** 提醒未确认: a reminder to the families that have not confirmed, at most once an hour per notice. */
  async remind(principal: Principal, messageId: string): Promise<{ messageId: string; reminded: number }> {
    const { message, conversation } = await this.forSenderOrStaff(principal, messageId);
    if (!isAckNotice(message)) throw new DomainError('NOT_A_NOTICE');
    const acked = await this.repository.ackedUserIds(messageId);
    const { pending } = await this.familyStatuses(conversation, message, (member) => acked.has(member.userId));
    const key = `notice:remind:${messageId}`;
    const claimed = await this.redis.set(key, principal.userId, 'EX', REMIND_INTERVAL_SECONDS, 'NX');
    if (claimed !== 'OK') {
      const ttl = Math.max(1, await this.redis.ttl(key));
      throw new DomainError('NOTICE_REMIND_TOO_SOON', { minutes: Math.ceil(ttl / 60) }, [], { 'Retry-After': String(ttl) });
    }
    const round = Date.now();
    await enqueue(this.queue, 'notice.fanout', { messageId, round }, { jobId: `remind-${messageId}-${round}` });
    return { messageId, reminded: pending.reduce((n, family) => n + family.guardians.length, 0) };
  }

  /**
   * The worker's fan-out of a notice: an inbox entry for every recipient (a reminder: for the
   * guardians of families that have not confirmed). Families are not pushed in the nightly
   * quiet hours unless the notice is urgent (`emergency`); staff are pushed within their working hours.
   * Safe to retry: entries are keyed per round, and whatever of the round is not pushed yet is.
   */
  fanOutNotice(messageId: string, round: number): Promise<void> {
    return this.fanOut(messageId, round > 0 ? { kind: 'notice.remind', dedupeKey: `notice-remind:${messageId}:${round}` } : { kind: 'notice.new', dedupeKey: `notice:${messageId}` });
  }

  /**
   * NOTICE_SMS_AFTER_HOURS after a notice asking for 回执: the guardians of families that still
   * have not confirmed get a `notice.unconfirmed` entry, which the delivery router sends by SMS.
   */
  escalateNotice(messageId: string): Promise<void> {
    return this.fanOut(messageId, { kind: 'notice.unconfirmed', dedupeKey: `notice-unconfirmed:${messageId}` });
  }

  private async fanOut(messageId: string, mode: { kind: 'notice.new' | 'notice.remind' | 'notice.unconfirmed'; dedupeKey: string }): Promise<void> {
    const message = await this.repository.messageById(messageId);
    const conversation = message && (await this.repository.conversation(message.conversationId));
    const notice = message && (message.payload as { notice?: { title: string; needsAck: boolean; emergency: boolean } }).notice;
    if (!message || !conversation || !notice || message.recalledAt) return;
    if (mode.kind === 'notice.unconfirmed' && !notice.needsAck) return;
    const members = await this.repository.members(conversation.id);
    let recipients = members.filter((m) => m.userId !== message.senderId);
    if (mode.kind !== 'notice.new') {
      const acked = await this.repository.ackedUserIds(messageId);
      const { pending } = await this.familyStatuses(conversation, message, (m) => acked.has(m.userId));
      const waiting = new Set(pending.flatMap((f) => f.guardians.map((g) => g.userId)));
      recipients = recipients.filter((m) => waiting.has(m.userId));
    }
    const now = new Date();
    const staffTimes = await this.notifications.deliveryTimes(recipients.filter((m) => m.role === 'staff').map((m) => m.userId), now);
    const familyTime = notice.emergency ? now : this.notifications.familyDeliveryTime(now);
    const title = { 'notice.new': `【通知】${notice.title}`, 'notice.remind': `【提醒】请确认通知：${notice.title}`, 'notice.unconfirmed': `【未确认】请确认通知：${notice.title}` }[mode.kind];
    await this.notifications.create(
      recipients.map((m) => ({
        userId: m.userId,
        kind: mode.kind,
        title,
        body: (message.text ?? '').slice(0, 200),
        data: { conversationId: conversation.id, messageId, needsAck: notice.needsAck, urgent: notice.emergency, title: notice.title, schoolId: conversation.schoolId },
        dedupeKey: mode.dedupeKey,
        deliverAt: staffTimes.get(m.userId) ?? familyTime,
      })),
    );
    await this.notifications.dispatchPending(mode.dedupeKey);
  }

  /** A notice's fan-out to every inbox, and its escalation when it asks for 回执: worker jobs, queued before the ack. */
  private async queueNotice(row: { id: string; payload: MessagePayload }): Promise<void> {
    await enqueue(this.queue, 'notice.fanout', { messageId: row.id, round: 0 }, { jobId: `notice-${row.id}` });
    if ((row.payload as { notice?: { needsAck: boolean } }).notice?.needsAck) {
      await enqueue(this.queue, 'notice.escalate', { messageId: row.id }, { jobId: `escalate-${row.id}`, delay: this.config.NOTICE_SMS_AFTER_HOURS * 3_600_000 });
    }
  }

  private async content(principal: Principal, input: SendMessageDto): Promise<{ type: MessageType; text: string | null; payload: MessagePayload }> {
    const text = input.text?.trim() ?? '';
    switch (input.type) {
      case 'text':
        if (!text) throw new DomainError('VALIDATION_FAILED', {}, [{ field: 'text', constraint: 'isNotEmpty' }]);
        if (text.length > MAX_TEXT) throw new DomainError('VALIDATION_FAILED', {}, [{ field: 'text', constraint: 'maxLength', args: [MAX_TEXT] }]);
        return { type: 'text', text, payload: {} };
      case 'notice':
        if (!input.title?.trim()) throw new DomainError('VALIDATION_FAILED', {}, [{ field: 'title', constraint: 'isNotEmpty' }]);
        if (!text) throw new DomainError('VALIDATION_FAILED', {}, [{ field: 'text', constraint: 'isNotEmpty' }]);
        return {
          type: 'notice',
          text,
          payload: { notice: { title: input.title.trim(), body: text, needsAck: input.needsAck ?? false, emergency: input.emergency ?? false } },
        };
      case 'image':
      case 'file': {
        if (!input.fileId) throw new DomainError('VALIDATION_FAILED', {}, [{ field: 'fileId', constraint: 'isDefined' }]);
        const file = await this.uploads.owned(principal, input.fileId);
        if (input.type === 'image' && !file.mime.startsWith('image/')) throw new DomainError('UNSUPPORTED_MEDIA_TYPE');
        return {
          type: input.type,
          text: text ? text.slice(0, MAX_TEXT) : null,
          payload: { attachment: { fileId: file.id, name: file.name, mime: file.mime, size: file.size } },
        };
      }
    }
  }

  /** 20 messages per 10 seconds per user, counted in Redis across every gateway node. */
  private async throttle(userId: string): Promise<void> {
    const key = `ratelimit:send:${userId}`;
    const [[, count]] = (await this.redis.multi().incr(key).expire(key, SEND_LIMIT.windowSeconds, 'NX').exec()) as [[null, number]];
    if (count > SEND_LIMIT.count) throw new DomainError('RATE_LIMITED');
  }

  private async assertMember(principal: Principal, conversationId: string): Promise<void> {
    if (!(await this.repository.membership(conversationId, principal.userId))) throw new DomainError('FORBIDDEN');
  }

  private async forSenderOrStaff(principal: Principal, messageId: string) {
    const message = await this.repository.messageById(messageId);
    const member = message && (await this.repository.membership(message.conversationId, principal.userId));
    if (!message || !member) throw new DomainError('MESSAGE_NOT_FOUND');
    if (message.senderId !== principal.userId && member.role !== 'staff') throw new DomainError('FORBIDDEN');
    const conversation = await this.repository.conversation(message.conversationId);
    if (!conversation) throw new DomainError('MESSAGE_NOT_FOUND');
    return { message, conversation };
  }

  /**
   * Splits the recipients of a message into done / pending. In a class group a family (a
   * student) counts as done when any of its guardians is; elsewhere each member counts alone.
   */
  private async familyStatuses(
    conversation: ConversationRow,
    message: MessageRow,
    isDone: (member: { userId: string; lastReadSeq: number }) => boolean,
    at: (member: { userId: string }) => Date | null = () => null,
  ): Promise<{ done: FamilyStatusDto[]; pending: FamilyStatusDto[] }> {
    const done: FamilyStatusDto[] = [];
    const pending: FamilyStatusDto[] = [];
    if (conversation.kind === 'class_group' && conversation.classId) {
      const rows = await this.repository.families(conversation.classId, conversation.id);
      const byStudent = new Map<string, typeof rows>();
      for (const row of rows) byStudent.set(row.studentId, [...(byStudent.get(row.studentId) ?? []), row]);
      for (const [studentId, guardians] of byStudent) {
        // The sender's own family is not among the families a message goes to.
        if (guardians.some((g) => g.userId === message.senderId)) continue;
        const doneBy = guardians.filter(isDone);
        const when = doneBy.map(at).filter((d): d is Date => d !== null).sort((a, b) => a.getTime() - b.getTime())[0];
        const status: FamilyStatusDto = {
          studentId,
          name: guardians[0].studentName,
          guardians: guardians.map((g) => ({ userId: g.userId, name: `${g.name}（${g.relation}）`, role: 'member' })),
          at: when?.toISOString() ?? null,
        };
        (doneBy.length > 0 ? done : pending).push(status);
      }
      return { done, pending };
    }
    const members = await this.repository.members(conversation.id);
    for (const m of members) {
      if (m.userId === message.senderId) continue;
      const status: FamilyStatusDto = { studentId: null, name: m.name, guardians: [{ userId: m.userId, name: m.name, role: m.role }], at: at(m)?.toISOString() ?? null };
      (isDone(m) ? done : pending).push(status);
    }
    return { done, pending };
  }
}

/** Whether staff of the conversation are outside their working hours (only asked for families' sends). */
function quietFor(context: SendContext, times: Map<string, Date>, now: Date): boolean {
  if (context.role === 'staff') return false;
  return context.others.some((o) => o.role === 'staff' && (times.get(o.userId)?.getTime() ?? 0) > now.getTime());
}

function isAckNotice(message: MessageRow): boolean {
  return message.type === 'notice' && !message.recalledAt && Boolean((message.payload as { notice?: { needsAck: boolean } }).notice?.needsAck);
}

function preview(message: { type: MessageType; text: string | null; payload: MessagePayload }): string {
  if (message.type === 'image') return '[图片]';
  if (message.type === 'file') return `[文件] ${(message.payload as { attachment?: Attachment }).attachment?.name ?? ''}`;
  return (message.text ?? '').slice(0, 60);
}
