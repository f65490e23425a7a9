import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  MinLength,
  ValidateNested,
} from 'class-validator';
import {
  Award,
  AWARDS,
  CAMPAIGN_KINDS,
  CAMPAIGN_SCOPES,
  CampaignKind,
  CampaignScope,
  SUBMISSION_STATUSES,
  SubmissionStatus,
} from '@jiaxiao/db';

export class CreateCampaignDto {
  @ApiProperty({ enum: CAMPAIGN_KINDS, description: 'family_story 我说我的家风家训故事 · reading_family 书香之家' })
  @IsIn(CAMPAIGN_KINDS)
  kind: CampaignKind;
  @ApiProperty({ example: '2026年“我说我的家风家训故事”征集' }) @IsString() @MinLength(2) @MaxLength(100) title: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2000) description?: string;
  @ApiProperty({ enum: CAMPAIGN_SCOPES }) @IsIn(CAMPAIGN_SCOPES) scopeType: CampaignScope;
  @ApiPropertyOptional({ description: 'the district or school; omitted for the city' }) @IsOptional() @IsUUID() scopeId?: string;
  @ApiProperty({ example: '2026-11-01T00:00:00+08:00' }) @IsISO8601() opensAt: string;
  @ApiProperty({ example: '2026-12-31T23:59:59+08:00' }) @IsISO8601() closesAt: string;
}

export class CampaignDto {
  @ApiProperty() id: string;
  @ApiProperty({ enum: CAMPAIGN_KINDS }) kind: CampaignKind;
  @ApiProperty() title: string;
  @ApiPropertyOptional({ type: String, nullable: true }) description: string | null;
  @ApiProperty({ enum: CAMPAIGN_SCOPES }) scopeType: CampaignScope;
  @ApiPropertyOptional({ type: String, nullable: true }) scopeId: string | null;
  @ApiProperty() opensAt: string;
  @ApiProperty() closesAt: string;
  @ApiProperty({ description: 'now inside the submission window' }) open: boolean;
  @ApiProperty({ type: [String], enum: AWARDS, description: 'awards this campaign gives' }) awards: Award[];
}

export class CampaignListDto {
  @ApiProperty({ type: [CampaignDto] }) items: CampaignDto[];
}

export class ReadingLogEntryDto {
  @ApiProperty({ example: '平凡的世界' }) @IsString() @MinLength(1) @MaxLength(100) title: string;
  @ApiPropertyOptional({ example: '路遥' }) @IsOptional() @IsString() @MaxLength(60) author?: string;
  @ApiPropertyOptional({ example: '2026-10-12' }) @IsOptional() @IsISO8601() readOn?: string;
  @ApiPropertyOptional({ example: '全家共读，每晚半小时' }) @IsOptional() @IsString() @MaxLength(500) note?: string;
}

export class CreateSubmissionDto {
  @ApiProperty({ description: 'the household (one of your children)' }) @IsUUID() studentId: string;
  @ApiProperty({ example: '陈家', description: 'shown publicly; no child is named' })
  @IsString()
  @MinLength(1)
  @MaxLength(40)
  familyName: string;
  @ApiProperty({ example: '勤俭持家，耕读传家' }) @IsString() @MinLength(1) @MaxLength(100) title: string;
  @ApiProperty({ description: 'the story, or the reading family’s introduction' }) @IsString() @MinLength(1) @MaxLength(10000) body: string;
  @ApiPropertyOptional({ type: [String], description: 'file ids from POST /uploads' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(9)
  @IsUUID('4', { each: true })
  imageFileIds?: string[];

  @ApiPropertyOptional({ type: [ReadingLogEntryDto], description: '书香之家: the reading log (required there)' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => ReadingLogEntryDto)
  readingLog?: ReadingLogEntryDto[];
}

export class SubmissionDto {
  @ApiProperty() id: string;
  @ApiProperty() campaignId: string;
  @ApiProperty() familyName: string;
  @ApiProperty() title: string;
  @ApiProperty() body: string;
  @ApiProperty({ type: [String] }) imageFileIds: string[];
  @ApiProperty({ type: [ReadingLogEntryDto] }) readingLog: ReadingLogEntryDto[];
  @ApiProperty({ enum: SUBMISSION_STATUSES }) status: SubmissionStatus;
  @ApiPropertyOptional({ type: String, nullable: true }) rejectReason: string | null;
  @ApiProperty() likeCount: number;
  @ApiPropertyOptional({ description: 'the caller liked it' }) liked?: boolean;
  @ApiPropertyOptional({ enum: AWARDS, nullable: true }) award: Award | null;
  @ApiPropertyOptional({ type: String, nullable: true }) certificateNo: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) publishedAt: string | null;
  @ApiProperty() createdAt: string;
}

export class SubmissionListDto {
  @ApiProperty({ type: [SubmissionDto] }) items: SubmissionDto[];
}

export class SubmissionQueryDto {
  @ApiPropertyOptional({ enum: SUBMISSION_STATUSES }) @IsOptional() @IsIn(SUBMISSION_STATUSES) status?: SubmissionStatus;
}

export class ReviewSubmissionDto {
  @ApiProperty({ enum: ['approve', 'reject'] }) @IsIn(['approve', 'reject']) decision: 'approve' | 'reject';
  @ApiPropertyOptional({ description: 'required when rejecting' }) @IsOptional() @IsString() @MinLength(2) @MaxLength(500) reason?: string;
}

export class AwardSubmissionDto {
  @ApiProperty({ enum: AWARDS, description: 'first 一等奖 · second 二等奖 · third 三等奖 (stories) · reading_family 书香之家 title' })
  @IsIn(AWARDS)
  award: Award;
}

export class LikeResultDto {
  @ApiProperty() likeCount: number;
  @ApiProperty() liked: boolean;
}
