import { ApiProperty, ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import { PageQueryDto } from '@jiaxiao/common';

export const MAX_TEXT = 2000;

/** Seqs are bigint columns: a larger number would fail its query (a 500) instead of being refused as bad input. */
export const MAX_SEQ = Number.MAX_SAFE_INTEGER;

export class SendMessageDto {
  @ApiProperty() @IsUUID() conversationId: string;

  @ApiProperty({
    description: 'the client’s own id for this message: sending it again returns the stored message',
    example: 'c-1732860000000-1',
  })
  @IsString()
  @Matches(/^[A-Za-z0-9_.:-]{1,64}$/)
  clientMsgId: string;

  @ApiProperty({ enum: ['text', 'image', 'file', 'notice'] })
  @IsIn(['text', 'image', 'file', 'notice'])
  type: 'text' | 'image' | 'file' | 'notice';

  @ApiPropertyOptional({ description: 'text (≤ 2000 characters), or the body of a notice (≤ 5000)' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(5000)
  text?: string;

  @ApiPropertyOptional({ description: 'image or file: the id from POST /uploads' })
  @IsOptional()
  @IsUUID()
  fileId?: string;

  @ApiPropertyOptional({ description: 'notice: its title' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  title?: string;

  @ApiPropertyOptional({ description: 'notice: 需要回执 — guardians confirm it' })
  @IsOptional()
  @IsBoolean()
  needsAck?: boolean;

  @ApiPropertyOptional({ description: 'notice: urgent (紧急) — pushed even in quiet hours and sent to every recipient by SMS as well' })
  @IsOptional()
  @IsBoolean()
  emergency?: boolean;
}

/** The REST form: the conversation is in the path. */
export class SendBodyDto extends OmitType(SendMessageDto, ['conversationId'] as const) {}

export class SyncDto {
  @ApiProperty() @IsUUID() conversationId: string;
  @ApiProperty() @Type(() => Number) @IsInt() @Min(0) @Max(MAX_SEQ) afterSeq: number;
  @ApiPropertyOptional({ maximum: 200, default: 100 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(200) limit?: number;
}

export class ReadDto {
  @ApiProperty() @IsUUID() conversationId: string;
  @ApiProperty() @Type(() => Number) @IsInt() @Min(0) @Max(MAX_SEQ) seq: number;
}

export class MessageRefDto {
  @ApiProperty() @IsUUID() messageId: string;
}

export class HistoryQueryDto {
  @ApiPropertyOptional({ description: 'messages after this seq (oldest first)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(MAX_SEQ)
  afterSeq?: number;
  @ApiPropertyOptional({ description: 'messages before this seq (the newest of them, in seq order)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_SEQ)
  beforeSeq?: number;
  @ApiPropertyOptional({ maximum: 200, default: 50 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(200) limit?: number;
}

export class ListConversationsQueryDto extends PageQueryDto {}

export class CreateDirectDto {
  @ApiProperty({ description: 'the teacher, coordinator or guardian to talk to' }) @IsUUID() userId: string;
}

export class StaffOnlyDto {
  @ApiProperty({ description: '只允许老师发言' }) @IsBoolean() staffOnly: boolean;
}

// ── responses ─────────────────────────────────────────────────────────────────

export class AttachmentDto {
  @ApiProperty() fileId: string;
  @ApiProperty() name: string;
  @ApiProperty() mime: string;
  @ApiProperty() size: number;
  @ApiProperty({ example: '/files/…' }) url: string;
}

export class NoticeDto {
  @ApiProperty() title: string;
  @ApiProperty() needsAck: boolean;
  @ApiProperty() emergency: boolean;
}

export class SystemEventDto {
  @ApiProperty({ enum: ['joined', 'left', 'recalled'] }) event: string;
  @ApiProperty({ type: [String] }) userIds: string[];
  @ApiProperty({ type: [String] }) names: string[];
}

export class MessageDto {
  @ApiProperty() id: string;
  @ApiProperty() conversationId: string;
  @ApiProperty({ description: 'gapless and increasing within the conversation' }) seq: number;
  @ApiProperty({ nullable: true, type: String, description: 'null for system messages' }) senderId: string | null;
  @ApiProperty({ nullable: true, type: String }) senderName: string | null;
  @ApiProperty({ nullable: true, type: String }) clientMsgId: string | null;
  @ApiProperty({ enum: ['text', 'image', 'file', 'notice', 'system'] }) type: string;
  @ApiProperty({ nullable: true, type: String, description: 'null once recalled (a tombstone)' }) text: string | null;
  @ApiProperty() recalled: boolean;
  @ApiPropertyOptional({ type: AttachmentDto }) attachment?: AttachmentDto;
  @ApiPropertyOptional({ type: NoticeDto }) notice?: NoticeDto;
  @ApiPropertyOptional({ type: SystemEventDto }) system?: SystemEventDto;
  @ApiProperty({ description: 'ISO 8601' }) createdAt: string;
}

export class SendResultDto {
  @ApiProperty({ type: MessageDto }) message: MessageDto;
  @ApiProperty({ description: 'the teacher is outside working hours: the message is delivered, pushes wait until they start' })
  quietHours: boolean;
}

export class MessagePageDto {
  @ApiProperty({ type: [MessageDto] }) items: MessageDto[];
  @ApiProperty({ nullable: true, type: String, description: 'pass as afterSeq for the next page' }) nextCursor: string | null;
}

export class ConversationDto {
  @ApiProperty() id: string;
  @ApiProperty({ enum: ['direct', 'class_group', 'committee_group', 'lecture_room'] }) kind: string;
  @ApiProperty({ example: '潍坊七中 初一(1)班' }) title: string;
  @ApiProperty() lastSeq: number;
  @ApiProperty() unread: number;
  @ApiProperty() staffOnly: boolean;
  @ApiProperty({ nullable: true, type: MessageDto }) lastMessage: MessageDto | null;
  @ApiProperty({ nullable: true, type: String }) lastMessageAt: string | null;
}

export class ConversationPageDto {
  @ApiProperty({ type: [ConversationDto] }) items: ConversationDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

export class MemberDto {
  @ApiProperty() userId: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: ['staff', 'member'] }) role: string;
}

export class FamilyStatusDto {
  @ApiProperty({ nullable: true, type: String, description: 'the student (a family); null outside class groups' }) studentId: string | null;
  @ApiProperty({ description: 'the student’s name, or the member’s name outside class groups' }) name: string;
  @ApiProperty({ type: [MemberDto] }) guardians: MemberDto[];
  @ApiPropertyOptional({
    nullable: true,
    type: String,
    description:
      'read list: when the family (its first guardian) read the message — or joined after it, the history before a member starting read; 回执 list: when it confirmed; null when pending',
  })
  at?: string | null;
}

export class ReadsDto {
  @ApiProperty() messageId: string;
  @ApiProperty({ type: [FamilyStatusDto] }) read: FamilyStatusDto[];
  @ApiProperty({ type: [FamilyStatusDto] }) unread: FamilyStatusDto[];
}

export class AcksDto {
  @ApiProperty() messageId: string;
  @ApiProperty({ type: [FamilyStatusDto], description: '已确认' }) confirmed: FamilyStatusDto[];
  @ApiProperty({ type: [FamilyStatusDto], description: '未确认' }) unconfirmed: FamilyStatusDto[];
}
