import { Body, Controller, Delete, Get, HttpCode, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { Principal, Public } from '@jiaxiao/common';
import {
  AuthorizeUrlDto,
  AuthorizeUrlQueryDto,
  Client,
  ClientInfo,
  CurrentUser,
  IdentityDto,
  IdentityListDto,
  TokenPairDto,
  WechatCodeDto,
  WechatIdentityService,
} from '@jiaxiao/auth';

/** WeChat web authorization: sign-in with a bound 公众号 identity, and binding one to the account. */
@ApiTags('auth')
@Controller()
export class WechatAuthController {
  constructor(private readonly identities: WechatIdentityService) {}

  @Public()
  @Get('auth/wechat/authorize-url')
  @ApiOperation({ summary: '微信内打开 H5 时的静默授权网址（snsapi_base）；回跳带回 code' })
  @ApiOkResponse({ type: AuthorizeUrlDto })
  authorizeUrl(@Query() query: AuthorizeUrlQueryDto): AuthorizeUrlDto {
    return this.identities.authorizeUrl(query.redirect, query.provider);
  }

  @Public()
  @Post('auth/wechat')
  @HttpCode(200)
  @ApiOperation({ summary: '微信登录：已绑定的微信直接登录，返回与密码登录相同的令牌' })
  @ApiOkResponse({ type: TokenPairDto })
  @ApiUnauthorizedResponse({ description: 'WECHAT_NOT_BOUND：先用短信验证码登录，再绑定微信' })
  signIn(@Body() body: WechatCodeDto, @Client() client: ClientInfo): Promise<TokenPairDto> {
    return this.identities.signIn(body.code, client);
  }

  @Get('me/identities')
  @ApiBearerAuth()
  @ApiOperation({ summary: '我绑定的微信 / 企业微信身份' })
  @ApiOkResponse({ type: IdentityListDto })
  list(@CurrentUser() principal: Principal): Promise<IdentityListDto> {
    return this.identities.list(principal);
  }

  @Post('me/identities/wechat')
  @ApiBearerAuth()
  @ApiOperation({ summary: '绑定微信（公众号网页授权的 code）；之后可用微信登录并接收模板消息' })
  @ApiOkResponse({ type: IdentityDto })
  @ApiConflictResponse({ description: 'WECHAT_ALREADY_BOUND or IDENTITY_ALREADY_BOUND' })
  @HttpCode(200)
  bindWechat(@CurrentUser() principal: Principal, @Body() body: WechatCodeDto, @Client() client: ClientInfo): Promise<IdentityDto> {
    return this.identities.bind(principal, 'wechat_mp', body.code, client);
  }

  @Post('me/identities/wecom')
  @ApiBearerAuth()
  @ApiOperation({ summary: '绑定企业微信家校沟通身份（学校使用企业微信时）' })
  @ApiOkResponse({ type: IdentityDto })
  @HttpCode(200)
  bindWecom(@CurrentUser() principal: Principal, @Body() body: WechatCodeDto, @Client() client: ClientInfo): Promise<IdentityDto> {
    return this.identities.bind(principal, 'wecom', body.code, client);
  }

  @Delete('me/identities/wechat')
  @ApiBearerAuth()
  @HttpCode(204)
  @ApiOperation({ summary: '解绑微信' })
  @ApiNoContentResponse()
  unbindWechat(@CurrentUser() principal: Principal, @Client() client: ClientInfo): Promise<void> {
    return this.identities.unbind(principal, 'wechat_mp', client);
  }

  @Delete('me/identities/wecom')
  @ApiBearerAuth()
  @HttpCode(204)
  @ApiOperation({ summary: '解绑企业微信' })
  @ApiNoContentResponse()
  unbindWecom(@CurrentUser() principal: Principal, @Client() client: ClientInfo): Promise<void> {
    return this.identities.unbind(principal, 'wecom', client);
  }
}
