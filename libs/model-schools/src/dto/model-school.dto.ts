import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import {
  APPLICATION_STATUSES,
  ApplicationStatus,
  AUTO_METRICS,
  AutoMetric,
  INDICATOR_KINDS,
  IndicatorKind,
  SUPPORT_SITE_KINDS,
  SUPPORT_SITE_SCOPES,
  SupportSiteKind,
  SupportSiteScope,
} from '@jiaxiao/db';
import { IsDecimalNumber } from '@jiaxiao/common';

export class YearQueryDto {
  @ApiPropertyOptional({
    example: 2026,
    description: 'the programme year (the school year starting that September); the current one by default',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(2000)
  @Max(2100)
  year?: number;
}

export class IndicatorDto {
  @ApiProperty({ example: 'course_hours' }) @IsString() @Matches(/^[a-z][a-z0-9_]{1,39}$/) code: string;
  @ApiProperty({ example: '家长学校学时达标率' }) @IsString() @MinLength(2) @MaxLength(100) name: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(500) description?: string;
  @ApiProperty({ enum: INDICATOR_KINDS }) @IsIn(INDICATOR_KINDS) kind: IndicatorKind;
  @ApiPropertyOptional({ enum: AUTO_METRICS, description: 'automatic indicators: the platform metric' })
  @IsOptional()
  @IsIn(AUTO_METRICS)
  metric?: AutoMetric;
  @ApiProperty({ example: 20, description: 'points; the weights of a year add up to 100' }) @IsNumber() @Min(0.5) @Max(100) weight: number;
  @ApiPropertyOptional({ example: 0.8, description: 'the value that earns full points' }) @IsOptional() @IsNumber() @Min(0) target?: number;
}

export class PutCriteriaDto {
  @ApiProperty({ example: 2026 }) @IsInt() @Min(2000) @Max(2100) year: number;
  @ApiPropertyOptional({ example: 100, description: 'designations allowed this year (100 by default)' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(10000)
  quota?: number;
  @ApiPropertyOptional({ example: 60, description: 'the lowest total score (of 100) a school may be designated with (60 by default)' })
  @IsOptional()
  @IsDecimalNumber(2)
  @Min(0)
  @Max(100)
  passMark?: number;
  @ApiProperty({ type: [IndicatorDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(40)
  @ValidateNested({ each: true })
  @Type(() => IndicatorDto)
  indicators: IndicatorDto[];
}

export class PutQuotaDto {
  @ApiProperty({ example: 2026 }) @IsInt() @Min(2000) @Max(2100) year: number;
  @ApiProperty({ example: 100 }) @IsInt() @Min(0) @Max(10000) quota: number;
}

export class PutPassMarkDto {
  @ApiProperty({ example: 2026 }) @IsInt() @Min(2000) @Max(2100) year: number;
  @ApiProperty({ example: 60, description: 'of 100' }) @IsDecimalNumber(2) @Min(0) @Max(100) passMark: number;
}

export class CriterionDto {
  @ApiProperty() code: string;
  @ApiProperty() name: string;
  @ApiPropertyOptional({ type: String, nullable: true }) description: string | null;
  @ApiProperty({ enum: INDICATOR_KINDS }) kind: IndicatorKind;
  @ApiPropertyOptional({ enum: AUTO_METRICS, nullable: true }) metric: AutoMetric | null;
  @ApiProperty() weight: number;
  @ApiPropertyOptional({ type: Number, nullable: true }) target: number | null;
}

export class CriteriaDto {
  @ApiProperty() year: number;
  @ApiProperty() quota: number;
  @ApiProperty({ example: 60, description: 'the lowest total score (of 100) a school may be designated with' }) passMark: number;
  @ApiProperty({ description: 'a school has applied for the year: its indicators can no longer change (MODEL_SCHOOL_CRITERIA_LOCKED)' })
  locked: boolean;
  @ApiProperty({ type: [Number], description: 'every year with published criteria, oldest first' }) years: number[];
  @ApiProperty({ type: [CriterionDto] }) indicators: CriterionDto[];
}

export class MetricDto {
  @ApiProperty() code: string;
  @ApiProperty({ enum: AUTO_METRICS }) metric: AutoMetric;
  @ApiProperty({ description: 'share of the weight earned, 0–1' }) ratio: number;
  @ApiProperty() points: number;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'the figures it was computed from' }) inputs: Record<
    string,
    unknown
  >;
}

export class MetricsDto {
  @ApiProperty() schoolId: string;
  @ApiProperty() year: number;
  @ApiProperty() snapshotAt: string;
  @ApiProperty({ type: [MetricDto] }) metrics: MetricDto[];
  @ApiProperty() autoScore: number;
}

export class MetricsQueryDto extends YearQueryDto {
  @ApiProperty() @IsUUID() schoolId: string;
}

export class ApplyDto {
  @ApiProperty() @IsUUID() schoolId: string;
  @ApiProperty({ example: 2026 }) @IsInt() @Min(2000) @Max(2100) year: number;
  @ApiProperty({ description: 'the application text (申报材料)' }) @IsString() @MinLength(10) @MaxLength(10000) materials: string;
  @ApiPropertyOptional({ type: [String], description: 'file ids from POST /uploads' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(30)
  @IsUUID('4', { each: true })
  materialFileIds?: string[];
}

export class ResubmitDto {
  @ApiProperty() @IsString() @MinLength(10) @MaxLength(10000) materials: string;
  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(30)
  @IsUUID('4', { each: true })
  materialFileIds?: string[];
}

export class PreReviewDto {
  @ApiProperty({ enum: ['pass', 'return'] }) @IsIn(['pass', 'return']) decision: 'pass' | 'return';
  @ApiPropertyOptional({ description: 'required when returning for resubmission' })
  @IsOptional()
  @IsString()
  @MinLength(2)
  @MaxLength(1000)
  comment?: string;
}

export class RegisterExpertDto {
  @ApiProperty({ description: 'a user holding the expert role' }) @IsUUID() userId: string;
  @ApiProperty({ description: 'the expert’s own district: they never review its schools' }) @IsUUID() districtId: string;
}

export class ExpertDto {
  @ApiProperty() userId: string;
  @ApiProperty() name: string;
  @ApiProperty({ description: 'the expert’s own district: they never review its schools' }) districtId: string;
  @ApiProperty() districtName: string;
}

export class ExpertListDto {
  @ApiProperty({ type: [ExpertDto] }) items: ExpertDto[];
}

export class AssignReviewerDto {
  @ApiProperty() @IsUUID() expertUserId: string;
}

export class ScoreReviewDto {
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'number' },
    example: { documents: 13, site_visit: 12 },
    description: 'manual indicator code → points (0 – weight)',
  })
  @IsObject()
  scores: Record<string, number>;

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(1000) comment?: string;
}

export class ReviewDto {
  @ApiProperty() id: string;
  @ApiProperty() applicationId: string;
  @ApiProperty() reviewerId: string;
  @ApiPropertyOptional({ type: String }) schoolName?: string;
  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'number' }, nullable: true }) scores: Record<string, number> | null;
  @ApiPropertyOptional({ type: Number, nullable: true }) total: number | null;
  @ApiPropertyOptional({ type: String, nullable: true }) comment: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) submittedAt: string | null;
}

