import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { PageQueryDto } from '@jiaxiao/common';

export class AuditQueryDto extends PageQueryDto {
  @ApiPropertyOptional({
    example: 'roster.exported',
    description: 'one action, e.g. auth.login, role.assigned, roster.imported, roster.exported',
  })
  @IsOptional()
  @IsString()
  @MaxLength(60)
  @Matches(/^[a-z_.]+$/)
  action?: string;

  @ApiPropertyOptional({ description: 'entries of one actor' }) @IsOptional() @IsUUID() actorId?: string;
}

export class AuditEntryDto {
  @ApiProperty() id: string;
  @ApiProperty() action: string;
  @ApiProperty({ nullable: true, type: String }) actorId: string | null;
  @ApiProperty({ nullable: true, type: String }) actorName: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'masked' }) actorPhone: string | null;
  @ApiProperty({ nullable: true, type: String }) targetType: string | null;
  @ApiProperty({ nullable: true, type: String }) targetId: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true }) detail: Record<string, unknown>;
  @ApiProperty({ nullable: true, type: String }) ip: string | null;
  @ApiProperty() createdAt: string;
}

export class AuditPageDto {
  @ApiProperty({ type: [AuditEntryDto] }) items: AuditEntryDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}
