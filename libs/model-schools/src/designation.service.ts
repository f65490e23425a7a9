import { Injectable } from '@nestjs/common';
import { DomainError, Principal } from '@jiaxiao/common';
import { AuditService } from '@jiaxiao/platform';
import { DesignationDto, PublicModelSchoolListDto, RankingDto, RevokeDesignationDto, SchoolHistoryDto } from './dto/model-school.dto';
import { isCityStaff, programmeYearOf } from './model-school-scope';
import { ModelSchoolService } from './model-school.service';
import { DesignationRow, ModelSchoolsRepository } from './model-schools.repository';
import { ApplicationRepository } from './application.repository';
import { DesignationRepository } from './designation.repository';

/**
 * Designation under the year's quota and pass mark. Each designation runs in one transaction that
 * first locks the year's row (`SELECT … FOR UPDATE`): concurrent designations queue on it, each
 * counts the active designations after the one before it committed, so the quota can never be
 * exceeded. A school scoring below the year's pass mark is refused whatever places are left.
 */
@Injectable()
export class DesignationService {
  constructor(
    private readonly repository: ModelSchoolsRepository,
    private readonly applicationRepository: ApplicationRepository,
    private readonly designationRepository: DesignationRepository,
    private readonly applications: ModelSchoolService,
    private readonly audit: AuditService,
  ) {}

  async designate(principal: Principal, applicationId: string): Promise<DesignationDto> {
    if (!isCityStaff(principal)) throw new DomainError('FORBIDDEN');
    const row = await this.repository.transaction(async (tx) => {
      const application = await this.applicationRepository.application(applicationId, tx);
      if (!application) throw new DomainError('MODEL_SCHOOL_APPLICATION_NOT_FOUND');
      const year = await this.repository.lockYear(application.year, tx);
      if (!year) throw new DomainError('MODEL_SCHOOL_YEAR_NOT_FOUND');
      const locked = await this.applicationRepository.lockApplication(applicationId, tx);
      if (!locked || locked.status !== 'district_passed')
        throw new DomainError('MODEL_SCHOOL_APPLICATION_STATE', { status: locked?.status ?? 'missing' });
      if (locked.totalScore === null) throw new DomainError('MODEL_SCHOOL_NOT_SCORED');
      if (locked.totalScore < year.passMark)
        throw new DomainError('MODEL_SCHOOL_BELOW_PASS_MARK', { score: locked.totalScore, passMark: year.passMark });
      const active = await this.designationRepository.activeDesignations(locked.year, tx);
      if (active >= year.quota) throw new DomainError('MODEL_SCHOOL_QUOTA_FULL', { quota: year.quota });
      // Numbers are never reused: a revoked designation keeps its number.
      const seq = (await this.designationRepository.allDesignations(locked.year, tx)) + 1;
      const designation = await this.designationRepository.insertDesignation(
        {
          applicationId,
          schoolId: locked.schoolId,
          year: locked.year,
          certificateNo: `潍家示〔${locked.year}〕${String(seq).padStart(3, '0')}号`,
          score: locked.totalScore,
          designatedBy: principal.userId,
        },
        tx,
      );
      await this.applicationRepository.updateApplication(applicationId, { status: 'designated' }, tx);
      const { rank, contenders } = await this.applicationRepository.rankOf(locked.year, locked.totalScore, tx);
      const ranking = {
        rank,
        contenders,
        score: locked.totalScore,
        passMark: year.passMark,
        abovePassMark: true,
        quota: year.quota,
        quotaLeft: year.quota - active - 1,
      };
      await this.audit.record(
        {
          actorId: principal.userId,
          action: 'model_school.designated',
          targetType: 'model_school_application',
          targetId: applicationId,
          detail: { certificateNo: designation.certificateNo, rank, score: locked.totalScore },
        },
        tx,
      );
      return { ...designationDto(designation), ranking };
    });
    return row;
  }

  /** City staff: the year's contenders by total score, against the pass mark and the places left. */
  async ranking(principal: Principal, year = programmeYearOf(new Date())): Promise<RankingDto> {
    if (!isCityStaff(principal)) throw new DomainError('FORBIDDEN');
    const settings = await this.repository.year(year);
    if (!settings) throw new DomainError('MODEL_SCHOOL_YEAR_NOT_FOUND');
    const rows = await this.applicationRepository.ranking(year);
    const designated = rows.filter((r) => r.status === 'designated').length;
    return {
      year,
      passMark: settings.passMark,
      quota: settings.quota,
      designated,
      quotaLeft: Math.max(0, settings.quota - designated),
      items: rows.map((r) => ({
        rank: Number(r.rank),
        applicationId: r.applicationId,
        schoolId: r.schoolId,
        schoolName: r.schoolName,
        districtName: r.districtName,
        status: r.status,
        totalScore: r.totalScore as number,
        abovePassMark: (r.totalScore as number) >= settings.passMark,
      })),
    };
  }

  /** Revocation keeps the row and its number, with the reason; the place returns to the year's quota. */
  async revoke(principal: Principal, designationId: string, dto: RevokeDesignationDto): Promise<DesignationDto> {
    if (!isCityStaff(principal)) throw new DomainError('FORBIDDEN');
    const row = await this.repository.transaction(async (tx) => {
      const current = await this.designationRepository.designation(designationId, tx);
      if (!current) throw new DomainError('MODEL_SCHOOL_DESIGNATION_NOT_FOUND');
      await this.repository.lockYear(current.year, tx);
      const fresh = await this.designationRepository.designation(designationId, tx);
      if (!fresh || fresh.revokedAt) throw new DomainError('MODEL_SCHOOL_ALREADY_REVOKED');
      const updated = await this.designationRepository.updateDesignation(
        designationId,
        { revokedAt: new Date(), revokedBy: principal.userId, revokeReason: dto.reason },
        tx,
      );
      await this.applicationRepository.updateApplication(fresh.applicationId, { status: 'revoked' }, tx);
      await this.audit.record(
        {
          actorId: principal.userId,
          action: 'model_school.revoked',
          targetType: 'model_school_designation',
          targetId: designationId,
          detail: { reason: dto.reason },
        },
        tx,
      );
      return updated;
    });
    return designationDto(row);
  }

  /** The public list (no login): active designations of a year. */
  async publicList(year = programmeYearOf(new Date())): Promise<PublicModelSchoolListDto> {
    const rows = await this.designationRepository.publicList(year);
    return {
      year,
      items: rows.map((r) => ({
        schoolId: r.designation.schoolId,
        schoolName: r.schoolName,
        districtName: r.districtName,
        certificateNo: r.designation.certificateNo,
        designatedAt: r.designation.designatedAt.toISOString(),
      })),
    };
  }

  async history(schoolId: string): Promise<SchoolHistoryDto> {
    const [applications, designations] = await Promise.all([
      this.applicationRepository.applicationsOfSchool(schoolId),
      this.designationRepository.designationsOfSchool(schoolId),
    ]);
    return {
      schoolId,
      applications: applications.map((a) => this.applications.applicationDto(a)),
      designations: designations.map(designationDto),
    };
  }
}

export function designationDto(row: DesignationRow): DesignationDto {
  return {
    id: row.id,
    applicationId: row.applicationId,
    schoolId: row.schoolId,
    year: row.year,
    certificateNo: row.certificateNo,
    score: row.score,
    designatedAt: row.designatedAt.toISOString(),
    revokedAt: row.revokedAt?.toISOString() ?? null,
    revokeReason: row.revokeReason,
  };
}
