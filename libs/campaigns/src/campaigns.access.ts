import { Injectable, OnModuleInit } from '@nestjs/common';
import { Principal } from '@jiaxiao/common';
import { Action, PolicyService } from '@jiaxiao/auth';
import { FileAccessRegistry } from '@jiaxiao/files';
import { householdInScope, managesScope } from './campaign-scope';
import { CampaignRow, CampaignsRepository } from './campaigns.repository';
import { DirectoryRepository } from '@jiaxiao/directory';

type Outcome = 'allowed' | 'forbidden' | 'not_found';

/**
 * Object rules of the campaigns context:
 * - campaign: read = staff who run it, and guardians with a household in its scope (others are
 *   told it does not exist); manage = staff who run its scope (city; district; school coordinator)
 * - campaign_submission: read = who runs the campaign, the household's guardians, and — once
 *   published — anyone who reads the campaign; manage = who runs the campaign
 * - files: a submission's images are readable by whoever may read the submission
 */
@Injectable()
export class CampaignsAccess implements OnModuleInit {
  constructor(
    private readonly directory: DirectoryRepository,
    private readonly policy: PolicyService,
    private readonly repository: CampaignsRepository,
    private readonly files: FileAccessRegistry,
  ) {}

  onModuleInit() {
    this.policy.register({
      resource: 'campaign',
      notFound: 'CAMPAIGN_NOT_FOUND',
      check: async (principal, action, id) =>
        this.campaignRule(principal, action === 'read' ? 'read' : 'manage', await this.repository.campaign(id)),
    });
    this.policy.register({
      resource: 'campaign_submission',
      notFound: 'CAMPAIGN_SUBMISSION_NOT_FOUND',
      check: (principal, action, id) => this.submissionRule(principal, action, id),
    });
    this.files.register(async (principal, fileId) => {
      for (const id of await this.repository.submissionsWithImage(fileId)) {
        if ((await this.submissionRule(principal, 'read', id)) === 'allowed') return true;
      }
      return false;
    });
  }

  private async submissionRule(principal: Principal, action: Action, id: string): Promise<Outcome> {
    const submission = await this.repository.submission(id);
    if (!submission) return 'not_found';
    const campaign = await this.repository.campaign(submission.campaignId);
    if (!campaign) return 'not_found';
    if (await this.runs(principal, campaign)) return 'allowed';
    const own = await this.repository.isGuardian(principal.userId, submission.studentId);
    const visible = own || (submission.status === 'published' && (await this.campaignRule(principal, 'read', campaign)) === 'allowed');
    if (!visible) return 'not_found';
    return action === 'read' ? 'allowed' : 'forbidden';
  }

  private async campaignRule(principal: Principal, action: 'read' | 'manage', campaign: CampaignRow | undefined): Promise<Outcome> {
    if (!campaign) return 'not_found';
    if (await this.runs(principal, campaign)) return 'allowed';
    const households = await this.repository.households(principal.userId);
    if (!households.some((h) => householdInScope(campaign, h))) return 'not_found';
    return action === 'read' ? 'allowed' : 'forbidden';
  }

  private async runs(principal: Principal, campaign: CampaignRow): Promise<boolean> {
    const districtId =
      campaign.scopeType === 'school' && campaign.scopeId ? (await this.directory.schoolById(campaign.scopeId))?.districtId : undefined;
    return managesScope(principal, campaign, districtId);
  }
}
