import { Body, Controller, Delete, Get, HttpCode, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Principal, Public } from '@jiaxiao/common';
import { AccountSetup } from '../account-setup.decorator';
import { AccountService } from '../account.service';
import { Client, CurrentUser } from '../auth.decorators';
import { ClientInfo } from '../auth.service';
import { ConsentService } from '../consent/consent.service';
import { ChangePasswordDto, ConsentDto, PrivacyNoticeResponseDto } from '../dto/account.dto';

/** The signed-in account's own settings (both REST apps): password and consent to the privacy notice. */
@ApiTags('me')
@Controller()
export class AccountController {
  constructor(
    private readonly accounts: AccountService,
    private readonly consents: ConsentService,
  ) {}

  @Public()
  @Get('privacy-notice')
  @ApiOperation({ summary: '当前版本的《隐私政策》（含儿童个人信息保护规则）' })
  @ApiOkResponse({ type: PrivacyNoticeResponseDto })
  notice(): PrivacyNoticeResponseDto {
    return this.consents.notice();
  }

  @Put('me/password')
  @AccountSetup()
  @HttpCode(204)
  @ApiBearerAuth()
  @ApiOperation({ summary: '修改密码（首次登录须先修改初始密码）；本账号的其他会话随即退出' })
  @ApiNoContentResponse()
  changePassword(@CurrentUser() principal: Principal, @Body() body: ChangePasswordDto, @Client() client: ClientInfo): Promise<void> {
    return this.accounts.changePassword(principal, body.currentPassword, body.newPassword, client);
  }

  @Post('me/consents')
  @AccountSetup()
  @HttpCode(204)
  @ApiBearerAuth()
  @ApiOperation({ summary: '同意《隐私政策》（提交所阅读的版本号）' })
  @ApiNoContentResponse()
  @ApiConflictResponse({ description: 'CONSENT_VERSION_OUTDATED' })
  accept(@CurrentUser() principal: Principal, @Body() body: ConsentDto, @Client() client: ClientInfo): Promise<void> {
    return this.consents.accept(principal, body.version, client.ip);
  }

  @Delete('me/consents')
  @AccountSetup()
  @HttpCode(204)
  @ApiBearerAuth()
  @ApiOperation({ summary: '撤回同意：不再显示孩子的信息，并通知孩子的班主任和学校' })
  @ApiNoContentResponse()
  @ApiConflictResponse({ description: 'CONSENT_NOT_GIVEN' })
  withdraw(@CurrentUser() principal: Principal, @Client() client: ClientInfo): Promise<void> {
    return this.consents.withdraw(principal, client.ip);
  }
}
