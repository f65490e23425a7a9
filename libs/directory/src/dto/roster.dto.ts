import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class ImportRowErrorDto {
  @ApiProperty({ description: 'Excel row number (the header is row 1)' }) row: number;
  @ApiProperty({ nullable: true, type: String, example: '家长手机号' }) field: string | null;
  @ApiProperty({ example: '手机号“1380000”不是有效的中国大陆手机号' }) message: string;
}

export class ImportStatsDto {
  @ApiProperty() studentsCreated: number;
  @ApiProperty() guardiansCreated: number;
  @ApiProperty() guardianshipsCreated: number;
  @ApiProperty({ description: 'valid rows that changed nothing (already imported)' }) unchanged: number;
  @ApiPropertyOptional({ description: 'a whole-school sheet: classes it created' }) classesCreated?: number;
}

export class ImportStatusDto {
  @ApiProperty() id: string;
  @ApiProperty({ nullable: true, type: String, description: 'the class of a class sheet; null for a whole-school sheet' }) classId:
    string | null;
  @ApiProperty({ nullable: true, type: String, description: 'the school of a whole-school sheet' }) schoolId: string | null;
  @ApiProperty() fileName: string;
  @ApiProperty({ enum: ['queued', 'running', 'succeeded', 'failed'] }) status: 'queued' | 'running' | 'succeeded' | 'failed';
  @ApiProperty({ description: 'valid rows found in the file' }) totalRows: number;
  @ApiProperty() processedRows: number;
  @ApiProperty({ minimum: 0, maximum: 100 }) progress: number;
  @ApiPropertyOptional({ type: ImportStatsDto, nullable: true }) stats: ImportStatsDto | null;
  @ApiProperty({ type: [ImportRowErrorDto], description: 'rows skipped, with the reason in Chinese' }) errors: ImportRowErrorDto[];
  @ApiPropertyOptional({ nullable: true, type: String }) failureReason: string | null;
  @ApiProperty() createdAt: string;
  @ApiPropertyOptional({ nullable: true, type: String }) finishedAt: string | null;
}
