import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { conversationRoom, DomainError, Principal } from '@jiaxiao/common';
import { Attachment, MessagePayload, MessageType, pgConstraint, pgErrorCode, UNIQUE_VIOLATION } from '@jiaxiao/db';
import { UploadService } from '@jiaxiao/files';
import { NotificationsService, PushBatcher, RealtimePublisher } from '@jiaxiao/notifications';
import { LOGGER, OutboxService, REDIS } from '@jiaxiao/platform';
import { ConversationService } from './conversation.service';
import { HistoryQueryDto, MAX_TEXT, MessageDto, MessagePageDto, SendMessageDto, SendResultDto } from './dto/message.dto';
import { toMessageDto } from './message.mapper';
import { MessageFileRepository } from './message-file.repository';
import { MessageRepository } from './message.repository';
import { MessagingRepository, SendContext } from './messaging.repository';
import { SendBatchRepository, SentRow } from './send-batch.repository';
import { ClientMsgIdTaken, SendBatcher } from './send-batcher';

export const RECALL_WINDOW_MS = 2 * 60 * 1000;
export const SEND_LIMIT = { count: 20, windowSeconds: 10 };
const COUNT_IN_WINDOW = `local n = redis.call('INCR', KEYS[1])
if redis.call('TTL', KEYS[1]) < 0 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return n`;
/** Takes a send off its window's count, if the window is still open. */
const UNCOUNT = `if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('DECR', KEYS[1]) end
return 0`;
const sendLimitKey = (userId: string) => `ratelimit:send:${userId}`;

/**
 * Sending, syncing, reading and recalling messages (a notice's receipts and fan-out are the
 * ClassNoticeService's). A send is acknowledged only after its transaction commits; seqs are
 * allocated inside it, so they are gapless; the sender's clientMsgId makes a retried send return
 * the stored message instead of a copy.
 */
