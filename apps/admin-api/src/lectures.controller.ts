import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Principal } from '@jiaxiao/common';
import { readUploadedFile } from '@jiaxiao/platform';
import { Authorize, CurrentUser } from '@jiaxiao/auth';
import {
  AttendanceReportDto,
  AttendanceReportService,
  AttendanceListDto,
  AttendanceResultDto,
  AttendanceService,
  CheckInCodeDto,
  CreateLectureDto,
  HourLedgerService,
  LectureDto,
  LectureRegistrationService,
  LectureService,
  ManualAttendanceDto,
  RevokeCreditDto,
  LectureListQueryDto,
  UpdateLectureDto,
} from '@jiaxiao/courses';
import { LectureListDto, RegistrationRowDto, SheetResultDto } from './dto/lecture-admin.dto';

@ApiTags('lectures')
@ApiBearerAuth()
@Controller()
export class LecturesController {
  constructor(
    private readonly lectures: LectureService,
    private readonly registrationService: LectureRegistrationService,
    private readonly attendance: AttendanceService,
    private readonly ledger: HourLedgerService,
    private readonly attendanceReport: AttendanceReportService,
  ) {}

  @Post('lectures')
  @ApiOperation({ summary: '新建讲座或课程（草稿）：父母大讲堂、家庭教育农村行、学校课程、家委会主任培训' })
  @ApiCreatedResponse({ type: LectureDto })
  create(@CurrentUser() principal: Principal, @Body() body: CreateLectureDto): Promise<LectureDto> {
    return this.lectures.create(principal, body);
  }

  @Get('lectures')
  @ApiOperation({
    summary:
      '本学年的讲座（本人范围内组织的，以及全部市级、区县级讲座）：按系列、状态、标题或地点、开始时间筛选，排序，分页（不带 page 时一页列出全部）',
  })
  @ApiOkResponse({ type: LectureListDto })
  async list(@CurrentUser() principal: Principal, @Query() query: LectureListQueryDto): Promise<LectureListDto> {
    return { ...(await this.lectures.listForStaff(principal, query)), nextCursor: null };
  }

  @Patch('lectures/:id')
  @Authorize('manage', 'lecture')
  @ApiOperation({ summary: '修改讲座；改时间会通知已报名家长并顺延提醒' })
  @ApiOkResponse({ type: LectureDto })
  update(@CurrentUser() principal: Principal, @Param('id') id: string, @Body() body: UpdateLectureDto): Promise<LectureDto> {
    return this.lectures.update(principal, id, body);
  }

  @Post('lectures/:id/publish')
  @ApiOperation({ summary: '发布讲座（对受众范围内的家长开放报名）' })
  @HttpCode(200)
  @Authorize('manage', 'lecture')
  @ApiOkResponse({ type: LectureDto })
  publish(@CurrentUser() principal: Principal, @Param('id') id: string): Promise<LectureDto> {
    return this.lectures.publish(principal, id);
  }

  @Post('lectures/:id/cancel')
  @HttpCode(200)
  @Authorize('manage', 'lecture')
  @ApiOperation({ summary: '取消讲座并通知已报名和候补的家长' })
  @ApiOkResponse({ type: LectureDto })
  cancel(@CurrentUser() principal: Principal, @Param('id') id: string): Promise<LectureDto> {
    return this.lectures.cancel(principal, id);
  }

  @Get('lectures/:id/registrations')
  @ApiOperation({ summary: '讲座报名与候补名单' })
  @Authorize('manage', 'lecture')
  @ApiOkResponse({ type: [RegistrationRowDto] })
  async registrations(@Param('id') id: string): Promise<RegistrationRowDto[]> {
    return this.registrationService.registrations(id);
  }

  @Get('lectures/:id/check-in-code')
  @Authorize('manage', 'lecture')
  @ApiOperation({ summary: '现场签到二维码（每 30 秒更换；当前和上一个码有效）' })
  @ApiOkResponse({ type: CheckInCodeDto })
  checkInCode(@Param('id') id: string): Promise<CheckInCodeDto> {
    return this.attendance.checkInCode(id);
  }

  @Get('lectures/:id/attendance-report')
  @Authorize('manage', 'lecture')
  @ApiOperation({ summary: '讲座出勤报告：签到签退、学时、不计学时的原因，以及异常（一台设备为多个家庭签到、连续数秒内的签到）' })
  @ApiOkResponse({ type: AttendanceReportDto })
  attendanceReportOf(@Param('id') id: string): Promise<AttendanceReportDto> {
    return this.attendanceReport.report(id);
  }

  @Get('lectures/:id/attendance')
  @Authorize('manage', 'lecture')
  @ApiOperation({ summary: '出勤名单：签到、签退、计入的学时及撤销记录' })
  @ApiOkResponse({ type: AttendanceListDto })
  attendanceList(@Param('id') id: string): Promise<AttendanceListDto> {
    return this.attendance.list(id);
  }

  @Post('lectures/:id/attendance')
  @HttpCode(200)
  @Authorize('manage', 'lecture')
  @ApiOperation({ summary: '代录出勤（无智能手机的家长），须填写原因，记入审计日志' })
  @ApiOkResponse({ type: AttendanceResultDto })
  recordByHand(
    @CurrentUser() principal: Principal,
    @Param('id') id: string,
    @Body() body: ManualAttendanceDto,
  ): Promise<AttendanceResultDto> {
    return this.attendance.recordByHand(principal, id, body.phone, body.reason);
  }

  @Post('lectures/:id/attendance-sheets')
  @HttpCode(200)
  @Authorize('manage', 'lecture')
  @ApiOperation({ summary: '导入纸质签到表（Excel，需有“家长手机号”列），逐行返回结果' })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } }, required: ['file'] } })
  @ApiOkResponse({ type: SheetResultDto })
  async importSheet(@CurrentUser() principal: Principal, @Param('id') id: string, @Req() request: FastifyRequest): Promise<SheetResultDto> {
    const file = await readUploadedFile(request);
    const rows = await this.attendance.importSheet(principal, id, file.content, `签到表导入：${file.filename}`.slice(0, 200));
    return { rows };
  }

  @Post('ledger/:id/revoke')
  @HttpCode(204)
  @Authorize('manage', 'ledger_entry')
  @ApiOperation({ summary: '撤销一条学时记录（追加撤销记录，不删除；记入审计日志）' })
  revoke(@CurrentUser() principal: Principal, @Param('id') id: string, @Body() body: RevokeCreditDto): Promise<void> {
    return this.ledger.revoke(principal, id, body.reason);
  }
}
