import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Principal } from '@jiaxiao/common';
import { Authorize, CurrentUser } from '@jiaxiao/auth';
import {
  AcceptCounsellingRequestDto,
  AppointSiteStaffDto,
  CloseCounsellingRequestDto,
  CounsellingRequestDto,
  CounsellingRequestListDto,
  CounsellingRequestQueryDto,
  CounsellingService,
  DismissSiteStaffQueryDto,
  ManagedSiteDto,
  ManagedSiteListDto,
  ReplyCounsellingRequestDto,
  SupportSitesService,
} from '@jiaxiao/model-schools';

/** 心理辅导: the sites a caller manages or staffs, their staff, and the requests only a site's staff handle. */
@ApiTags('counselling')
@ApiBearerAuth()
@Controller('counselling')
export class CounsellingController {
  constructor(
    private readonly sites: SupportSitesService,
    private readonly counselling: CounsellingService,
  ) {}

  @Get('sites')
  @ApiOperation({ summary: '我管理或任辅导人员的站点（含辅导人员名单）' })
  @ApiOkResponse({ type: ManagedSiteListDto })
  async managedSites(@CurrentUser() principal: Principal): Promise<ManagedSiteListDto> {
    return { items: await this.sites.managedSites(principal) };
  }

  @Post('sites/:id/staff')
  @Authorize('manage', 'support_site')
  @ApiOperation({ summary: '任命辅导人员（按手机号选已有的教职工账号）' })
  @ApiCreatedResponse({ type: ManagedSiteDto })
  appoint(@CurrentUser() principal: Principal, @Param('id') id: string, @Body() body: AppointSiteStaffDto): Promise<ManagedSiteDto> {
    return this.sites.appoint(principal, id, body.phone);
  }

  @Delete('sites/:id/staff')
  @HttpCode(204)
  @Authorize('manage', 'support_site')
  @ApiOperation({ summary: '撤销辅导人员' })
  @ApiNoContentResponse()
  dismiss(@CurrentUser() principal: Principal, @Param('id') id: string, @Query() query: DismissSiteStaffQueryDto): Promise<void> {
    return this.sites.dismiss(principal, id, query.userId);
  }

  @Get('requests')
  @ApiOperation({ summary: '我所在站点收到的预约申请（仅站点辅导人员可见）' })
  @ApiOkResponse({ type: CounsellingRequestListDto })
  async requests(@CurrentUser() principal: Principal, @Query() query: CounsellingRequestQueryDto): Promise<CounsellingRequestListDto> {
    return { items: await this.counselling.listForStaff(principal, query.status) };
  }

  @Get('requests/:id')
  @Authorize('read', 'counselling_request')
  @ApiOperation({ summary: '预约申请详情（仅站点辅导人员）' })
  @ApiOkResponse({ type: CounsellingRequestDto })
  request(@CurrentUser() principal: Principal, @Param('id') id: string): Promise<CounsellingRequestDto> {
    return this.counselling.forStaff(principal, id);
  }

  @Post('requests/:id/accept')
  @Authorize('manage', 'counselling_request')
  @HttpCode(200)
  @ApiOperation({ summary: '接受预约并安排时间（通知家长）' })
  @ApiOkResponse({ type: CounsellingRequestDto })
  accept(
    @CurrentUser() principal: Principal,
    @Param('id') id: string,
    @Body() body: AcceptCounsellingRequestDto,
  ): Promise<CounsellingRequestDto> {
    return this.counselling.handle(principal, id, { kind: 'accept', dto: body });
  }

  @Post('requests/:id/reply')
  @Authorize('manage', 'counselling_request')
  @HttpCode(200)
  @ApiOperation({ summary: '回复家长（通知家长）' })
  @ApiOkResponse({ type: CounsellingRequestDto })
  reply(
    @CurrentUser() principal: Principal,
    @Param('id') id: string,
    @Body() body: ReplyCounsellingRequestDto,
  ): Promise<CounsellingRequestDto> {
    return this.counselling.handle(principal, id, { kind: 'reply', dto: body });
  }

  @Post('requests/:id/close')
  @Authorize('manage', 'counselling_request')
  @HttpCode(200)
  @ApiOperation({ summary: '结束预约（可附留言；通知家长）' })
  @ApiOkResponse({ type: CounsellingRequestDto })
  close(
    @CurrentUser() principal: Principal,
    @Param('id') id: string,
    @Body() body: CloseCounsellingRequestDto,
  ): Promise<CounsellingRequestDto> {
    return this.counselling.handle(principal, id, { kind: 'close', dto: body });
  }
}
