import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Principal } from '@jiaxiao/common';
import { Authorize, CurrentUser } from '@jiaxiao/auth';
import { CreateMailboxItemDto, MailboxItemDto, MailboxPageDto, MailboxService } from '@jiaxiao/mailbox';

@ApiTags('mailbox')
@ApiBearerAuth()
@Controller('mailbox')
export class MailboxController {
  constructor(private readonly mailbox: MailboxService) {}

  @Post()
  @ApiOperation({ summary: '校长信箱：给孩子就读的学校写信（投诉、建议、举报，可对学校匿名）' })
  @ApiCreatedResponse({ type: MailboxItemDto })
  submit(@CurrentUser() principal: Principal, @Body() body: CreateMailboxItemDto): Promise<MailboxItemDto> {
    return this.mailbox.submit(principal, body);
  }

  @Get()
  @ApiOperation({ summary: '我的来信及答复（最新 200 封）' })
  @ApiOkResponse({ type: MailboxPageDto })
  async mine(@CurrentUser() principal: Principal): Promise<MailboxPageDto> {
    return { items: await this.mailbox.mine(principal), nextCursor: null };
  }

  @Get(':id')
  @Authorize('read', 'mailbox_item')
  @ApiOperation({ summary: '我的一封来信及学校的答复' })
  @ApiOkResponse({ type: MailboxItemDto })
  get(@CurrentUser() principal: Principal, @Param('id') id: string): Promise<MailboxItemDto> {
    return this.mailbox.getOwn(principal, id);
  }
}
