import { Body, Controller, Get, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Principal, Public } from '@jiaxiao/common';
import { Authorize, CurrentUser } from '@jiaxiao/auth';
import {
  AnswerSurveyDto,
  CriteriaDto,
  DesignationService,
  FamilySupportService,
  ExpertReviewService,
  ModelSchoolService,
  PublicModelSchoolListDto,
  ReviewDto,
  ReviewListDto,
  ScoreReviewDto,
  SupportSiteListDto,
  SupportSitesService,
  SurveyStatusDto,
  YearQueryDto,
} from '@jiaxiao/model-schools';
import { IsUUID } from 'class-validator';
import { ApiProperty } from '@nestjs/swagger';

class StudentQueryDto {
  @ApiProperty() @IsUUID() studentId: string;
}

/** The public model-school list, the family-support directory, the satisfaction survey, and experts' reviews. */
@ApiTags('model-schools')
@Controller()
export class ModelSchoolsController {
  constructor(
    private readonly modelSchools: ModelSchoolService,
    private readonly expertReviews: ExpertReviewService,
    private readonly designations: DesignationService,
    private readonly support: FamilySupportService,
    private readonly sites: SupportSitesService,
  ) {}

  @Public()
  @Get('model-schools')
  @ApiOperation({ summary: '家庭教育示范学校名单（公开，无需登录）' })
  @ApiOkResponse({ type: PublicModelSchoolListDto })
  publicList(@Query() query: YearQueryDto): Promise<PublicModelSchoolListDto> {
    return this.designations.publicList(query.year);
  }

  @ApiBearerAuth()
  @Get('support-sites')
  @ApiOperation({ summary: '孩子学校的心理辅导室与成长导航站、所在区县与全市的心理辅导中心和热线（开放时间、联系方式）' })
  @ApiOkResponse({ type: SupportSiteListDto })
  async supportSites(@CurrentUser() principal: Principal): Promise<SupportSiteListDto> {
    return { items: await this.sites.sitesForParent(principal) };
  }

  @ApiBearerAuth()
  @Get('satisfaction-survey')
  @ApiOperation({ summary: '本户是否已填写本年度家长满意度调查' })
  @ApiOkResponse({ type: SurveyStatusDto })
  surveyStatus(@CurrentUser() principal: Principal, @Query() query: StudentQueryDto): Promise<SurveyStatusDto> {
    return this.support.surveyStatus(principal, query.studentId);
  }

  @ApiBearerAuth()
  @Post('satisfaction-survey')
  @ApiOperation({ summary: '填写家长满意度调查（匿名，每户一次，自愿）' })
  @ApiCreatedResponse({ type: SurveyStatusDto })
  answer(@CurrentUser() principal: Principal, @Body() body: AnswerSurveyDto): Promise<SurveyStatusDto> {
    return this.support.answer(principal, body);
  }

  @ApiBearerAuth()
  @Get('model-schools/criteria')
  @ApiOperation({ summary: '年度评估标准（评审专家按其中的人工指标打分）' })
  @ApiOkResponse({ type: CriteriaDto })
  criteria(@Query() query: YearQueryDto): Promise<CriteriaDto> {
    return this.modelSchools.criteria(query.year);
  }

  @ApiBearerAuth()
  @Get('model-school-reviews')
  @ApiOperation({ summary: '评审专家：指派给我的示范学校评审' })
  @ApiOkResponse({ type: ReviewListDto })
  async reviews(@CurrentUser() principal: Principal): Promise<ReviewListDto> {
    return { items: await this.expertReviews.myReviews(principal) };
  }

  @ApiBearerAuth()
  @Put('model-school-reviews/:id')
  @Authorize('manage', 'model_school_review')
  @ApiOperation({ summary: '评审专家：为人工指标打分（不得评审本区县学校）' })
  @ApiOkResponse({ type: ReviewDto })
  score(@CurrentUser() principal: Principal, @Param('id') id: string, @Body() body: ScoreReviewDto): Promise<ReviewDto> {
    return this.expertReviews.score(principal, id, body);
  }
}
