import { Controller, Get, Ip, Param, Post, Query, Req, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Principal } from '@jiaxiao/common';
import { readUploadedFile } from '@jiaxiao/platform';
import { Authorize, CurrentUser } from '@jiaxiao/auth';
import { ClassDto, DirectoryService, ImportStatusDto, RosterDto, RosterImportService, RosterQueryDto } from '@jiaxiao/directory';

@ApiTags('rosters')
@ApiBearerAuth()
@Controller()
export class ClassesController {
  constructor(
    private readonly directory: DirectoryService,
    private readonly imports: RosterImportService,
  ) {}

  @Get('classes/:id')
  @ApiOperation({ summary: '班级详情（学校、年级、班主任）' })
  @Authorize('staff', 'class')
  @ApiOkResponse({ type: ClassDto })
  classInfo(@Param('id') id: string): Promise<ClassDto> {
    return this.directory.classInfo(id);
  }

  @Get('classes/:id/students')
  @Authorize('staff', 'class')
  @ApiOperation({
    summary: '班级花名册：学生与家长（本校老师可见完整手机号，其他人看到的是打码号码）；可搜索、筛选、排序、分页（不带 page 时列出全班）',
  })
  @ApiOkResponse({ type: RosterDto })
  roster(@CurrentUser() principal: Principal, @Param('id') id: string, @Query() query: RosterQueryDto): Promise<RosterDto> {
    return this.directory.roster(principal, id, query);
  }

  @Get('classes/:id/roster.xlsx')
  @Authorize('staff', 'class')
  @ApiOperation({ summary: '导出班级花名册（Excel，导出行为记入审计日志）' })
  @ApiProduces('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
  async exportRoster(@CurrentUser() principal: Principal, @Param('id') id: string, @Ip() ip: string, @Res() reply: FastifyReply) {
    const file = await this.directory.exportRoster(principal, id, ip);
    await reply
      .header('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .header('Content-Disposition', `attachment; filename="roster.xlsx"; filename*=UTF-8''${encodeURIComponent(file.fileName)}`)
      .send(file.content);
  }

  @Post('classes/:id/roster-imports')
  @Authorize('manage', 'class')
  @ApiOperation({
    summary: '导入班级花名册（Excel 或 CSV）',
    description:
      '表头：学生姓名、家长姓名、家长手机号、关系（父亲/母亲/祖父母/外祖父母/其他）。后台任务处理，用 GET /imports/:id 查看进度和逐行错误。同一文件重复导入不会产生重复数据。',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } }, required: ['file'] } })
  @ApiCreatedResponse({ type: ImportStatusDto })
  async importRoster(
    @CurrentUser() principal: Principal,
    @Param('id') id: string,
    @Req() request: FastifyRequest,
  ): Promise<ImportStatusDto> {
    const file = await readUploadedFile(request);
    return this.imports.start(principal, id, { fileName: file.filename || 'roster', content: file.content });
  }

  @Get('imports/:id')
  @Authorize('manage', 'import')
  @ApiOperation({ summary: '导入任务的状态、进度（百分比）和逐行错误' })
  @ApiOkResponse({ type: ImportStatusDto })
  importStatus(@Param('id') id: string): Promise<ImportStatusDto> {
    return this.imports.status(id);
  }
}
