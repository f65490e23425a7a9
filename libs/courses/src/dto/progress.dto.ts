import { ApiProperty } from '@nestjs/swagger';
import { LectureDto } from './lecture.dto';

export class HourEntryDto {
  @ApiProperty() lectureId: string;
  @ApiProperty() title: string;
  @ApiProperty() series: string;
  @ApiProperty() hours: number;
  @ApiProperty() startsAt: string;
  @ApiProperty() creditedAt: string;
}

export class HouseholdDto {
  @ApiProperty() studentId: string;
  @ApiProperty() studentName: string;
  @ApiProperty() schoolName: string;
  @ApiProperty() className: string;
  @ApiProperty({ example: 8 }) requiredHours: number;
  @ApiProperty() earnedHours: number;
  @ApiProperty() compliant: boolean;
  @ApiProperty({ type: [HourEntryDto], description: 'lectures counted for this household (once each, whichever guardian attended)' })
  entries: HourEntryDto[];
  @ApiProperty({ type: [LectureDto], description: 'upcoming sessions open to this household' }) nextSessions: LectureDto[];
}

export class CourseHoursDto {
  @ApiProperty({ example: '2026-2027' }) schoolYear: string;
  @ApiProperty({ type: [HouseholdDto] }) households: HouseholdDto[];
}

export class ClassRowDto {
  @ApiProperty() classId: string;
  @ApiProperty() className: string;
  @ApiProperty() grade: number;
  @ApiProperty() households: number;
  @ApiProperty() compliant: number;
  @ApiProperty({ description: 'compliant / households, 0–1' }) rate: number;
  @ApiProperty() averageHours: number;
}

export class ClassReportDto {
  @ApiProperty() schoolId: string;
  @ApiProperty() schoolName: string;
  @ApiProperty() schoolYear: string;
  @ApiProperty() requiredHours: number;
  @ApiProperty() households: number;
  @ApiProperty() compliant: number;
  @ApiProperty() rate: number;
  @ApiProperty({ type: [ClassRowDto] }) classes: ClassRowDto[];
}

export class SchoolRowDto {
  @ApiProperty() schoolId: string;
  @ApiProperty() schoolName: string;
  @ApiProperty() districtId: string;
  @ApiProperty() districtName: string;
  @ApiProperty() households: number;
  @ApiProperty() compliant: number;
  @ApiProperty() rate: number;
  @ApiProperty() averageHours: number;
}

export class DistrictRowDto {
  @ApiProperty() districtId: string;
  @ApiProperty() districtName: string;
  @ApiProperty() households: number;
  @ApiProperty() compliant: number;
  @ApiProperty() rate: number;
}

export class SummaryReportDto {
  @ApiProperty() schoolYear: string;
  @ApiProperty() requiredHours: number;
  @ApiProperty() households: number;
  @ApiProperty() compliant: number;
  @ApiProperty() rate: number;
  @ApiProperty({ type: [DistrictRowDto] }) districts: DistrictRowDto[];
  @ApiProperty({ type: [SchoolRowDto] }) schools: SchoolRowDto[];
}

export class TrendMonthDto {
  @ApiProperty({ example: '2026-09' }) month: string;
  @ApiProperty({ description: 'households of the scope' }) households: number;
  @ApiProperty({ description: 'households with the required hours by the end of the month' }) compliant: number;
  @ApiProperty({ description: 'compliant / households, 0–1' }) rate: number;
}

export class TrendReportDto {
  @ApiProperty() schoolYear: string;
  @ApiProperty() requiredHours: number;
  @ApiProperty({ enum: ['city', 'district', 'school', 'class'] }) scopeType: string;
  @ApiProperty({ nullable: true, type: String, description: 'the district or school; null for the city or a teacher’s classes' }) scopeId:
    string | null;
  @ApiProperty({ type: [TrendMonthDto], description: 'from September to this month (or August for a past year)' }) months: TrendMonthDto[];
}

export class FollowUpGuardianDto {
  @ApiProperty() userId: string;
  @ApiProperty() name: string;
  @ApiProperty({ example: '138****0001' }) phone: string;
  @ApiProperty() relation: string;
}

export class FollowUpDto {
  @ApiProperty() studentId: string;
  @ApiProperty() studentName: string;
  @ApiProperty() earnedHours: number;
  @ApiProperty() missingHours: number;
  @ApiProperty({ type: [FollowUpGuardianDto] }) guardians: FollowUpGuardianDto[];
}

export class ClassFollowUpDto {
  @ApiProperty() classId: string;
  @ApiProperty() schoolYear: string;
  @ApiProperty() requiredHours: number;
  @ApiProperty({ type: [FollowUpDto], description: '未完成的家庭' }) households: FollowUpDto[];
}

export class ExportStatusDto {
  @ApiProperty() id: string;
  @ApiProperty({ enum: ['queued', 'running', 'succeeded', 'failed'] }) status: string;
  @ApiProperty() progress: number;
  @ApiProperty({ nullable: true, type: String }) fileName: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'GET this to download once succeeded' }) downloadUrl: string | null;
}
