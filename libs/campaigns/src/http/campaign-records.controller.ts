import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authorize } from '@jiaxiao/auth';
import { CampaignService } from '../campaign.service';
import { CampaignDto } from '../dto/campaign.dto';

/**
 * The campaign routes parents and staff share, served by both parent-api and admin-api: a campaign's
 * details, for whoever the `campaign` rule lets read it (staff who run it, guardians in its scope).
 */
@ApiTags('campaigns')
@ApiBearerAuth()
@Controller()
export class CampaignRecordsController {
  constructor(private readonly campaigns: CampaignService) {}

  @Get('campaigns/:id')
  @ApiOperation({ summary: '活动详情' })
  @Authorize('read', 'campaign')
  @ApiOkResponse({ type: CampaignDto })
  get(@Param('id') id: string): Promise<CampaignDto> {
    return this.campaigns.get(id);
  }
}
