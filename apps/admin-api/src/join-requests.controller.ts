import { Controller, Get, HttpCode, Ip, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Principal } from '@jiaxiao/common';
import { Authorize, CurrentUser } from '@jiaxiao/auth';
import {
  JoinLinkDto,
  JoinRequestListDto,
  JoinRequestQueryDto,
  JoinService,
  SchoolJoinRequestPageDto,
  SchoolJoinRequestQueryDto,
} from '@jiaxiao/directory';

/** The class teacher's side of joining a class without a roster import. */
@ApiTags('join-requests')
@ApiBearerAuth()
@Controller()
export class JoinRequestsController {
  constructor(private readonly joins: JoinService) {}

  @Get('classes/:id/join-link')
  @Authorize('staff', 'class')
  @ApiOperation({ summary: '班级邀请链接和二维码（家长会上展示，家长扫码后申请入班）' })
  @ApiOkResponse({ type: JoinLinkDto })
  link(@CurrentUser() principal: Principal, @Param('id') id: string): Promise<JoinLinkDto> {
    return this.joins.link(principal, id);
  }

  @Get('classes/:id/join-requests')
  @Authorize('staff', 'class')
  @ApiOperation({ summary: '入班申请（默认待审核，先到先列）' })
  @ApiOkResponse({ type: JoinRequestListDto })
  list(@Param('id') id: string, @Query() query: JoinRequestQueryDto): Promise<JoinRequestListDto> {
    return this.joins.list(id, query.status);
  }

  @Get('schools/:id/join-requests')
  @Authorize('staff', 'school')
  @ApiOperation({ summary: '全校的入班申请（一页，带总数；默认待审核，先到先列；老师只看到自己任教的班级）' })
  @ApiOkResponse({ type: SchoolJoinRequestPageDto })
  listOfSchool(
    @CurrentUser() principal: Principal,
    @Param('id') id: string,
    @Query() query: SchoolJoinRequestQueryDto,
  ): Promise<SchoolJoinRequestPageDto> {
    return this.joins.listOfSchool(principal, id, query);
  }

  @Post('join-requests/:id/approve')
  @Authorize('staff', 'join_request')
  @HttpCode(204)
  @ApiOperation({ summary: '通过：成为该学生的家长，并加入班级群' })
  @ApiNoContentResponse()
  approve(@CurrentUser() principal: Principal, @Param('id') id: string, @Ip() ip: string): Promise<void> {
    return this.joins.decide(principal, id, 'approved', ip);
  }

  @Post('join-requests/:id/reject')
  @Authorize('staff', 'join_request')
  @HttpCode(204)
  @ApiOperation({ summary: '拒绝入班申请' })
  @ApiNoContentResponse()
  reject(@CurrentUser() principal: Principal, @Param('id') id: string, @Ip() ip: string): Promise<void> {
    return this.joins.decide(principal, id, 'rejected', ip);
  }
}
