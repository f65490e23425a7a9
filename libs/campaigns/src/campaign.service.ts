import { Injectable } from '@nestjs/common';
import { areaScopeOf, DomainError, formatShanghai, Principal, shanghaiParts } from '@jiaxiao/common';
import { Award, CampaignKind } from '@jiaxiao/db';
import { AuditService, CertificateFormat, OutboxService, RenderedCertificate, renderCertificate } from '@jiaxiao/platform';
import { householdInScope, managesScope } from './campaign-scope';
import { CampaignRow, CampaignsRepository, SubmissionRow } from './campaigns.repository';
import {
  AwardSubmissionDto,
  CampaignDto,
  CreateCampaignDto,
  CreateSubmissionDto,
  LikeResultDto,
  ReviewSubmissionDto,
  SubmissionDto,
  SubmissionQueryDto,
} from './dto/campaign.dto';
import { DirectoryRepository } from '@jiaxiao/directory';

/** The awards each kind of campaign gives. */
export const AWARDS_BY_KIND: Record<CampaignKind, Award[]> = {
  family_story: ['first', 'second', 'third'],
  reading_family: ['reading_family'],
};

export const AWARD_LABELS: Record<Award, string> = { first: '一等奖', second: '二等奖', third: '三等奖', reading_family: '书香之家' };
const KIND_LABELS: Record<CampaignKind, string> = { family_story: '我说我的家风家训故事', reading_family: '中小学生书香之家' };
const KIND_CODES: Record<CampaignKind, string> = { family_story: 'JF', reading_family: 'SX' };

/**
 * Campaigns (我说我的家风家训故事, 书香之家): households in scope may take part inside the window —
 * nothing is required of anyone; staff review, publish and award. Published entries are listed in
 * the order they came in and show a like count; no child is ranked or named.
 */
@Injectable()
export class CampaignService {
  constructor(
    private readonly directory: DirectoryRepository,
    private readonly repository: CampaignsRepository,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
  ) {}

  async create(principal: Principal, dto: CreateCampaignDto): Promise<CampaignDto> {
    const scope = { scopeType: dto.scopeType, scopeId: dto.scopeType === 'city' ? null : (dto.scopeId ?? null) };
    if (scope.scopeType !== 'city' && !scope.scopeId)
      throw new DomainError('VALIDATION_FAILED', {}, [{ field: 'scopeId', constraint: 'requiredForScope' }]);
    let districtId: string | undefined;
    if (scope.scopeType === 'school') {
      const school = await this.directory.schoolById(scope.scopeId as string);
      if (!school) throw new DomainError('SCHOOL_NOT_FOUND');
      districtId = school.districtId;
    }
    if (!managesScope(principal, scope, districtId)) throw new DomainError('FORBIDDEN');
    const opensAt = new Date(dto.opensAt);
    const closesAt = new Date(dto.closesAt);
    if (closesAt <= opensAt) throw new DomainError('VALIDATION_FAILED', {}, [{ field: 'closesAt', constraint: 'isAfterStart' }]);
    const row = await this.repository.transaction(async (tx) => {
      const inserted = await this.repository.insertCampaign(
        { kind: dto.kind, title: dto.title, description: dto.description, ...scope, opensAt, closesAt, createdBy: principal.userId },
        tx,
      );
      await this.audit.record(
        {
          actorId: principal.userId,
          action: 'campaign.created',
          targetType: 'campaign',
          targetId: inserted.id,
          detail: { kind: inserted.kind },
        },
        tx,
      );
      return inserted;
    });
    return this.campaignDto(row);
  }

  /** Parents: campaigns open to any of their households. */
  async listForParent(principal: Principal): Promise<CampaignDto[]> {
    const households = await this.repository.households(principal.userId);
    const rows = await this.repository.campaignsCovering({
      all: false,
      districtIds: households.map((h) => h.districtId),
      schoolIds: households.map((h) => h.schoolId),
    });
    return rows.map((r) => this.campaignDto(r));
  }

  /** Staff: campaigns of their area. */
  async listForStaff(principal: Principal): Promise<CampaignDto[]> {
    const area = areaScopeOf(principal);
    const rows = await this.repository.campaignsCovering({ all: area.city, districtIds: area.districtIds, schoolIds: area.schoolIds });
    return rows.map((r) => this.campaignDto(r));
  }

  async get(campaignId: string): Promise<CampaignDto> {
    return this.campaignDto(await this.campaign(campaignId));
  }