export class ReviewListDto {
  @ApiProperty({ type: [ReviewDto] }) items: ReviewDto[];
}

export class ApplicationDto {
  @ApiProperty() id: string;
  @ApiProperty() schoolId: string;
  @ApiPropertyOptional() schoolName?: string;
  @ApiProperty() year: number;
  @ApiProperty({ enum: APPLICATION_STATUSES }) status: ApplicationStatus;
  @ApiProperty() materials: string;
  @ApiProperty({ type: [String] }) materialFileIds: string[];
  @ApiProperty({ type: [MetricDto] }) metrics: MetricDto[];
  @ApiProperty() snapshotAt: string;
  @ApiProperty() autoScore: number;
  @ApiPropertyOptional({ type: Number, nullable: true }) manualScore: number | null;
  @ApiPropertyOptional({ type: Number, nullable: true }) totalScore: number | null;
  @ApiPropertyOptional({ type: Number, nullable: true, description: 'rank among scored, district-passed applications of the year' }) rank?:
    number | null;
  @ApiPropertyOptional({ type: String, nullable: true }) districtComment: string | null;
  @ApiProperty() submissions: number;
  @ApiPropertyOptional({ type: [ReviewDto] }) reviews?: ReviewDto[];
}

export class ApplicationListQueryDto extends YearQueryDto {
  @ApiPropertyOptional({ enum: APPLICATION_STATUSES }) @IsOptional() @IsIn(APPLICATION_STATUSES) status?: ApplicationStatus;
}

