import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Principal } from '@jiaxiao/common';
import { Authorize, CurrentUser } from '@jiaxiao/auth';
import { CommitteeMinutesService } from '../committee-minutes.service';
import { CommitteeService } from '../committee.service';
import { ElectionService } from '../election.service';
import { FundService } from '../fund.service';
import {
  CommitteeDto,
  CreateFundEntryDto,
  CreateMinutesDto,
  CreateOversightDto,
  FundEntryDto,
  FundLedgerDto,
  MemberListDto,
  MinutesDto,
  MinutesListDto,
  OversightDto,
  OversightListDto,
  ReverseFundEntryDto,
} from '../dto/committee.dto';
import { ElectionDto, ElectionListDto } from '../dto/election.dto';

/**
 * The committee routes parents and staff share, served by both parent-api and admin-api: a committee and its
 * members, its elections, and its records (minutes, oversight, the class fund). Who may read or write is the
 * access policy's decision (`committee`, `committee_records`, `fund_entry`, `election`), the same on both apps.
 */
@ApiTags('committees')
@ApiBearerAuth()
@Controller()
export class CommitteeRecordsController {
  constructor(
    private readonly committees: CommitteeService,
    private readonly records: CommitteeMinutesService,
    private readonly elections: ElectionService,
    private readonly fund: FundService,
  ) {}

  @Get('committees/:id')
  @Authorize('read', 'committee')
  @ApiOperation({ summary: '家委会详情（层级、章程职能）' })
  @ApiOkResponse({ type: CommitteeDto })
  get(@Param('id') id: string): Promise<CommitteeDto> {
    return this.committees.get(id);
  }

  @Get('committees/:id/members')
  @Authorize('read', 'committee')
  @ApiOperation({ summary: '家委会现任成员（家长看到的手机号已脱敏）' })
  @ApiOkResponse({ type: MemberListDto })
  async members(@CurrentUser() principal: Principal, @Param('id') id: string): Promise<MemberListDto> {
    return { items: await this.committees.members(principal, id) };
  }

  @Get('committees/:id/elections')
  @Authorize('read', 'committee')
  @ApiOperation({ summary: '家委会的选举' })
  @ApiOkResponse({ type: ElectionListDto })
  async electionList(@CurrentUser() principal: Principal, @Param('id') id: string): Promise<ElectionListDto> {
    return { items: await this.elections.list(principal, id) };
  }

  @Get('committees/:id/minutes')
  @Authorize('read', 'committee_records')
  @ApiOperation({ summary: '会议纪要' })
  @ApiOkResponse({ type: MinutesListDto })
  async minutes(@Param('id') id: string): Promise<MinutesListDto> {
    return { items: await this.records.minutes(id) };
  }

  @Post('committees/:id/minutes')
  @Authorize('manage', 'committee_records')
  @ApiOperation({ summary: '记录会议纪要（家委会主任、副主任、秘书，或学校管理人员）' })
  @ApiCreatedResponse({ type: MinutesDto })
  recordMinutes(@CurrentUser() principal: Principal, @Param('id') id: string, @Body() body: CreateMinutesDto): Promise<MinutesDto> {
    return this.records.recordMinutes(principal, id, body);
  }

  @Get('committees/:id/oversight')
  @Authorize('read', 'committee_records')
  @ApiOperation({ summary: '民主监督记录（食堂、校服、教辅材料）' })
  @ApiOkResponse({ type: OversightListDto })
  async oversight(@Param('id') id: string): Promise<OversightListDto> {
    return { items: await this.records.oversight(id) };
  }

  @Post('committees/:id/oversight')
  @Authorize('manage', 'committee_records')
  @ApiOperation({ summary: '记录一次民主监督检查（照片先经 POST /uploads 上传）' })
  @ApiCreatedResponse({ type: OversightDto })
  recordOversight(@CurrentUser() principal: Principal, @Param('id') id: string, @Body() body: CreateOversightDto): Promise<OversightDto> {
    return this.records.recordOversight(principal, id, body);
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
}
