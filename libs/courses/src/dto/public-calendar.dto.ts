import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional } from 'class-validator';
import { LECTURE_MODES, LECTURE_SERIES } from '@jiaxiao/db';

export class CalendarQueryDto {
  @ApiPropertyOptional({ example: '2026-12-01', description: 'from this day or time (default: yesterday)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;
  @ApiPropertyOptional({
    example: '2027-01-31',
    description: 'before this day or time (default: 90 days after `from`; at most 366 days after it)',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;
}

export class PublicLectureDto {
  @ApiProperty() id: string;
  @ApiProperty() title: string;
  @ApiProperty({ enum: LECTURE_SERIES }) series: string;
  @ApiProperty({ enum: LECTURE_MODES, description: 'offline 线下 · live 线上直播 · replay 线上回放 · hybrid 线上线下同步' }) mode: string;
  @ApiProperty({ enum: ['published', 'finished'] }) status: string;
  @ApiProperty() startsAt: string;
  @ApiProperty() endsAt: string;
  @ApiProperty() creditHours: number;
  @ApiProperty({ nullable: true, type: String }) speaker: string | null;
  @ApiProperty({ nullable: true, type: String }) venue: string | null;
  @ApiProperty({ description: 'who runs it: a school, a district bureau, or 潍坊市教育局' }) organiser: string;
  @ApiProperty({ example: '潍坊七中家长', description: 'who may register, in words' }) openTo: string;
}

export class PublicCalendarDto {
  @ApiProperty() from: string;
  @ApiProperty() to: string;
  @ApiProperty({ type: [PublicLectureDto] }) items: PublicLectureDto[];
  @ApiProperty({ nullable: true, type: String, description: 'always null: at most 500 lectures' }) nextCursor: null;
}
