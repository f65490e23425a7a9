import { Module } from '@nestjs/common';
import { MessagingModule } from '@jiaxiao/messaging';
import { CampaignService } from './campaign.service';
import { CampaignsAccess } from './campaigns.access';
import { CampaignsRepository } from './campaigns.repository';

@Module({
  imports: [MessagingModule],
  providers: [CampaignsRepository, CampaignsAccess, CampaignService],
  exports: [CampaignService],
})
export class CampaignsModule {}