  async submit(principal: Principal, campaignId: string, dto: CreateSubmissionDto, now = new Date()): Promise<SubmissionDto> {
    const campaign = await this.campaign(campaignId);
    const household = (await this.repository.households(principal.userId)).find((h) => h.studentId === dto.studentId);
    if (!household) throw new DomainError('STUDENT_NOT_FOUND');
    if (!householdInScope(campaign, household)) throw new DomainError('CAMPAIGN_OUT_OF_SCOPE');
    if (now < campaign.opensAt || now >= campaign.closesAt) throw new DomainError('CAMPAIGN_NOT_OPEN');
    const readingLog = dto.readingLog ?? [];
    if (campaign.kind === 'reading_family' && readingLog.length === 0)
      throw new DomainError('VALIDATION_FAILED', {}, [{ field: 'readingLog', constraint: 'readingLogRequired' }]);
    const imageFileIds = dto.imageFileIds ?? [];
    if (!(await this.repository.ownsFiles(principal.userId, imageFileIds))) throw new DomainError('FILE_NOT_FOUND');
    const row = await this.repository.transaction(async (tx) => {
      const inserted = await this.repository.insertSubmission(
        {
          campaignId,
          studentId: household.studentId,
          submittedBy: principal.userId,
          familyName: dto.familyName,
          title: dto.title,
          body: dto.body,
          imageFileIds,
          readingLog: readingLog.map((e) => ({ title: e.title, author: e.author, readOn: e.readOn?.slice(0, 10), note: e.note })),
        },
        tx,
      );
      if (!inserted) return undefined;
      const { id: submissionId, createdAt } = inserted;
      const place = { schoolId: household.schoolId, schoolYearId: household.schoolYearId };
      return {
        ...inserted,
        event: await this.outbox.record(tx, 'campaign-submission.made', {
          submissionId,
          studentId: household.studentId,
          ...place,
          at: createdAt.toISOString(),
        }),
      };
    });
    if (!row) throw new DomainError('CAMPAIGN_SUBMISSION_EXISTS');
    await this.outbox.publish(row.event);
    return this.submissionDto(row);
  }

  async submissionsForParent(principal: Principal, campaignId: string): Promise<SubmissionDto[]> {
    const households = await this.repository.households(principal.userId);
    const rows = await this.repository.submissionsForParent(
      campaignId,
      households.map((h) => h.studentId),
    );
    const liked = await this.repository.likedBy(
      principal.userId,
      rows.map((r) => r.id),
    );
    return rows.map((r) => ({ ...this.submissionDto(r), liked: liked.has(r.id) }));
  }

  async submissionsForStaff(campaignId: string, query: SubmissionQueryDto): Promise<SubmissionDto[]> {
    return (await this.repository.submissionsForStaff(campaignId, query.status)).map((r) => this.submissionDto(r));
  }

  async review(principal: Principal, submissionId: string, dto: ReviewSubmissionDto): Promise<SubmissionDto> {
    if (dto.decision === 'reject' && !dto.reason)
      throw new DomainError('VALIDATION_FAILED', {}, [{ field: 'reason', constraint: 'requiredToReject' }]);
    const row = await this.repository.transaction(async (tx) => {
      const current = await this.repository.lockSubmission(submissionId, tx);
      if (!current) throw new DomainError('CAMPAIGN_SUBMISSION_NOT_FOUND');
      if (current.status !== 'submitted') throw new DomainError('CAMPAIGN_SUBMISSION_STATE', { status: current.status });
      const updated = await this.repository.updateSubmission(
        submissionId,
        {
          status: dto.decision === 'approve' ? 'approved' : 'rejected',
          rejectReason: dto.decision === 'reject' ? dto.reason : null,
          reviewedBy: principal.userId,
          reviewedAt: new Date(),
        },
        tx,
      );
      await this.audit.record(
        {
          actorId: principal.userId,
          action: `campaign.submission.${dto.decision}d`,
          targetType: 'campaign_submission',
          targetId: submissionId,
          detail: { reason: dto.reason ?? null },
        },
        tx,
      );
      const at = (updated.reviewedAt ?? new Date()).toISOString();
      return {
        ...updated,
        event: dto.decision === 'reject' ? await this.outbox.record(tx, 'campaign-submission.rejected', { submissionId, at }) : undefined,
      };
    });
    if (row.event !== undefined) await this.outbox.publish(row.event);
    return this.submissionDto(row);
  }

  async publish(principal: Principal, submissionId: string): Promise<SubmissionDto> {
    const row = await this.repository.transaction(async (tx) => {
      const current = await this.repository.lockSubmission(submissionId, tx);
      if (!current) throw new DomainError('CAMPAIGN_SUBMISSION_NOT_FOUND');
      if (current.status !== 'approved') throw new DomainError('CAMPAIGN_SUBMISSION_STATE', { status: current.status });
      const updated = await this.repository.updateSubmission(submissionId, { status: 'published', publishedAt: new Date() }, tx);
      await this.audit.record(
        { actorId: principal.userId, action: 'campaign.submission.published', targetType: 'campaign_submission', targetId: submissionId },
        tx,
      );
      return updated;
    });
    return this.submissionDto(row);
  }

