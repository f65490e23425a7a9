import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Principal } from '@jiaxiao/common';
import { Authorize, CurrentUser } from '@jiaxiao/auth';
import { SetSmsBudgetDto, SmsBudgetDto, SmsBudgetService } from '@jiaxiao/notifications';

@ApiTags('delivery')
@ApiBearerAuth()
@ApiForbiddenResponse({ description: 'FORBIDDEN: outside the caller’s school, district or city' })
@Controller('schools/:id/sms-budget')
export class SmsBudgetController {
  constructor(private readonly budget: SmsBudgetService) {}

  @Get()
  @Authorize('staff', 'school')
  @ApiOperation({ summary: '本校本月短信额度与用量（超出后短信不再发送，记为 skipped）' })
  @ApiOkResponse({ type: SmsBudgetDto })
  view(@Param('id') schoolId: string): Promise<SmsBudgetDto> {
    return this.budget.view(schoolId);
  }

  @Put()
  @Authorize('manage', 'school')
  @ApiOperation({ summary: '设定本校每月短信额度（区县或市教育局）；null 恢复默认' })
  @ApiOkResponse({ type: SmsBudgetDto })
  set(@CurrentUser() principal: Principal, @Param('id') schoolId: string, @Body() body: SetSmsBudgetDto): Promise<SmsBudgetDto> {
    return this.budget.set(principal, schoolId, body.monthlyLimit);
  }
}
