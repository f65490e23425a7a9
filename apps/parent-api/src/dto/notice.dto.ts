import { ApiProperty } from '@nestjs/swagger';

export class AckResultDto {
  @ApiProperty() messageId: string;
  @ApiProperty() ackedAt: string;
}

export class RemindResultDto {
  @ApiProperty() messageId: string;
  @ApiProperty({ description: 'guardians the reminder goes to' }) reminded: number;
}
