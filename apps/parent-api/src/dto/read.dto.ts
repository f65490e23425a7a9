import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';
import { MAX_SEQ } from '@jiaxiao/messaging';

export class ReadBodyDto {
  @ApiProperty() @Type(() => Number) @IsInt() @Min(0) @Max(MAX_SEQ) seq: number;
}

export class ReadResultDto {
  @ApiProperty() conversationId: string;
  @ApiProperty({ description: 'the read cursor after the move' }) seq: number;
}
