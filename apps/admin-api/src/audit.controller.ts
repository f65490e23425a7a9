import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Principal } from '@jiaxiao/common';
import { CurrentUser } from '@jiaxiao/auth';
import { AuditPageDto, AuditQueryDto, AuditService } from '@jiaxiao/platform';

@ApiTags('audit')
@ApiBearerAuth()
@Controller()
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get('audit-log')
  @ApiOperation({ summary: '审计日志（市教育局）：登录、任命、花名册导入导出、代录出勤等，按时间倒序分页' })
  @ApiOkResponse({ type: AuditPageDto })
  list(@CurrentUser() principal: Principal, @Query() query: AuditQueryDto): Promise<AuditPageDto> {
    return this.audit.list(principal, query);
  }
}
