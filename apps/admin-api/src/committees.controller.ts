import { Body, Controller, Get, HttpCode, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Principal } from '@jiaxiao/common';
import { Authorize, CurrentUser } from '@jiaxiao/auth';
import {
  AppointMemberDto,
  ChairTrainingQueryDto,
  ChairTrainingReportDto,
  ChairTrainingRequirementDto,
  ChairTrainingService,
  CommitteeDto,
  CommitteeListQueryDto,
  CommitteePageDto,
  CommitteeService,
  CreateCommitteeDto,
  CreateFundEntryDto,
  CreateMinutesDto,
  CreateOversightDto,
  ElectionDto,
  ElectionListDto,
  ElectionService,
  EndMembershipDto,
  FundEntryDto,
  FundLedgerDto,
  FundService,
  MemberListDto,
  MinutesDto,
  MinutesListDto,
  OpenElectionDto,
  OversightDto,
  OversightListDto,
  ReverseFundEntryDto,
  UpdateCharterDto,
} from '@jiaxiao/committees';

/** 家长委员会 for school coordinators and bureau staff. */
@ApiTags('committees')
@ApiBearerAuth()
@Controller()
export class CommitteesController {
  constructor(
    private readonly committees: CommitteeService,
    private readonly elections: ElectionService,
    private readonly fund: FundService,
    private readonly chairTraining: ChairTrainingService,
  ) {}

  @Post('committees')
  @ApiOperation({ summary: '成立班级、年级或学校家委会（学校家庭教育总协调员）' })
  @ApiCreatedResponse({ type: CommitteeDto })
  create(@CurrentUser() principal: Principal, @Body() body: CreateCommitteeDto): Promise<CommitteeDto> {
    return this.committees.create(principal, body);
  }

  @Get('committees')
  @ApiOperation({ summary: '本人范围内的家委会（本学年）' })
  @ApiOkResponse({ type: CommitteePageDto })
  async list(@CurrentUser() principal: Principal, @Query() query: CommitteeListQueryDto): Promise<CommitteePageDto> {
    return { items: await this.committees.listForStaff(principal, query), nextCursor: null };
  }

  @Put('committees/chair-training/requirement')
  @ApiOperation({ summary: '设置本学年家委会主任培训（chair_training）应修学时（市教育局）' })
  @ApiOkResponse({ type: ChairTrainingRequirementDto })
  setRequirement(@CurrentUser() principal: Principal, @Body() body: ChairTrainingRequirementDto): Promise<ChairTrainingRequirementDto> {
    return this.chairTraining.setRequirement(principal, body.schoolYear, body.requiredHours);
  }

  @Get('committees/chair-training/report')
  @ApiOperation({ summary: '家委会主任培训完成情况（按学校、区县）' })
  @ApiOkResponse({ type: ChairTrainingReportDto })
  chairTrainingReport(@CurrentUser() principal: Principal, @Query() query: ChairTrainingQueryDto): Promise<ChairTrainingReportDto> {
    return this.chairTraining.report(principal, query);
  }

  @Get('committees/:id')
  @ApiOperation({ summary: '家委会详情（层级、章程职能）' })
  @Authorize('read', 'committee')
  @ApiOkResponse({ type: CommitteeDto })
  get(@Param('id') id: string): Promise<CommitteeDto> {
    return this.committees.get(id);
  }

  @Patch('committees/:id/charter')
  @Authorize('manage', 'committee')
  @ApiOperation({ summary: '修改章程职能（学校可按标准职能增删，并补充本校表述）' })
  @ApiOkResponse({ type: CommitteeDto })
  updateCharter(@CurrentUser() principal: Principal, @Param('id') id: string, @Body() body: UpdateCharterDto): Promise<CommitteeDto> {
    return this.committees.updateCharter(principal, id, body);
  }

  @Get('committees/:id/members')
  @ApiOperation({ summary: '家委会现任成员' })
  @Authorize('read', 'committee')
  @ApiOkResponse({ type: MemberListDto })
  async members(@CurrentUser() principal: Principal, @Param('id') id: string): Promise<MemberListDto> {
    return { items: await this.committees.members(principal, id) };
  }

  @Post('committees/:id/members')
  @HttpCode(200)
  @Authorize('manage', 'committee')
  @ApiOperation({ summary: '任命成员或调整职务（须为本范围内学生的家长；有人数上限；新主任替换原主任）；同步家委会群' })
  @ApiOkResponse({ type: MemberListDto })
  async appoint(@CurrentUser() principal: Principal, @Param('id') id: string, @Body() body: AppointMemberDto): Promise<MemberListDto> {
    return { items: await this.committees.appoint(principal, id, body) };
  }

