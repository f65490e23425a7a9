import { Module } from '@nestjs/common';
import { FilesModule } from '@jiaxiao/files';
import { ArticleService } from './article.service';
import { ArticlesRepository } from './articles.repository';
import { CampaignService } from './campaign.service';
import { CampaignsAccess } from './campaigns.access';
import { CampaignsRepository } from './campaigns.repository';
import { DirectoryModule } from '@jiaxiao/directory';

@Module({
  imports: [DirectoryModule, FilesModule],
  providers: [CampaignsRepository, CampaignsAccess, CampaignService, ArticlesRepository, ArticleService],
  exports: [CampaignService, ArticleService],
})
export class CampaignsModule {}
