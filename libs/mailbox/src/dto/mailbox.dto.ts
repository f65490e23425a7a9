import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional, IsString, IsUUID, MaxLength, MinLength } from 'class-validator';
import { MAILBOX_KINDS, MAILBOX_LEVELS, MAILBOX_TOPICS, MailboxKind, MailboxTopic } from '@jiaxiao/db';

export class CreateMailboxItemDto {
  @ApiProperty({ description: 'a school one of the caller’s children attends' }) @IsUUID() schoolId: string;
  @ApiProperty({ enum: MAILBOX_KINDS, description: 'complaint 投诉 · suggestion 建议 · report 举报' })
  @IsIn(MAILBOX_KINDS)
  kind: MailboxKind;
  @ApiPropertyOptional({
    enum: MAILBOX_TOPICS,
    description: 'paid_tutoring 有偿家教 · fees 收费 · teaching 教学 · safety 安全 · canteen 食堂 · other 其他',
  })
  @IsOptional()
  @IsIn(MAILBOX_TOPICS)
  topic?: MailboxTopic;
  @ApiProperty({ example: '关于课后有偿补课的反映' }) @IsString() @MinLength(2) @MaxLength(100) subject: string;
  @ApiProperty() @IsString() @MinLength(5) @MaxLength(3000) body: string;
  @ApiPropertyOptional({ description: 'hide the writer from the school (the education bureau still sees who wrote)' })
  @IsOptional()
  @IsBoolean()
  anonymous?: boolean;
}

export class AnswerMailboxItemDto {
  @ApiProperty() @IsString() @MinLength(5) @MaxLength(3000) answer: string;
}

export class MailboxQueryDto {
  @ApiPropertyOptional({ enum: ['open', 'answered'] }) @IsOptional() @IsIn(['open', 'answered']) status?: 'open' | 'answered';
  @ApiPropertyOptional() @IsOptional() @IsUUID() schoolId?: string;
  @ApiPropertyOptional({ description: 'true: only items moved up to the district or the city; false: only those never moved' })
  @IsOptional()
  @Transform(
    ({ obj, key }) =>
      ({ true: true, false: false })[String((obj as Record<string, unknown>)[key])] ?? (obj as Record<string, unknown>)[key],
  )
  @IsBoolean()
  escalated?: boolean;
}

export class MailboxReportQueryDto {
  @ApiPropertyOptional({ description: 'one district (city staff); district staff see theirs' }) @IsOptional() @IsUUID() districtId?: string;
}

export class MailboxAuthorDto {
  @ApiProperty() userId: string;
  @ApiProperty() name: string;
  @ApiProperty({ example: '139****0003' }) phone: string;
}

export class MailboxItemDto {
  @ApiProperty() id: string;
  @ApiProperty() schoolId: string;
  @ApiProperty() schoolName: string;
  @ApiProperty({ enum: MAILBOX_KINDS }) kind: string;
  @ApiProperty({ enum: MAILBOX_TOPICS }) topic: string;
  @ApiProperty() subject: string;
  @ApiProperty() body: string;
  @ApiProperty() anonymous: boolean;
  @ApiProperty({ type: MailboxAuthorDto, nullable: true, description: 'null to the school when anonymous' })
  author: MailboxAuthorDto | null;
  @ApiProperty({ enum: ['open', 'answered'] }) status: string;
  @ApiProperty({ enum: MAILBOX_LEVELS, description: 'who answers now' }) level: string;
  @ApiProperty() dueAt: string;
  @ApiProperty({ description: 'open past its deadline' }) overdue: boolean;
  @ApiProperty({ nullable: true, type: String }) escalatedAt: string | null;
  @ApiProperty({ nullable: true, type: String }) answer: string | null;
  @ApiProperty({ nullable: true, enum: MAILBOX_LEVELS }) answeredLevel: string | null;
  @ApiProperty({ nullable: true, type: String }) answeredAt: string | null;
  @ApiProperty() createdAt: string;
}

export class MailboxPageDto {
  @ApiProperty({ type: [MailboxItemDto] }) items: MailboxItemDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

export class MailboxSchoolCountsDto {
  @ApiProperty() schoolId: string;
  @ApiProperty() schoolName: string;
  @ApiProperty() districtId: string;
  @ApiProperty() open: number;
  @ApiProperty() answered: number;
  @ApiProperty({ description: 'open past the deadline of their current level' }) overdue: number;
  @ApiProperty({ description: 'moved up to the district or the city (answered or not)' }) escalated: number;
  @ApiProperty({ description: 'reports of 有偿家教 (paid tutoring)' }) paidTutoring: number;
}

export class MailboxReportDto {
  @ApiProperty({ type: [MailboxSchoolCountsDto] }) schools: MailboxSchoolCountsDto[];
}
