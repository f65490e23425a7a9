import { Injectable } from '@nestjs/common';
import { DomainError, formatShanghai, Principal } from '@jiaxiao/common';
import { CounsellingStatus } from '@jiaxiao/db';
import { NotificationsService } from '@jiaxiao/notifications';
import { AuditService } from '@jiaxiao/platform';
import {
  AcceptCounsellingRequestDto,
  CloseCounsellingRequestDto,
  CounsellingRequestDto,
  CreateCounsellingRequestDto,
  ReplyCounsellingRequestDto,
} from './dto/counselling.dto';
import { SupportSitesRepository } from './support-sites.repository';
import { SupportSitesService } from './support-sites.service';

/** Requests a guardian may have in progress (open or accepted) at once, across all sites. */
export const MAX_OPEN_REQUESTS = 3;

type RequestView = Awaited<ReturnType<SupportSitesRepository['requests']>>[number];
type StaffAction =
  | { kind: 'accept'; dto: AcceptCounsellingRequestDto }
  | { kind: 'reply'; dto: ReplyCounsellingRequestDto }
  | { kind: 'close'; dto: CloseCounsellingRequestDto };

/**
 * Private appointment requests (心理辅导预约). A guardian asks a site they can see; only the
 * site's appointed staff read and handle the request — not the school's teachers, coordinator or
 * bureau staff unless they are on that site's staff. Anyone else is told it does not exist.
 * The guardian sees their own requests and is notified (without the request's content) when
 * staff accept, reply or close.
 */
@Injectable()
export class CounsellingService {
  constructor(
    private readonly repository: SupportSitesRepository,
    private readonly sites: SupportSitesService,
    private readonly notifications: NotificationsService,
    private readonly audit: AuditService,
  ) {}

  async create(principal: Principal, dto: CreateCounsellingRequestDto): Promise<CounsellingRequestDto> {
    if (principal.children.length === 0) throw new DomainError('FORBIDDEN');
    const area = await this.sites.parentArea(principal);
    const placed = await this.repository.site(dto.siteId);
    const visible =
      placed &&
      (placed.site.scope === 'city' ||
        (placed.site.scope === 'district' && area.districtIds.includes(placed.site.districtId as string)) ||
        (placed.site.scope === 'school' && area.schoolIds.includes(placed.site.schoolId as string)));
    if (!placed || !visible) throw new DomainError('SUPPORT_SITE_NOT_FOUND');
    if (placed.staffCount === 0) throw new DomainError('COUNSELLING_SITE_UNSTAFFED');
    if (dto.studentId && !principal.children.some((c) => c.studentId === dto.studentId)) throw new DomainError('STUDENT_NOT_FOUND');
    const contactPhone = dto.contactPhone ?? (await this.repository.guardianPhone(principal.userId));
    const row = await this.repository.transaction(async (tx) => {
      if ((await this.repository.lockOpenCount(principal.userId, tx)) >= MAX_OPEN_REQUESTS)
        throw new DomainError('COUNSELLING_OPEN_LIMIT', { max: MAX_OPEN_REQUESTS });
      return this.repository.insertRequest(
        {
          siteId: placed.site.id,
          guardianId: principal.userId,
          studentId: dto.studentId ?? null,
          topic: dto.topic,
          description: dto.description.trim(),
          preferredTimes: dto.preferredTimes.trim(),
          contactPhone,
        },
        tx,
      );
    });
    const staff = await this.repository.staffOf([placed.site.id]);
    const created = await this.notifications.create(
      staff.map((m) => ({
        userId: m.userId,
        kind: 'counselling.new',
        title: '【心理辅导】收到新的预约申请',
        body: `“${placed.site.name}”收到一条新的预约申请，请在管理后台“心理辅导”中查看。`,
        data: { counsellingRequestId: row.id },
        deliverAt: new Date(),
      })),
    );
    await this.notifications.dispatch(created);
    return this.mine(principal, row.id);
  }

  async listMine(principal: Principal): Promise<CounsellingRequestDto[]> {
    return (await this.repository.ofGuardian(principal.userId)).map(toDto);
  }

