import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { DomainError, Principal } from '@jiaxiao/common';
import { NotificationsService, RealtimePublisher } from '@jiaxiao/notifications';
import { OutboxService, REDIS } from '@jiaxiao/platform';
import { AcksDto, FamilyStatusDto, ReadsDto } from '../dto/message.dto';
import { MessageRepository } from '../message.repository';
import { ConversationRow, MessageRow, MessagingRepository } from '../messaging.repository';
import { ClassNoticeRepository } from './class-notice.repository';

export const REMIND_INTERVAL_SECONDS = 3600;

/**
 * Notices sent in a conversation (a class group's 班级通知): the fan-out to every inbox, 已读/未读
 * and 回执 counted by family, 提醒未确认 at most once an hour, and the SMS escalation of the
 * families that still have not confirmed. The fan-out, reminder and escalation are worker jobs,
 * queued by ClassNoticeReactor from the notice's domain events.
 */
@Injectable()
export class ClassNoticeService {
  constructor(
    private readonly repository: MessagingRepository,
    private readonly messageRepository: MessageRepository,
    private readonly classNoticeRepository: ClassNoticeRepository,
    private readonly notifications: NotificationsService,
    private readonly realtime: RealtimePublisher,
    @Inject(REDIS) private readonly redis: Redis,
    private readonly outbox: OutboxService,
  ) {}

  /** 已读/未读 of one message: by family in a class group, by member elsewhere. The sender or staff may ask. */
  async reads(principal: Principal, messageId: string): Promise<ReadsDto> {
    const { message, conversation } = await this.forSenderOrStaff(principal, messageId);
    const readAt = await this.classNoticeRepository.readTimes(conversation.id, message.seq);
    const statuses = await this.familyStatuses(
      conversation,
      message,
      (member) => member.lastReadSeq >= message.seq,
      (member) => readAt.get(member.userId) ?? null,
    );
    return { messageId, read: statuses.done, unread: statuses.pending };
  }

  /** A guardian confirms a notice (回执). Idempotent. */
  async ack(principal: Principal, messageId: string): Promise<{ messageId: string; ackedAt: string }> {
    const message = await this.messageRepository.messageById(messageId);
    if (!message || !(await this.repository.membership(message.conversationId, principal.userId)))
      throw new DomainError('MESSAGE_NOT_FOUND');
    if (!isAckNotice(message)) throw new DomainError('NOT_A_NOTICE');
    await this.classNoticeRepository.ack(messageId, principal.userId);
    const acked = await this.classNoticeRepository.ackedUserIds(messageId);
    const at = acked.get(principal.userId) ?? new Date();
    if (message.senderId) await this.realtime.toUsers([message.senderId], 'notice:acked', { messageId, userId: principal.userId });
    return { messageId, ackedAt: at.toISOString() };
  }

  async acks(principal: Principal, messageId: string): Promise<AcksDto> {
    const { message, conversation } = await this.forSenderOrStaff(principal, messageId);
    if (!isAckNotice(message)) throw new DomainError('NOT_A_NOTICE');
    const acked = await this.classNoticeRepository.ackedUserIds(messageId);
    const statuses = await this.familyStatuses(
      conversation,
      message,
      (member) => acked.has(member.userId),
      (member) => acked.get(member.userId) ?? null,
    );
    return { messageId, confirmed: statuses.done, unconfirmed: statuses.pending };
  }

  /** 提醒未确认: a reminder to the families that have not confirmed, at most once an hour per notice. */
  async remind(principal: Principal, messageId: string): Promise<{ messageId: string; reminded: number }> {
    const { message, conversation } = await this.forSenderOrStaff(principal, messageId);
    if (!isAckNotice(message)) throw new DomainError('NOT_A_NOTICE');
    const acked = await this.classNoticeRepository.ackedUserIds(messageId);
    const { pending } = await this.familyStatuses(conversation, message, (member) => acked.has(member.userId));
    const key = `notice:remind:${messageId}`;
    const claimed = await this.redis.set(key, principal.userId, 'EX', REMIND_INTERVAL_SECONDS, 'NX');
    if (claimed !== 'OK') {
      const ttl = Math.max(1, await this.redis.ttl(key));
      throw new DomainError('NOTICE_REMIND_TOO_SOON', { minutes: Math.ceil(ttl / 60) }, [], { 'Retry-After': String(ttl) });
    }
    const round = Date.now();
    await this.outbox.publish(
      await this.repository.transaction((tx) => this.outbox.record(tx, 'class-notice.reminder-requested', { messageId, round })),
    );
    return { messageId, reminded: pending.reduce((n, family) => n + family.guardians.length, 0) };
  }

  /**
   * The worker's fan-out of a notice: an inbox entry for every recipient (a reminder: for the
   * guardians of families that have not confirmed). Families are not pushed in the nightly
   * quiet hours unless the notice is urgent (`emergency`); staff are pushed within their working hours.
   * Safe to retry: entries are keyed per round, and whatever of the round is not pushed yet is.
   */
  fanOutNotice(messageId: string, round: number): Promise<void> {
    return this.fanOut(
      messageId,
      round > 0
        ? { kind: 'notice.remind', dedupeKey: `notice-remind:${messageId}:${round}` }
        : { kind: 'notice.new', dedupeKey: `notice:${messageId}` },
    );
  }

