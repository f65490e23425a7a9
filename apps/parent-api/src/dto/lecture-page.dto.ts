import { ApiProperty } from '@nestjs/swagger';
import { LectureDto } from '@jiaxiao/courses';

export class LecturePageDto {
  @ApiProperty({ type: [LectureDto] }) items: LectureDto[];
  @ApiProperty({ nullable: true, type: String, description: 'a school year fits one page' }) nextCursor: string | null;
}
