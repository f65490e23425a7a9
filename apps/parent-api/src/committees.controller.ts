import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Principal } from '@jiaxiao/common';
import { Authorize, CurrentUser } from '@jiaxiao/auth';
import {
  BallotDto,
  CommitteeDto,
  CommitteeListQueryDto,
  CommitteePageDto,
  CommitteeService,
  CreateFundEntryDto,
  CreateMinutesDto,
  CreateOversightDto,
  ElectionDto,
  ElectionListDto,
  ElectionService,
  FundEntryDto,
  FundLedgerDto,
  FundService,
  MemberListDto,
  MinutesDto,
  MinutesListDto,
  NominateDto,
  NominationDto,
  OversightDto,
  OversightListDto,
  ReverseFundEntryDto,
  VoteReceiptDto,
} from '@jiaxiao/committees';

/** 家长委员会 for parents: the committees serving their children, elections, minutes, oversight and the class fund. */
@ApiTags('committees')
@ApiBearerAuth()
@Controller()
export class CommitteesController {
  constructor(
    private readonly committees: CommitteeService,
    private readonly elections: ElectionService,
    private readonly fund: FundService,
  ) {}

  @Get('committees')
  @ApiOperation({ summary: '我的家委会：服务我孩子的班级、年级、学校家委会，以及我任职的家委会' })
  @ApiOkResponse({ type: CommitteePageDto })
  async list(@CurrentUser() principal: Principal, @Query() query: CommitteeListQueryDto): Promise<CommitteePageDto> {
    return { items: await this.committees.listForGuardian(principal, query.schoolYear), nextCursor: null };
  }

  @Get('committees/:id')
  @Authorize('read', 'committee')
  @ApiOperation({ summary: '家委会及其章程（职能）' })
  @ApiOkResponse({ type: CommitteeDto })
  get(@Param('id') id: string): Promise<CommitteeDto> {
    return this.committees.get(id);
  }

  @Get('committees/:id/members')
  @Authorize('read', 'committee')
  @ApiOperation({ summary: '家委会成员（手机号脱敏）' })
  @ApiOkResponse({ type: MemberListDto })
  async members(@CurrentUser() principal: Principal, @Param('id') id: string): Promise<MemberListDto> {
    return { items: await this.committees.members(principal, id) };
  }

  @Get('committees/:id/elections')
  @ApiOperation({ summary: '家委会的选举' })
  @Authorize('read', 'committee')
  @ApiOkResponse({ type: ElectionListDto })
  async electionList(@CurrentUser() principal: Principal, @Param('id') id: string): Promise<ElectionListDto> {
    return { items: await this.elections.list(principal, id) };
  }

  @Get('committees/:id/minutes')
  @Authorize('read', 'committee_records')
  @ApiOperation({ summary: '会议纪要' })
  @ApiOkResponse({ type: MinutesListDto })
  async minutes(@Param('id') id: string): Promise<MinutesListDto> {
    return { items: await this.committees.minutes(id) };
  }

  @Post('committees/:id/minutes')
  @Authorize('manage', 'committee_records')
  @ApiOperation({ summary: '记录会议纪要（家委会主任、副主任、秘书）' })
  @ApiCreatedResponse({ type: MinutesDto })
  recordMinutes(@CurrentUser() principal: Principal, @Param('id') id: string, @Body() body: CreateMinutesDto): Promise<MinutesDto> {
    return this.committees.recordMinutes(principal, id, body);
  }

  @Get('committees/:id/oversight')
  @Authorize('read', 'committee_records')
  @ApiOperation({ summary: '民主监督记录（食堂、校服、教辅材料）' })
  @ApiOkResponse({ type: OversightListDto })
  async oversight(@Param('id') id: string): Promise<OversightListDto> {
    return { items: await this.committees.oversight(id) };
  }

  @Post('committees/:id/oversight')
  @Authorize('manage', 'committee_records')
  @ApiOperation({ summary: '记录一次监督检查（照片先经 POST /uploads 上传）' })
  @ApiCreatedResponse({ type: OversightDto })
  recordOversight(@CurrentUser() principal: Principal, @Param('id') id: string, @Body() body: CreateOversightDto): Promise<OversightDto> {
    return this.committees.recordOversight(principal, id, body);
  }

  @Get('committees/:id/fund')
  @Authorize('read', 'committee_records')
  @ApiOperation({ summary: '班费账目：每笔收支及累计结余' })
  @ApiOkResponse({ type: FundLedgerDto })
  fundLedger(@Param('id') id: string): Promise<FundLedgerDto> {
    return this.fund.ledger(id);
  }

  @Post('committees/:id/fund')
  @Authorize('manage', 'committee_records')
  @ApiOperation({ summary: '记一笔班费收支（不可修改、不可删除；收据先经 POST /uploads 上传）' })
  @ApiCreatedResponse({ type: FundEntryDto })
  recordFund(@CurrentUser() principal: Principal, @Param('id') id: string, @Body() body: CreateFundEntryDto): Promise<FundEntryDto> {
    return this.fund.record(principal, id, body);
  }

  @Post('fund-entries/:id/reversal')
  @Authorize('manage', 'fund_entry')
  @ApiOperation({ summary: '冲正一笔班费记录（追加一条反向记录；每笔只能冲正一次）' })
  @ApiCreatedResponse({ type: FundEntryDto })
  reverseFund(@CurrentUser() principal: Principal, @Param('id') id: string, @Body() body: ReverseFundEntryDto): Promise<FundEntryDto> {
    return this.fund.reverse(principal, id, body.reason);
  }

  @Get('elections/:id')
  @Authorize('read', 'election')
  @ApiOperation({ summary: '选举：候选人、本户是否已投票、结果（仅票数，不含任何人的选择）' })
  @ApiOkResponse({ type: ElectionDto })
  election(@CurrentUser() principal: Principal, @Param('id') id: string): Promise<ElectionDto> {
    return this.elections.get(principal, id);
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
