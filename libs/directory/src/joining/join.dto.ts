import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { IsMainlandMobile, PageNumberQueryDto } from '@jiaxiao/common';
import { RELATIONS } from '@jiaxiao/db';

export class JoinLinkDto {
  @ApiProperty({ example: 'http://127.0.0.1:3000/h5/join/3q2Y…', description: 'PUBLIC_BASE_URL/h5/join/<token>' }) url: string;
  @ApiProperty({ description: 'the link as a data:image/png;base64 QR code, for the screen at a 家长会' }) qr: string;
  @ApiProperty() token: string;
}

export class JoinClassDto {
  @ApiProperty() classId: string;
  @ApiProperty({ example: '潍坊七中' }) schoolName: string;
  @ApiProperty({ example: '初一(1)班' }) className: string;
}

export class CreateJoinRequestDto {
  @ApiProperty({ description: 'the token of the class join link' })
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{20,43}$/)
  token: string;

  @ApiProperty({ example: '陈小雨', description: 'the child’s name as on the class roster' })
  @IsString()
  @MinLength(1)
  @MaxLength(40)
  studentName: string;

  @ApiProperty({ enum: RELATIONS })
  @IsIn(RELATIONS)
  relation: (typeof RELATIONS)[number];
}

export class InviteGuardianDto {
  @ApiProperty({ example: '13812345678' })
  @IsString()
  @IsMainlandMobile()
  phone: string;

  @ApiProperty({ example: '陈建国' })
  @IsString()
  @MinLength(1)
  @MaxLength(40)
  name: string;

  @ApiProperty({ enum: RELATIONS, example: '祖父母' })
  @IsIn(RELATIONS)
  relation: (typeof RELATIONS)[number];
}

export class JoinRequestQueryDto {
  @ApiPropertyOptional({ enum: ['pending', 'approved', 'rejected'], default: 'pending' })
  @IsOptional()
  @IsIn(['pending', 'approved', 'rejected'])
  status?: 'pending' | 'approved' | 'rejected';
}

export class JoinRequestDto {
  @ApiProperty() id: string;
  @ApiProperty() classId: string;
  @ApiProperty() studentId: string;
  @ApiProperty() studentName: string;
  @ApiProperty({ description: 'who would become a guardian' }) userId: string;
  @ApiProperty() name: string;
  @ApiProperty({ description: 'in full: only the class’s staff see this list' }) phone: string;
  @ApiProperty({ enum: RELATIONS }) relation: string;
  @ApiProperty({ nullable: true, description: 'the guardian who invited them' }) invitedBy: string | null;
  @ApiProperty({ enum: ['pending', 'approved', 'rejected'] }) status: string;
  @ApiProperty() createdAt: Date;
  @ApiProperty({ nullable: true }) decidedAt: Date | null;
}

export class JoinRequestListDto {
  @ApiProperty({ type: [JoinRequestDto] }) items: JoinRequestDto[];
}

export class SchoolJoinRequestQueryDto extends PageNumberQueryDto {
  @ApiPropertyOptional({ enum: ['pending', 'approved', 'rejected'], default: 'pending' })
  @IsOptional()
  @IsIn(['pending', 'approved', 'rejected'])
  status?: 'pending' | 'approved' | 'rejected';
}

export class SchoolJoinRequestDto extends JoinRequestDto {
  @ApiProperty({ example: '初一(1)班' }) className: string;
}

export class SchoolJoinRequestPageDto {
  @ApiProperty({ type: [SchoolJoinRequestDto] }) items: SchoolJoinRequestDto[];
  @ApiProperty({ description: 'requests matching, on every page' }) total: number;
}

export class JoinRequestCreatedDto {
  @ApiProperty() id: string;
  @ApiProperty({ enum: ['pending'] }) status: string;
  @ApiProperty() studentName: string;
  @ApiProperty() className: string;
}
