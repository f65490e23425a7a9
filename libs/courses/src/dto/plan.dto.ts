import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { IsDecimalNumber, SCHOOL_YEAR_PATTERN } from '@jiaxiao/common';
import { LECTURE_MODES, LectureMode } from '@jiaxiao/db';
import { AudienceDto, LectureDto } from './lecture.dto';

/** What every session of the plan shares. */
export class SessionTemplateDto {
  @ApiProperty({ enum: LECTURE_MODES }) @IsIn(LECTURE_MODES) mode: LectureMode;
  @ApiProperty({ example: 90, description: 'each session’s length in minutes (15–480)' })
  @IsInt()
  @Min(15)
  @Max(480)
  durationMinutes: number;
  @ApiProperty({ example: 1.5, description: 'class-hours per session (halves; at most the session’s length)' })
  @IsDecimalNumber(1)
  @Min(0.5)
  @Max(8)
  creditHours: number;
  @ApiPropertyOptional({ type: AudienceDto, description: 'the whole school by default' })
  @IsOptional()
  @ValidateNested()
  @Type(() => AudienceDto)
  audience?: AudienceDto;
  @ApiPropertyOptional({ example: '潍坊七中报告厅' }) @IsOptional() @IsString() @MaxLength(200) venue?: string;
  @ApiPropertyOptional() @IsOptional() @IsUrl({ require_protocol: true }) @MaxLength(500) streamUrl?: string;
  @ApiPropertyOptional({ example: '王老师' }) @IsOptional() @IsString() @MaxLength(60) speaker?: string;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(1) @Max(100000) capacity?: number;
}

export class TemplateSessionDto {
  @ApiProperty({ example: '第一讲 读懂青春期' }) @IsString() @MinLength(2) @MaxLength(100) title: string;
  @ApiProperty({ example: '2026-12-12T09:00:00+08:00' }) @IsISO8601({ strict: true }) startsAt: string;
  @ApiPropertyOptional({ example: '《牵手两代》第一单元' }) @IsOptional() @IsString() @MaxLength(100) curriculumLabel?: string;
}

export class PlanSessionsDto {
  @ApiPropertyOptional({ example: '2026-2027' }) @IsOptional() @IsString() @Matches(SCHOOL_YEAR_PATTERN) schoolYear?: string;
  @ApiProperty({ type: SessionTemplateDto }) @ValidateNested() @Type(() => SessionTemplateDto) template: SessionTemplateDto;
  @ApiProperty({ type: [TemplateSessionDto], description: '1–40 sessions, each with its title and date' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(40)
  @ValidateNested({ each: true })
  @Type(() => TemplateSessionDto)
  sessions: TemplateSessionDto[];
}

export class CoursePlanDto {
  @ApiProperty() id: string;
  @ApiProperty() schoolId: string;
  @ApiProperty() schoolYear: string;
  @ApiProperty({ example: 8 }) requiredHours: number;
  @ApiProperty({ description: 'hours of the planned sessions (make-up sessions and cancelled ones excluded)' }) plannedHours: number;
  @ApiProperty({ description: 'false flags a plan short of the required hours' }) meetsRequirement: boolean;
  @ApiProperty({ nullable: true, type: String }) note: string | null;
  @ApiProperty({ type: [LectureDto] }) sessions: LectureDto[];
}

export class RequirementResultDto {
  @ApiProperty() schoolYear: string;
  @ApiProperty() requiredHours: number;
}
