import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, IsString, IsUUID, MaxLength, MinLength } from 'class-validator';
import { COUNSELLING_STATUSES, COUNSELLING_TOPICS, CounsellingStatus, CounsellingTopic } from '@jiaxiao/db';
import { IsMainlandMobile } from '@jiaxiao/common';
import { SupportSiteDto } from './model-school.dto';

export class SiteStaffDto {
  @ApiProperty() userId: string;
  @ApiProperty() name: string;
  @ApiProperty() phone: string;
}

/** A site as its managers and staff see it in the console. */
export class ManagedSiteDto extends SupportSiteDto {
  @ApiProperty({ description: 'the caller may edit the site and appoint its staff' }) manageable: boolean;
  @ApiProperty({ description: "the caller is on the site's staff" }) staffed: boolean;
  @ApiProperty({ type: [SiteStaffDto] }) staff: SiteStaffDto[];
}

export class ManagedSiteListDto {
  @ApiProperty({ type: [ManagedSiteDto] }) items: ManagedSiteDto[];
}

export class AppointSiteStaffDto {
  @ApiProperty({ example: '13900000002', description: 'the phone number of an existing staff account' }) @IsMainlandMobile() phone: string;
}

export class DismissSiteStaffQueryDto {
  @ApiProperty({ description: 'the staff member to dismiss' }) @IsUUID() userId: string;
}

export class CreateCounsellingRequestDto {
  @ApiProperty() @IsUUID() siteId: string;
  @ApiProperty({
    enum: COUNSELLING_TOPICS,
    description: 'emotion 情绪 · study 学习 · relationship 人际 · behaviour 行为习惯 · family 亲子与家庭 · other 其他',
  })
  @IsIn(COUNSELLING_TOPICS)
  topic: CounsellingTopic;
  @ApiProperty({ example: '孩子最近常说不想上学，晚上睡不好。' }) @IsString() @MinLength(5) @MaxLength(1000) description: string;
  @ApiProperty({ example: '工作日 17:00 以后，或周六上午' }) @IsString() @MinLength(2) @MaxLength(200) preferredTimes: string;
  @ApiPropertyOptional({ example: '13900000003', description: "the number to call back; the guardian's own by default" })
  @IsOptional()
  @IsMainlandMobile()
  contactPhone?: string;
  @ApiPropertyOptional({ description: 'which child the request is about (optional)' }) @IsOptional() @IsUUID() studentId?: string;
}

export class CounsellingRequestDto {
  @ApiProperty() id: string;
  @ApiProperty() siteId: string;
  @ApiProperty() siteName: string;
  @ApiProperty({ enum: COUNSELLING_TOPICS }) topic: CounsellingTopic;
  @ApiProperty() description: string;
  @ApiProperty() preferredTimes: string;
  @ApiProperty() contactPhone: string;
  @ApiProperty() guardianName: string;
  @ApiProperty({ type: String, nullable: true }) studentId: string | null;
  @ApiProperty({ type: String, nullable: true }) studentName: string | null;
  @ApiProperty({ enum: COUNSELLING_STATUSES, description: 'open 待处理 · accepted 已预约 · closed 已结束' }) status: CounsellingStatus;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) scheduledAt: string | null;
  @ApiProperty({ type: String, nullable: true }) reply: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

export class CounsellingRequestListDto {
  @ApiProperty({ type: [CounsellingRequestDto] }) items: CounsellingRequestDto[];
}

export class CounsellingRequestQueryDto {
  @ApiPropertyOptional({ enum: COUNSELLING_STATUSES }) @IsOptional() @IsIn(COUNSELLING_STATUSES) status?: CounsellingStatus;
}

export class AcceptCounsellingRequestDto {
  @ApiProperty({ example: '2026-12-05T09:30:00+08:00', description: 'the appointment (in the future)' })
  @IsISO8601({ strict: true })
  scheduledAt: string;
  @ApiPropertyOptional({ example: '请到行政楼三楼 302 心语小屋。' }) @IsOptional() @IsString() @MaxLength(1000) reply?: string;
}

export class ReplyCounsellingRequestDto {
  @ApiProperty({ example: '您好，我们先电话联系您了解情况。' }) @IsString() @MinLength(1) @MaxLength(1000) reply: string;
}

export class CloseCounsellingRequestDto {
  @ApiPropertyOptional({ example: '已完成辅导，如有需要可再次预约。' }) @IsOptional() @IsString() @MaxLength(1000) reply?: string;
}
