import { Module } from '@nestjs/common';
import { CampaignService } from './campaign.service';
import { CampaignsAccess } from './campaigns.access';
import { CampaignsRepository } from './campaigns.repository';

@Module({
  providers: [CampaignsRepository, CampaignsAccess, CampaignService],
  exports: [CampaignService],
})
export class CampaignsModule {}