  @Post('committee-members/:id/end')
  @HttpCode(200)
  @Authorize('manage', 'committee_member')
  @ApiOperation({ summary: '结束成员任期（保留记录，任期截至昨日；从家委会群移出）；返回现任成员' })
  @ApiOkResponse({ type: MemberListDto })
  async endMembership(@CurrentUser() principal: Principal, @Param('id') id: string, @Body() body: EndMembershipDto): Promise<MemberListDto> {
    return { items: await this.committees.endMembership(principal, id, body.reason) };
  }

  @Post('committees/:id/elections')
  @Authorize('manage', 'committee')
  @ApiOperation({ summary: '发起选举：席位、提名时间、投票时间；投票结束时由后台自动计票' })
  @ApiCreatedResponse({ type: ElectionDto })
  openElection(@CurrentUser() principal: Principal, @Param('id') id: string, @Body() body: OpenElectionDto): Promise<ElectionDto> {
    return this.elections.open(principal, id, body);
  }

  @Get('committees/:id/elections')
  @ApiOperation({ summary: '家委会的选举' })
  @Authorize('read', 'committee')
  @ApiOkResponse({ type: ElectionListDto })
  async electionList(@CurrentUser() principal: Principal, @Param('id') id: string): Promise<ElectionListDto> {
    return { items: await this.elections.list(principal, id) };
  }

  @Get('committees/:id/minutes')
  @ApiOperation({ summary: '会议纪要' })
  @Authorize('read', 'committee_records')
  @ApiOkResponse({ type: MinutesListDto })
  async minutes(@Param('id') id: string): Promise<MinutesListDto> {
    return { items: await this.committees.minutes(id) };
  }

  @Post('committees/:id/minutes')
  @ApiOperation({ summary: '记录会议纪要' })
  @Authorize('manage', 'committee_records')
  @ApiCreatedResponse({ type: MinutesDto })
  recordMinutes(@CurrentUser() principal: Principal, @Param('id') id: string, @Body() body: CreateMinutesDto): Promise<MinutesDto> {
    return this.committees.recordMinutes(principal, id, body);
  }

  @Get('committees/:id/oversight')
  @ApiOperation({ summary: '民主监督记录（食堂、校服、教辅等）' })
  @Authorize('read', 'committee_records')
  @ApiOkResponse({ type: OversightListDto })
  async oversight(@Param('id') id: string): Promise<OversightListDto> {
    return { items: await this.committees.oversight(id) };
  }

  @Post('committees/:id/oversight')
  @ApiOperation({ summary: '记录一次民主监督' })
  @Authorize('manage', 'committee_records')
  @ApiCreatedResponse({ type: OversightDto })
  recordOversight(@CurrentUser() principal: Principal, @Param('id') id: string, @Body() body: CreateOversightDto): Promise<OversightDto> {
    return this.committees.recordOversight(principal, id, body);
  }

  @Get('committees/:id/fund')
  @ApiOperation({ summary: '班费收支明细与余额' })
  @Authorize('read', 'committee_records')
  @ApiOkResponse({ type: FundLedgerDto })
  fundLedger(@Param('id') id: string): Promise<FundLedgerDto> {
    return this.fund.ledger(id);
  }

  @Post('committees/:id/fund')
  @ApiOperation({ summary: '记一笔班费收入或支出' })
  @Authorize('manage', 'committee_records')
  @ApiCreatedResponse({ type: FundEntryDto })
  recordFund(@CurrentUser() principal: Principal, @Param('id') id: string, @Body() body: CreateFundEntryDto): Promise<FundEntryDto> {
    return this.fund.record(principal, id, body);
  }

  @Post('fund-entries/:id/reversal')
  @Authorize('manage', 'fund_entry')
  @ApiOperation({ summary: '冲正一笔班费记录（每笔只能冲正一次）' })
  @ApiCreatedResponse({ type: FundEntryDto })
  reverseFund(@CurrentUser() principal: Principal, @Param('id') id: string, @Body() body: ReverseFundEntryDto): Promise<FundEntryDto> {
    return this.fund.reverse(principal, id, body.reason);
  }

  @Get('elections/:id')
  @ApiOperation({ summary: '选举详情（提名、投票进度或结果）' })
  @Authorize('read', 'election')
  @ApiOkResponse({ type: ElectionDto })
  election(@CurrentUser() principal: Principal, @Param('id') id: string): Promise<ElectionDto> {
    return this.elections.get(principal, id);
  }

  @Post('elections/:id/close')
  @HttpCode(200)
  @Authorize('manage', 'election')
  @ApiOperation({ summary: '立即结束投票并计票（公布结果、任命当选者；末位同票则发起决选）' })
  @ApiOkResponse({ type: ElectionDto })
  close(@CurrentUser() principal: Principal, @Param('id') id: string): Promise<ElectionDto> {
    return this.elections.closeNow(principal, id);
  }
}
