import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Principal } from '@jiaxiao/common';
import { Authorize, CurrentUser } from '@jiaxiao/auth';
import {
  ConversationDto,
  ConversationPageDto,
  ConversationService,
  CreateDirectDto,
  HistoryQueryDto,
  ListConversationsQueryDto,
  MemberDto,
  MessagePageDto,
  MessageService,
  SendBodyDto,
  SendResultDto,
  StaffOnlyDto,
} from '@jiaxiao/messaging';
import { ReadBodyDto, ReadResultDto } from './dto/read.dto';

@ApiTags('conversations')
@ApiBearerAuth()
@Controller('conversations')
export class ConversationsController {
  constructor(
    private readonly conversations: ConversationService,
    private readonly messages: MessageService,
  ) {}

  @Get()
  @ApiOperation({ summary: '我的会话，按最近活动排序（含未读数和最后一条消息）' })
  @ApiOkResponse({ type: ConversationPageDto })
  list(@CurrentUser() principal: Principal, @Query() query: ListConversationsQueryDto): Promise<ConversationPageDto> {
    return this.conversations.list(principal, query);
  }

  @Post('direct')
  @ApiOperation({ summary: '与老师（或所教学生的家长）单独聊天：已有会话则直接返回' })
  @ApiCreatedResponse({ type: ConversationDto })
  openDirect(@CurrentUser() principal: Principal, @Body() body: CreateDirectDto): Promise<ConversationDto> {
    return this.conversations.openDirect(principal, body.userId);
  }

  @Get(':id')
  @ApiOperation({ summary: '会话详情（含未读数和最后一条消息）' })
  @Authorize('read', 'conversation')
  @ApiOkResponse({ type: ConversationDto })
  get(@CurrentUser() principal: Principal, @Param('id') id: string): Promise<ConversationDto> {
    return this.conversations.get(principal, id);
  }

  @Patch(':id')
  @Authorize('manage', 'conversation')
  @ApiOperation({ summary: '设置“只允许老师发言”（群内老师）' })
  @ApiOkResponse({ type: ConversationDto })
  update(@CurrentUser() principal: Principal, @Param('id') id: string, @Body() body: StaffOnlyDto): Promise<ConversationDto> {
    return this.conversations.setStaffOnly(principal, id, body.staffOnly);
  }

  @Get(':id/members')
  @ApiOperation({ summary: '会话成员' })
  @Authorize('read', 'conversation')
  @ApiOkResponse({ type: [MemberDto] })
  members(@Param('id') id: string): Promise<MemberDto[]> {
    return this.conversations.members(id);
  }

  @Get(':id/messages')
  @Authorize('read', 'conversation')
  @ApiOperation({ summary: '历史消息（按 seq 升序）：afterSeq 向后翻页（同步），beforeSeq 向前翻页' })
  @ApiOkResponse({ type: MessagePageDto })
  history(@Param('id') id: string, @Query() query: HistoryQueryDto): Promise<MessagePageDto> {
    return this.messages.history(id, query);
  }

  @Post(':id/messages')
  @Authorize('read', 'conversation')
  @ApiOperation({ summary: '发送消息（与 Socket 事件 message:send 相同；同一 clientMsgId 重发返回同一条消息）' })
  @ApiCreatedResponse({ type: SendResultDto })
  send(@CurrentUser() principal: Principal, @Param('id') id: string, @Body() body: SendBodyDto): Promise<SendResultDto> {
    return this.messages.send(principal, { ...body, conversationId: id });
  }

  @Post(':id/read')
  @HttpCode(200)
  @Authorize('read', 'conversation')
  @ApiOperation({ summary: '标记已读到某个 seq（只会前移）' })
  @ApiOkResponse({ type: ReadResultDto })
  async read(@CurrentUser() principal: Principal, @Param('id') id: string, @Body() body: ReadBodyDto): Promise<ReadResultDto> {
    return { conversationId: id, seq: await this.messages.read(principal, id, body.seq) };
  }
}
