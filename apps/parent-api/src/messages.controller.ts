import { Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Principal } from '@jiaxiao/common';
import { Authorize, CurrentUser } from '@jiaxiao/auth';
import { AcksDto, ClassNoticeService, MessageDto, MessageService, ReadsDto } from '@jiaxiao/messaging';
import { AckResultDto, RemindResultDto } from './dto/notice.dto';

@ApiTags('messages')
@ApiBearerAuth()
@Controller('messages')
export class MessagesController {
  constructor(
    private readonly messages: MessageService,
    private readonly classNotices: ClassNoticeService,
  ) {}

  @Get(':id/reads')
  @Authorize('read', 'message')
  @ApiOperation({ summary: '已读/未读名单（群消息按家庭）：发送者或群内老师可看' })
  @ApiOkResponse({ type: ReadsDto })
  reads(@CurrentUser() principal: Principal, @Param('id') id: string): Promise<ReadsDto> {
    return this.classNotices.reads(principal, id);
  }

  @Post(':id/recall')
  @HttpCode(200)
  @Authorize('read', 'message')
  @ApiOperation({ summary: '撤回（发送者，2 分钟内）' })
  @ApiOkResponse({ type: MessageDto })
  recall(@CurrentUser() principal: Principal, @Param('id') id: string): Promise<MessageDto> {
    return this.messages.recall(principal, id);
  }

  @Post(':id/ack')
  @HttpCode(200)
  @Authorize('read', 'message')
  @ApiOperation({ summary: '确认通知（回执）' })
  @ApiOkResponse({ type: AckResultDto })
  ack(@CurrentUser() principal: Principal, @Param('id') id: string): Promise<AckResultDto> {
    return this.classNotices.ack(principal, id);
  }

  @Get(':id/acks')
  @Authorize('read', 'message')
  @ApiOperation({ summary: '通知的已确认/未确认名单（按家庭）' })
  @ApiOkResponse({ type: AcksDto })
  acks(@CurrentUser() principal: Principal, @Param('id') id: string): Promise<AcksDto> {
    return this.classNotices.acks(principal, id);
  }

  @Post(':id/remind')
  @HttpCode(202)
  @Authorize('read', 'message')
  @ApiOperation({ summary: '提醒未确认：只通知尚未确认的家庭，每条通知每小时最多一次' })
  @ApiOkResponse({ type: RemindResultDto })
  remind(@CurrentUser() principal: Principal, @Param('id') id: string): Promise<RemindResultDto> {
    return this.classNotices.remind(principal, id);
  }
}
