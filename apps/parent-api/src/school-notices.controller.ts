import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Principal } from '@jiaxiao/common';
import { Authorize, CurrentUser } from '@jiaxiao/auth';
import { SchoolNoticeAckDto, SchoolNoticeDto, SchoolNoticePageDto, SchoolNoticeQueryDto, SchoolNoticeService } from '@jiaxiao/messaging';

@ApiTags('school-notices')
@ApiBearerAuth()
@Controller('school-notices')
export class SchoolNoticesController {
  constructor(private readonly notices: SchoolNoticeService) {}

  @Get()
  @ApiOperation({ summary: '学校通知：孩子所在学校发给家长的通知（新的在前），含我的已读和回执' })
  @ApiOkResponse({ type: SchoolNoticePageDto })
  list(@CurrentUser() principal: Principal, @Query() query: SchoolNoticeQueryDto): Promise<SchoolNoticePageDto> {
    return this.notices.listReceived(principal, query);
  }

  @Get(':id')
  @Authorize('read', 'school_notice')
  @ApiOperation({ summary: '学校通知详情（打开即记为已读）' })
  @ApiOkResponse({ type: SchoolNoticeDto })
  get(@CurrentUser() principal: Principal, @Param('id') id: string): Promise<SchoolNoticeDto> {
    return this.notices.get(principal, id);
  }

  @Post(':id/ack')
  @HttpCode(200)
  @Authorize('read', 'school_notice')
  @ApiOperation({ summary: '确认收到学校通知（回执，每户一人确认即可）' })
  @ApiOkResponse({ type: SchoolNoticeAckDto })
  ack(@CurrentUser() principal: Principal, @Param('id') id: string): Promise<SchoolNoticeAckDto> {
    return this.notices.ack(principal, id);
  }
}