  /** One like per user: repeated or concurrent likes count once. */
  async like(principal: Principal, submissionId: string): Promise<LikeResultDto> {
    const submission = await this.submission(submissionId);
    if (submission.status !== 'published') throw new DomainError('CAMPAIGN_SUBMISSION_NOT_FOUND');
    const result = await this.repository.transaction((tx) => this.repository.like(submissionId, principal.userId, tx));
    return { likeCount: result.likeCount, liked: true };
  }

  /** Awards an approved or published entry; the certificate number is drawn under the campaign's row lock. */
  async award(principal: Principal, submissionId: string, dto: AwardSubmissionDto): Promise<SubmissionDto> {
    const row = await this.repository.transaction(async (tx) => {
      const current = await this.repository.submission(submissionId, tx);
      if (!current) throw new DomainError('CAMPAIGN_SUBMISSION_NOT_FOUND');
      const campaign = await this.repository.lockCampaign(current.campaignId, tx);
      if (!campaign) throw new DomainError('CAMPAIGN_NOT_FOUND');
      if (!AWARDS_BY_KIND[campaign.kind].includes(dto.award)) throw new DomainError('CAMPAIGN_AWARD_INVALID');
      const locked = await this.repository.lockSubmission(submissionId, tx);
      if (!locked || (locked.status !== 'approved' && locked.status !== 'published'))
        throw new DomainError('CAMPAIGN_SUBMISSION_STATE', { status: locked?.status ?? 'missing' });
      const certificateNo =
        locked.certificateNo ??
        `${KIND_CODES[campaign.kind]}${shanghaiParts(campaign.opensAt).year}-${campaign.id.slice(0, 4).toUpperCase()}-${String((await this.repository.awardedCount(campaign.id, tx)) + 1).padStart(4, '0')}`;
      const updated = await this.repository.updateSubmission(submissionId, { award: dto.award, certificateNo, awardedAt: new Date() }, tx);
      await this.audit.record(
        {
          actorId: principal.userId,
          action: 'campaign.submission.awarded',
          targetType: 'campaign_submission',
          targetId: submissionId,
          detail: { award: dto.award, certificateNo },
        },
        tx,
      );
      return updated;
    });
    return this.submissionDto(row);
  }

  /** 荣誉证书 of an awarded entry, as a PDF or a PNG to share. */
  async certificate(submissionId: string, format: CertificateFormat = 'pdf'): Promise<RenderedCertificate> {
    const submission = await this.submission(submissionId);
    if (!submission.award || !submission.certificateNo) throw new DomainError('CAMPAIGN_NO_AWARD');
    const campaign = await this.campaign(submission.campaignId);
    const award = AWARD_LABELS[submission.award];
    const achievement = campaign.kind === 'reading_family' ? '被评为“书香之家”' : `作品《${submission.title}》荣获${award}`;
    return renderCertificate(
      {
        fileName: `${campaign.title}-${award}`,
        title: '荣誉证书',
        salutation: `${submission.familyName}：`,
        body: [`你家在“${KIND_LABELS[campaign.kind]}”活动（${campaign.title}）中${achievement}，特发此证，以资鼓励。`],
        signature: ['潍坊市教育局 家校共育平台', formatShanghai(submission.awardedAt ?? new Date(), false)],
        serial: `证书编号：${submission.certificateNo}`,
      },
      format,
    );
  }

  private async campaign(id: string): Promise<CampaignRow> {
    const row = await this.repository.campaign(id);
    if (!row) throw new DomainError('CAMPAIGN_NOT_FOUND');
    return row;
  }

  private async submission(id: string): Promise<SubmissionRow> {
    const row = await this.repository.submission(id);
    if (!row) throw new DomainError('CAMPAIGN_SUBMISSION_NOT_FOUND');
    return row;
  }

  private campaignDto(row: CampaignRow, now = new Date()): CampaignDto {
    return {
      id: row.id,
      kind: row.kind,
      title: row.title,
      description: row.description,
      scopeType: row.scopeType,
      scopeId: row.scopeId,
      opensAt: row.opensAt.toISOString(),
      closesAt: row.closesAt.toISOString(),
      open: now >= row.opensAt && now < row.closesAt,
      awards: AWARDS_BY_KIND[row.kind],
    };
  }

  private submissionDto(row: SubmissionRow): SubmissionDto {
    return {
      id: row.id,
      campaignId: row.campaignId,
      familyName: row.familyName,
      title: row.title,
      body: row.body,
      imageFileIds: row.imageFileIds,
      readingLog: row.readingLog,
      status: row.status,
      rejectReason: row.rejectReason,
      likeCount: row.likeCount,
      award: row.award,
      certificateNo: row.certificateNo,
      publishedAt: row.publishedAt?.toISOString() ?? null,
      createdAt: row.createdAt.toISOString(),
    };
  }
}
