import { Body, Controller, Get, Ip, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { IsString, Matches } from 'class-validator';
import { Principal } from '@jiaxiao/common';
import { Authorize, CurrentUser } from '@jiaxiao/auth';
import { CreateJoinRequestDto, InviteGuardianDto, JoinClassDto, JoinRequestCreatedDto, JoinService } from '@jiaxiao/directory';

class JoinLinkQueryDto {
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{20,43}$/)
  token: string;
}

/** The parent's side of joining a class: open the link, name the child, wait for the teacher. */
@ApiTags('join-requests')
@ApiBearerAuth()
@Controller()
export class JoinController {
  constructor(private readonly joins: JoinService) {}

  @Get('join')
  @ApiOperation({ summary: '扫码后：邀请链接对应的学校和班级' })
  @ApiOkResponse({ type: JoinClassDto })
  classOfLink(@Query() query: JoinLinkQueryDto): Promise<JoinClassDto> {
    return this.joins.classOfLink(query.token);
  }

  @Post('join-requests')
  @ApiOperation({ summary: '申请成为班级某学生的家长（需班主任审核）' })
  @ApiCreatedResponse({ type: JoinRequestCreatedDto })
  request(@CurrentUser() principal: Principal, @Body() body: CreateJoinRequestDto, @Ip() ip: string): Promise<JoinRequestCreatedDto> {
    return this.joins.request(principal, body, ip);
  }

  @Post('students/:id/guardian-invites')
  @Authorize('read', 'student')
  @ApiOperation({ summary: '邀请孩子的另一位家长（如祖父母）；班主任审核通过后，对方用短信验证码登录' })
  @ApiCreatedResponse({ type: JoinRequestCreatedDto })
  invite(
    @CurrentUser() principal: Principal,
    @Param('id') id: string,
    @Body() body: InviteGuardianDto,
    @Ip() ip: string,
  ): Promise<JoinRequestCreatedDto> {
    return this.joins.invite(principal, id, body, ip);
  }
}
