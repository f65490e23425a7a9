import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, OnModuleInit } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { AppConfig, areaScopeOf, DomainError, isoShanghai, maskPhone, Principal, QUEUES } from '@jiaxiao/common';
import { NotificationsService } from '@jiaxiao/notifications';
import { AuditService } from '@jiaxiao/platform';
import {
  AnswerMailboxItemDto,
  CreateMailboxItemDto,
  MailboxItemDto,
  MailboxQueryDto,
  MailboxReportDto,
  MailboxReportQueryDto,
} from './dto/mailbox.dto';
import { staffLevelOver } from './mailbox.access';
import { MailboxArea, MailboxListRow, MailboxRepository } from './mailbox.repository';

const DAY = 86_400_000;
const LEVEL_RANK = { school: 0, district: 1, city: 2 } as const;
/** How often the worker looks for overdue items. */
const ESCALATE_EVERY_MS = 10 * 60_000;

/**
 * 校长信箱 (家长维权, 有偿家教“零容忍”): parents write to their child's school; the school answers
 * within MAILBOX_ANSWER_DAYS, else the item moves to the district, then the city, each with the
 * same time to answer. An anonymous writer is hidden from the school; the writer is always kept,
 * and district and city staff can see who wrote (each look is audited) to act on abuse.
 */
@Injectable()
export class MailboxService implements OnModuleInit {
  constructor(
    private readonly repository: MailboxRepository,
    private readonly notifications: NotificationsService,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
    @InjectQueue(QUEUES.mailbox) private readonly queue: Queue,
  ) {}

  /** Every process with the queue makes sure the repeating escalation job exists (idempotent). */
  async onModuleInit(): Promise<void> {
    await this.queue.upsertJobScheduler('mailbox-escalate', { every: ESCALATE_EVERY_MS }, { name: 'mailbox.escalate', data: {} });
  }

  async submit(principal: Principal, dto: CreateMailboxItemDto): Promise<MailboxItemDto> {
    if (!principal.children.some((c) => c.schoolId === dto.schoolId)) throw new DomainError('MAILBOX_NOT_YOUR_SCHOOL');
    const districtId = await this.repository.schoolDistrict(dto.schoolId);
    if (!districtId) throw new DomainError('SCHOOL_NOT_FOUND');
    const item = await this.repository.insert({
      schoolId: dto.schoolId,
      districtId,
      authorId: principal.userId,
      anonymous: dto.anonymous ?? false,
      kind: dto.kind,
      topic: dto.topic ?? 'other',
      subject: dto.subject,
      body: dto.body,
      dueAt: new Date(Date.now() + this.config.MAILBOX_ANSWER_DAYS * DAY),
    });
    return toDto(await this.repository.withNames(item), true);
  }

  async mine(principal: Principal): Promise<MailboxItemDto[]> {
    return (await this.repository.list({ authorId: principal.userId })).map((row) => toDto(row, true));
  }

  /** The writer reads their item (the policy has let in the writer and staff over it). */
  async getOwn(principal: Principal, id: string): Promise<MailboxItemDto> {
    const item = await this.repository.item(id);
    if (!item || item.authorId !== principal.userId) throw new DomainError('MAILBOX_ITEM_NOT_FOUND');
    return toDto(await this.repository.withNames(item), true);
  }

  /** Staff: the items of their area, newest first; anonymous writers stay hidden in lists. */
  async listForStaff(principal: Principal, query: MailboxQueryDto): Promise<MailboxItemDto[]> {
    const rows = await this.repository.list({
      area: staffArea(principal),
      status: query.status,
      schoolId: query.schoolId,
      escalated: query.escalated,
    });
    return rows.map((row) => toDto(row, !row.item.anonymous));
  }

  /** Staff read one item; district and city staff see an anonymous writer, and that look is audited. */
  async getForStaff(principal: Principal, id: string): Promise<MailboxItemDto> {
    const item = await this.repository.item(id);
    const level = item && staffLevelOver(principal, item);
    if (!item || !level) throw new DomainError('MAILBOX_ITEM_NOT_FOUND');
    const reveal = !item.anonymous || level !== 'school';
    if (item.anonymous && reveal) {
      await this.audit.record({
        actorId: principal.userId,
        action: 'mailbox.identity_viewed',
        targetType: 'mailbox_item',
        targetId: item.id,
        detail: { level },
      });
    }
    return toDto(await this.repository.withNames(item), reveal);
  }

