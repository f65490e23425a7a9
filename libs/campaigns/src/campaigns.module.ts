import { Module } from '@nestjs/common';
import { MessagingModule } from '@jiaxiao/messaging';
import { ArticleService } from './article.service';
import { ArticlesRepository } from './articles.repository';
import { CampaignService } from './campaign.service';
import { CampaignsAccess } from './campaigns.access';
import { CampaignsRepository } from './campaigns.repository';

@Module({
  imports: [MessagingModule],
  providers: [CampaignsRepository, CampaignsAccess, CampaignService, ArticlesRepository, ArticleService],
  exports: [CampaignService, ArticleService],
})
export class CampaignsModule {}