@Injectable()
export class MessageService {
  constructor(
    private readonly repository: MessagingRepository,
    private readonly messageRepository: MessageRepository,
    private readonly messageFiles: MessageFileRepository,
    private readonly batcher: SendBatcher,
    private readonly sendBatches: SendBatchRepository,
    private readonly conversations: ConversationService,
    private readonly outbox: OutboxService,
    private readonly uploads: UploadService,
    private readonly notifications: NotificationsService,
    private readonly pushes: PushBatcher,
    private readonly realtime: RealtimePublisher,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /**
   * What the send needs to know (kept by the process from the sender's last send in the
   * conversation, else read with the other sends of the moment: SendBatcher), then one statement
   * shared with them for the write (seq, message, cursor and the inbox entries of a direct
   * message, committed together); the ack waits for that commit only. A notice's write is a
   * transaction of its own with its `class-notice.posted` event. The broadcast and the pushes go
   * out after the commit, not awaited.
   */
  async send(principal: Principal, input: SendMessageDto): Promise<SendResultDto> {
    const query = { conversationId: input.conversationId, userId: principal.userId, clientMsgId: input.clientMsgId };
    const kept = await this.batcher.keptContext(query);
    // Nothing is refused from memory: the rules may have changed a moment ago on another process, and only a fresh read knows a retry.
    const context = kept && refusal(kept, input.type) ? await this.batcher.context(query) : kept;
    if (!context) throw new DomainError('FORBIDDEN');
    if (context.existingId) return this.resend(principal, context, input);
    const refused = refusal(context, input.type);
    if (refused) throw new DomainError(refused);
    const content = await this.content(principal, input);
    if (!(await this.withinSendLimit(principal.userId))) {
      // A retry of a stored message is not a new message and still gets its answer.
      const current = await this.batcher.context(query);
      if (current?.existingId) return this.resend(principal, current, input);
      throw new DomainError('RATE_LIMITED');
    }

    const now = new Date();
    const times = this.notifications.deliveryTimesOf(context.others, now);
    const quietHours = quietFor(context, times, now);
    const direct = context.kind === 'direct' && content.type !== 'notice';
    const recipients = direct ? context.others.map((o) => o.userId) : [];
    const values = { conversationId: input.conversationId, senderId: principal.userId, clientMsgId: input.clientMsgId, ...content };
    const inbox = {
      userIds: recipients,
      deliverAt: recipients.map((id) => times.get(id) ?? now),
      kind: 'message.direct',
      title: principal.name,
      body: preview(content),
    };
    let sent: SentRow | undefined;
    let event: number | undefined;
    try {
      if (content.type === 'notice') {
        // A notice's fan-out and escalation are a domain event committed with it: a crash after the commit loses neither.
        const needsAck = 'notice' in content.payload && content.payload.notice.needsAck;
        ({ sent, event } = await this.repository.transaction(async (tx) => {
          const [row] = await this.sendBatches.insert([{ values, inbox }], tx);
          if (row === 'taken') throw new ClientMsgIdTaken();
          const id = row && (await this.outbox.record(tx, 'class-notice.posted', { messageId: row.row.id, needsAck }));
          return { sent: row, event: id };
        }));
      } else {
        sent = await this.batcher.insert(values, inbox);
      }
    } catch (error) {
      // A retry the kept context did not know of, or the same clientMsgId sent twice at once: the loser returns the winner's message (if it went to another conversation, a client bug, it is refused as a retry would be).
      if (
        error instanceof ClientMsgIdTaken ||
        (pgErrorCode(error) === UNIQUE_VIOLATION && pgConstraint(error) === 'message_client_ids_pk')
      ) {
        this.background('send limit refund', this.redis.eval(UNCOUNT, 1, sendLimitKey(principal.userId)));
        const winner = await this.messageRepository.messageBySenderClientId(principal.userId, input.clientMsgId);
        if (winner?.conversationId === input.conversationId) return { message: toMessageDto(winner), quietHours };
        if (winner) throw new DomainError('VALIDATION_FAILED', {}, [{ field: 'clientMsgId', constraint: 'clientMsgIdReused' }]);
      }
      throw error;
    }
    // The membership or the rules changed since the context was read (or kept): the write's own check refused it; read why.
    if (!sent) {
      const current = await this.batcher.context(query);
      throw new DomainError((current && refusal(current, content.type)) || 'FORBIDDEN');
    }

    const message = toMessageDto({ ...sent.row, senderName: principal.name });
    this.background('broadcast', this.realtime.emit([conversationRoom(input.conversationId)], 'message:new', message));
    this.pushes.add(sent.notifications);
    if (event !== undefined) await this.outbox.publish(event);
    return { message, quietHours };
  }

  /** A retried send: the stored message, unless the id was used in another conversation (a client bug, not a retry). */
  private async resend(principal: Principal, context: SendContext, input: SendMessageDto): Promise<SendResultDto> {
    const existing = await this.messageRepository.messageById(context.existingId ?? '');
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
    const rows = await this.messageRepository.page(conversationId, {
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
    const rows = await this.messageRepository.page(conversationId, { afterSeq, limit });
    return rows.map(toMessageDto);
  }

  /** Moves the caller's read cursor forward (never back) and tells the conversation. */
  async read(principal: Principal, conversationId: string, seq: number): Promise<number> {
    const cursor = await this.messageRepository.moveReadCursor(conversationId, principal.userId, seq);
    if (cursor === undefined) throw new DomainError('FORBIDDEN');
    await this.realtime.emit([conversationRoom(conversationId)], 'conversation:read', {
      conversationId,
      userId: principal.userId,
      seq: cursor,
    });
    return cursor;
  }

  /** The sender takes a message back within 2 minutes: a tombstone stays, the body and file go. */
  async recall(principal: Principal, messageId: string): Promise<MessageDto> {
    const message = await this.messageRepository.messageById(messageId);
    if (!message || !(await this.repository.membership(message.conversationId, principal.userId)))
      throw new DomainError('MESSAGE_NOT_FOUND');
    if (message.senderId !== principal.userId) throw new DomainError('FORBIDDEN');
    if (message.recalledAt) return toMessageDto(message);
    if (Date.now() - message.createdAt.getTime() > RECALL_WINDOW_MS) throw new DomainError('RECALL_WINDOW_PASSED');
    const fileId = (message.payload as { attachment?: { fileId: string } }).attachment?.fileId;

    const outcome = await this.repository.transaction(async (tx) => {
      const updated = await this.messageRepository.recall(messageId, tx);
      // A concurrent recall of the same message (a double tap) won the row: it writes the one system message.
      if (!updated) return undefined;
      const system = await this.conversations.systemMessage(message.conversationId, 'recalled', [principal.userId], tx);
      await this.notifications.removeForMessage(messageId, tx);
      return { recalled: updated, notice: system };
    });
    if (!outcome) return toMessageDto((await this.messageRepository.messageById(messageId)) ?? message);
    const { recalled, notice } = outcome;
    // The file goes with the message, unless the uploader also sent it in a message that still stands.
    if (fileId && !(await this.messageFiles.fileInUse(fileId))) await this.uploads.remove(fileId);
    const tombstone = toMessageDto({ ...message, ...recalled, senderName: message.senderName });
    const room = conversationRoom(message.conversationId);
    await this.realtime.emit([room], 'message:recalled', { conversationId: message.conversationId, messageId, seq: message.seq });
    await this.realtime.emit([room], 'message:new', toMessageDto(notice));
    return tombstone;
  }

  private async content(
    principal: Principal,
    input: SendMessageDto,
  ): Promise<{ type: MessageType; text: string | null; payload: MessagePayload }> {
    const text = input.text?.trim() ?? '';
    switch (input.type) {
      case 'text':
        if (!text) throw new DomainError('VALIDATION_FAILED', {}, [{ field: 'text', constraint: 'isNotEmpty' }]);
        if (text.length > MAX_TEXT)
          throw new DomainError('VALIDATION_FAILED', {}, [{ field: 'text', constraint: 'maxLength', args: [MAX_TEXT] }]);
        return { type: 'text', text, payload: {} };
      case 'notice':
        if (!input.title?.trim()) throw new DomainError('VALIDATION_FAILED', {}, [{ field: 'title', constraint: 'isNotEmpty' }]);
        if (!text) throw new DomainError('VALIDATION_FAILED', {}, [{ field: 'text', constraint: 'isNotEmpty' }]);
        return {
          type: 'notice',
          text,
          payload: {
            notice: { title: input.title.trim(), body: text, needsAck: input.needsAck ?? false, emergency: input.emergency ?? false },
          },
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

  /**
   * 20 messages per 10 seconds per user, counted in Redis across every gateway node: one atomic
   * script (count, and start the window if it has none), which the client pipelines with the
   * other sends' of the same moment. A send answered with a stored message is taken off the count.
   */
  private async withinSendLimit(userId: string): Promise<boolean> {
    const count = (await this.redis.eval(COUNT_IN_WINDOW, 1, sendLimitKey(userId), SEND_LIMIT.windowSeconds)) as number;
    return count <= SEND_LIMIT.count;
  }

  private async assertMember(principal: Principal, conversationId: string): Promise<void> {
    if (!(await this.repository.membership(conversationId, principal.userId))) throw new DomainError('FORBIDDEN');
  }
}

/** Why the sender may not post this in the conversation, if they may not: the rules the write checks again. */
function refusal(context: SendContext, type: MessageType): 'STAFF_ONLY_CONVERSATION' | 'NOTICE_SENDER_ONLY' | undefined {
  if (context.staffOnly && context.role !== 'staff') return 'STAFF_ONLY_CONVERSATION';
  if (type === 'notice' && context.role !== 'staff') return 'NOTICE_SENDER_ONLY';
  return undefined;
}

/** Whether staff of the conversation are outside their working hours (only asked for families' sends). */
function quietFor(context: SendContext, times: Map<string, Date>, now: Date): boolean {
  if (context.role === 'staff') return false;
  return context.others.some((o) => o.role === 'staff' && (times.get(o.userId)?.getTime() ?? 0) > now.getTime());
}

function preview(message: { type: MessageType; text: string | null; payload: MessagePayload }): string {
  if (message.type === 'image') return '[图片]';
  if (message.type === 'file') return `[文件] ${(message.payload as { attachment?: Attachment }).attachment?.name ?? ''}`;
  return (message.text ?? '').slice(0, 60);
}
