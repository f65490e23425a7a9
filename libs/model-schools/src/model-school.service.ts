import { Injectable } from '@nestjs/common';
import { areaScopeOf, DomainError, Principal } from '@jiaxiao/common';
import { DbExecutor, MetricSnapshot } from '@jiaxiao/db';
import { ReportService } from '@jiaxiao/courses';
import { AuditService } from '@jiaxiao/platform';
import {
  ApplicationDto,
  ApplicationListQueryDto,
  ApplyDto,
  CriteriaDto,
  MetricsDto,
  PreReviewDto,
  PutCriteriaDto,
  PutPassMarkDto,
  PutQuotaDto,
  ResubmitDto,
} from './dto/model-school.dto';
import { FamilySupportService } from './family-support.service';
import { isCityStaff, isCoordinatorOf, managesSchool, overseesDistrict, programmeYearOf } from './model-school-scope';
import { ApplicationRow, CriterionRow, MetricInputs, ModelSchoolsRepository } from './model-schools.repository';
import { DesignationRepository } from './designation.repository';
import { ExpertReviewRepository } from './expert-review.repository';
import { toReviewDto } from './review.mapper';
import { ApplicationRepository } from './application.repository';
import { computeIndicator, IndicatorSpec, round2 } from './rubric';
import { DirectoryRepository } from '@jiaxiao/directory';

/**
 * 家庭教育示范学校: yearly weighted criteria, automatic metrics snapshotted at application,
 * district pre-review, total and rank. City experts scoring the manual items (never their own
 * district's schools) live in ExpertReviewService, designation in DesignationService.
 */
@Injectable()
export class ModelSchoolService {
  constructor(
    private readonly directory: DirectoryRepository,
    private readonly repository: ModelSchoolsRepository,
    private readonly designationRepository: DesignationRepository,
    private readonly applicationRepository: ApplicationRepository,
    private readonly expertReviewRepository: ExpertReviewRepository,
    private readonly audit: AuditService,
    private readonly survey: FamilySupportService,
    private readonly reports: ReportService,
  ) {}

  // ── criteria ──────────────────────────────────────────────────────────────────

  async criteria(year = programmeYearOf(new Date())): Promise<CriteriaDto> {
    const row = await this.repository.year(year);
    if (!row) throw new DomainError('MODEL_SCHOOL_YEAR_NOT_FOUND');
    const [rows, applied, years] = await Promise.all([
      this.repository.criteria(year),
      this.repository.applicationCount(year),
      this.repository.years(),
    ]);
    return {
      year,
      quota: row.quota,
      passMark: row.passMark,
      locked: applied > 0,
      years,
      indicators: rows.map((c) => this.criterionDto(c)),
    };
  }

  /** City staff publish a year's rubric (replacing it while no school has applied). */
  async putCriteria(principal: Principal, dto: PutCriteriaDto): Promise<CriteriaDto> {
    if (!isCityStaff(principal)) throw new DomainError('FORBIDDEN');
    this.assertRubric(dto.indicators);
    await this.repository.transaction(async (tx) => {
      await this.writeRubric(dto.year, dto.indicators, dto.quota, principal.userId, tx, dto.passMark);
      await this.audit.record(
        {
          actorId: principal.userId,
          action: 'model_school.criteria_published',
          detail: { year: dto.year, indicators: dto.indicators.length },
        },
        tx,
      );
    });
    return this.criteria(dto.year);
  }

  /** Publishes a rubric; the seed calls it with DEFAULT_RUBRIC (idempotent while nobody applied). */
  async publish(year: number, indicators: IndicatorSpec[], quota: number | undefined, by: string | null): Promise<void> {
    this.assertRubric(indicators);
    await this.repository.transaction((tx) => this.writeRubric(year, indicators, quota, by, tx));
  }

