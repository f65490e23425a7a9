import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import { IsMainlandMobile, PageNumberQueryDto, PageQueryDto, SCHOOL_YEAR_PATTERN } from '@jiaxiao/common';
import { SCHOOL_TYPES, SchoolType } from '@jiaxiao/db';

// ── requests ──────────────────────────────────────────────────────────────────

export class ListSchoolsQueryDto extends PageQueryDto {
  @ApiPropertyOptional() @IsOptional() @IsUUID() districtId?: string;
}

export class CreateSchoolDto {
  @ApiProperty({ example: '潍坊七中' }) @IsString() @MinLength(2) @MaxLength(80) name: string;
  @ApiProperty({ enum: SCHOOL_TYPES }) @IsIn(SCHOOL_TYPES) type: SchoolType;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) address?: string;
}

export class CreateSchoolYearDto {
  @ApiProperty({ example: '2027-2028', description: 'runs 1 September to 31 August' })
  @IsString()
  @Matches(SCHOOL_YEAR_PATTERN)
  name: string;
}

export class SchoolYearQueryDto {
  @ApiPropertyOptional({ example: '2026-2027', description: 'the current school year by default' })
  @IsOptional()
  @IsString()
  @Matches(SCHOOL_YEAR_PATTERN)
  schoolYear?: string;
}

export class ClassListQueryDto extends PageNumberQueryDto {
  @ApiPropertyOptional({ example: '2026-2027', description: 'the current school year by default' })
  @IsOptional()
  @IsString()
  @Matches(SCHOOL_YEAR_PATTERN)
  schoolYear?: string;
  @ApiPropertyOptional({
    enum: ['name', '-name', 'grade', '-grade', 'students', '-students'],
    default: 'grade',
    description: 'a leading - sorts descending',
  })
  @IsOptional()
  @IsIn(['name', '-name', 'grade', '-grade', 'students', '-students'])
  sort?: 'name' | '-name' | 'grade' | '-grade' | 'students' | '-students';
  @ApiPropertyOptional({ description: 'part of the class name' }) @IsOptional() @IsString() @MaxLength(50) q?: string;
  @ApiPropertyOptional({ minimum: 1, maximum: 12 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(12) grade?: number;
}

export class CreateClassDto {
  @ApiProperty({ example: 7, description: '1–12 (初一 = 7, 高一 = 10)' })
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(12)
  grade: number;

  @ApiProperty({ example: '初一(1)班' }) @IsString() @MinLength(1) @MaxLength(40) name: string;

  @ApiPropertyOptional({ example: '2026-2027', description: 'the current school year by default' })
  @IsOptional()
  @IsString()
  @Matches(SCHOOL_YEAR_PATTERN)
  schoolYear?: string;
}

export class AppointStaffDto {
  @ApiProperty({ example: '13900000001' }) @IsString() @IsMainlandMobile() phone: string;
  @ApiProperty({ example: '王老师' }) @IsString() @MinLength(1) @MaxLength(40) name: string;
  @ApiProperty({ enum: ['coordinator', 'teacher'], description: 'coordinator = 家庭教育总协调员' })
  @IsIn(['coordinator', 'teacher'])
  role: 'coordinator' | 'teacher';
  @ApiPropertyOptional({ description: 'required for a teacher: the class they teach' }) @IsOptional() @IsUUID() classId?: string;
  @ApiPropertyOptional({ example: '班主任' }) @IsOptional() @IsString() @MaxLength(20) title?: string;
}

export class AppointDistrictAdminDto {
  @ApiProperty() @IsString() @IsMainlandMobile() phone: string;
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(40) name: string;
}

// ── responses ─────────────────────────────────────────────────────────────────

export class ScopeDto {
  @ApiProperty({ enum: ['parent', 'teacher', 'coordinator', 'district_admin', 'city_admin', 'expert'] }) role: string;
  @ApiProperty({ enum: ['city', 'district', 'school', 'class'] }) scopeType: string;
  @ApiProperty({ nullable: true, type: String }) scopeId: string | null;
  @ApiProperty({ nullable: true, type: String, example: '潍坊七中 初一(1)班' }) scopeName: string | null;
  @ApiProperty({ nullable: true, type: String }) title: string | null;
  @ApiProperty({ nullable: true, type: String }) districtId: string | null;
  @ApiProperty({ nullable: true, type: String }) schoolId: string | null;
  @ApiProperty({ nullable: true, type: String }) classId: string | null;
}

export class ChildDto {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty({ example: '母亲' }) relation: string;
  @ApiProperty() classId: string;
  @ApiProperty({ example: '初一(1)班' }) className: string;
  @ApiProperty() grade: number;
  @ApiProperty() schoolId: string;
  @ApiProperty({ example: '潍坊七中' }) schoolName: string;
  @ApiProperty({ example: '2026-2027' }) schoolYear: string;
}

export class MeDto {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty({ description: 'the caller’s own number, unmasked' }) phone: string;
  @ApiProperty({ isArray: true, enum: ['parent', 'teacher', 'coordinator', 'district_admin', 'city_admin', 'expert'] }) roles: string[];
  @ApiProperty({ type: [ScopeDto] }) scopes: ScopeDto[];
  @ApiProperty({ type: [ChildDto], description: 'empty while consentRequired' }) children: ChildDto[];
  @ApiProperty({
    description:
      'a guardian who has not accepted the current privacy notice: POST /me/consents; children’s data answers 403 CONSENT_REQUIRED until then',
  })
  consentRequired: boolean;
  @ApiProperty({ example: '2026-09-01', description: 'the current privacy notice’s version (GET /privacy-notice)' }) consentVersion: string;
  @ApiProperty({ description: 'staff signed in with a one-time password: PUT /me/password first' }) passwordChangeRequired: boolean;
}

export class GuardianDto {
  @ApiProperty() userId: string;
  @ApiProperty() name: string;
  @ApiProperty({ example: '138****0001', description: 'masked except for staff of the child’s school' }) phone: string;
  @ApiProperty({ example: '母亲' }) relation: string;
  @ApiProperty() isPrimary: boolean;
  @ApiProperty({ enum: ['active', 'invited', 'disabled'] }) status: string;
}

export class StudentDto {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty() classId: string;
  @ApiProperty() className: string;
  @ApiProperty() schoolId: string;
  @ApiProperty() schoolName: string;
  @ApiProperty({ type: [GuardianDto] }) guardians: GuardianDto[];
}

export class TeacherDto {
  @ApiProperty() userId: string;
  @ApiProperty() name: string;
  @ApiProperty({ nullable: true, type: String, example: '班主任' }) title: string | null;
}

export class ClassDto {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty() grade: number;
  @ApiProperty() schoolId: string;
  @ApiProperty() schoolName: string;
  @ApiProperty({ example: '2026-2027' }) schoolYear: string;
  @ApiProperty({ type: [TeacherDto] }) teachers: TeacherDto[];
}

export class RosterDto {
  @ApiProperty({ type: ClassDto }) class: ClassDto;
  @ApiProperty({ type: [StudentDto] }) students: StudentDto[];
  @ApiProperty({ description: 'students matching the search, over all pages' }) total: number;
}

/** A class roster's search, sort and page (the whole class in one page without `page`). */
export class RosterQueryDto {
  @ApiPropertyOptional({ minimum: 1, description: 'from 1; without it the whole class is listed' })
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
  @ApiPropertyOptional({
    enum: ['name', '-name', 'guardians', '-guardians'],
    default: 'name',
    description: 'by the student’s name or the number of guardians; a leading - sorts descending',
  })
  @IsOptional()
  @IsIn(['name', '-name', 'guardians', '-guardians'])
  sort?: 'name' | '-name' | 'guardians' | '-guardians';
  @ApiPropertyOptional({ description: 'part of a student’s or guardian’s name, or of a guardian’s phone number as shown' })
  @IsOptional()
  @IsString()
  @MaxLength(50)
  q?: string;
  @ApiPropertyOptional({ enum: ['active', 'invited', 'disabled'], description: 'students with a guardian of this account status' })
  @IsOptional()
  @IsIn(['active', 'invited', 'disabled'])
  guardianStatus?: 'active' | 'invited' | 'disabled';
}

export class SchoolDto {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: SCHOOL_TYPES }) type: string;
  @ApiProperty({ nullable: true, type: String }) address: string | null;
  @ApiProperty() districtId: string;
  @ApiProperty() districtName: string;
}

