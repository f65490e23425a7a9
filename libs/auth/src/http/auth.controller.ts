import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { Principal, Public } from '@jiaxiao/common';
import { AccountSetup } from '../account-setup.decorator';
import { AccountService } from '../account.service';
import { Client, CurrentUser } from '../auth.decorators';
import { AuthService, ClientInfo } from '../auth.service';
import { RequestSmsCodeDto, ResetPasswordDto, SmsCodeRequestedDto, SmsLoginDto } from '../dto/account.dto';
import { LoginDto, RefreshDto, TokenPairDto } from '../dto/login.dto';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly accounts: AccountService,
  ) {}

  @Public()
  @Post('login')
  @HttpCode(200)
  @ApiOperation({ summary: '手机号 + 密码登录' })
  @ApiOkResponse({ type: TokenPairDto })
  @ApiUnauthorizedResponse({
    description:
      'INVALID_CREDENTIALS; ACCOUNT_NOT_ACTIVATED (imported, never signed in: use an SMS code); SMS_CODE_REQUIRED (too many wrong passwords for this phone)',
  })
  @ApiTooManyRequestsResponse({ description: 'TOO_MANY_LOGIN_ATTEMPTS from this IP, with Retry-After' })
  login(@Body() body: LoginDto, @Client() client: ClientInfo): Promise<TokenPairDto> {
    return this.auth.login(body.phone, body.password, client);
  }

  @Public()
  @Post('sms-codes')
  @HttpCode(202)
  @ApiOperation({
    summary: '获取短信验证码（登录/激活或重置密码）',
    description: '无论手机号是否有账号，回答都相同；只有有账号的手机号才会真正收到短信。',
  })
  @ApiAcceptedResponse({ type: SmsCodeRequestedDto })
  @ApiTooManyRequestsResponse({ description: 'SMS_CODE_TOO_SOON, SMS_CODE_DAILY_LIMIT or SMS_CODE_IP_LIMIT, with Retry-After' })
  requestCode(@Body() body: RequestSmsCodeDto, @Client() client: ClientInfo): Promise<SmsCodeRequestedDto> {
    return this.accounts.requestCode(body.phone, body.purpose, client);
  }

  @Public()
  @Post('login/sms')
  @HttpCode(200)
  @ApiOperation({ summary: '短信验证码登录；导入的家长首次登录即激活账号' })
  @ApiOkResponse({ type: TokenPairDto })
  @ApiUnauthorizedResponse({ description: 'SMS_CODE_INVALID (wrong, expired, used, or dead after 5 wrong tries)' })
  loginWithCode(@Body() body: SmsLoginDto, @Client() client: ClientInfo): Promise<TokenPairDto> {
    return this.accounts.loginWithCode(body.phone, body.code, client);
  }

  @Public()
  @Post('password/reset')
  @HttpCode(204)
  @ApiOperation({ summary: '用短信验证码（purpose=reset）重置密码；该账号的所有会话随即退出' })
  @ApiNoContentResponse()
  @ApiUnauthorizedResponse({ description: 'SMS_CODE_INVALID' })
  resetPassword(@Body() body: ResetPasswordDto, @Client() client: ClientInfo): Promise<void> {
    return this.accounts.resetPassword(body.phone, body.code, body.newPassword, client);
  }

  @Public()
  @Post('refresh')
  @HttpCode(200)
  @ApiOperation({ summary: '用刷新令牌换一对新令牌（刷新令牌只能用一次）' })
  @ApiOkResponse({ type: TokenPairDto })
  @ApiUnauthorizedResponse({ description: 'TOKEN_INVALID or REFRESH_TOKEN_REUSED' })
  refresh(@Body() body: RefreshDto, @Client() client: ClientInfo): Promise<TokenPairDto> {
    return this.auth.refresh(body.refreshToken, client);
  }

  @Post('logout')
  @AccountSetup()
  @HttpCode(204)
  @ApiBearerAuth()
  @ApiOperation({ summary: '退出登录：本次会话的所有令牌立即失效，实时连接随即断开' })
  @ApiNoContentResponse()
  logout(@CurrentUser() principal: Principal, @Client() client: ClientInfo): Promise<void> {
    return this.auth.logout(principal, client);
  }
}