export class ApplicationListDto {
  @ApiProperty({ type: [ApplicationDto] }) items: ApplicationDto[];
}

export class RevokeDesignationDto {
  @ApiProperty({ example: '年度复核不合格' }) @IsString() @MinLength(2) @MaxLength(500) reason: string;
}

export class DesignationRankingDto {
  @ApiProperty({ description: 'rank of the score among the year’s scored, district-passed and designated applications (ties share one)' })
  rank: number;
  @ApiProperty({ description: 'how many applications compete' }) contenders: number;
  @ApiProperty() score: number;
  @ApiProperty() passMark: number;
  @ApiProperty() abovePassMark: boolean;
  @ApiProperty() quota: number;
  @ApiProperty({ description: 'places left after this designation' }) quotaLeft: number;
}

export class RankingItemDto {
  @ApiProperty() rank: number;
  @ApiProperty() applicationId: string;
  @ApiProperty() schoolId: string;
  @ApiProperty() schoolName: string;
  @ApiProperty() districtName: string;
  @ApiProperty({ enum: ['district_passed', 'designated'] }) status: string;
  @ApiProperty() totalScore: number;
  @ApiProperty() abovePassMark: boolean;
}

export class RankingDto {
  @ApiProperty() year: number;
  @ApiProperty() passMark: number;
  @ApiProperty() quota: number;
  @ApiProperty({ description: 'active designations' }) designated: number;
  @ApiProperty() quotaLeft: number;
  @ApiProperty({ type: [RankingItemDto] }) items: RankingItemDto[];
}

export class DesignationDto {
  @ApiProperty() id: string;
  @ApiProperty() applicationId: string;
  @ApiProperty() schoolId: string;
  @ApiProperty() year: number;
  @ApiProperty({ example: '潍家示〔2026〕001号' }) certificateNo: string;
  @ApiPropertyOptional({ type: Number, nullable: true }) score: number | null;
  @ApiProperty() designatedAt: string;
  @ApiPropertyOptional({ type: String, nullable: true }) revokedAt: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) revokeReason: string | null;
  @ApiPropertyOptional({ type: DesignationRankingDto, description: 'the ranking at designation (on the designation answer)' })
  ranking?: DesignationRankingDto;
}

export class PublicModelSchoolDto {
  @ApiProperty() schoolId: string;
  @ApiProperty() schoolName: string;
  @ApiProperty() districtName: string;
  @ApiProperty() certificateNo: string;
  @ApiProperty() designatedAt: string;
}

export class PublicModelSchoolListDto {
  @ApiProperty() year: number;
  @ApiProperty({ type: [PublicModelSchoolDto] }) items: PublicModelSchoolDto[];
}

export class SchoolHistoryDto {
  @ApiProperty() schoolId: string;
  @ApiProperty({ type: [ApplicationDto] }) applications: ApplicationDto[];
  @ApiProperty({ type: [DesignationDto] }) designations: DesignationDto[];
}

