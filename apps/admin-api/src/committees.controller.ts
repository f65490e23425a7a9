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
  ElectionDto,
  ElectionService,
  EndMembershipDto,
  MemberListDto,
  OpenElectionDto,
  UpdateCharterDto,
} from '@jiaxiao/committees';

/**
 * 家长委员会 for school coordinators and bureau staff: founding, charters, appointments, elections, chair training.
 * The routes parents share (a committee, its members, records and fund) are `CommitteeRecordsController`.
 */
@ApiTags('committees')
@ApiBearerAuth()
@Controller()
export class CommitteesController {
  constructor(
    private readonly committees: CommitteeService,
    private readonly elections: ElectionService,
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

  @Patch('committees/:id/charter')
  @Authorize('manage', 'committee')
  @ApiOperation({ summary: '修改章程职能（学校可按标准职能增删，并补充本校表述）' })
  @ApiOkResponse({ type: CommitteeDto })
  updateCharter(@CurrentUser() principal: Principal, @Param('id') id: string, @Body() body: UpdateCharterDto): Promise<CommitteeDto> {
    return this.committees.updateCharter(principal, id, body);
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
  async endMembership(
    @CurrentUser() principal: Principal,
    @Param('id') id: string,
    @Body() body: EndMembershipDto,
  ): Promise<MemberListDto> {
    return { items: await this.committees.endMembership(principal, id, body.reason) };
  }

  @Post('committees/:id/elections')
  @Authorize('manage', 'committee')
  @ApiOperation({ summary: '发起选举：席位、提名时间、投票时间；投票结束时由后台自动计票' })
  @ApiCreatedResponse({ type: ElectionDto })
  openElection(@CurrentUser() principal: Principal, @Param('id') id: string, @Body() body: OpenElectionDto): Promise<ElectionDto> {
    return this.elections.open(principal, id, body);
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
