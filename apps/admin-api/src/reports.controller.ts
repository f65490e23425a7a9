import { Body, Controller, Get, HttpCode, Ip, Param, Post, Put, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Principal } from '@jiaxiao/common';
import { Authorize, CurrentUser } from '@jiaxiao/auth';
import {
  ClassFollowUpDto,
  ClassReportDto,
  CoursePlanDto,
  CoursePlanService,
  CreatePlanDto,
  ExportRequestDto,
  ExportStatusDto,
  PlanSessionsDto,
  ReportQueryDto,
  ReportService,
  RequirementResultDto,
  SchoolYearQueryDto,
  SummaryQueryDto,
  SummaryReportDto,
  TeacherTrainingReportDto,
  TeacherTrainingService,
  TrendQueryDto,
  TrendReportDto,
} from '@jiaxiao/courses';
import { SetRequirementDto } from './dto/lecture-admin.dto';

@ApiTags('course-hours')
@ApiBearerAuth()
@Controller()
export class ReportsController {
  constructor(
    private readonly reports: ReportService,
    private readonly plans: CoursePlanService,
    private readonly training: TeacherTrainingService,
  ) {}

  @Get('reports/teacher-training')
  @ApiOperation({ summary: '教师家校沟通能力培训：本校每位教师的培训学时（默认本人学校、本学年）' })
  @ApiOkResponse({ type: TeacherTrainingReportDto })
  teacherTraining(@CurrentUser() principal: Principal, @Query() query: ReportQueryDto): Promise<TeacherTrainingReportDto> {
    return this.training.report(principal, query);
  }

  @Get('reports/course-hours')
  @ApiOperation({ summary: '学时完成情况：按班级（默认本人学校、本学年）' })
  @ApiOkResponse({ type: ClassReportDto })
  classes(@CurrentUser() principal: Principal, @Query() query: ReportQueryDto): Promise<ClassReportDto> {
    return this.reports.classes(principal, query);
  }

  @Get('reports/course-hours/summary')
  @ApiOperation({ summary: '学时完成情况：按学校和区县（区县教育局看本区县，市教育局看全市）' })
  @ApiOkResponse({ type: SummaryReportDto })
  summary(@CurrentUser() principal: Principal, @Query() query: SummaryQueryDto): Promise<SummaryReportDto> {
    return this.reports.summary(principal, query);
  }

  @Get('reports/course-hours/trend')
  @ApiOperation({ summary: '学时达标率按月走势（本学年 9 月至本月；学校、区县或全市，范围同学时报表）' })
  @ApiOkResponse({ type: TrendReportDto })
  trend(@CurrentUser() principal: Principal, @Query() query: TrendQueryDto): Promise<TrendReportDto> {
    return this.reports.trend(principal, query);
  }

  @Get('reports/course-hours/classes/:id')
  @Authorize('staff', 'class')
  @ApiOperation({ summary: '班级未完成学时的家庭（家长手机号打码），供班主任跟进' })
  @ApiOkResponse({ type: ClassFollowUpDto })
  followUp(@Param('id') id: string, @Query() query: SchoolYearQueryDto): Promise<ClassFollowUpDto> {
    return this.reports.followUp(id, query.schoolYear);
  }

  @Post('reports/course-hours/classes/:id/reminders')
  @HttpCode(202)
  @Authorize('staff', 'class')
  @ApiOperation({ summary: '提醒未完成：通知该班学时未完成家庭的家长' })
  remind(@CurrentUser() principal: Principal, @Param('id') id: string, @Query() query: SchoolYearQueryDto): Promise<{ reminded: number }> {
    return this.reports.remindClass(principal, id, query.schoolYear);
  }

  @Post('reports/course-hours/exports')
  @ApiOperation({ summary: '导出 Excel（后台任务，GET /reports/exports/:id 查看进度）' })
  @ApiCreatedResponse({ type: ExportStatusDto })
  requestExport(@CurrentUser() principal: Principal, @Body() body: ExportRequestDto): Promise<ExportStatusDto> {
    return this.reports.requestExport(principal, body);
  }

  @Get('reports/exports/:id')
  @ApiOperation({ summary: '导出任务的状态与进度' })
  @Authorize('read', 'export')
  @ApiOkResponse({ type: ExportStatusDto })
  exportStatus(@Param('id') id: string): Promise<ExportStatusDto> {
    return this.reports.exportStatus(id);
  }

  @Get('reports/exports/:id/file')
  @ApiOperation({ summary: '下载已完成的导出文件（XLSX）' })
  @Authorize('read', 'export')
  @ApiProduces('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
  async exportFile(@CurrentUser() principal: Principal, @Param('id') id: string, @Ip() ip: string, @Res() reply: FastifyReply) {
    const file = await this.reports.exportFile(principal, id, ip);
    await reply
      .header('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .header('Content-Disposition', `attachment; filename="report.xlsx"; filename*=UTF-8''${encodeURIComponent(file.fileName)}`)
      .send(file.content);
  }

  @Get('schools/:id/course-plan')
  @Authorize('staff', 'school')
  @ApiOperation({ summary: '学校本学年的家庭教育课程计划（场次、合计学时、是否达标）' })
  @ApiOkResponse({ type: CoursePlanDto })
  plan(@Param('id') id: string, @Query() query: SchoolYearQueryDto): Promise<CoursePlanDto> {
    return this.plans.get(id, query.schoolYear);
  }

  @Post('schools/:id/course-plan')
  @Authorize('manage', 'school')
  @ApiOperation({ summary: '建立课程计划；之后以 planId 新建各场次讲座' })
  @ApiCreatedResponse({ type: CoursePlanDto })
  createPlan(@CurrentUser() principal: Principal, @Param('id') id: string, @Body() body: CreatePlanDto): Promise<CoursePlanDto> {
    return this.plans.create(principal, id, body.schoolYear, body.note);
  }

  @Post('schools/:id/course-plan/sessions')
  @Authorize('manage', 'school')
  @ApiOperation({ summary: '按模板生成课程计划的各场次（草稿）：统一形式、时长、学时、对象、地点，各场次填标题与时间' })
  @ApiCreatedResponse({ type: CoursePlanDto })
  planSessions(@CurrentUser() principal: Principal, @Param('id') id: string, @Body() body: PlanSessionsDto): Promise<CoursePlanDto> {
    return this.plans.sessionsFromTemplate(principal, id, body);
  }

  @Put('course-requirements')
  @ApiOperation({ summary: '设定某学年全市统一的学时要求（市教育局）' })
  @ApiOkResponse({ type: RequirementResultDto })
  setRequirement(@CurrentUser() principal: Principal, @Body() body: SetRequirementDto): Promise<RequirementResultDto> {
    return this.plans.setRequirement(principal, body.schoolYear, body.requiredHours);
  }
}
