import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Principal } from '@jiaxiao/common';
import { Authorize, CurrentUser } from '@jiaxiao/auth';
import {
  SchoolNoticeAckDto,
  PendingQueryDto,
  PendingRecipientDto,
  PostSchoolNoticeDto,
  SchoolNoticeRemindDto,
  SchoolNoticeDto,
  SchoolNoticePageDto,
  SchoolNoticeQueryDto,
  SchoolNoticeRollupDto,
  SchoolNoticeService,
} from '@jiaxiao/messaging';

@ApiTags('school-notices')
@ApiBearerAuth()
@Controller('school-notices')
export class SchoolNoticesController {
  constructor(private readonly notices: SchoolNoticeService) {}

  @Post()
  @ApiOperation({
    summary: '发布学校通知（校务公开）或教育局通知',
    description:
      '总协调员发给本校全体家长，或选定年级、班级的家长；区县教育局发给本区学校的总协调员，市教育局发给全市（或某区县）的总协调员。后台任务分发到收件箱，并经推送、微信、短信送达。',
  })
  @ApiCreatedResponse({ type: SchoolNoticeDto })
  post(@CurrentUser() principal: Principal, @Body() body: PostSchoolNoticeDto): Promise<SchoolNoticeDto> {
    return this.notices.post(principal, body);
  }

  @Get()
  @ApiOperation({ summary: '本校、本区县或全市发布的学校通知（新的在前）' })
  @ApiOkResponse({ type: SchoolNoticePageDto })
  list(@CurrentUser() principal: Principal, @Query() query: SchoolNoticeQueryDto): Promise<SchoolNoticePageDto> {
    return this.notices.listManaged(principal, query);
  }

  @Get('received')
  @ApiOperation({ summary: '我收到的教育局通知（总协调员）' })
  @ApiOkResponse({ type: SchoolNoticePageDto })
  received(@CurrentUser() principal: Principal, @Query() query: SchoolNoticeQueryDto): Promise<SchoolNoticePageDto> {
    return this.notices.listReceived(principal, query);
  }

  @Get(':id')
  @Authorize('read', 'school_notice')
  @ApiOperation({ summary: '学校通知详情（收件人打开即记为已读）' })
  @ApiOkResponse({ type: SchoolNoticeDto })
  get(@CurrentUser() principal: Principal, @Param('id') id: string): Promise<SchoolNoticeDto> {
    return this.notices.get(principal, id);
  }

  @Get(':id/rollup')
  @Authorize('manage', 'school_notice')
  @ApiOperation({ summary: '回执汇总：按班级（家长通知，每户算一次）或按学校（总协调员通知）的已读、已确认人数' })
  @ApiOkResponse({ type: SchoolNoticeRollupDto })
  rollup(@Param('id') id: string): Promise<SchoolNoticeRollupDto> {
    return this.notices.rollup(id);
  }

  @Get(':id/pending')
  @Authorize('manage', 'school_notice')
  @ApiOperation({ summary: '未确认名单：尚未回执的家庭（或总协调员），可按班级（学校）筛选' })
  @ApiOkResponse({ type: [PendingRecipientDto] })
  pending(@Param('id') id: string, @Query() query: PendingQueryDto): Promise<PendingRecipientDto[]> {
    return this.notices.pending(id, query.groupId);
  }

  @Post(':id/remind')
  @HttpCode(200)
  @Authorize('manage', 'school_notice')
  @ApiOperation({ summary: '提醒未确认（每条通知每小时一次）' })
  @ApiOkResponse({ type: SchoolNoticeRemindDto })
  remind(@CurrentUser() principal: Principal, @Param('id') id: string): Promise<SchoolNoticeRemindDto> {
    return this.notices.remind(principal, id);
  }

  @Post(':id/ack')
  @HttpCode(200)
  @Authorize('read', 'school_notice')
  @ApiOperation({ summary: '确认收到（回执）' })
  @ApiOkResponse({ type: SchoolNoticeAckDto })
  ack(@CurrentUser() principal: Principal, @Param('id') id: string): Promise<SchoolNoticeAckDto> {
    return this.notices.ack(principal, id);
  }
}
