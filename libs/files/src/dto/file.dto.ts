import { ApiProperty } from '@nestjs/swagger';

export class FileDto {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty({ example: 'image/png' }) mime: string;
  @ApiProperty() size: number;
  @ApiProperty({ enum: ['image', 'file'] }) kind: 'image' | 'file';
}
