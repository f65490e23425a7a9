import { ApiProperty } from '@nestjs/swagger';
import { LectureDto } from './lecture.dto';

export class TrainingEntryDto {
  @ApiProperty() id: string;
  @ApiProperty() lectureId: string;
  @ApiProperty() title: string;
  @ApiProperty() startsAt: string;
  @ApiProperty({ enum: ['credit', 'revocation'] }) kind: string;
  @ApiProperty({ description: 'positive for a credit, negative for a revocation' }) hours: number;
  @ApiProperty({ enum: ['offline', 'online', 'manual'] }) source: string;
  @ApiProperty() createdAt: string;
}

export class MyTeacherTrainingDto {
  @ApiProperty() schoolYear: string;
  @ApiProperty({ description: 'teacher_training hours earned this year (credits minus revocations); never part of a household’s hours' })
  earnedHours: number;
  @ApiProperty({ type: [LectureDto], description: 'published teachers’ training sessions open to the caller, with their registration' })
  lectures: LectureDto[];
  @ApiProperty({ type: [TrainingEntryDto] }) entries: TrainingEntryDto[];
}

export class TeacherHoursDto {
  @ApiProperty() userId: string;
  @ApiProperty() name: string;
  @ApiProperty({ type: [String], example: ['teacher'] }) roles: string[];
  @ApiProperty() earnedHours: number;
  @ApiProperty({ description: 'sessions credited (and not revoked)' }) sessions: number;
}

export class TeacherTrainingReportDto {
  @ApiProperty() schoolId: string;
  @ApiProperty() schoolName: string;
  @ApiProperty() schoolYear: string;
  @ApiProperty({ description: 'teachers and coordinators of the school' }) teachers: number;
  @ApiProperty({ description: 'of them, those with any hours this year' }) trained: number;
  @ApiProperty() totalHours: number;
  @ApiProperty({ type: [TeacherHoursDto] }) items: TeacherHoursDto[];
}
