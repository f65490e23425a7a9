import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Principal } from '@jiaxiao/common';
import { Authorize, CurrentUser } from '@jiaxiao/auth';
import {
  ApplicationDto,
  ApplicationListDto,
  ApplicationListQueryDto,
  ApplyDto,
  AssignReviewerDto,
  CreateSupportSiteDto,
  CriteriaDto,
  DesignationDto,
  DesignationService,
  FamilySupportService,
  MetricsDto,
  MetricsQueryDto,
  ExpertReviewService,
  ModelSchoolService,
  PreReviewDto,
  PutCriteriaDto,
  PutPassMarkDto,
  PutQuotaDto,
  RankingDto,
  ExpertListDto,
  RegisterExpertDto,
  ResubmitDto,
  ReviewDto,
  RevokeDesignationDto,
  SatisfactionQueryDto,
  SatisfactionSummaryDto,
  SchoolHistoryDto,
  SchoolQueryDto,
  SupportSiteDto,
  SupportSiteListDto,
  SupportSitesService,
  YearQueryDto,
} from '@jiaxiao/model-schools';

/** 家庭教育示范学校: criteria, applications, district pre-review, expert assignment, designation. */
@ApiTags('model-schools')
@ApiBearerAuth()
@Controller('model-schools')
export class ModelSchoolsController {
  constructor(
    private readonly modelSchools: ModelSchoolService,
    private readonly reviews: ExpertReviewService,
    private readonly designations: DesignationService,
    private readonly support: FamilySupportService,
    private readonly supportSites: SupportSitesService,
  ) {}

  @Get('criteria')
  @ApiOperation({ summary: '年度评估标准（加权指标，自动/人工）与名额' })
  @ApiOkResponse({ type: CriteriaDto })
  criteria(@Query() query: YearQueryDto): Promise<CriteriaDto> {
    return this.modelSchools.criteria(query.year);
  }

  @Put('criteria')
  @ApiOperation({ summary: '发布或替换年度评估标准（市教育局；已有申报后不可改）' })
  @ApiOkResponse({ type: CriteriaDto })
  putCriteria(@CurrentUser() principal: Principal, @Body() body: PutCriteriaDto): Promise<CriteriaDto> {
    return this.modelSchools.putCriteria(principal, body);
  }

  @Put('quota')
  @ApiOperation({ summary: '设置年度示范学校名额（市教育局，默认 100）' })
  @ApiOkResponse({ type: CriteriaDto })
  putQuota(@CurrentUser() principal: Principal, @Body() body: PutQuotaDto): Promise<CriteriaDto> {
    return this.modelSchools.putQuota(principal, body);
  }

  @Put('pass-mark')
  @ApiOperation({ summary: '设置年度认定合格线（市教育局，默认 60 分；首个认定后不可改）' })
  @ApiOkResponse({ type: CriteriaDto })
  putPassMark(@CurrentUser() principal: Principal, @Body() body: PutPassMarkDto): Promise<CriteriaDto> {
    return this.modelSchools.putPassMark(principal, body);
  }

  @Get('ranking')
  @ApiOperation({ summary: '年度排名（市教育局）：已通过区县初审或已认定的学校按总分排序，对照合格线和剩余名额' })
  @ApiOkResponse({ type: RankingDto })
  ranking(@CurrentUser() principal: Principal, @Query() query: YearQueryDto): Promise<RankingDto> {
    return this.designations.ranking(principal, query.year);
  }

  @Get('metrics')
  @ApiOperation({ summary: '学校当前的自动指标（预览，含计算依据）' })
  @ApiOkResponse({ type: MetricsDto })
  metrics(@CurrentUser() principal: Principal, @Query() query: MetricsQueryDto): Promise<MetricsDto> {
    return this.modelSchools.metrics(principal, query.schoolId, query.year);
  }

  @Post('applications')
  @ApiOperation({ summary: '学校申报（本校家庭教育总协调员）：提交材料，自动指标同时快照' })
  @ApiCreatedResponse({ type: ApplicationDto })
  apply(@CurrentUser() principal: Principal, @Body() body: ApplyDto): Promise<ApplicationDto> {
    return this.modelSchools.apply(principal, body);
  }

  @Get('applications')
  @ApiOperation({ summary: '本人范围内的申报，按总分排序并给出名次' })
  @ApiOkResponse({ type: ApplicationListDto })
  async applications(@CurrentUser() principal: Principal, @Query() query: ApplicationListQueryDto): Promise<ApplicationListDto> {
    return { items: await this.modelSchools.list(principal, query) };
  }

  @Get('applications/:id')
  @Authorize('read', 'model_school_application')
  @ApiOperation({ summary: '申报详情：材料、指标快照、专家评分、总分与名次' })
  @ApiOkResponse({ type: ApplicationDto })
  application(@Param('id') id: string): Promise<ApplicationDto> {
    return this.modelSchools.get(id);
  }

