import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { IsMainlandMobile, IsStrongPassword } from '@jiaxiao/common';

export class RequestSmsCodeDto {
  @ApiProperty({ example: '13700000007' })
  @IsString()
  @IsMainlandMobile()
  phone: string;

  @ApiProperty({ enum: ['login', 'reset'], description: 'login: 验证码登录（首次登录即激活账号）; reset: 重置密码' })
  @IsIn(['login', 'reset'])
  purpose: 'login' | 'reset';
}

export class SmsCodeRequestedDto {
  @ApiProperty({ example: '137****0007', description: 'the number, masked; the same answer whether or not it has an account' })
  sentTo: string;
  @ApiProperty({ example: 60, description: 'seconds before another code may be requested' })
  retryAfter: number;
}

export class SmsLoginDto {
  @ApiProperty({ example: '13700000007' })
  @IsString()
  @IsMainlandMobile()
  phone: string;

  @ApiProperty({ example: '123456', description: 'the 6-digit code sent by SMS' })
  @IsString()
  @Matches(/^\d{6}$/)
  code: string;
}

export class ResetPasswordDto extends SmsLoginDto {
  @ApiProperty({ example: 'jiaxiao2026', description: '8–128 characters with letters and digits' })
  @IsString()
  @IsStrongPassword()
  newPassword: string;
}

export class ChangePasswordDto {
  @ApiProperty()
  @IsString()
  @MinLength(1)
  @MaxLength(128)
  currentPassword: string;

  @ApiProperty({ example: 'jiaxiao2026', description: '8–128 characters with letters and digits' })
  @IsString()
  @IsStrongPassword()
  newPassword: string;
}

export class ConsentDto {
  @ApiProperty({ example: '2026-09-01', description: 'the version of the notice the guardian read (GET /privacy-notice)' })
  @IsString()
  @MaxLength(20)
  version: string;
}

export class PrivacyNoticeResponseDto {
  @ApiProperty({ example: '2026-09-01' }) version: string;
  @ApiProperty() title: string;
  @ApiProperty({ description: 'the full text, in Chinese, paragraphs separated by newlines' }) body: string;
}
