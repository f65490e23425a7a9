import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsString, Length, Matches, MaxLength } from 'class-validator';
import { IDENTITY_PROVIDERS, IdentityProvider } from '@jiaxiao/db';

export class WechatCodeDto {
  @ApiProperty({ description: '微信网页授权回跳时带回的 code（snsapi_base）' })
  @IsString()
  @Length(1, 128)
  code!: string;
}

export class AuthorizeUrlQueryDto {
  @ApiProperty({ description: '授权后回到的 H5 页面（本平台 /h5/ 下的完整网址）', example: 'https://jx.example.cn/h5/login' })
  @IsString()
  @MaxLength(500)
  @Matches(/^https?:\/\/[^/?#]+\/h5\//, { message: 'must be an http(s) URL of an /h5/ page' })
  redirect!: string;

  @ApiPropertyOptional({ enum: IDENTITY_PROVIDERS, default: 'wechat_mp' })
  @IsIn(IDENTITY_PROVIDERS)
  provider: IdentityProvider = 'wechat_mp';
}

export class AuthorizeUrlDto {
  @ApiProperty({ description: '在微信内打开此网址完成静默授权' }) url!: string;
  @ApiProperty({ description: '随授权带回的 state，H5 用来核对回跳' }) state!: string;
}

export class IdentityDto {
  @ApiProperty({ enum: IDENTITY_PROVIDERS }) provider!: IdentityProvider;
  @ApiProperty({ description: 'openid 或企业微信家长 userid 的脱敏形式' }) subject!: string;
  @ApiProperty() unionid!: boolean;
  @ApiProperty() createdAt!: string;
}

export class IdentityListDto {
  @ApiProperty({ type: [IdentityDto] }) items!: IdentityDto[];
}