  /** Weights sum to 100, codes are unique, and exactly the auto indicators name a metric. */
  private assertRubric(indicators: IndicatorSpec[]): void {
    const total = indicators.reduce((s, i) => s + i.weight, 0);
    const codes = new Set(indicators.map((i) => i.code));
    if (
      Math.abs(total - 100) > 0.001 ||
      codes.size !== indicators.length ||
      indicators.some((i) => (i.kind === 'auto') !== Boolean(i.metric))
    ) {
      throw new DomainError('MODEL_SCHOOL_WEIGHTS_INVALID');
    }
  }

  /** Writes the year's quota and rubric in the caller's transaction; refused once a school has applied. */
  private async writeRubric(
    year: number,
    indicators: IndicatorSpec[],
    quota: number | undefined,
    by: string | null,
    tx: DbExecutor,
    passMark?: number,
  ): Promise<void> {
    await this.repository.upsertYear(year, quota, by, tx, passMark);
    await this.repository.lockYear(year, tx);
    if ((await this.repository.applicationCount(year, tx)) > 0) throw new DomainError('MODEL_SCHOOL_CRITERIA_LOCKED');
    await this.repository.replaceCriteria(
      year,
      indicators.map((i, position) => ({
        code: i.code,
        name: i.name,
        description: i.description ?? null,
        kind: i.kind,
        metric: i.kind === 'auto' ? (i.metric ?? null) : null,
        weight: i.weight,
        target: i.target ?? null,
        position,
      })),
      tx,
    );
  }

  async putQuota(principal: Principal, dto: PutQuotaDto): Promise<CriteriaDto> {
    if (!isCityStaff(principal)) throw new DomainError('FORBIDDEN');
    if (!(await this.repository.year(dto.year))) throw new DomainError('MODEL_SCHOOL_YEAR_NOT_FOUND');
    await this.repository.transaction(async (tx) => {
      await this.repository.upsertYear(dto.year, dto.quota, principal.userId, tx);
      await this.audit.record(
        { actorId: principal.userId, action: 'model_school.quota_set', detail: { year: dto.year, quota: dto.quota } },
        tx,
      );
    });
    return this.criteria(dto.year);
  }

  /** The pass mark may change until the year's first designation: after that it would judge schools unequally. */
  async putPassMark(principal: Principal, dto: PutPassMarkDto): Promise<CriteriaDto> {
    if (!isCityStaff(principal)) throw new DomainError('FORBIDDEN');
    await this.repository.transaction(async (tx) => {
      if (!(await this.repository.lockYear(dto.year, tx))) throw new DomainError('MODEL_SCHOOL_YEAR_NOT_FOUND');
      if ((await this.designationRepository.allDesignations(dto.year, tx)) > 0) throw new DomainError('MODEL_SCHOOL_PASS_MARK_LOCKED');
      await this.repository.upsertYear(dto.year, undefined, principal.userId, tx, dto.passMark);
      await this.audit.record(
        { actorId: principal.userId, action: 'model_school.pass_mark_set', detail: { year: dto.year, passMark: dto.passMark } },
        tx,
      );
    });
    return this.criteria(dto.year);
  }

  // ── metrics ───────────────────────────────────────────────────────────────────

  /** The automatic indicators of a school now (a preview; an application keeps its own snapshot). */
  async metrics(principal: Principal, schoolId: string, year = programmeYearOf(new Date())): Promise<MetricsDto> {
    const school = await this.directory.schoolById(schoolId);
    if (!school) throw new DomainError('SCHOOL_NOT_FOUND');
    if (!managesSchool(principal, school)) throw new DomainError('FORBIDDEN');
    const at = new Date();
    const metrics = await this.snapshot(schoolId, year, at);
    return { schoolId, year, snapshotAt: at.toISOString(), metrics, autoScore: sumPoints(metrics) };
  }

