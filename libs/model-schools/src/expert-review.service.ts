import { Injectable } from '@nestjs/common';
import { DomainError, Principal } from '@jiaxiao/common';
import { DbExecutor } from '@jiaxiao/db';
import { DirectoryRepository } from '@jiaxiao/directory';
import { AuditService } from '@jiaxiao/platform';
import { AssignReviewerDto, ExpertDto, RegisterExpertDto, ReviewDto, ScoreReviewDto } from './dto/model-school.dto';
import { ApplicationRepository } from './application.repository';
import { ExpertReviewRepository } from './expert-review.repository';
import { isCityStaff } from './model-school-scope';
import { ModelSchoolService } from './model-school.service';
import { ApplicationRow, ModelSchoolsRepository } from './model-schools.repository';
import { toReviewDto } from './review.mapper';
import { round2 } from './rubric';

/**
 * City experts and their reviews: each expert's own district, assignment to district-passed
 * applications (never from the school's district), scoring the manual items, and the
 * application's manual score as the mean of the submitted reviews.
 */
@Injectable()
export class ExpertReviewService {
  constructor(
    private readonly directory: DirectoryRepository,
    private readonly repository: ModelSchoolsRepository,
    private readonly applicationRepository: ApplicationRepository,
    private readonly expertReviewRepository: ExpertReviewRepository,
    private readonly modelSchools: ModelSchoolService,
    private readonly audit: AuditService,
  ) {}

  /** City staff record an expert's own district (the expert role itself is city-wide). */
  async registerExpert(principal: Principal, dto: RegisterExpertDto): Promise<{ userId: string; districtId: string }> {
    if (!isCityStaff(principal)) throw new DomainError('FORBIDDEN');
    if (!(await this.repository.hasRole(dto.userId, 'expert'))) throw new DomainError('MODEL_SCHOOL_EXPERT_NOT_FOUND');
    if (!(await this.directory.districtById(dto.districtId))) throw new DomainError('DISTRICT_NOT_FOUND');
    await this.repository.transaction(async (tx) => {
      await this.expertReviewRepository.upsertExpert(dto.userId, dto.districtId, tx);
      await this.audit.record(
        {
          actorId: principal.userId,
          action: 'model_school.expert_registered',
          targetType: 'user',
          targetId: dto.userId,
          detail: { districtId: dto.districtId },
        },
        tx,
      );
    });
    return { userId: dto.userId, districtId: dto.districtId };
  }

  /** The registered experts, for assigning reviewers (city staff). */
  async experts(principal: Principal): Promise<ExpertDto[]> {
    if (!isCityStaff(principal)) throw new DomainError('FORBIDDEN');
    return this.expertReviewRepository.experts();
  }

  /** City staff assign an expert to a district-passed application — never one from the school's district. */
  async assignReviewer(principal: Principal, applicationId: string, dto: AssignReviewerDto): Promise<ReviewDto> {
    if (!isCityStaff(principal)) throw new DomainError('FORBIDDEN');
    const application = await this.modelSchools.application(applicationId);
    if (application.status !== 'district_passed') throw new DomainError('MODEL_SCHOOL_APPLICATION_STATE', { status: application.status });
    const expert = await this.expertReviewRepository.expert(dto.expertUserId);
    if (!expert) throw new DomainError('MODEL_SCHOOL_EXPERT_NOT_FOUND');
    const school = await this.directory.schoolById(application.schoolId);
    if (!school) throw new DomainError('SCHOOL_NOT_FOUND');
    if (expert.districtId === school.districtId) throw new DomainError('MODEL_SCHOOL_OWN_DISTRICT');
    const row =
      (await this.expertReviewRepository.insertReview({
        applicationId,
        reviewerId: expert.userId,
        reviewerDistrictId: expert.districtId,
        assignedBy: principal.userId,
      })) ?? (await this.expertReviewRepository.reviewsOf(applicationId)).find((r) => r.reviewerId === expert.userId)!;
    return toReviewDto(row);
  }

  async myReviews(principal: Principal): Promise<ReviewDto[]> {
    const rows = await this.expertReviewRepository.reviewsBy(principal.userId);
    return rows.map((r) => ({ ...toReviewDto(r.review), schoolName: r.schoolName }));
  }

  /** An expert scores the manual items; the application's manual score is the mean of the submitted reviews. */
  async score(principal: Principal, reviewId: string, dto: ScoreReviewDto): Promise<ReviewDto> {
    const review = await this.expertReviewRepository.review(reviewId);
    if (!review || review.reviewerId !== principal.userId) throw new DomainError('MODEL_SCHOOL_REVIEW_NOT_FOUND');
    const application = await this.modelSchools.application(review.applicationId);
    const school = await this.directory.schoolById(application.schoolId);
    const expert = await this.expertReviewRepository.expert(principal.userId);
    // Checked again at scoring: the expert's district may have been corrected since the assignment.
    if (!school || review.reviewerDistrictId === school.districtId || expert?.districtId === school.districtId)
      throw new DomainError('MODEL_SCHOOL_OWN_DISTRICT');
    const manual = (await this.repository.criteria(application.year)).filter((c) => c.kind === 'manual');
    const scores: Record<string, number> = {};
    for (const c of manual) {
      const value = dto.scores[c.code];
      if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > c.weight)
        throw new DomainError('MODEL_SCHOOL_SCORES_INVALID');
      scores[c.code] = round2(value);
    }
    if (Object.keys(dto.scores).some((code) => !(code in scores))) throw new DomainError('MODEL_SCHOOL_SCORES_INVALID');
    const total = round2(Object.values(scores).reduce((s, v) => s + v, 0));
    const row = await this.repository.transaction(async (tx) => {
      const locked = await this.applicationRepository.lockApplication(application.id, tx);
      if (!locked || locked.status !== 'district_passed')
        throw new DomainError('MODEL_SCHOOL_APPLICATION_STATE', { status: locked?.status ?? 'missing' });
      const updated = await this.expertReviewRepository.updateReview(
        reviewId,
        { scores, total, comment: dto.comment ?? null, submittedAt: new Date() },
        tx,
      );
      await this.recomputeTotal(locked, tx);
      await this.audit.record(
        {
          actorId: principal.userId,
          action: 'model_school.scored',
          targetType: 'model_school_application',
          targetId: application.id,
          detail: { reviewId, total },
        },
        tx,
      );
      return updated;
    });
    return toReviewDto(row);
  }

  private async recomputeTotal(application: ApplicationRow, tx: DbExecutor): Promise<void> {
    const submitted = (await this.expertReviewRepository.reviewsOf(application.id, tx)).filter((r) => r.total !== null);
    const manualScore = submitted.length ? round2(submitted.reduce((s, r) => s + (r.total ?? 0), 0) / submitted.length) : null;
    await this.applicationRepository.updateApplication(
      application.id,
      { manualScore, totalScore: manualScore === null ? null : round2(application.autoScore + manualScore) },
      tx,
    );
  }
}
