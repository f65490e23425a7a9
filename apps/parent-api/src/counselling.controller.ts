import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Principal } from '@jiaxiao/common';
import { Authorize, CurrentUser } from '@jiaxiao/auth';
import { CounsellingRequestDto, CounsellingRequestListDto, CounsellingService, CreateCounsellingRequestDto } from '@jiaxiao/model-schools';

/** 心理辅导预约: a guardian's private requests to a site; only the site's staff see them. */
@ApiTags('counselling')
@ApiBearerAuth()
@Controller('counselling/requests')
export class CounsellingController {
  constructor(private readonly counselling: CounsellingService) {}

  @Post()
  @ApiOperation({ summary: '向心理辅导站点提交预约申请（同时最多 3 个未结束的预约）' })
  @ApiCreatedResponse({ type: CounsellingRequestDto })
  create(@CurrentUser() principal: Principal, @Body() body: CreateCounsellingRequestDto): Promise<CounsellingRequestDto> {
    return this.counselling.create(principal, body);
  }

  @Get()
  @ApiOperation({ summary: '我的预约申请与处理进度' })
  @ApiOkResponse({ type: CounsellingRequestListDto })
  async list(@CurrentUser() principal: Principal): Promise<CounsellingRequestListDto> {
    return { items: await this.counselling.listMine(principal) };
  }

  @Get(':id')
  @Authorize('read', 'counselling_request')
  @ApiOperation({ summary: '我的一条预约申请' })
  @ApiOkResponse({ type: CounsellingRequestDto })
  one(@CurrentUser() principal: Principal, @Param('id') id: string): Promise<CounsellingRequestDto> {
    return this.counselling.mine(principal, id);
  }

  @Post(':id/withdraw')
  @Authorize('manage', 'counselling_request')
  @HttpCode(200)
  @ApiOperation({ summary: '撤回我的预约申请' })
  @ApiOkResponse({ type: CounsellingRequestDto })
  withdraw(@CurrentUser() principal: Principal, @Param('id') id: string): Promise<CounsellingRequestDto> {
    return this.counselling.withdraw(principal, id);
  }
}
