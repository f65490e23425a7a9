import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, IsUUID, Matches, MaxLength, MinLength } from 'class-validator';

export class RolloverQueryDto {
  @ApiPropertyOptional({ example: '2025-2026', description: 'the school year the classes leave (default: the current one)' })
  @IsOptional()
  @Matches(/^\d{4}-\d{4}$/)
  fromYear?: string;

  @ApiPropertyOptional({ example: '2026-2027', description: 'the school year they move into (default: the next one); it must exist' })
  @IsOptional()
  @Matches(/^\d{4}-\d{4}$/)
  toYear?: string;
}

export class RolloverBodyDto extends RolloverQueryDto {}

export class PromotedClassDto {
  @ApiProperty() fromClassId: string;
  @ApiProperty({ nullable: true, type: String, description: 'null in a preview when the class will be created' }) toClassId: string | null;
  @ApiProperty({ example: '初一(1)班' }) from: string;
  @ApiProperty({ example: '初二(1)班' }) to: string;
  @ApiProperty() students: number;
}

export class ArchivedClassDto {
  @ApiProperty() classId: string;
  @ApiProperty() name: string;
  @ApiProperty() students: number;
}

export class RolloverDto {
  @ApiProperty() schoolId: string;
  @ApiProperty() fromYear: string;
  @ApiProperty() toYear: string;
  @ApiProperty({ description: 'false: a preview, nothing changed' }) committed: boolean;
  @ApiProperty({ description: 'the rollover had been done before: nothing changed now' }) alreadyDone: boolean;
  @ApiProperty({ type: [PromotedClassDto], description: 'classes moving up a grade with their students' }) promoted: PromotedClassDto[];
  @ApiProperty({ type: [ArchivedClassDto], description: 'graduating classes, archived with their history' }) archived: ArchivedClassDto[];
}

export class TransferStudentDto {
  @ApiProperty({ description: 'the class the student moves to (same school and school year)' }) @IsUUID() classId: string;
}

export class LeaveStudentDto {
  @ApiPropertyOptional({ maxLength: 100, example: '转学' }) @IsOptional() @IsString() @MinLength(1) @MaxLength(100) reason?: string;
}

export class StudentMoveDto {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty() classId: string;
  @ApiProperty() className: string;
  @ApiProperty({ nullable: true, type: String }) leftAt: string | null;
  @ApiProperty({ description: 'guardians linked to the student now (0 after leaving)' }) guardians: number;
}
