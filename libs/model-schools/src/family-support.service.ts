import { Injectable } from '@nestjs/common';
import { DomainError, Principal } from '@jiaxiao/common';
import { AuditService } from '@jiaxiao/platform';
import { AnswerSurveyDto, CreateSupportSiteDto, SatisfactionSummaryDto, SupportSiteDto, SurveyStatusDto } from './dto/model-school.dto';
import { managesSchool, programmeYearOf } from './model-school-scope';
import { ModelSchoolsRepository, SupportSiteRow } from './model-schools.repository';

/**
 * 心理辅导室 / 成长导航站 directory per school, and the anonymous parent satisfaction survey:
 * one answer per household and year — the household is marked in one table, the answer stored
 * in another with no user, household or time — both written in one transaction.
 */
@Injectable()
export class FamilySupportService {
  constructor(
    private readonly repository: ModelSchoolsRepository,
    private readonly audit: AuditService,
  ) {}

  async addSite(principal: Principal, dto: CreateSupportSiteDto): Promise<SupportSiteDto> {
    const school = await this.repository.schoolById(dto.schoolId);
    if (!school) throw new DomainError('SCHOOL_NOT_FOUND');
    if (!managesSchool(principal, school)) throw new DomainError('FORBIDDEN');
    const row = await this.repository.transaction(async (tx) => {
      const inserted = await this.repository.insertSupportSite({ ...dto, location: dto.location ?? null, createdBy: principal.userId }, tx);
      await this.audit.record({ actorId: principal.userId, action: 'support_site.created', targetType: 'support_site', targetId: inserted.id }, tx);
      return inserted;
    });
    return siteDto(row, school.name);
  }

  async removeSite(principal: Principal, siteId: string): Promise<void> {
    await this.repository.transaction(async (tx) => {
      await this.repository.deleteSupportSite(siteId, tx);
      await this.audit.record({ actorId: principal.userId, action: 'support_site.deleted', targetType: 'support_site', targetId: siteId }, tx);
    });
  }

  async sitesOfSchool(principal: Principal, schoolId: string): Promise<SupportSiteDto[]> {
    const school = await this.repository.schoolById(schoolId);
    if (!school) throw new DomainError('SCHOOL_NOT_FOUND');
    const worksThere = principal.assignments.some((a) => a.role !== 'expert' && a.schoolId === schoolId);
    if (!managesSchool(principal, school) && !worksThere) throw new DomainError('FORBIDDEN');
    return (await this.repository.supportSitesOf([schoolId])).map((r) => siteDto(r.site, r.schoolName));
  }

  /** Parents: the sites of their children's schools. */
  async sitesForParent(principal: Principal): Promise<SupportSiteDto[]> {
    const schoolIds = [...new Set(principal.children.map((c) => c.schoolId))];
    return (await this.repository.supportSitesOf(schoolIds)).map((r) => siteDto(r.site, r.schoolName));
  }

  async surveyStatus(principal: Principal, studentId: string): Promise<SurveyStatusDto> {
    const schoolId = await this.repository.householdSchool(principal.userId, studentId);
    if (!schoolId) throw new DomainError('STUDENT_NOT_FOUND');
    const year = programmeYearOf(new Date());
    return { year, answered: await this.repository.hasResponded(schoolId, year, studentId) };
  }

  /** One answer per household (whichever guardian answers first); a second one is refused. */
  async answer(principal: Principal, dto: AnswerSurveyDto): Promise<SurveyStatusDto> {
    const schoolId = await this.repository.householdSchool(principal.userId, dto.studentId);
    if (!schoolId) throw new DomainError('STUDENT_NOT_FOUND');
    const year = programmeYearOf(new Date());
    await this.repository.transaction(async (tx) => {
      if (!(await this.repository.markResponded(schoolId, year, dto.studentId, tx))) throw new DomainError('SURVEY_ALREADY_ANSWERED');
      await this.repository.insertResponse({ schoolId, year, score: dto.score, comment: dto.comment ?? null }, tx);
    });
    return { year, answered: true };
  }

  async summary(principal: Principal, schoolId: string, year = programmeYearOf(new Date())): Promise<SatisfactionSummaryDto> {
    const school = await this.repository.schoolById(schoolId);
    if (!school) throw new DomainError('SCHOOL_NOT_FOUND');
    if (!managesSchool(principal, school)) throw new DomainError('FORBIDDEN');
    return { schoolId, year, ...(await this.repository.satisfactionSummary(schoolId, year)) };
  }
}

function siteDto(row: SupportSiteRow, schoolName?: string): SupportSiteDto {
  return { id: row.id, schoolId: row.schoolId, schoolName, kind: row.kind, name: row.name, location: row.location, openingHours: row.openingHours, contact: row.contact };
}