export class CreateSupportSiteDto {
  @ApiPropertyOptional({
    enum: SUPPORT_SITE_SCOPES,
    default: 'school',
    description: 'school 学校 (schoolId) · district 区县 (districtId) · city 全市',
  })
  @IsOptional()
  @IsIn(SUPPORT_SITE_SCOPES)
  scope?: SupportSiteScope;
  @ApiPropertyOptional({ description: 'the school of a school site' }) @IsOptional() @IsUUID() schoolId?: string;
  @ApiPropertyOptional({ description: 'the district of a district site' }) @IsOptional() @IsUUID() districtId?: string;
  @ApiProperty({
    enum: SUPPORT_SITE_KINDS,
    description: 'counselling_room 心理辅导室 · growth_station 成长导航站 · counselling_centre 未成年人心理辅导中心 · hotline 心理援助热线',
  })
  @IsIn(SUPPORT_SITE_KINDS)
  kind: SupportSiteKind;
  @ApiProperty({ example: '心语小屋' }) @IsString() @MinLength(2) @MaxLength(100) name: string;
  @ApiPropertyOptional({ example: '行政楼三楼 302' }) @IsOptional() @IsString() @MaxLength(200) location?: string;
  @ApiProperty({ example: '周一至周五 16:30–18:00' }) @IsString() @MinLength(2) @MaxLength(200) openingHours: string;
  @ApiProperty({ example: '王老师 0536-8888888' }) @IsString() @MinLength(2) @MaxLength(100) contact: string;
  @ApiPropertyOptional({
    example: '0536-12355',
    description: 'the number to dial: a service number (12355), a landline with its area code (0536-8096355) or a mobile',
  })
  @IsOptional()
  @Matches(/^(\d{3,4}-?)?\d{5,8}$/)
  phone?: string;
}

export class SupportSiteDto {
  @ApiProperty() id: string;
  @ApiProperty({ enum: SUPPORT_SITE_SCOPES }) scope: SupportSiteScope;
  @ApiProperty({ type: String, nullable: true }) schoolId: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) schoolName?: string | null;
  @ApiProperty({ type: String, nullable: true, description: "a district site's district, or a school site's school's" }) districtId:
    string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) districtName?: string | null;
  @ApiProperty({ enum: SUPPORT_SITE_KINDS }) kind: SupportSiteKind;
  @ApiProperty() name: string;
  @ApiPropertyOptional({ type: String, nullable: true }) location: string | null;
  @ApiProperty() openingHours: string;
  @ApiProperty() contact: string;
  @ApiProperty({ type: String, nullable: true }) phone: string | null;
  @ApiProperty({ description: 'the site has staff and takes appointment requests online' }) acceptsRequests: boolean;
}

export class SupportSiteListDto {
  @ApiProperty({ type: [SupportSiteDto] }) items: SupportSiteDto[];
}

export class SchoolQueryDto {
  @ApiProperty() @IsUUID() schoolId: string;
}

export class SatisfactionQueryDto extends YearQueryDto {
  @ApiProperty() @IsUUID() schoolId: string;
}

export class AnswerSurveyDto {
  @ApiProperty({ description: 'the household (one of your children); it is not stored with the answer' }) @IsUUID() studentId: string;
  @ApiProperty({ minimum: 1, maximum: 5, description: '1 很不满意 … 5 很满意' }) @IsInt() @Min(1) @Max(5) score: number;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(500) comment?: string;
}

export class SurveyStatusDto {
  @ApiProperty() year: number;
  @ApiProperty() answered: boolean;
}

export class SatisfactionSummaryDto {
  @ApiProperty() schoolId: string;
  @ApiProperty() year: number;
  @ApiProperty() responses: number;
  @ApiPropertyOptional({ type: Number, nullable: true }) average: number | null;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'number' } }) distribution: Record<string, number>;
}
