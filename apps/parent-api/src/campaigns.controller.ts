import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Principal } from '@jiaxiao/common';
import { Authorize, CurrentUser } from '@jiaxiao/auth';
import { CampaignListDto, CampaignService, CreateSubmissionDto, LikeResultDto, SubmissionDto, SubmissionListDto } from '@jiaxiao/campaigns';
import { CertificateDownload, CertificateFormatQueryDto, RenderedCertificate } from '@jiaxiao/platform';

/** Campaigns open to the caller's households: taking part is voluntary. */
@ApiTags('campaigns')
@ApiBearerAuth()
@Controller()
export class CampaignsController {
  constructor(private readonly campaigns: CampaignService) {}

  @Get('campaigns')
  @ApiOperation({ summary: '孩子所在范围内的活动（家风家训故事、书香之家），自愿参加' })
  @ApiOkResponse({ type: CampaignListDto })
  async list(@CurrentUser() principal: Principal): Promise<CampaignListDto> {
    return { items: await this.campaigns.listForParent(principal) };
  }

  @Get('campaigns/:id/submissions')
  @Authorize('read', 'campaign')
  @ApiOperation({ summary: '已发布的作品（按发布先后，不排名）及本户作品' })
  @ApiOkResponse({ type: SubmissionListDto })
  async submissions(@CurrentUser() principal: Principal, @Param('id') id: string): Promise<SubmissionListDto> {
    return { items: await this.campaigns.submissionsForParent(principal, id) };
  }

  @Post('campaigns/:id/submissions')
  @Authorize('read', 'campaign')
  @ApiOperation({ summary: '提交作品（征集期内；每户一件；图片先经 POST /uploads 上传）' })
  @ApiCreatedResponse({ type: SubmissionDto })
  submit(@CurrentUser() principal: Principal, @Param('id') id: string, @Body() body: CreateSubmissionDto): Promise<SubmissionDto> {
    return this.campaigns.submit(principal, id, body);
  }

  @Post('campaign-submissions/:id/like')
  @HttpCode(200)
  @Authorize('read', 'campaign_submission')
  @ApiOperation({ summary: '点赞（每人每件一次，重复点赞不重复计数）' })
  @ApiOkResponse({ type: LikeResultDto })
  like(@CurrentUser() principal: Principal, @Param('id') id: string): Promise<LikeResultDto> {
    return this.campaigns.like(principal, id);
  }

  @Get('campaign-submissions/:id/certificate')
  @Authorize('read', 'campaign_submission')
  @ApiOperation({ summary: '获奖证书（PDF；format=png 为便于微信分享的图片）' })
  @CertificateDownload()
  certificate(@Param('id') id: string, @Query() query: CertificateFormatQueryDto): Promise<RenderedCertificate> {
    return this.campaigns.certificate(id, query.format);
  }
}