  /**
   * The counted inputs as of `at` from the context's facts; households, compliant households and the
   * requirement from courses' totals, as they are now (a snapshot is taken when it is applied for).
   */
  private async metricInputs(
    schoolId: string,
    year: number,
    at: Date,
  ): Promise<Omit<MetricInputs, 'satisfactionResponses' | 'satisfactionAverage'>> {
    const schoolYearId = await this.repository.schoolYearId(year);
    const counted = await this.repository.countedInputs(schoolId, schoolYearId, at);
    const totals = schoolYearId
      ? await this.reports.schoolTotals(schoolId, schoolYearId)
      : { households: 0, compliant: 0, requiredHours: 8 };
    return { ...counted, households: totals.households, compliantHouseholds: totals.compliant, requiredHours: totals.requiredHours };
  }

  private async snapshot(schoolId: string, year: number, at: Date): Promise<MetricSnapshot[]> {
    const criteria = await this.repository.criteria(year);
    if (criteria.length === 0) throw new DomainError('MODEL_SCHOOL_YEAR_NOT_FOUND');
    const satisfaction = await this.survey.scores(schoolId, year);
    const inputs = {
      ...(await this.metricInputs(schoolId, year, at)),
      satisfactionResponses: satisfaction.responses,
      satisfactionAverage: satisfaction.average,
    };
    return criteria
      .filter((c) => c.kind === 'auto' && c.metric)
      .map((c) => computeIndicator({ code: c.code, metric: c.metric!, weight: c.weight, target: c.target }, inputs));
  }

  // ── applications ──────────────────────────────────────────────────────────────

  async apply(principal: Principal, dto: ApplyDto): Promise<ApplicationDto> {
    const school = await this.directory.schoolById(dto.schoolId);
    if (!school) throw new DomainError('SCHOOL_NOT_FOUND');
    if (!isCoordinatorOf(principal, school.id)) throw new DomainError('MODEL_SCHOOL_COORDINATOR_ONLY');
    if (!(await this.repository.year(dto.year))) throw new DomainError('MODEL_SCHOOL_YEAR_NOT_FOUND');
    const materialFileIds = dto.materialFileIds ?? [];
    if (!(await this.repository.ownsFiles(principal.userId, materialFileIds))) throw new DomainError('FILE_NOT_FOUND');
    const snapshotAt = new Date();
    const metrics = await this.snapshot(school.id, dto.year, snapshotAt);
    const row = await this.repository.transaction(async (tx) => {
      const inserted = await this.applicationRepository.insertApplication(
        {
          schoolId: school.id,
          year: dto.year,
          materials: dto.materials,
          materialFileIds,
          metrics,
          snapshotAt,
          autoScore: sumPoints(metrics),
          submittedBy: principal.userId,
        },
        tx,
      );
      if (!inserted) throw new DomainError('MODEL_SCHOOL_APPLICATION_EXISTS');
      await this.audit.record(
        {
          actorId: principal.userId,
          action: 'model_school.applied',
          targetType: 'model_school_application',
          targetId: inserted.id,
          detail: { year: dto.year },
        },
        tx,
      );
      return inserted;
    });
    return this.applicationDto(row, school.name);
  }

  /** A returned application goes in again with new materials and a fresh metrics snapshot. */
  async resubmit(principal: Principal, applicationId: string, dto: ResubmitDto): Promise<ApplicationDto> {
    const current = await this.application(applicationId);
    if (!isCoordinatorOf(principal, current.schoolId)) throw new DomainError('MODEL_SCHOOL_COORDINATOR_ONLY');
    const materialFileIds = dto.materialFileIds ?? [];
    if (!(await this.repository.ownsFiles(principal.userId, materialFileIds))) throw new DomainError('FILE_NOT_FOUND');
    const snapshotAt = new Date();
    const metrics = await this.snapshot(current.schoolId, current.year, snapshotAt);
    const row = await this.repository.transaction(async (tx) => {
      const locked = await this.applicationRepository.lockApplication(applicationId, tx);
      if (!locked || locked.status !== 'returned')
        throw new DomainError('MODEL_SCHOOL_APPLICATION_STATE', { status: locked?.status ?? 'missing' });
      const updated = await this.applicationRepository.updateApplication(
        applicationId,
        {
          status: 'submitted',
          materials: dto.materials,
          materialFileIds,
          metrics,
          snapshotAt,
          autoScore: sumPoints(metrics),
          submissions: locked.submissions + 1,
        },
        tx,
      );
      await this.audit.record(
        { actorId: principal.userId, action: 'model_school.resubmitted', targetType: 'model_school_application', targetId: applicationId },
        tx,
      );
      return updated;
    });
    return this.applicationDto(row);
  }

