import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Principal } from '@jiaxiao/common';
import { Authorize, CurrentUser } from '@jiaxiao/auth';
import {
  AwardSubmissionDto,
  CampaignDto,
  CampaignListDto,
  CampaignService,
  CreateCampaignDto,
  ReviewSubmissionDto,
  SubmissionDto,
  SubmissionListDto,
  SubmissionQueryDto,
} from '@jiaxiao/campaigns';

/** 我说我的家风家训故事 and 书香之家 campaigns: staff open them, review, publish and award entries. */
@ApiTags('campaigns')
@ApiBearerAuth()
@Controller()
export class CampaignsController {
  constructor(private readonly campaigns: CampaignService) {}

  @Post('campaigns')
  @ApiOperation({ summary: '发起活动（市、区县或学校范围，征集起止时间）' })
  @ApiCreatedResponse({ type: CampaignDto })
  create(@CurrentUser() principal: Principal, @Body() body: CreateCampaignDto): Promise<CampaignDto> {
    return this.campaigns.create(principal, body);
  }

  @Get('campaigns')
  @ApiOperation({ summary: '本人范围内的活动' })
  @ApiOkResponse({ type: CampaignListDto })
  async list(@CurrentUser() principal: Principal): Promise<CampaignListDto> {
    return { items: await this.campaigns.listForStaff(principal) };
  }

  @Get('campaigns/:id/submissions')
  @Authorize('manage', 'campaign')
  @ApiOperation({ summary: '活动作品（按状态筛选，按提交先后）' })
  @ApiOkResponse({ type: SubmissionListDto })
  async submissions(@Param('id') id: string, @Query() query: SubmissionQueryDto): Promise<SubmissionListDto> {
    return { items: await this.campaigns.submissionsForStaff(id, query) };
  }

  @Post('campaign-submissions/:id/review')
  @HttpCode(200)
  @Authorize('manage', 'campaign_submission')
  @ApiOperation({ summary: '审核作品：通过，或不通过并说明原因' })
  @ApiOkResponse({ type: SubmissionDto })
  review(@CurrentUser() principal: Principal, @Param('id') id: string, @Body() body: ReviewSubmissionDto): Promise<SubmissionDto> {
    return this.campaigns.review(principal, id, body);
  }

  @Post('campaign-submissions/:id/publication')
  @HttpCode(200)
  @Authorize('manage', 'campaign_submission')
  @ApiOperation({ summary: '发布已通过的作品' })
  @ApiOkResponse({ type: SubmissionDto })
  publish(@CurrentUser() principal: Principal, @Param('id') id: string): Promise<SubmissionDto> {
    return this.campaigns.publish(principal, id);
  }

  @Post('campaign-submissions/:id/award')
  @HttpCode(200)
  @Authorize('manage', 'campaign_submission')
  @ApiOperation({ summary: '评奖：一/二/三等奖（家风家训故事）或“书香之家”称号；生成证书编号' })
  @ApiOkResponse({ type: SubmissionDto })
  award(@CurrentUser() principal: Principal, @Param('id') id: string, @Body() body: AwardSubmissionDto): Promise<SubmissionDto> {
    return this.campaigns.award(principal, id, body);
  }
}
