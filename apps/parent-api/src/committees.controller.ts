import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Principal } from '@jiaxiao/common';
import { Authorize, CurrentUser } from '@jiaxiao/auth';
import {
  BallotDto,
  CommitteeListQueryDto,
  CommitteePageDto,
  CommitteeService,
  ElectionService,
  NominateDto,
  NominationDto,
  VoteReceiptDto,
} from '@jiaxiao/committees';

/**
 * 家长委员会 for parents: the committees serving their children, nominations and the secret ballot. The routes staff
 * share (a committee, its members, records and fund) are `CommitteeRecordsController` from @jiaxiao/committees.
 */
@ApiTags('committees')
@ApiBearerAuth()
@Controller()
export class CommitteesController {
  constructor(
    private readonly committees: CommitteeService,
    private readonly elections: ElectionService,
  ) {}

  @Get('committees')
  @ApiOperation({ summary: '我的家委会：服务我孩子的班级、年级、学校家委会，以及我任职的家委会' })
  @ApiOkResponse({ type: CommitteePageDto })
  async list(@CurrentUser() principal: Principal, @Query() query: CommitteeListQueryDto): Promise<CommitteePageDto> {
    return { items: await this.committees.listForGuardian(principal, query.schoolYear), nextCursor: null };
  }

  @Post('elections/:id/nominations')
  @Authorize('read', 'election')
  @ApiOperation({ summary: '提名自己（立即生效）或本范围内的另一位家长（需本人接受）' })
  @ApiCreatedResponse({ type: NominationDto })
  nominate(@CurrentUser() principal: Principal, @Param('id') id: string, @Body() body: NominateDto): Promise<NominationDto> {
    return this.elections.nominate(principal, id, body);
  }

  @Post('nominations/:id/accept')
  @ApiOperation({ summary: '接受提名（被提名的家长本人）' })
  @HttpCode(200)
  @Authorize('manage', 'nomination')
  @ApiOkResponse({ type: NominationDto })
  accept(@CurrentUser() principal: Principal, @Param('id') id: string): Promise<NominationDto> {
    return this.elections.respond(principal, id, true);
  }

  @Post('nominations/:id/decline')
  @ApiOperation({ summary: '谢绝提名（被提名的家长本人）' })
  @HttpCode(200)
  @Authorize('manage', 'nomination')
  @ApiOkResponse({ type: NominationDto })
  decline(@CurrentUser() principal: Principal, @Param('id') id: string): Promise<NominationDto> {
    return this.elections.respond(principal, id, false);
  }

  @Post('elections/:id/ballot')
  @HttpCode(200)
  @Authorize('read', 'election')
  @ApiOperation({ summary: '无记名投票：每户一票；选票不记录投票人' })
  @ApiOkResponse({ type: VoteReceiptDto })
  vote(@CurrentUser() principal: Principal, @Param('id') id: string, @Body() body: BallotDto): Promise<VoteReceiptDto> {
    return this.elections.vote(principal, id, body);
  }
}
