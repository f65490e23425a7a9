import { Body, Controller, Delete, Get, Headers, HttpCode, Ip, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { Principal } from '@jiaxiao/common';
import { CertificateDownload, RenderedCertificate } from '@jiaxiao/platform';
import { Authorize, AuthorizedObject, CurrentUser } from '@jiaxiao/auth';
import {
  AttendanceResultDto,
  AttendanceService,
  CertificateQueryDto,
  CourseHoursDto,
  LectureRow,
  LectureRegistrationService,
  LectureService,
  ProgressService,
  RegistrationDto,
  SchoolYearQueryDto,
  TokenDto,
} from '@jiaxiao/courses';
import { LecturePageDto } from './dto/lecture-page.dto';

@ApiTags('lectures')
@ApiBearerAuth()
@Controller()
export class LecturesController {
  constructor(
    private readonly lectures: LectureService,
    private readonly registrations: LectureRegistrationService,
    private readonly attendance: AttendanceService,
    private readonly progress: ProgressService,
  ) {}

  @Get('lectures')
  @ApiOperation({ summary: '面向我孩子的讲座和课程（本学年，按开始时间）' })
  @ApiOkResponse({ type: LecturePageDto })
  async list(@CurrentUser() principal: Principal, @Query() query: SchoolYearQueryDto): Promise<LecturePageDto> {
    return { items: await this.lectures.listForGuardian(principal, query.schoolYear), nextCursor: null };
  }

  @Post('lectures/:id/registrations')
  @HttpCode(200)
  @Authorize('read', 'lecture')
  @ApiOperation({ summary: '报名（满员则进入候补，有人取消时自动递补）' })
  @ApiOkResponse({ type: RegistrationDto })
  register(@CurrentUser() principal: Principal, @Param('id') id: string): Promise<RegistrationDto> {
    return this.registrations.register(principal, id);
  }

  @Delete('lectures/:id/registrations')
  @Authorize('read', 'lecture')
  @ApiOperation({ summary: '取消报名' })
  @ApiOkResponse({ type: RegistrationDto })
  unregister(@CurrentUser() principal: Principal, @Param('id') id: string): Promise<RegistrationDto> {
    return this.registrations.unregister(principal, id);
  }

  @Post('lectures/:id/check-in')
  @HttpCode(200)
  @Authorize('read', 'lecture')
  @ApiParam({ name: 'id', description: '讲座 id（路由由访问规则读取讲座后交给处理方法）' })
  @ApiOperation({ summary: '扫码签到（开始前 30 分钟至结束；晚于讲座允许的迟到时间签到的，记录出勤但不计学时）' })
  @ApiOkResponse({ type: AttendanceResultDto })
  checkIn(
    @CurrentUser() principal: Principal,
    @AuthorizedObject() lecture: LectureRow,
    @Body() body: TokenDto,
    @Headers('user-agent') userAgent: string | undefined,
    @Ip() ip: string,
  ): Promise<AttendanceResultDto> {
    return this.attendance.checkIn(principal, lecture, body.token, { deviceId: body.deviceId, userAgent, ip });
  }

  @Post('lectures/:id/check-out')
  @HttpCode(200)
  @Authorize('read', 'lecture')
  @ApiParam({ name: 'id', description: '讲座 id（路由由访问规则读取讲座后交给处理方法）' })
  @ApiOperation({
    summary: '扫码签退（结束前 10 分钟至结束后 30 分钟）；按时签到且在场不少于讲座时长的 80% 时计入学时，否则返回 noCreditReason',
  })
  @ApiOkResponse({ type: AttendanceResultDto })
  checkOut(
    @CurrentUser() principal: Principal,
    @AuthorizedObject() lecture: LectureRow,
    @Body() body: TokenDto,
    @Headers('user-agent') userAgent: string | undefined,
    @Ip() ip: string,
  ): Promise<AttendanceResultDto> {
    return this.attendance.checkOut(principal, lecture, body.token, { deviceId: body.deviceId, userAgent, ip });
  }

  @Get('me/course-hours')
  @ApiOperation({ summary: '我家每个孩子（家庭）本学年的家庭教育学时' })
  @ApiOkResponse({ type: CourseHoursDto })
  courseHours(@CurrentUser() principal: Principal, @Query() query: SchoolYearQueryDto): Promise<CourseHoursDto> {
    return this.progress.courseHours(principal, query.schoolYear);
  }

  @Get('me/course-hours/certificate')
  @ApiOperation({ summary: '结业证书（PDF，完成学时后可下载；format=png 为便于微信分享的图片）' })
  @CertificateDownload()
  certificate(@CurrentUser() principal: Principal, @Query() query: CertificateQueryDto): Promise<RenderedCertificate> {
    return this.progress.certificate(principal, query.studentId, query.schoolYear, query.format);
  }
}
