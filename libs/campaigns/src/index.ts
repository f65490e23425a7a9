export * from './campaigns.module';
export * from './campaign.service';
export * from './dto/campaign.dto';
export * from './article.service';
export * from './dto/article.dto';
export * from './http/campaign-records.controller';
