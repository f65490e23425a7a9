import { Injectable, OnModuleInit } from '@nestjs/common';
import { Principal } from '@jiaxiao/common';
import { Action, PolicyService } from '@jiaxiao/auth';
import { FileAccessRegistry } from '@jiaxiao/files';
import { isCityStaff, managesSchool } from './model-school-scope';
import { ModelSchoolsRepository } from './model-schools.repository';
import { ApplicationRepository } from './application.repository';
import { ExpertReviewRepository } from './expert-review.repository';
import { DesignationRepository } from './designation.repository';
import { SupportSitesRepository } from './support-sites.repository';
import { managesSite } from './support-sites.service';
import { DirectoryRepository } from '@jiaxiao/directory';

/**
 * Object rules of the model-schools context:
 * - model_school_application: read = staff over the school (its coordinator, its district, the
 *   city) and the experts assigned to it; manage = staff over the school (the services decide
 *   who does which step: coordinator resubmits, district pre-reviews, city assigns experts and designates)
 * - model_school_review: read and manage = the assigned expert; city staff read
 * - model_school_designation: read = staff over the school; manage = city staff
 * - support_site: manage = its managers (see managesSite); read = its managers and appointed staff
 * - counselling_request: its guardian and the staff of its site, nobody else (the services
 *   decide which side does what)
 * - files: an application's materials are readable by whoever may read the application
 * Outside these, an object is not shown to exist.
 */
@Injectable()
export class ModelSchoolsAccess implements OnModuleInit {
  constructor(
    private readonly directory: DirectoryRepository,
    private readonly policy: PolicyService,
    private readonly repository: ModelSchoolsRepository,
    private readonly applicationRepository: ApplicationRepository,
    private readonly expertReviewRepository: ExpertReviewRepository,
    private readonly designationRepository: DesignationRepository,
    private readonly files: FileAccessRegistry,
    private readonly sites: SupportSitesRepository,
  ) {}

  onModuleInit() {
    this.policy.register({
      resource: 'model_school_application',
      notFound: 'MODEL_SCHOOL_APPLICATION_NOT_FOUND',
      check: (principal, action, id) => this.applicationRule(principal, action, id),
    });
    this.files.register(async (principal, fileId) => {
      for (const id of await this.applicationRepository.applicationsWithMaterial(fileId)) {
        if ((await this.applicationRule(principal, 'read', id)) === 'allowed') return true;
      }
      return false;
    });
    this.policy.register({
      resource: 'model_school_review',
      notFound: 'MODEL_SCHOOL_REVIEW_NOT_FOUND',
      check: async (principal, action, id) => {
        const review = await this.expertReviewRepository.review(id);
        if (!review) return 'not_found';
        if (review.reviewerId === principal.userId) return 'allowed';
        if (isCityStaff(principal)) return action === 'read' ? 'allowed' : 'forbidden';
        return 'not_found';
      },
    });
    this.policy.register({
      resource: 'model_school_designation',
      notFound: 'MODEL_SCHOOL_DESIGNATION_NOT_FOUND',
      check: async (principal, action, id) => {
        const designation = await this.designationRepository.designation(id);
        const school = designation && (await this.directory.schoolById(designation.schoolId));
        if (!designation || !school) return 'not_found';
        if (!managesSchool(principal, school)) return 'not_found';
        return action === 'read' || isCityStaff(principal) ? 'allowed' : 'forbidden';
      },
    });
    this.policy.register({
      resource: 'support_site',
      notFound: 'SUPPORT_SITE_NOT_FOUND',
      check: async (principal, action, id) => {
        const site = await this.sites.site(id);
        if (!site) return 'not_found';
        if (managesSite(principal, site)) return 'allowed';
        // Its staff see the site (and its requests, in CounsellingService) but do not manage it.
        return action === 'read' && (await this.sites.isStaff(id, principal.userId)) ? 'allowed' : 'not_found';
      },
    });
    this.registerCounselling();
  }

  private registerCounselling(): void {
    this.policy.register({
      resource: 'counselling_request',
      notFound: 'COUNSELLING_REQUEST_NOT_FOUND',
      check: async (principal, _action, id) => {
        const request = await this.sites.requestParties(id);
        if (!request) return 'not_found';
        if (request.guardianId === principal.userId || (await this.sites.isStaff(request.siteId, principal.userId))) return 'allowed';
        return 'not_found';
      },
    });
  }

  private async applicationRule(principal: Principal, action: Action, id: string): Promise<'allowed' | 'forbidden' | 'not_found'> {
    const application = await this.applicationRepository.application(id);
    const school = application && (await this.directory.schoolById(application.schoolId));
    if (!application || !school) return 'not_found';
    if (managesSchool(principal, school)) return 'allowed';
    const reviewer = (await this.expertReviewRepository.reviewsOf(application.id)).some((r) => r.reviewerId === principal.userId);
    if (!reviewer) return 'not_found';
    return action === 'read' ? 'allowed' : 'forbidden';
  }
}