  /** District pre-review: pass to the city, or return with comments for resubmission. */
  async preReview(principal: Principal, applicationId: string, dto: PreReviewDto): Promise<ApplicationDto> {
    const current = await this.application(applicationId);
    const school = await this.directory.schoolById(current.schoolId);
    if (!school || !overseesDistrict(principal, school.districtId)) throw new DomainError('FORBIDDEN');
    if (dto.decision === 'return' && !dto.comment)
      throw new DomainError('VALIDATION_FAILED', {}, [{ field: 'comment', constraint: 'requiredToReturn' }]);
    const row = await this.repository.transaction(async (tx) => {
      const locked = await this.applicationRepository.lockApplication(applicationId, tx);
      if (!locked || locked.status !== 'submitted')
        throw new DomainError('MODEL_SCHOOL_APPLICATION_STATE', { status: locked?.status ?? 'missing' });
      const updated = await this.applicationRepository.updateApplication(
        applicationId,
        {
          status: dto.decision === 'pass' ? 'district_passed' : 'returned',
          districtComment: dto.comment ?? null,
          districtReviewedBy: principal.userId,
          districtReviewedAt: new Date(),
        },
        tx,
      );
      await this.audit.record(
        {
          actorId: principal.userId,
          action: `model_school.district_${dto.decision}`,
          targetType: 'model_school_application',
          targetId: applicationId,
          detail: { comment: dto.comment ?? null },
        },
        tx,
      );
      return updated;
    });
    return this.applicationDto(row, school.name);
  }

  async list(principal: Principal, query: ApplicationListQueryDto): Promise<ApplicationDto[]> {
    const year = query.year ?? programmeYearOf(new Date());
    const rows = await this.applicationRepository.applications(year, areaScopeOf(principal), query.status);
    const ranks = await this.applicationRepository.ranks(year);
    return rows.map((r) => ({ ...this.applicationDto(r.application, r.schoolName), rank: ranks.get(r.application.id) ?? null }));
  }

  async get(applicationId: string): Promise<ApplicationDto> {
    const row = await this.application(applicationId);
    const school = await this.directory.schoolById(row.schoolId);
    const ranks = await this.applicationRepository.ranks(row.year);
    const reviews = await this.expertReviewRepository.reviewsOf(row.id);
    return { ...this.applicationDto(row, school?.name), rank: ranks.get(row.id) ?? null, reviews: reviews.map(toReviewDto) };
  }

  async application(id: string): Promise<ApplicationRow> {
    const row = await this.applicationRepository.application(id);
    if (!row) throw new DomainError('MODEL_SCHOOL_APPLICATION_NOT_FOUND');
    return row;
  }

  private criterionDto(c: CriterionRow) {
    return { code: c.code, name: c.name, description: c.description, kind: c.kind, metric: c.metric, weight: c.weight, target: c.target };
  }

  applicationDto(row: ApplicationRow, schoolName?: string): ApplicationDto {
    return {
      id: row.id,
      schoolId: row.schoolId,
      schoolName,
      year: row.year,
      status: row.status,
      materials: row.materials,
      materialFileIds: row.materialFileIds,
      metrics: row.metrics,
      snapshotAt: row.snapshotAt.toISOString(),
      autoScore: row.autoScore,
      manualScore: row.manualScore,
      totalScore: row.totalScore,
      districtComment: row.districtComment,
      submissions: row.submissions,
    };
  }
}

function sumPoints(metrics: MetricSnapshot[]): number {
  return round2(metrics.reduce((s, m) => s + m.points, 0));
}