  /** Answered by the level it sits at or one above it: once an item has moved up, the school no longer answers it. */
  async answer(principal: Principal, id: string, dto: AnswerMailboxItemDto): Promise<MailboxItemDto> {
    const answered = await this.repository.transaction(async (tx) => {
      const item = await this.repository.lock(id, tx);
      const level = item && staffLevelOver(principal, item);
      if (!item || !level) throw new DomainError('MAILBOX_ITEM_NOT_FOUND');
      if (item.status === 'answered') throw new DomainError('MAILBOX_ALREADY_ANSWERED');
      if (LEVEL_RANK[level] < LEVEL_RANK[item.level]) throw new DomainError('MAILBOX_NOT_YOUR_LEVEL');
      await this.repository.answer(item.id, { answer: dto.answer, answeredBy: principal.userId, answeredLevel: level }, tx);
      await this.audit.record(
        { actorId: principal.userId, action: 'mailbox.answered', targetType: 'mailbox_item', targetId: item.id, detail: { level } },
        tx,
      );
      return item;
    });
    const created = await this.notifications.create([
      {
        userId: answered.authorId,
        kind: 'mailbox.answered',
        title: '【校长信箱】您的来信已答复',
        body: `“${answered.subject}”已收到答复，请在校长信箱中查看。`,
        data: { mailboxItemId: answered.id },
        deliverAt: new Date(),
      },
    ]);
    await this.notifications.dispatch(created);
    return this.getForStaff(principal, id);
  }

  /** The worker's job: items unanswered past their deadline move up a level. */
  async escalateDue(now = new Date()): Promise<number> {
    return this.repository.escalateDue(now, this.config.MAILBOX_ANSWER_DAYS);
  }

  /** Counts per school of the caller's area (a district of it with `districtId`). */
  async report(principal: Principal, query: MailboxReportQueryDto): Promise<MailboxReportDto> {
    let area = staffArea(principal);
    if (query.districtId) {
      if (!area.city && !area.districtIds.includes(query.districtId)) throw new DomainError('FORBIDDEN');
      area = { city: false, districtIds: [query.districtId], schoolIds: [] };
    }
    const rows = await this.repository.counts(area, new Date());
    return {
      schools: rows.map((r) => ({
        ...r,
        open: Number(r.open),
        answered: Number(r.answered),
        overdue: Number(r.overdue),
        escalated: Number(r.escalated),
        paidTutoring: Number(r.paidTutoring),
      })),
    };
  }
}

/** The schools a staff member oversees; class teachers and others without a school-wide role are refused. */
function staffArea(principal: Principal): MailboxArea {
  const area = areaScopeOf(principal);
  if (!area.city && area.districtIds.length === 0 && area.schoolIds.length === 0) throw new DomainError('FORBIDDEN');
  return { city: area.city, districtIds: area.districtIds, schoolIds: area.schoolIds };
}

function toDto(row: MailboxListRow, showAuthor: boolean): MailboxItemDto {
  const { item } = row;
  return {
    id: item.id,
    schoolId: item.schoolId,
    schoolName: row.schoolName,
    kind: item.kind,
    topic: item.topic,
    subject: item.subject,
    body: item.body,
    anonymous: item.anonymous,
    author: showAuthor ? { userId: item.authorId, name: row.authorName, phone: maskPhone(row.authorPhone) } : null,
    status: item.status,
    level: item.level,
    dueAt: isoShanghai(item.dueAt),
    overdue: item.status === 'open' && item.dueAt.getTime() < Date.now(),
    escalatedAt: item.escalatedAt ? isoShanghai(item.escalatedAt) : null,
    answer: item.answer,
    answeredLevel: item.answeredLevel,
    answeredAt: item.answeredAt ? isoShanghai(item.answeredAt) : null,
    createdAt: isoShanghai(item.createdAt),
  };
}
