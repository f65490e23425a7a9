import { Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Principal } from '@jiaxiao/common';
import { Authorize, CurrentUser } from '@jiaxiao/auth';
import { AcksDto, ClassNoticeRemindDto, ClassNoticeService, UnconfirmedNoticeListDto, UnconfirmedNoticeService } from '@jiaxiao/messaging';

/** The dashboard's 未确认通知, and a class-group notice's 回执 by family and 提醒未确认 (its class's teachers, its school's coordinators). */
@ApiTags('notices')
@ApiBearerAuth()
@Controller()
export class NoticesController {
  constructor(
    private readonly unconfirmed: UnconfirmedNoticeService,
    private readonly classNotices: ClassNoticeService,
  ) {}

  @Get('notices/unconfirmed')
  @ApiOperation({ summary: '未确认通知：近 30 天要求回执的班级群通知和学校通知，已确认/总户数（班主任：本班；总协调员：本校）' })
  @ApiOkResponse({ type: UnconfirmedNoticeListDto })
  list(@CurrentUser() principal: Principal): Promise<UnconfirmedNoticeListDto> {
    return this.unconfirmed.list(principal);
  }

  @Get('class-notices/:id/acks')
  @Authorize('read', 'class_notice')
  @ApiOperation({ summary: '班级群通知的回执：按家庭列出已确认（含确认时间）和未确认（发送人、班级群的老师或本校总协调员）' })
  @ApiOkResponse({ type: AcksDto })
  acks(@CurrentUser() principal: Principal, @Param('id') id: string): Promise<AcksDto> {
    return this.classNotices.acks(principal, id);
  }

  @Post('class-notices/:id/remind')
  @HttpCode(200)
  @Authorize('read', 'class_notice')
  @ApiOperation({ summary: '班级群通知提醒未确认（发送人、班级群的老师或本校总协调员；每条通知每小时一次）' })
  @ApiOkResponse({ type: ClassNoticeRemindDto })
  remind(@CurrentUser() principal: Principal, @Param('id') id: string): Promise<ClassNoticeRemindDto> {
    return this.classNotices.remind(principal, id);
  }
}
