import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { PageQueryDto } from '@jiaxiao/common';
import { SCHOOL_NOTICE_AUDIENCES, SchoolNoticeAudience } from '@jiaxiao/db';
import { AttachmentDto } from '../dto/message.dto';

const MAX_NOTICE_ATTACHMENTS = 9;

export class PostSchoolNoticeDto {
  @ApiProperty({
    enum: SCHOOL_NOTICE_AUDIENCES,
    description:
      'families: the families of a school (schoolId, optionally grades or classIds); coordinators: the coordinators of a district (districtId) or of the whole city',
  })
  @IsIn(SCHOOL_NOTICE_AUDIENCES)
  audience: SchoolNoticeAudience;

  @ApiPropertyOptional({ description: 'families: the school' }) @IsOptional() @IsUUID() schoolId?: string;
  @ApiPropertyOptional({ description: 'coordinators: the district (omitted: the whole city, city bureau only)' })
  @IsOptional()
  @IsUUID()
  districtId?: string;

  @ApiPropertyOptional({ type: [Number], description: 'families: only these grades (1–12, 初一 = 7)' })
  @IsOptional()
  @ArrayMinSize(1)
  @ArrayMaxSize(12)
  @ArrayUnique()
  @IsInt({ each: true })
  @Min(1, { each: true })
  @Max(12, { each: true })
  grades?: number[];

  @ApiPropertyOptional({ type: [String], description: 'families: only these classes (of the school, this school year)' })
  @IsOptional()
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  classIds?: string[];

  @ApiProperty({ maxLength: 100 }) @IsString() @IsNotEmpty() @MaxLength(100) title: string;
  @ApiProperty({ maxLength: 5000 }) @IsString() @IsNotEmpty() @MaxLength(5000) body: string;
  @ApiPropertyOptional({ description: '需要回执' }) @IsOptional() @IsBoolean() needsAck?: boolean;
  @ApiPropertyOptional({ description: 'urgent: pushed in quiet hours too, and by SMS' }) @IsOptional() @IsBoolean() emergency?: boolean;

  @ApiPropertyOptional({
    type: [String],
    description: 'attachments: ids from POST /uploads (parent-api) of files the sender uploaded, at most 9',
  })
  @IsOptional()
  @ArrayMaxSize(MAX_NOTICE_ATTACHMENTS)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  fileIds?: string[];
}

export class SchoolNoticeQueryDto extends PageQueryDto {}

export class SchoolNoticeDto {
  @ApiProperty() id: string;
  @ApiProperty({ enum: SCHOOL_NOTICE_AUDIENCES }) audience: SchoolNoticeAudience;
  @ApiProperty({ nullable: true, type: String }) schoolId: string | null;
  @ApiProperty({ nullable: true, type: String }) schoolName: string | null;
  @ApiProperty({ nullable: true, type: String }) districtId: string | null;
  @ApiProperty({ nullable: true, type: [Number] }) grades: number[] | null;
  @ApiProperty({ nullable: true, type: [String] }) classIds: string[] | null;
  @ApiProperty() title: string;
  @ApiProperty() body: string;
  @ApiProperty() needsAck: boolean;
  @ApiProperty() emergency: boolean;
  @ApiProperty() senderName: string;
  @ApiProperty() createdAt: string;
  @ApiProperty({ type: [AttachmentDto], description: 'files a recipient (or whoever manages the notice) downloads at `url`' })
  attachments: AttachmentDto[];
  @ApiProperty({ nullable: true, type: Number, description: 'recipients once the worker has fanned it out; null before' }) recipientCount:
    number | null;
  @ApiProperty({ nullable: true, type: String, description: 'the caller’s own receipt, when the caller is a recipient' }) readAt:
    string | null;
  @ApiProperty({ nullable: true, type: String }) ackedAt: string | null;
}

export class SchoolNoticePageDto {
  @ApiProperty({ type: [SchoolNoticeDto] }) items: SchoolNoticeDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

export class NoticeGroupDto {
  @ApiProperty({ description: 'a class (family notices) or a school (coordinator notices)' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ nullable: true, type: Number }) grade: number | null;
  @ApiProperty({ description: 'families (students) or coordinators' }) total: number;
  @ApiProperty() read: number;
  @ApiProperty() confirmed: number;
}

export class SchoolNoticeRollupDto {
  @ApiProperty() noticeId: string;
  @ApiProperty() total: number;
  @ApiProperty() read: number;
  @ApiProperty() confirmed: number;
  @ApiProperty({ type: [NoticeGroupDto], description: 'per class (families), or per school (coordinators)' }) groups: NoticeGroupDto[];
}

export class PendingRecipientDto {
  @ApiProperty({ description: 'the student (families) or the coordinator' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ description: 'the class or the school' }) groupId: string;
  @ApiProperty() groupName: string;
}

export class PendingQueryDto {
  @ApiPropertyOptional({ description: 'only this class (or school)' }) @IsOptional() @IsUUID() groupId?: string;
}

export class SchoolNoticeRemindDto {
  @ApiProperty() noticeId: string;
  @ApiProperty({ description: 'families (or coordinators) not yet confirmed, reminded now' }) pending: number;
}

export class SchoolNoticeAckDto {
  @ApiProperty() noticeId: string;
  @ApiProperty() ackedAt: string;
}
