import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { IsString, Matches, MaxLength } from 'class-validator';
import { WechatJsSdk } from '@jiaxiao/channels';

class JsSdkConfigQueryDto {
  @ApiProperty({
    description: '调用 wx.config 的 H5 页面完整网址（# 之后的部分不参与签名）',
    example: 'https://jx.example.cn/h5/lectures/1/check-in',
  })
  @IsString()
  @MaxLength(1000)
  @Matches(/^https?:\/\/[^/?#]+\/h5\//, { message: 'must be an http(s) URL of an /h5/ page' })
  url!: string;
}

class JsSdkConfigDto {
  @ApiProperty({ description: '公众号 appId' }) appId!: string;
  @ApiProperty({ description: '签名时间戳（秒）' }) timestamp!: number;
  @ApiProperty() nonceStr!: string;
  @ApiProperty({ description: 'sha1(jsapi_ticket=…&noncestr=…&timestamp=…&url=…)' }) signature!: string;
}

/** The WeChat JS-SDK configuration of an H5 page (scanning the venue code inside WeChat). */
@ApiTags('auth')
@Controller('wechat')
export class WechatJsSdkController {
  constructor(private readonly jsSdk: WechatJsSdk) {}

  @Get('js-sdk-config')
  @ApiBearerAuth()
  @ApiOperation({ summary: '微信 JS-SDK 的 wx.config 参数（签名），供微信内的 H5 页面调用扫一扫' })
  @ApiOkResponse({ type: JsSdkConfigDto })
  @ApiServiceUnavailableResponse({ description: 'WECHAT_UNAVAILABLE：暂时无法从微信获取 jsapi_ticket' })
  config(@Query() query: JsSdkConfigQueryDto): Promise<JsSdkConfigDto> {
    return this.jsSdk.configFor(query.url);
  }
}