export class SchoolPageDto {
  @ApiProperty({ type: [SchoolDto] }) items: SchoolDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

export class DistrictDto {
  @ApiProperty() id: string;
  @ApiProperty({ example: '奎文区' }) name: string;
  @ApiProperty({ example: '370705' }) code: string;
}

export class SchoolYearDto {
  @ApiProperty({ example: '2026-2027' }) name: string;
  @ApiProperty({ example: '2026-09-01' }) startsOn: string;
  @ApiProperty({ example: '2027-08-31' }) endsOn: string;
  @ApiProperty() current: boolean;
}

export class ClassSummaryDto {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty() grade: number;
  @ApiProperty() studentCount: number;
}

export class ClassPageDto {
  @ApiProperty({ type: [ClassSummaryDto] }) items: ClassSummaryDto[];
  @ApiProperty({ description: 'classes matching, on every page' }) total: number;
}

export class StaffDto {
  @ApiProperty({ description: 'role assignment id (DELETE /role-assignments/:id)' }) id: string;
  @ApiProperty() userId: string;
  @ApiProperty() name: string;
  @ApiProperty() phone: string;
  @ApiProperty() role: string;
  @ApiProperty() scopeType: string;
  @ApiProperty({ nullable: true, type: String }) scopeId: string | null;
  @ApiProperty({ nullable: true, type: String }) title: string | null;
}

export class AppointmentDto extends StaffDto {
  @ApiPropertyOptional({
    nullable: true,
    type: String,
    description: 'set when the account was created (or had no password): shown once, to hand to the person',
  })
  initialPassword: string | null;
}
