import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches } from 'class-validator';
import { SCHOOL_YEAR_PATTERN } from '@jiaxiao/common';
import { LectureDto, RequirementDto } from '@jiaxiao/courses';

export class LectureListDto {
  @ApiProperty({ type: [LectureDto] }) items: LectureDto[];
  @ApiProperty({ nullable: true, type: String, description: 'always null: pages are numbered (page, pageSize)' }) nextCursor: string | null;
  @ApiProperty({ description: 'lectures matching the filters, over all pages' }) total: number;
}

export class RegistrationRowDto {
  @ApiProperty() id: string;
  @ApiProperty() userId: string;
  @ApiProperty() name: string;
  @ApiProperty() phone: string;
  @ApiProperty({ enum: ['registered', 'waitlisted', 'cancelled'] }) status: string;
  @ApiProperty() createdAt: Date;
}

class SheetRowDto {
  @ApiProperty() row: number;
  @ApiProperty() phone: string;
  @ApiProperty({ enum: ['credited', 'already_credited', 'error'] }) status: string;
  @ApiProperty({ required: false }) message?: string;
}

export class SheetResultDto {
  @ApiProperty({ type: [SheetRowDto] }) rows: SheetRowDto[];
}

export class SetRequirementDto extends RequirementDto {
  @ApiProperty({ example: '2026-2027' }) @IsString() @Matches(SCHOOL_YEAR_PATTERN) schoolYear: string;
}