  @Put('applications/:id')
  @Authorize('manage', 'model_school_application')
  @ApiOperation({ summary: '退回后重新提交（本校协调员），重新快照指标' })
  @ApiOkResponse({ type: ApplicationDto })
  resubmit(@CurrentUser() principal: Principal, @Param('id') id: string, @Body() body: ResubmitDto): Promise<ApplicationDto> {
    return this.modelSchools.resubmit(principal, id, body);
  }

  @Post('applications/:id/pre-review')
  @HttpCode(200)
  @Authorize('manage', 'model_school_application')
  @ApiOperation({ summary: '区县初审：通过，或退回并附意见' })
  @ApiOkResponse({ type: ApplicationDto })
  preReview(@CurrentUser() principal: Principal, @Param('id') id: string, @Body() body: PreReviewDto): Promise<ApplicationDto> {
    return this.modelSchools.preReview(principal, id, body);
  }

  @Post('applications/:id/reviewers')
  @Authorize('manage', 'model_school_application')
  @ApiOperation({ summary: '指派评审专家（市教育局；不得指派本区县专家）' })
  @ApiCreatedResponse({ type: ReviewDto })
  assignReviewer(@CurrentUser() principal: Principal, @Param('id') id: string, @Body() body: AssignReviewerDto): Promise<ReviewDto> {
    return this.reviews.assignReviewer(principal, id, body);
  }

  @Post('applications/:id/designation')
  @Authorize('manage', 'model_school_application')
  @ApiOperation({ summary: '认定为示范学校（市教育局，年度名额内；发证书编号）' })
  @ApiCreatedResponse({ type: DesignationDto })
  designate(@CurrentUser() principal: Principal, @Param('id') id: string): Promise<DesignationDto> {
    return this.designations.designate(principal, id);
  }

  @Post('designations/:id/revocation')
  @HttpCode(200)
  @Authorize('manage', 'model_school_designation')
  @ApiOperation({ summary: '撤销认定（市教育局，须填写原因）' })
  @ApiOkResponse({ type: DesignationDto })
  revoke(@CurrentUser() principal: Principal, @Param('id') id: string, @Body() body: RevokeDesignationDto): Promise<DesignationDto> {
    return this.designations.revoke(principal, id, body);
  }

  @Get('experts')
  @ApiOperation({ summary: '评审专家名单及其所属区县（市教育局，用于指派）' })
  @ApiOkResponse({ type: ExpertListDto })
  async experts(@CurrentUser() principal: Principal): Promise<ExpertListDto> {
    return { items: await this.reviews.experts(principal) };
  }

  @Post('experts')
  @ApiOperation({ summary: '登记评审专家所属区县（市教育局）' })
  @ApiCreatedResponse({ type: RegisterExpertDto })
  registerExpert(@CurrentUser() principal: Principal, @Body() body: RegisterExpertDto): Promise<RegisterExpertDto> {
    return this.reviews.registerExpert(principal, body);
  }

  @Get('schools/:id/history')
  @Authorize('read', 'school')
  @ApiOperation({ summary: '学校的申报与认定历史' })
  @ApiOkResponse({ type: SchoolHistoryDto })
  history(@Param('id') id: string): Promise<SchoolHistoryDto> {
    return this.designations.history(id);
  }

  @Post('support-sites')
  @ApiOperation({
    summary: '登记心理辅导室、成长导航站，或区县、全市的心理辅导中心与热线（学校站点：协调员与上级；区县：区县与市教育局；全市：市教育局）',
  })
  @ApiCreatedResponse({ type: SupportSiteDto })
  addSite(@CurrentUser() principal: Principal, @Body() body: CreateSupportSiteDto): Promise<SupportSiteDto> {
    return this.supportSites.addSite(principal, body);
  }

  @Get('support-sites')
  @ApiOperation({ summary: '学校的心理辅导室与成长导航站' })
  @ApiOkResponse({ type: SupportSiteListDto })
  async sites(@CurrentUser() principal: Principal, @Query() query: SchoolQueryDto): Promise<SupportSiteListDto> {
    return { items: await this.supportSites.sitesOfSchool(principal, query.schoolId) };
  }

  @Delete('support-sites/:id')
  @HttpCode(204)
  @Authorize('manage', 'support_site')
  @ApiOperation({ summary: '删除心理辅导室或成长导航站' })
  @ApiNoContentResponse()
  removeSite(@CurrentUser() principal: Principal, @Param('id') id: string): Promise<void> {
    return this.supportSites.removeSite(principal, id);
  }

  @Get('satisfaction')
  @ApiOperation({ summary: '家长满意度调查结果（匿名汇总）' })
  @ApiOkResponse({ type: SatisfactionSummaryDto })
  satisfaction(@CurrentUser() principal: Principal, @Query() query: SatisfactionQueryDto): Promise<SatisfactionSummaryDto> {
    return this.support.summary(principal, query.schoolId, query.year);
  }
}
