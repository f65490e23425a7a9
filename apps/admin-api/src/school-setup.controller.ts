import { Body, Controller, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Principal } from '@jiaxiao/common';
import { readUploadedFile } from '@jiaxiao/platform';
import { Authorize, CurrentUser } from '@jiaxiao/auth';
import {
  ImportStatusDto,
  LeaveStudentDto,
  RolloverBodyDto,
  RolloverDto,
  RolloverQueryDto,
  RosterImportService,
  SchoolSetupService,
  StudentMoveDto,
  TransferStudentDto,
} from '@jiaxiao/directory';

@ApiTags('school-setup')
@ApiBearerAuth()
@Controller()
export class SchoolSetupController {
  constructor(
    private readonly setup: SchoolSetupService,
    private readonly imports: RosterImportService,
  ) {}

  @Post('schools/:id/roster-imports')
  @Authorize('manage', 'school')
  @ApiOperation({
    summary: '导入全校花名册（一张表，含“班级”列；缺少的班级按名称自动创建）',
    description:
      '表头：班级、学生姓名、家长姓名、家长手机号、关系。班级名以年级开头（初一(1)班、三年级2班、高二5班），用于识别新班级的年级。后台任务处理，用 GET /imports/:id 查看进度和逐行错误。',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } }, required: ['file'] } })
  @ApiCreatedResponse({ type: ImportStatusDto })
  async importSchoolRoster(
    @CurrentUser() principal: Principal,
    @Param('id') id: string,
    @Req() request: FastifyRequest,
  ): Promise<ImportStatusDto> {
    const file = await readUploadedFile(request);
    return this.imports.startForSchool(principal, id, { fileName: file.filename || 'roster', content: file.content });
  }

  @Get('schools/:id/rollover')
  @Authorize('manage', 'school')
  @ApiOperation({ summary: '学年升级预览：哪些班级升入新学年（带学生），哪些毕业归档；不做任何修改' })
  @ApiOkResponse({ type: RolloverDto })
  previewRollover(@Param('id') id: string, @Query() query: RolloverQueryDto): Promise<RolloverDto> {
    return this.setup.previewRollover(id, query);
  }

  @Post('schools/:id/rollover')
  @HttpCode(200)
  @Authorize('manage', 'school')
  @ApiOperation({ summary: '学年升级（一次事务，记入审计日志；同一学年重复执行不会再改动）' })
  @ApiOkResponse({ type: RolloverDto })
  rollover(@CurrentUser() principal: Principal, @Param('id') id: string, @Body() body: RolloverBodyDto): Promise<RolloverDto> {
    return this.setup.rollover(principal, id, body);
  }

  @Post('students/:id/transfer')
  @HttpCode(200)
  @Authorize('manage', 'student')
  @ApiOperation({ summary: '分班：学生转到本校同学年的另一个班（家长、学时随学生走，班级群随之调整）' })
  @ApiOkResponse({ type: StudentMoveDto })
  transfer(@CurrentUser() principal: Principal, @Param('id') id: string, @Body() body: TransferStudentDto): Promise<StudentMoveDto> {
    return this.setup.transfer(principal, id, body);
  }

  @Post('students/:id/leave')
  @HttpCode(200)
  @Authorize('manage', 'student')
  @ApiOperation({ summary: '学生离校：解除监护关系，家长退出班级群；学时和聊天记录保留' })
  @ApiOkResponse({ type: StudentMoveDto })
  leave(@CurrentUser() principal: Principal, @Param('id') id: string, @Body() body: LeaveStudentDto): Promise<StudentMoveDto> {
    return this.setup.leave(principal, id, body);
  }
}
