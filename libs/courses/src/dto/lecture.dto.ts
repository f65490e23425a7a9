import { ApiProperty, ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
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
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { CertificateFormatQueryDto } from '@jiaxiao/platform';
import { IsDecimalNumber, IsMainlandMobile, SCHOOL_YEAR_PATTERN } from '@jiaxiao/common';
import { SchoolYearQueryDto } from '@jiaxiao/directory';
import { LECTURE_MODES, LECTURE_SERIES, LECTURE_STATUSES, LectureMode, LectureSeries, LectureStatus } from '@jiaxiao/db';

export class AudienceDto {
  @ApiProperty({
    enum: ['city', 'district', 'school', 'grades', 'classes', 'committee_chairs', 'teachers'],
    description: 'committee_chairs for chair_training, teachers for teacher_training (and only there)',
  })
  @IsIn(['city', 'district', 'school', 'grades', 'classes', 'committee_chairs', 'teachers'])
  scope: 'city' | 'district' | 'school' | 'grades' | 'classes' | 'committee_chairs' | 'teachers';

  @ApiPropertyOptional() @IsOptional() @IsUUID() districtId?: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID() schoolId?: string;

  @ApiPropertyOptional({ type: [Number], example: [7, 8] })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(12)
  @IsInt({ each: true })
  @Min(1, { each: true })
  @Max(12, { each: true })
  grades?: number[];

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  @IsUUID('all', { each: true })
  classIds?: string[];
}

export class CreateLectureDto {
  @ApiProperty({
    enum: LECTURE_SERIES,
    description:
      'parents_forum 父母大讲堂 · rural_tour 家庭教育农村行 · school_course 学校课程 · chair_training 家委会主任培训 · teacher_training 教师家校沟通能力培训',
  })
  @IsIn(LECTURE_SERIES)
  series: LectureSeries;

  @ApiProperty({ example: '青春期孩子的沟通之道' }) @IsString() @MinLength(2) @MaxLength(100) title: string;
  @ApiPropertyOptional({ example: '《牵手两代》第三单元' }) @IsOptional() @IsString() @MaxLength(100) curriculumLabel?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2000) description?: string;
  @ApiPropertyOptional({ example: '王教授（山东师范大学）' }) @IsOptional() @IsString() @MaxLength(60) speaker?: string;

  @ApiProperty({ type: AudienceDto }) @ValidateNested() @Type(() => AudienceDto) audience: AudienceDto;

  @ApiProperty({ enum: LECTURE_MODES }) @IsIn(LECTURE_MODES) mode: LectureMode;
  @ApiProperty({ example: '2026-12-05T14:00:00+08:00' }) @IsISO8601({ strict: true }) startsAt: string;
  @ApiProperty({ example: '2026-12-05T16:00:00+08:00' }) @IsISO8601({ strict: true }) endsAt: string;
  @ApiPropertyOptional({ example: '潍坊七中报告厅' }) @IsOptional() @IsString() @MaxLength(200) venue?: string;
  @ApiPropertyOptional() @IsOptional() @IsUrl({ require_protocol: true }) @MaxLength(500) streamUrl?: string;
  @ApiPropertyOptional() @IsOptional() @IsUrl({ require_protocol: true }) @MaxLength(500) replayUrl?: string;
  @ApiPropertyOptional({ description: 'seats; empty = unlimited' }) @IsOptional() @IsInt() @Min(1) @Max(100000) capacity?: number;
  @ApiPropertyOptional({ description: 'registration closes then (default: the start)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  registrationCutoff?: string;

  @ApiProperty({ example: 2, description: 'class-hours, in steps of 0.5' })
  @IsDecimalNumber(1)
  @Min(0.5)
  @Max(8)
  creditHours: number;

  @ApiPropertyOptional({
    description: 'offline credit: the latest check-in, in minutes after the start (default ATTENDANCE_LATE_CHECKIN_MINUTES, 15)',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(240)
  lateCheckinMinutes?: number;

  @ApiPropertyOptional({
    description:
      'offline credit: the share of the session between check-in and check-out, in % (default ATTENDANCE_MIN_PRESENCE_PERCENT, 80)',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100)
  minPresencePercent?: number;

  @ApiPropertyOptional({ description: 'a session of this course plan' }) @IsOptional() @IsUUID() planId?: string;
  @ApiPropertyOptional({ description: '补课: a make-up session for this lecture' }) @IsOptional() @IsUUID() makeupOf?: string;
}

export class UpdateLectureDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MinLength(2) @MaxLength(100) title?: string;
  @ApiPropertyOptional() @IsOptional() @IsISO8601({ strict: true }) startsAt?: string;
  @ApiPropertyOptional() @IsOptional() @IsISO8601({ strict: true }) endsAt?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) venue?: string;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(1) @Max(100000) capacity?: number;
  @ApiPropertyOptional() @IsOptional() @IsISO8601({ strict: true }) registrationCutoff?: string;
  @ApiPropertyOptional() @IsOptional() @IsUrl({ require_protocol: true }) @MaxLength(500) streamUrl?: string;
  @ApiPropertyOptional() @IsOptional() @IsUrl({ require_protocol: true }) @MaxLength(500) replayUrl?: string;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) @Max(240) lateCheckinMinutes?: number;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) @Max(100) minPresencePercent?: number;
}

/** The directory's query DTO: one schema under one name in the OpenAPI document. */
export { SchoolYearQueryDto };

export class TokenDto {
  @ApiProperty({ description: 'the code from the venue screen' }) @IsString() @MinLength(1) @MaxLength(64) token: string;

  @ApiPropertyOptional({
    description: 'a stable id of the scanning device (app install id); without it the user agent and address stand in',
  })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9_.:-]{8,64}$/)
  deviceId?: string;
}