  /**
   * NOTICE_SMS_AFTER_HOURS after a notice asking for 回执: the guardians of families that still
   * have not confirmed get a `notice.unconfirmed` entry, which the delivery router sends by SMS.
   */
  escalateNotice(messageId: string): Promise<void> {
    return this.fanOut(messageId, { kind: 'notice.unconfirmed', dedupeKey: `notice-unconfirmed:${messageId}` });
  }

  private async fanOut(
    messageId: string,
    mode: { kind: 'notice.new' | 'notice.remind' | 'notice.unconfirmed'; dedupeKey: string },
  ): Promise<void> {
    const message = await this.messageRepository.messageById(messageId);
    const conversation = message && (await this.repository.conversation(message.conversationId));
    const notice = message && (message.payload as { notice?: { title: string; needsAck: boolean; emergency: boolean } }).notice;
    if (!message || !conversation || !notice || message.recalledAt) return;
    if (mode.kind === 'notice.unconfirmed' && !notice.needsAck) return;
    const members = await this.repository.members(conversation.id);
    let recipients = members.filter((m) => m.userId !== message.senderId);
    if (mode.kind !== 'notice.new') {
      const acked = await this.classNoticeRepository.ackedUserIds(messageId);
      const { pending } = await this.familyStatuses(conversation, message, (m) => acked.has(m.userId));
      const waiting = new Set(pending.flatMap((f) => f.guardians.map((g) => g.userId)));
      recipients = recipients.filter((m) => waiting.has(m.userId));
    }
    const now = new Date();
    const staffTimes = await this.notifications.deliveryTimes(
      recipients.filter((m) => m.role === 'staff').map((m) => m.userId),
      now,
    );
    const familyTime = notice.emergency ? now : this.notifications.familyDeliveryTime(now);
    const title = {
      'notice.new': `【通知】${notice.title}`,
      'notice.remind': `【提醒】请确认通知：${notice.title}`,
      'notice.unconfirmed': `【未确认】请确认通知：${notice.title}`,
    }[mode.kind];
    await this.notifications.create(
      recipients.map((m) => ({
        userId: m.userId,
        kind: mode.kind,
        title,
        body: (message.text ?? '').slice(0, 200),
        data: {
          conversationId: conversation.id,
          messageId,
          needsAck: notice.needsAck,
          urgent: notice.emergency,
          title: notice.title,
          schoolId: conversation.schoolId,
        },
        dedupeKey: mode.dedupeKey,
        deliverAt: staffTimes.get(m.userId) ?? familyTime,
      })),
    );
    await this.notifications.dispatchPending(mode.dedupeKey);
  }

  /** The message's sender, a staff member of its conversation, or (a class group's) a coordinator of its school. */
  private async forSenderOrStaff(principal: Principal, messageId: string) {
    const message = await this.messageRepository.messageById(messageId);
    const conversation = message && (await this.repository.conversation(message.conversationId));
    if (!message || !conversation) throw new DomainError('MESSAGE_NOT_FOUND');
    if (coordinatesClassGroup(principal, conversation)) return { message, conversation };
    const member = await this.repository.membership(message.conversationId, principal.userId);
    if (!member) throw new DomainError('MESSAGE_NOT_FOUND');
    if (message.senderId !== principal.userId && member.role !== 'staff') throw new DomainError('FORBIDDEN');
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
      const rows = await this.classNoticeRepository.families(conversation.classId, conversation.id);
      const byStudent = new Map<string, typeof rows>();
      for (const row of rows) byStudent.set(row.studentId, [...(byStudent.get(row.studentId) ?? []), row]);
      for (const [studentId, guardians] of byStudent) {
        // The sender's own family is not among the families a message goes to.
        if (guardians.some((g) => g.userId === message.senderId)) continue;
        const doneBy = guardians.filter(isDone);
        const when = doneBy
          .map(at)
          .filter((d): d is Date => d !== null)
          .sort((a, b) => a.getTime() - b.getTime())[0];
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
      const status: FamilyStatusDto = {
        studentId: null,
        name: m.name,
        guardians: [{ userId: m.userId, name: m.name, role: m.role }],
        at: at(m)?.toISOString() ?? null,
      };
      (isDone(m) ? done : pending).push(status);
    }
    return { done, pending };
  }
}

/** A coordinator of the school of a class group: they follow up its notices (回执, 提醒未确认) without being a member. */
export function coordinatesClassGroup(principal: Principal, conversation: Pick<ConversationRow, 'kind' | 'schoolId'>): boolean {
  return (
    conversation.kind === 'class_group' &&
    principal.assignments.some((a) => a.role === 'coordinator' && a.schoolId !== null && a.schoolId === conversation.schoolId)
  );
}

function isAckNotice(message: MessageRow): boolean {
  return (
    message.type === 'notice' && !message.recalledAt && Boolean((message.payload as { notice?: { needsAck: boolean } }).notice?.needsAck)
  );
}
