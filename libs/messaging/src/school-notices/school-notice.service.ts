import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { areaScopeOf, decodeTimeIdCursor, DEFAULT_PAGE_SIZE, DomainError, Principal, schoolYearOf, toPage } from '@jiaxiao/common';
import { UploadService } from '@jiaxiao/files';
import { NotificationsService } from '@jiaxiao/notifications';
import { AuditService, OutboxService, REDIS } from '@jiaxiao/platform';
import { REMIND_INTERVAL_SECONDS } from '../class-notices/class-notice.service';
import { SchoolNoticeAccess } from './school-notice.access';
import {
  SchoolNoticeAckDto,
  PendingRecipientDto,
  PostSchoolNoticeDto,
  SchoolNoticeRemindDto,
  SchoolNoticeDto,
  SchoolNoticePageDto,
  SchoolNoticeQueryDto,
  SchoolNoticeRollupDto,
} from './school-notice.dto';
import { SchoolNoticeRepository, SchoolNoticeRow } from './school-notice.repository';

/**
 * Notices above the class (校务公开): a school to its families, a district or the city to the
 * coordinators of its schools. The API stores the notice with its `school-notice.posted` event; the worker
 * fixes the recipients and writes their inbox entries in set-based statements, then pushes them
 * in bulk through the delivery router, as class notices go. 回执 are rolled up per class (or per
 * school); 提醒未确认 reaches only the families (or coordinators) that have not confirmed.
 */
@Injectable()
export class SchoolNoticeService {
  constructor(
    private readonly repository: SchoolNoticeRepository,
    private readonly access: SchoolNoticeAccess,
    private readonly notifications: NotificationsService,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
    private readonly uploads: UploadService,
    @Inject(REDIS) private readonly redis: Redis,
  ) {}

  async post(principal: Principal, dto: PostSchoolNoticeDto): Promise<SchoolNoticeDto> {
    const scope = await this.checkAudience(principal, dto);
    // Only files the sender uploaded (FILE_NOT_FOUND otherwise), in the order given.
    const files = await Promise.all((dto.fileIds ?? []).map((fileId) => this.uploads.owned(principal, fileId)));
    const posted = await this.repository.transaction(async (tx) => {
      const row = await this.repository.insert(
        {
          senderId: principal.userId,
          audience: dto.audience,
          schoolId: scope.schoolId,
          districtId: scope.districtId,
          grades: dto.grades ? [...dto.grades].sort((a, b) => a - b) : null,
          classIds: dto.classIds ?? null,
          title: dto.title.trim(),
          body: dto.body.trim(),
          needsAck: dto.needsAck ?? false,
          emergency: dto.emergency ?? false,
          attachments: files.map((f) => ({ fileId: f.id, name: f.name, mime: f.mime, size: f.size })),
        },
        tx,
      );
      await this.audit.record(
        {
          actorId: principal.userId,
          action: 'school_notice.posted',
          targetType: 'school_notice',
          targetId: row.id,
          detail: {
            audience: dto.audience,
            ...scope,
            grades: dto.grades ?? null,
            classes: dto.classIds?.length ?? null,
            files: files.length,
          },
        },
        tx,
      );
      return { row, event: await this.outbox.record(tx, 'school-notice.posted', { noticeId: row.id }) };
    });
    await this.outbox.publish(posted.event);
    return this.get(principal, posted.row.id);
  }

  async get(principal: Principal, noticeId: string): Promise<SchoolNoticeDto> {
    const row = await this.repository.byId(noticeId);
    if (!row) throw new DomainError('SCHOOL_NOTICE_NOT_FOUND');
    const receipt = await this.repository.receipt(noticeId, principal.userId);
    if (receipt && !receipt.readAt) await this.repository.markRead(noticeId, principal.userId);
    const readAt = receipt ? (receipt.readAt ?? new Date()) : null;
    return toDto(row, { readAt, ackedAt: receipt?.ackedAt ?? null });
  }

