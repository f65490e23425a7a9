import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Principal } from '@jiaxiao/common';
import { Authorize, CurrentUser } from '@jiaxiao/auth';
import { LectureDto } from '../dto/lecture.dto';
import { MaterialListDto } from '../dto/material.dto';
import { LectureMaterialsService } from '../lecture-materials.service';
import { LectureService } from '../lecture.service';

/**
 * The lecture routes parents and staff share, served by both parent-api and admin-api: a lecture and its
 * materials. Whoever may read the lecture (the `lecture` rule, the same on both apps) reads both.
 */
@ApiTags('lectures')
@ApiBearerAuth()
@Controller()
export class LectureRecordsController {
  constructor(
    private readonly lectures: LectureService,
    private readonly lectureMaterials: LectureMaterialsService,
  ) {}

  @Get('lectures/:id')
  @ApiOperation({ summary: '讲座详情' })
  @Authorize('read', 'lecture')
  @ApiOkResponse({ type: LectureDto })
  get(@CurrentUser() principal: Principal, @Param('id') id: string): Promise<LectureDto> {
    return this.lectures.get(principal, id);
  }

  @Get('lectures/:id/materials')
  @Authorize('read', 'lecture')
  @ApiOperation({ summary: '讲座资料（课件、讲义），用 parent-api 的 GET /files/:fileId 下载' })
  @ApiOkResponse({ type: MaterialListDto })
  materials(@Param('id') id: string): Promise<MaterialListDto> {
    return this.lectureMaterials.list(id);
  }
}