  async mine(principal: Principal, id: string): Promise<CounsellingRequestDto> {
    const [row] = await this.repository.ofGuardian(principal.userId, id);
    if (!row) throw new DomainError('COUNSELLING_REQUEST_NOT_FOUND');
    return toDto(row);
  }

  /** The guardian withdraws their own request. */
  async withdraw(principal: Principal, id: string): Promise<CounsellingRequestDto> {
    await this.repository.transaction(async (tx) => {
      const request = await this.repository.lockRequest(id, tx);
      if (!request || request.guardianId !== principal.userId) throw new DomainError('COUNSELLING_REQUEST_NOT_FOUND');
      if (request.status === 'closed') throw new DomainError('COUNSELLING_REQUEST_CLOSED');
      await this.repository.updateRequest(id, { status: 'closed' }, tx);
    });
    return this.mine(principal, id);
  }

  async listForStaff(principal: Principal, status?: CounsellingStatus): Promise<CounsellingRequestDto[]> {
    return (await this.repository.forStaff(principal.userId, { status })).map(toDto);
  }

  async forStaff(principal: Principal, id: string): Promise<CounsellingRequestDto> {
    const [row] = await this.repository.forStaff(principal.userId, { id });
    if (!row) throw new DomainError('COUNSELLING_REQUEST_NOT_FOUND');
    return toDto(row);
  }

  /** Staff accept with a time, reply, or close; the guardian is notified of each. */
  async handle(principal: Principal, id: string, action: StaffAction): Promise<CounsellingRequestDto> {
    const current = await this.forStaff(principal, id);
    if (current.status === 'closed') throw new DomainError('COUNSELLING_REQUEST_CLOSED');
    let scheduledAt: Date | undefined;
    if (action.kind === 'accept') {
      scheduledAt = new Date(action.dto.scheduledAt);
      if (!(scheduledAt.getTime() > Date.now())) throw new DomainError('COUNSELLING_TIME_INVALID');
    }
    const reply = action.dto.reply?.trim() || undefined;
    const guardianId = await this.repository.transaction(async (tx) => {
      const request = await this.repository.lockRequest(id, tx);
      if (!request) throw new DomainError('COUNSELLING_REQUEST_NOT_FOUND');
      if (request.status === 'closed') throw new DomainError('COUNSELLING_REQUEST_CLOSED');
      const status = action.kind === 'accept' ? 'accepted' : action.kind === 'close' ? 'closed' : request.status;
      await this.repository.updateRequest(id, { status, scheduledAt, reply, handledBy: principal.userId }, tx);
      await this.audit.record(
        { actorId: principal.userId, action: `counselling_request.${action.kind}`, targetType: 'counselling_request', targetId: id },
        tx,
      );
      return request.guardianId;
    });
    const body =
      action.kind === 'accept'
        ? `“${current.siteName}”已接受您的预约，时间：${formatShanghai(scheduledAt as Date)}。`
        : action.kind === 'close'
          ? `“${current.siteName}”已结束您的预约${reply ? '，并留言给您' : ''}。`
          : `“${current.siteName}”回复了您的预约。`;
    const created = await this.notifications.create([
      {
        userId: guardianId,
        kind: 'counselling.updated',
        title: '【心理辅导】您的预约有新进展',
        body: `${body}请在“活动 → 心理辅导”中查看。`,
        data: { counsellingRequestId: id },
        deliverAt: new Date(),
      },
    ]);
    await this.notifications.dispatch(created);
    return this.forStaff(principal, id);
  }
}

function toDto(row: RequestView): CounsellingRequestDto {
  const r = row.request;
  return {
    id: r.id,
    siteId: r.siteId,
    siteName: row.siteName,
    topic: r.topic,
    description: r.description,
    preferredTimes: r.preferredTimes,
    contactPhone: r.contactPhone,
    guardianName: row.guardianName,
    studentId: r.studentId,
    studentName: row.studentName,
    status: r.status,
    scheduledAt: r.scheduledAt?.toISOString() ?? null,
    reply: r.reply,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}