  /** Notices of the caller's school, district or city (and those they sent). */
  async listManaged(principal: Principal, query: SchoolNoticeQueryDto): Promise<SchoolNoticePageDto> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const area = areaScopeOf(principal);
    const rows = await this.repository.listManaged(
      { ...area, senderId: principal.userId },
      { before: decodeTimeIdCursor(query.cursor) ?? undefined, limit },
    );
    const page = toPage(rows, limit, (r) => [r.createdAt.toISOString(), r.id]);
    return { items: page.items.map((r) => toDto(r, { readAt: null, ackedAt: null })), nextCursor: page.nextCursor };
  }

  /** The caller's own school notices (a family's notice feed, a coordinator's notices from the bureau). */
  async listReceived(principal: Principal, query: SchoolNoticeQueryDto): Promise<SchoolNoticePageDto> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const rows = await this.repository.listReceived(principal.userId, { before: decodeTimeIdCursor(query.cursor) ?? undefined, limit });
    const page = toPage(rows, limit, (r) => [r.createdAt.toISOString(), r.id]);
    return { items: page.items.map((r) => toDto(r, r)), nextCursor: page.nextCursor };
  }

  /** 回执 by a recipient. Idempotent: the first confirmation's time stays. */
  async ack(principal: Principal, noticeId: string): Promise<SchoolNoticeAckDto> {
    const row = await this.repository.byId(noticeId);
    if (!row) throw new DomainError('SCHOOL_NOTICE_NOT_FOUND');
    if (!row.needsAck) throw new DomainError('NOT_A_NOTICE');
    const at = await this.repository.ack(noticeId, principal.userId);
    if (!at) throw new DomainError('SCHOOL_NOTICE_NOT_FOUND');
    return { noticeId, ackedAt: at.toISOString() };
  }

  /** Read and confirmed, per class (families: a family counts once, whichever guardian) or per school (coordinators). */
  async rollup(noticeId: string): Promise<SchoolNoticeRollupDto> {
    const row = await this.repository.byId(noticeId);
    if (!row) throw new DomainError('SCHOOL_NOTICE_NOT_FOUND');
    const groups =
      row.audience === 'families' ? await this.repository.familyGroups(noticeId) : await this.repository.coordinatorGroups(noticeId);
    const sum = (key: 'total' | 'read' | 'confirmed') => groups.reduce((n, g) => n + g[key], 0);
    return { noticeId, total: sum('total'), read: sum('read'), confirmed: sum('confirmed'), groups };
  }

  async pending(noticeId: string, groupId?: string): Promise<PendingRecipientDto[]> {
    const row = await this.repository.byId(noticeId);
    if (!row) throw new DomainError('SCHOOL_NOTICE_NOT_FOUND');
    if (!row.needsAck) throw new DomainError('NOT_A_NOTICE');
    return row.audience === 'families'
      ? this.repository.pendingFamilies(noticeId, groupId)
      : this.repository.pendingCoordinators(noticeId, groupId);
  }

  /** 提醒未确认: once an hour per notice, to the families (or coordinators) that have not confirmed. */
  async remind(principal: Principal, noticeId: string): Promise<SchoolNoticeRemindDto> {
    const pending = await this.pending(noticeId);
    const key = `school-notice:remind:${noticeId}`;
    const claimed = await this.redis.set(key, principal.userId, 'EX', REMIND_INTERVAL_SECONDS, 'NX');
    if (claimed !== 'OK') {
      const ttl = Math.max(1, await this.redis.ttl(key));
      throw new DomainError('NOTICE_REMIND_TOO_SOON', { minutes: Math.ceil(ttl / 60) }, [], { 'Retry-After': String(ttl) });
    }
    const round = Date.now();
    await this.outbox.publish(
      await this.repository.transaction((tx) => this.outbox.record(tx, 'school-notice.reminder-requested', { noticeId, round })),
    );
    return { noticeId, pending: pending.length };
  }

  /**
   * The worker's fan-out. Round 0 fixes the recipients (one INSERT…SELECT each for the families
   * and their guardians, or the coordinators) and writes everyone's inbox entry; a reminder
   * round writes entries for those not confirmed. Retrying is safe: every insert skips what exists.
   */
  async fanOut(noticeId: string, round: number): Promise<void> {
    const notice = await this.repository.byId(noticeId);
    if (!notice) return;
    const remind = round > 0;
    const dedupeKey = remind ? `school-notice-remind:${noticeId}:${round}` : `school-notice:${noticeId}`;
    const kind = remind ? 'school_notice.remind' : 'school_notice.new';
    const title = remind
      ? `【提醒】请确认通知：${notice.title}`
      : `【${notice.audience === 'families' ? '学校通知' : '教育局通知'}】${notice.title}`;
    const body = notice.body.slice(0, 200);
    // Read before the transaction: on embedded PGlite (one connection) a read outside it would wait for it forever.
    const yearId =
      !remind && notice.audience === 'families' ? await this.repository.yearIdByName(schoolYearOf(notice.createdAt)) : undefined;
    await this.repository.transaction(async (tx) => {
      if (!remind) {
        if (notice.audience === 'families') {
          if (yearId) await this.repository.fixFamilies(noticeId, yearId, tx);
        } else {
          await this.repository.fixCoordinators(noticeId, tx);
        }
        await this.repository.markFannedOut(noticeId, tx);
      }
      if (notice.audience === 'families') {
        const deliverAt = notice.emergency ? new Date() : this.notifications.familyDeliveryTime(new Date());
        await this.repository.insertFamilyNotifications(noticeId, { kind, title, body, dedupeKey, deliverAt, pendingOnly: remind }, tx);
        return;
      }
      // Coordinators are staff: each is pushed within their own working hours (a few hundred at most).
      const targets = await this.repository.targets(noticeId, remind, tx);
      const times = notice.emergency
        ? new Map<string, Date>()
        : await this.notifications.deliveryTimes(
            targets.map((t) => t.userId),
            new Date(),
            tx,
          );
      await this.notifications.create(
        targets.map((t) => ({
          userId: t.userId,
          kind,
          title,
          body,
          data: {
            schoolNoticeId: noticeId,
            needsAck: notice.needsAck,
            urgent: notice.emergency,
            title: notice.title,
            schoolId: t.schoolId,
          },
          dedupeKey,
          deliverAt: times.get(t.userId) ?? new Date(),
        })),
        tx,
      );
    });
    await this.notifications.dispatchBulk(dedupeKey);
  }

  private async checkAudience(
    principal: Principal,
    dto: PostSchoolNoticeDto,
  ): Promise<{ schoolId: string | null; districtId: string | null }> {
    const invalid = () => new DomainError('SCHOOL_NOTICE_AUDIENCE_INVALID');
    if (dto.audience === 'families') {
      if (!dto.schoolId) throw new DomainError('VALIDATION_FAILED', {}, [{ field: 'schoolId', constraint: 'isDefined' }]);
      if (dto.districtId) throw invalid();
      if (!(await this.repository.placeOfSchool(dto.schoolId))) throw new DomainError('SCHOOL_NOT_FOUND');
      if (!(await this.access.managesScope(principal, { schoolId: dto.schoolId, districtId: null }))) throw invalid();
      if (dto.classIds) {
        const yearId = await this.repository.yearIdByName(schoolYearOf(new Date()));
        const open = yearId ? await this.repository.countOpenClasses(dto.schoolId, yearId, dto.classIds) : 0;
        if (open !== dto.classIds.length) throw new DomainError('CLASS_NOT_FOUND');
      }
      return { schoolId: dto.schoolId, districtId: null };
    }
    if (dto.schoolId || dto.grades || dto.classIds) throw invalid();
    if (dto.districtId && !(await this.repository.districtExists(dto.districtId))) throw new DomainError('DISTRICT_NOT_FOUND');
    if (!(await this.access.managesScope(principal, { schoolId: null, districtId: dto.districtId ?? null }))) throw invalid();
    return { schoolId: null, districtId: dto.districtId ?? null };
  }
}

function toDto(row: SchoolNoticeRow, receipt: { readAt: Date | null; ackedAt: Date | null }): SchoolNoticeDto {
  return {
    id: row.id,
    audience: row.audience,
    schoolId: row.schoolId,
    schoolName: row.schoolName,
    districtId: row.districtId,
    grades: row.grades,
    classIds: row.classIds,
    title: row.title,
    body: row.body,
    needsAck: row.needsAck,
    emergency: row.emergency,
    senderName: row.senderName,
    createdAt: row.createdAt.toISOString(),
    attachments: row.attachments.map((a) => ({ ...a, url: `/files/${a.fileId}` })),
    recipientCount: row.recipientCount,
    readAt: receipt.readAt?.toISOString() ?? null,
    ackedAt: receipt.ackedAt?.toISOString() ?? null,
  };
}
