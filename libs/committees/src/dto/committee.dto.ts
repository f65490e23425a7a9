import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { SCHOOL_YEAR_PATTERN } from '@jiaxiao/common';
import { CHARTER_FUNCTIONS, CharterFunction, COMMITTEE_LEVELS, COMMITTEE_ROLES, CommitteeLevel, CommitteeRole } from '@jiaxiao/db';

const CHARTER_HELP =
  'school_management 参与学校管理 · home_school_communication 家校沟通 · parent_school 组织家长学校 · oversight_canteen 民主监督（食堂） · oversight_uniforms 民主监督（校服） · oversight_materials 民主监督（教辅材料） · volunteering 志愿服务';

export class CreateCommitteeDto {
  @ApiProperty({ enum: COMMITTEE_LEVELS, description: 'class 班级家委会 · grade 年级家委会 · school 校级家委会' })
  @IsIn(COMMITTEE_LEVELS)
  level: CommitteeLevel;

  @ApiProperty({ description: 'the school (for a class committee, the class decides it)' }) @IsUUID() schoolId: string;
  @ApiPropertyOptional({ description: 'required for a class committee' }) @IsOptional() @IsUUID() classId?: string;
  @ApiPropertyOptional({ description: 'required for a grade committee (初一 = 7)' }) @IsOptional() @IsInt() @Min(1) @Max(12) grade?: number;
  @ApiPropertyOptional({ example: '2026-2027', description: 'the current school year by default' })
  @IsOptional()
  @Matches(SCHOOL_YEAR_PATTERN)
  schoolYear?: string;
  @ApiPropertyOptional({ example: '初一(1)班家长委员会' }) @IsOptional() @IsString() @MinLength(2) @MaxLength(100) name?: string;

  @ApiProperty({ enum: CHARTER_FUNCTIONS, isArray: true, description: CHARTER_HELP })
  @IsArray()
  @ArrayUnique()
  @ArrayMaxSize(CHARTER_FUNCTIONS.length)
  @IsIn(CHARTER_FUNCTIONS, { each: true })
  charter: CharterFunction[];

  @ApiPropertyOptional({ description: "the school's own wording of the charter" })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  charterNote?: string;
  @ApiPropertyOptional({ example: 7, description: 'size limit, 3–50 (7 by default)' })
  @IsOptional()
  @IsInt()
  @Min(3)
  @Max(50)
  maxMembers?: number;
  @ApiPropertyOptional({ description: 'grade/school committees: members must sit on a class committee in scope' })
  @IsOptional()
  @IsBoolean()
  drawsFromClassCommittees?: boolean;
}

export class UpdateCharterDto {
  @ApiProperty({ enum: CHARTER_FUNCTIONS, isArray: true, description: CHARTER_HELP })
  @IsArray()
  @ArrayUnique()
  @ArrayMaxSize(CHARTER_FUNCTIONS.length)
  @IsIn(CHARTER_FUNCTIONS, { each: true })
  charter: CharterFunction[];

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2000) charterNote?: string;
}

export class AppointMemberDto {
  @ApiProperty({ description: 'a guardian of a student in the committee’s scope' }) @IsUUID() userId: string;
  @ApiProperty({ enum: COMMITTEE_ROLES }) @IsIn(COMMITTEE_ROLES) role: CommitteeRole;
  @ApiPropertyOptional({ example: '2027-08-31', description: 'end of term; the end of the school year by default' })
  @IsOptional()
  @IsISO8601({ strict: true })
  termEndsOn?: string;
}

export class CommitteeListQueryDto {
  @ApiPropertyOptional({ example: '2026-2027' }) @IsOptional() @Matches(SCHOOL_YEAR_PATTERN) schoolYear?: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID() schoolId?: string;
}

export class CommitteeDto {
  @ApiProperty() id: string;
  @ApiProperty({ enum: COMMITTEE_LEVELS }) level: string;
  @ApiProperty() name: string;
  @ApiProperty() schoolId: string;
  @ApiProperty({ nullable: true, type: String }) classId: string | null;
  @ApiProperty({ nullable: true, type: Number }) grade: number | null;
  @ApiProperty() schoolYear: string;
  @ApiProperty({ enum: CHARTER_FUNCTIONS, isArray: true }) charter: string[];
  @ApiProperty({ nullable: true, type: String }) charterNote: string | null;
  @ApiProperty() maxMembers: number;
  @ApiProperty() drawsFromClassCommittees: boolean;
}

