import { Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Principal } from '@jiaxiao/common';
import { readUploadedFile } from '@jiaxiao/platform';
import { Authorize, CurrentUser } from '@jiaxiao/auth';
import { FileDto, UploadService } from '@jiaxiao/files';

@ApiTags('files')
@ApiBearerAuth()
@Controller()
export class FilesController {
  constructor(private readonly uploads: UploadService) {}

  @Post('uploads')
  @ApiOperation({ summary: '上传图片（png/jpeg/gif/webp ≤ 5 MB）或文件（pdf/docx/xlsx/pptx ≤ 10 MB），类型按内容判断' })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } }, required: ['file'] } })
  @ApiCreatedResponse({ type: FileDto })
  async upload(@CurrentUser() principal: Principal, @Req() request: FastifyRequest): Promise<FileDto> {
    const file = await readUploadedFile(request);
    return this.uploads.upload(principal, { name: file.filename, content: file.content });
  }

  @Get('files/:id')
  @Authorize('read', 'file')
  @ApiOperation({ summary: '下载文件（上传者或收到该文件的会话成员）；使用对象存储时 302 跳转到短时有效的下载地址' })
  async download(@CurrentUser() principal: Principal, @Param('id') id: string, @Res() reply: FastifyReply) {
    const file = await this.uploads.download(principal, id);
    if (file.redirect !== undefined) {
      await reply.header('Cache-Control', 'private, no-store').redirect(file.redirect, 302);
      return;
    }
    await reply
      .header('Content-Type', file.mime)
      .header('Content-Disposition', `inline; filename="file"; filename*=UTF-8''${encodeURIComponent(file.name)}`)
      .header('X-Content-Type-Options', 'nosniff')
      .send(file.content);
  }
}
