export * from './campaigns.module';
export * from './campaign.service';
export * from './dto/campaign.dto';