export class CommitteePageDto {
  @ApiProperty({ type: [CommitteeDto] }) items: CommitteeDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

export class CommitteeMemberDto {
  @ApiProperty({ description: 'the seat (for ending the term)' }) id: string;
  @ApiProperty() userId: string;
  @ApiProperty() name: string;
  @ApiProperty({ example: '139****0004', description: 'masked except for staff of the school' }) phone: string;
  @ApiProperty({ enum: COMMITTEE_ROLES }) role: string;
  @ApiProperty() termStartsOn: string;
  @ApiProperty() termEndsOn: string;
}

export class EndMembershipDto {
  @ApiPropertyOptional({ example: '孩子转学' }) @IsOptional() @IsString() @MaxLength(200) reason?: string;
}

export class MemberListDto {
  @ApiProperty({ type: [CommitteeMemberDto] }) items: CommitteeMemberDto[];
}

export class CreateMinutesDto {
  @ApiProperty({ example: '第一次家委会会议' }) @IsString() @MinLength(2) @MaxLength(100) title: string;
  @ApiProperty({ example: '2026-10-10T19:00:00+08:00' }) @IsISO8601() heldAt: string;
  @ApiProperty({ type: [String], description: 'user ids of those present' })
  @IsArray()
  @ArrayMaxSize(100)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  attendeeIds: string[];
  @ApiProperty({ type: [String], example: ['本学期班费预算 2000 元'] })
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(500, { each: true })
  decisions: string[];
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(5000) body?: string;
}

export class MinutesDto {
  @ApiProperty() id: string;
  @ApiProperty() title: string;
  @ApiProperty() heldAt: string;
  @ApiProperty({ type: [String] }) attendees: string[];
  @ApiProperty({ type: [String] }) decisions: string[];
  @ApiProperty({ nullable: true, type: String }) body: string | null;
}

export class MinutesListDto {
  @ApiProperty({ type: [MinutesDto] }) items: MinutesDto[];
}

export class CreateOversightDto {
  @ApiProperty({ enum: ['canteen', 'uniforms', 'materials', 'other'] }) @IsIn(['canteen', 'uniforms', 'materials', 'other']) area:
    'canteen' | 'uniforms' | 'materials' | 'other';
  @ApiProperty({ example: '食堂午餐检查' }) @IsString() @MinLength(2) @MaxLength(100) title: string;
  @ApiProperty() @IsISO8601() inspectedAt: string;
  @ApiProperty({ example: '饭菜温度合格，留样记录齐全' }) @IsString() @MinLength(2) @MaxLength(5000) findings: string;
  @ApiPropertyOptional({ type: [String], description: 'file ids from POST /uploads' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(9)
  @IsUUID('all', { each: true })
  photoFileIds?: string[];
}

export class OversightDto {
  @ApiProperty() id: string;
  @ApiProperty() area: string;
  @ApiProperty() title: string;
  @ApiProperty() inspectedAt: string;
  @ApiProperty() findings: string;
  @ApiProperty({ type: [String] }) photoFileIds: string[];
}

export class OversightListDto {
  @ApiProperty({ type: [OversightDto] }) items: OversightDto[];
}

export class CreateFundEntryDto {
  @ApiProperty({ enum: ['income', 'expense'] }) @IsIn(['income', 'expense']) kind: 'income' | 'expense';
  @ApiProperty({ example: 5000, description: 'amount in fen (分), positive' })
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100_000_000)
  amountFen: number;
  @ApiProperty({ example: '购买图书角图书' }) @IsString() @MinLength(2) @MaxLength(200) description: string;
  @ApiProperty({ example: '2026-10-08' }) @IsISO8601({ strict: true }) occurredOn: string;
  @ApiPropertyOptional({ description: 'receipt: a file id from POST /uploads' }) @IsOptional() @IsUUID() receiptFileId?: string;
}

export class ReverseFundEntryDto {
  @ApiProperty({ example: '金额录入错误' }) @IsString() @MinLength(2) @MaxLength(200) reason: string;
}

export class FundEntryDto {
  @ApiProperty() id: string;
  @ApiProperty() seq: number;
  @ApiProperty({ enum: ['income', 'expense', 'reversal'] }) kind: string;
  @ApiProperty({ description: 'fen; negative for expenses' }) amountFen: number;
  @ApiProperty() description: string;
  @ApiProperty() occurredOn: string;
  @ApiProperty({ nullable: true, type: String }) receiptFileId: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'the entry this one reverses' }) reverses: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'the reversal of this entry, if any' }) reversedBy: string | null;
  @ApiProperty({ description: 'running balance after this entry, fen' }) balanceFen: number;
  @ApiProperty() createdAt: string;
}

export class FundLedgerDto {
  @ApiProperty() committeeId: string;
  @ApiProperty() balanceFen: number;
  @ApiProperty({ type: [FundEntryDto] }) items: FundEntryDto[];
}

export class ChairTrainingRequirementDto {
  @ApiProperty({ example: '2026-2027' }) @Matches(SCHOOL_YEAR_PATTERN) schoolYear: string;
  @ApiProperty({ example: 6 }) @Type(() => Number) @IsInt() @Min(0) @Max(100) requiredHours: number;
}

export class ChairTrainingQueryDto {
  @ApiPropertyOptional({ example: '2026-2027' }) @IsOptional() @Matches(SCHOOL_YEAR_PATTERN) schoolYear?: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID() districtId?: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID() schoolId?: string;
}

export class ChairProgressDto {
  @ApiProperty() userId: string;
  @ApiProperty() name: string;
  @ApiProperty() phone: string;
  @ApiProperty() committeeId: string;
  @ApiProperty() committeeName: string;
  @ApiProperty() schoolId: string;
  @ApiProperty() earnedHours: number;
  @ApiProperty() completed: boolean;
}

export class ChairAreaDto {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty() chairs: number;
  @ApiProperty() completed: number;
  @ApiProperty() rate: number;
}

export class ChairTrainingReportDto {
  @ApiProperty() schoolYear: string;
  @ApiProperty() requiredHours: number;
  @ApiProperty({ type: [ChairAreaDto] }) districts: ChairAreaDto[];
  @ApiProperty({ type: [ChairAreaDto] }) schools: ChairAreaDto[];
  @ApiProperty({ type: [ChairProgressDto] }) chairs: ChairProgressDto[];
}
