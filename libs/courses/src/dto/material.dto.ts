import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, MaxLength, MinLength } from 'class-validator';
import { IsMainlandMobile } from '@jiaxiao/common';
import { MATERIAL_KINDS, MaterialKind } from '@jiaxiao/db';

export class AddMaterialDto {
  @ApiProperty({ description: 'a file the caller uploaded with POST /uploads (parent-api)' }) @IsUUID() fileId: string;
  @ApiProperty({ example: '第三讲课件' }) @IsString() @MinLength(1) @MaxLength(100) title: string;
  @ApiProperty({ enum: MATERIAL_KINDS, description: 'slides 课件 · handout 讲义 · other 其他' }) @IsIn(MATERIAL_KINDS) kind: MaterialKind;
}

export class MaterialDto {
  @ApiProperty() id: string;
  @ApiProperty() title: string;
  @ApiProperty({ enum: MATERIAL_KINDS }) kind: string;
  @ApiProperty({ description: 'download with GET /files/:fileId on parent-api' }) fileId: string;
  @ApiProperty() name: string;
  @ApiProperty() mime: string;
  @ApiProperty() size: number;
  @ApiProperty() createdAt: string;
}

export class MaterialListDto {
  @ApiProperty({ type: [MaterialDto] }) items: MaterialDto[];
  @ApiProperty({ nullable: true, type: String, description: 'always null: a lecture has few materials' }) nextCursor: null;
}

export class OpenRoomDto {
  @ApiPropertyOptional({ example: '13900000066', description: 'staff only: add this account (the speaker) to the room as one who answers' })
  @IsOptional()
  @IsMainlandMobile()
  speakerPhone?: string;
}

export class LectureRoomDto {
  @ApiProperty() lectureId: string;
  @ApiProperty({ description: 'the lecture_room conversation: GET /conversations/:id/messages, message:send through the gateway' })
  conversationId: string;
  @ApiProperty({ enum: ['staff', 'member'], description: 'staff answer; members (parents) ask' }) role: string;
}
