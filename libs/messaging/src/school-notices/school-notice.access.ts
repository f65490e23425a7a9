import { Injectable, OnModuleInit } from '@nestjs/common';
import { Principal } from '@jiaxiao/common';
import { PolicyService } from '@jiaxiao/auth';
import { FileAccessRegistry } from '@jiaxiao/files';
import { SchoolNoticeRepository } from './school-notice.repository';

/** No district has this id: a city-wide place only city staff manage. */
const CITY = 'city';

/**
 * The rule of school notices, registered with the policy service:
 * - read: a recipient, or whoever manages it
 * - manage (receipts, reminders): its sender; for a family notice whoever manages the school
 *   (its coordinator, the district, the city); for a coordinator notice the district's staff
 *   (or, city-wide, the city's)
 * - its attachments: whoever may read it (a file rule registered with the files library)
 */
@Injectable()
export class SchoolNoticeAccess implements OnModuleInit {
  constructor(
    private readonly policy: PolicyService,
    private readonly repository: SchoolNoticeRepository,
    private readonly files: FileAccessRegistry,
  ) {}

  onModuleInit() {
    this.policy.register({
      resource: 'school_notice',
      notFound: 'SCHOOL_NOTICE_NOT_FOUND',
      check: async (principal, action, id) => {
        const notice = await this.repository.byId(id);
        if (!notice) return 'not_found';
        if (await this.manages(principal, notice)) return 'allowed';
        const receipt = await this.repository.receipt(id, principal.userId);
        if (!receipt) return 'not_found';
        return action === 'read' ? 'allowed' : 'forbidden';
      },
    });
    // A notice's attachment: whoever may read the notice may download it.
    this.files.register(async (principal, fileId) => {
      for (const notice of await this.repository.noticesWithFile(fileId)) {
        if ((await this.manages(principal, notice)) || (await this.repository.receipt(notice.id, principal.userId))) return true;
      }
      return false;
    });
  }

  /** Whether the caller may post to, or manage a notice of, this scope. */
  async managesScope(principal: Principal, scope: { schoolId: string | null; districtId: string | null }): Promise<boolean> {
    if (scope.schoolId) {
      const school = await this.repository.placeOfSchool(scope.schoolId);
      return Boolean(school) && this.policy.allows(principal, 'manage', { districtId: school.districtId, schoolId: school.id });
    }
    return this.policy.allows(principal, 'manage', { districtId: scope.districtId ?? CITY });
  }

  private async manages(
    principal: Principal,
    notice: { senderId: string; schoolId: string | null; districtId: string | null },
  ): Promise<boolean> {
    return notice.senderId === principal.userId || this.managesScope(principal, notice);
  }
}
