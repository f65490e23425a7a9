import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Principal } from '@jiaxiao/common';
import { Authorize, CurrentUser } from '@jiaxiao/auth';
import {
  AnswerMailboxItemDto,
  MailboxItemDto,
  MailboxPageDto,
  MailboxQueryDto,
  MailboxReportDto,
  MailboxReportQueryDto,
  MailboxService,
} from '@jiaxiao/mailbox';

@ApiTags('mailbox')
@ApiBearerAuth()
@Controller()
export class MailboxController {
  constructor(private readonly mailbox: MailboxService) {}

  @Get('mailbox')
  @ApiOperation({ summary: '校长信箱来信（学校看本校，区县看辖区学校，市局看全部；匿名来信不显示来信人）' })
  @ApiOkResponse({ type: MailboxPageDto })
  async list(@CurrentUser() principal: Principal, @Query() query: MailboxQueryDto): Promise<MailboxPageDto> {
    return { items: await this.mailbox.listForStaff(principal, query), nextCursor: null };
  }

  @Get('mailbox/:id')
  @Authorize('manage', 'mailbox_item')
  @ApiOperation({ summary: '来信详情（区县和市局可查看匿名来信人，查看记入审计日志）' })
  @ApiOkResponse({ type: MailboxItemDto })
  get(@CurrentUser() principal: Principal, @Param('id') id: string): Promise<MailboxItemDto> {
    return this.mailbox.getForStaff(principal, id);
  }

  @Post('mailbox/:id/answer')
  @Authorize('manage', 'mailbox_item')
  @ApiOperation({ summary: '答复来信（逾期转交上级后由上级答复）' })
  @ApiCreatedResponse({ type: MailboxItemDto })
  answer(@CurrentUser() principal: Principal, @Param('id') id: string, @Body() body: AnswerMailboxItemDto): Promise<MailboxItemDto> {
    return this.mailbox.answer(principal, id, body);
  }

  @Get('reports/mailbox')
  @ApiOperation({ summary: '校长信箱统计：每校未答复、已答复、逾期、已转交上级、有偿家教举报数' })
  @ApiOkResponse({ type: MailboxReportDto })
  report(@CurrentUser() principal: Principal, @Query() query: MailboxReportQueryDto): Promise<MailboxReportDto> {
    return this.mailbox.report(principal, query);
  }
}
