import { Body, Controller, Delete, Get, HttpCode, Ip, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Principal } from '@jiaxiao/common';
import { Authorize, CurrentUser } from '@jiaxiao/auth';
import { AppointmentDto, AppointStaffDto, SchoolYearQueryDto, StaffDto, StaffService } from '@jiaxiao/directory';

@ApiTags('staff')
@ApiBearerAuth()
@Controller()
export class StaffController {
  constructor(private readonly staffService: StaffService) {}

  @Get('schools/:id/staff')
  @Authorize('staff', 'school')
  @ApiOperation({ summary: '学校的家庭教育总协调员和各班老师' })
  @ApiOkResponse({ type: [StaffDto] })
  staff(@Param('id') id: string, @Query() query: SchoolYearQueryDto): Promise<StaffDto[]> {
    return this.staffService.staff(id, query.schoolYear);
  }

  @Post('schools/:id/staff')
  @Authorize('manage', 'school')
  @ApiOperation({
    summary: '任命家庭教育总协调员（coordinator）或班级老师（teacher）',
    description: '手机号没有账号时会新建账号，并在响应中一次性返回初始密码（initialPassword）。',
  })
  @ApiCreatedResponse({ type: AppointmentDto })
  appoint(
    @CurrentUser() principal: Principal,
    @Param('id') id: string,
    @Body() body: AppointStaffDto,
    @Ip() ip: string,
  ): Promise<AppointmentDto> {
    return this.staffService.appointStaff(principal, id, body, ip);
  }

  @Delete('role-assignments/:id')
  @Authorize('manage', 'role_assignment')
  @HttpCode(204)
  @ApiOperation({ summary: '撤销任职' })
  @ApiNoContentResponse()
  revoke(@CurrentUser() principal: Principal, @Param('id') id: string, @Ip() ip: string): Promise<void> {
    return this.staffService.revokeAssignment(principal, id, ip);
  }
}