export class ManualAttendanceDto {
  @ApiProperty({ description: 'the guardian’s phone number' }) @IsString() @IsMainlandMobile() phone: string;
  @ApiProperty({ example: '家长无智能手机，现场签到表已核对' }) @IsString() @MinLength(2) @MaxLength(200) reason: string;
}

export class RevokeCreditDto {
  @ApiProperty({ example: '重复录入' }) @IsString() @MinLength(2) @MaxLength(200) reason: string;
}

export class RequirementDto {
  @ApiProperty({ example: 8 }) @IsDecimalNumber(1) @Min(0.5) @Max(100) requiredHours: number;
}

export class CreatePlanDto {
  @ApiPropertyOptional({ example: '2026-2027' }) @IsOptional() @IsString() @Matches(SCHOOL_YEAR_PATTERN) schoolYear?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(500) note?: string;
}

export const LECTURE_SORTS = ['startsAt', '-startsAt', 'creditHours', '-creditHours', 'status', '-status', 'title', '-title'] as const;
export type LectureSort = (typeof LECTURE_SORTS)[number];

/** The staff list of a school year: filters, a sort and a page (everything in one page without `page`). */
export class LectureListQueryDto extends SchoolYearQueryDto {
  @ApiPropertyOptional({ minimum: 1, description: 'from 1; without it every lecture of the year is listed' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  page?: number;
  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  pageSize?: number;
  @ApiPropertyOptional({ enum: LECTURE_SORTS, default: 'startsAt', description: 'a leading - sorts descending' })
  @IsOptional()
  @IsIn(LECTURE_SORTS)
  sort?: LectureSort;
  @ApiPropertyOptional({ enum: LECTURE_SERIES }) @IsOptional() @IsIn(LECTURE_SERIES) series?: LectureSeries;
  @ApiPropertyOptional({ enum: LECTURE_STATUSES }) @IsOptional() @IsIn(LECTURE_STATUSES) status?: LectureStatus;
  @ApiPropertyOptional({ description: 'part of the title or the venue' }) @IsOptional() @IsString() @MaxLength(50) q?: string;
  @ApiPropertyOptional({ description: 'starting at or after' }) @IsOptional() @IsISO8601() from?: string;
  @ApiPropertyOptional({ description: 'starting before' }) @IsOptional() @IsISO8601() to?: string;
}

export class ReportQueryDto extends SchoolYearQueryDto {
  @ApiPropertyOptional() @IsOptional() @IsUUID() schoolId?: string;
}

export class SummaryQueryDto extends SchoolYearQueryDto {
  @ApiPropertyOptional({ description: 'one district; city staff see every district by default' })
  @IsOptional()
  @IsUUID()
  districtId?: string;
}

export class TrendQueryDto extends SchoolYearQueryDto {
  @ApiPropertyOptional({ description: 'one school (coordinators and teachers: their own by default)' })
  @IsOptional()
  @IsUUID()
  schoolId?: string;
  @ApiPropertyOptional({ description: 'one district; city staff see the city by default, district staff their district' })
  @IsOptional()
  @IsUUID()
  districtId?: string;
}

export class ExportRequestDto extends SchoolYearQueryDto {
  @ApiPropertyOptional() @IsOptional() @IsUUID() schoolId?: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID() districtId?: string;
}

export class HeartbeatDto {
  @ApiProperty() @IsUUID() lectureId: string;
}

export class CertificateQueryDto extends IntersectionType(SchoolYearQueryDto, CertificateFormatQueryDto) {
  @ApiProperty() @IsUUID() studentId: string;
}

// ── responses ─────────────────────────────────────────────────────────────────

export class LectureDto {
  @ApiProperty() id: string;
  @ApiProperty() title: string;
  @ApiProperty({ enum: LECTURE_SERIES }) series: string;
  @ApiProperty({ enum: LECTURE_MODES }) mode: string;
  @ApiProperty({ example: '2026-12-05T14:00:00+08:00' }) startsAt: string;
  @ApiProperty() endsAt: string;
  @ApiProperty() creditHours: number;
  @ApiProperty({ enum: ['draft', 'published', 'cancelled', 'finished'] }) status: string;
  @ApiProperty({ nullable: true, type: String }) curriculumLabel: string | null;
  @ApiProperty({ nullable: true, type: String }) speaker: string | null;
  @ApiProperty({ nullable: true, type: String }) venue: string | null;
  @ApiProperty({ nullable: true, type: String }) streamUrl: string | null;
  @ApiProperty({ nullable: true, type: String }) replayUrl: string | null;
  @ApiProperty({ nullable: true, type: Number }) capacity: number | null;
  @ApiProperty() registered: number;
  @ApiProperty({ nullable: true, type: String }) registrationCutoff: string | null;
  @ApiProperty({ type: AudienceDto }) audience: AudienceDto;
  @ApiProperty({ nullable: true, type: String }) planId: string | null;
  @ApiProperty({ nullable: true, type: String }) makeupOf: string | null;
  @ApiProperty({
    nullable: true,
    type: Number,
    description: 'offline credit: the latest check-in, in minutes after the start (null: the platform default)',
  })
  lateCheckinMinutes: number | null;
  @ApiProperty({
    nullable: true,
    type: Number,
    description: 'offline credit: the share of the session between check-in and check-out, in % (null: the platform default)',
  })
  minPresencePercent: number | null;
  @ApiPropertyOptional({
    nullable: true,
    enum: ['registered', 'waitlisted', 'cancelled'],
    description: 'the caller’s registration (parent-api)',
  })
  myRegistration?: string | null;
}

export class RegistrationDto {
  @ApiProperty() lectureId: string;
  @ApiProperty({ enum: ['registered', 'waitlisted', 'cancelled'] }) status: string;
}

export class CheckInCodeDto {
  @ApiProperty() token: string;
  @ApiProperty() expiresAt: string;
  @ApiProperty({ description: 'the link the QR code encodes: the H5 check-in screen under PUBLIC_BASE_URL' }) url: string;
  @ApiProperty({ description: 'data:image/png;base64,… QR code for the venue screen' }) qr: string;
}

export class AttendanceResultDto {
  @ApiProperty() lectureId: string;
  @ApiProperty({ nullable: true, type: String }) checkedInAt: string | null;
  @ApiProperty({ nullable: true, type: String }) checkedOutAt: string | null;
  @ApiProperty({ description: 'hours credited by this action (0 when already credited)' }) credited: number;
  @ApiProperty({
    nullable: true,
    enum: ['ATTENDANCE_CHECKIN_TOO_LATE', 'ATTENDANCE_PRESENCE_TOO_SHORT'],
    description: 'why this attendance earns no credit (set at a late check-in and at such a check-out)',
  })
  noCreditReason: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'the reason in words (Chinese)' }) noCreditMessage: string | null;
}

export class AttendanceListItemDto {
  @ApiProperty() userId: string;
  @ApiProperty() name: string;
  @ApiProperty({ description: 'masked' }) phone: string;
  @ApiProperty({ nullable: true, type: String }) checkedInAt: string | null;
  @ApiProperty({ nullable: true, type: String }) checkedOutAt: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'the credit entry (POST /ledger/:id/revoke)' }) ledgerId: string | null;
  @ApiProperty({ nullable: true, type: Number }) hours: number | null;
  @ApiProperty({ nullable: true, enum: ['offline', 'online', 'manual'] }) source: string | null;
  @ApiProperty({ nullable: true, type: String }) revokedAt: string | null;
  @ApiProperty({ nullable: true, type: String }) revokeReason: string | null;
}

export class AttendanceListDto {
  @ApiProperty({ type: [AttendanceListItemDto] }) items: AttendanceListItemDto[];
}
