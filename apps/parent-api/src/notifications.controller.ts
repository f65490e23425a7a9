import { Body, Controller, Get, HttpCode, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Principal } from '@jiaxiao/common';
import { CurrentUser } from '@jiaxiao/auth';
import {
  ListNotificationsQueryDto,
  MarkedDto,
  MarkReadDto,
  NotificationPageDto,
  NotificationsService,
  WorkingHoursDto,
  WorkingHoursStateDto,
} from '@jiaxiao/notifications';

@ApiTags('notifications')
@ApiBearerAuth()
@Controller()
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  @Get('notifications')
  @ApiOperation({ summary: '通知收件箱（最新在前）' })
  @ApiOkResponse({ type: NotificationPageDto })
  list(@CurrentUser() principal: Principal, @Query() query: ListNotificationsQueryDto): Promise<NotificationPageDto> {
    return this.notifications.list(principal, query);
  }

  @Post('notifications/read')
  @HttpCode(200)
  @ApiOperation({ summary: '标记已读（不传 ids 则全部已读）' })
  @ApiOkResponse({ type: MarkedDto })
  async markRead(@CurrentUser() principal: Principal, @Body() body: MarkReadDto): Promise<MarkedDto> {
    return { marked: await this.notifications.markRead(principal, body.ids) };
  }

  @Get('me/working-hours')
  @ApiOperation({ summary: '我的工作时间（免打扰：工作时间以外推送延后到下一个工作时段）' })
  @ApiOkResponse({ type: WorkingHoursStateDto })
  workingHours(@CurrentUser() principal: Principal): Promise<WorkingHoursStateDto> {
    return this.notifications.workingHours(principal);
  }

  @Put('me/working-hours')
  @ApiOperation({ summary: '设置工作时间（教师、协调员）' })
  @ApiOkResponse({ type: WorkingHoursStateDto })
  setWorkingHours(@CurrentUser() principal: Principal, @Body() body: WorkingHoursDto): Promise<WorkingHoursStateDto> {
    return this.notifications.setWorkingHours(principal, body);
  }
}
