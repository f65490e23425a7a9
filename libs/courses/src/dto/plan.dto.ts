import { ApiProperty } from '@nestjs/swagger';
import { LectureDto } from './lecture.dto';

export class CoursePlanDto {
  @ApiProperty() id: string;
  @ApiProperty() schoolId: string;
  @ApiProperty() schoolYear: string;
  @ApiProperty({ example: 8 }) requiredHours: number;
  @ApiProperty({ description: 'hours of the planned sessions (make-up sessions and cancelled ones excluded)' }) plannedHours: number;
  @ApiProperty({ description: 'false flags a plan short of the required hours' }) meetsRequirement: boolean;
  @ApiProperty({ nullable: true, type: String }) note: string | null;
  @ApiProperty({ type: [LectureDto] }) sessions: LectureDto[];
}

export class RequirementResultDto {
  @ApiProperty() schoolYear: string;
  @ApiProperty() requiredHours: number;
}
