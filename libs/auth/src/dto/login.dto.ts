import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';
import { IsMainlandMobile } from '@jiaxiao/common';

export { SmsCodeRequestedDto } from './account.dto';

export class LoginDto {
  @ApiProperty({ example: '13900000003', description: '中国大陆手机号' })
  @IsString()
  @IsMainlandMobile()
  phone: string;

  @ApiProperty({ example: 'Jiaxiao#2016' })
  @IsString()
  @MinLength(1)
  @MaxLength(128)
  password: string;
}

export class RefreshDto {
  @ApiProperty()
  @IsString()
  @MinLength(10)
  @MaxLength(200)
  refreshToken: string;
}

export class SessionUserDto {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty({ example: ['parent'], enum: ['parent', 'teacher', 'coordinator', 'district_admin', 'city_admin', 'expert'], isArray: true })
  roles: string[];
  @ApiProperty({
    description:
      'true for staff signed in with a one-time password: PUT /me/password first, every other route answers 403 PASSWORD_CHANGE_REQUIRED',
  })
  passwordChangeRequired: boolean;
}

export class TokenPairDto {
  @ApiProperty({ description: 'Bearer token, valid for ACCESS_TOKEN_TTL seconds (15 minutes by default)' })
  accessToken: string;
  @ApiProperty({ description: 'One-time token for POST /auth/refresh; using one twice signs the whole session out' })
  refreshToken: string;
  @ApiProperty({ description: 'Seconds until the access token expires' })
  expiresIn: number;
  @ApiProperty({ type: SessionUserDto })
  user: SessionUserDto;
}
