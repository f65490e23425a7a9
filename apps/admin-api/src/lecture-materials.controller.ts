import { Body, Controller, Delete, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Principal } from '@jiaxiao/common';
import { Authorize, CurrentUser } from '@jiaxiao/auth';
import { AddMaterialDto, LectureMaterialsService, LectureQaService, LectureRoomDto, MaterialDto, OpenRoomDto } from '@jiaxiao/courses';

/** Adding and removing a lecture's materials, and its Q&A room, for the staff who run it (the list is LectureRecordsController's). */
@ApiTags('lectures')
@ApiBearerAuth()
@Controller()
export class LectureMaterialsController {
  constructor(
    private readonly materials: LectureMaterialsService,
    private readonly qa: LectureQaService,
  ) {}

  @Post('lectures/:id/materials')
  @Authorize('manage', 'lecture')
  @ApiOperation({ summary: '为讲座添加资料（课件、讲义；先经 parent-api POST /uploads 上传文件）' })
  @ApiCreatedResponse({ type: MaterialDto })
  add(@CurrentUser() principal: Principal, @Param('id') id: string, @Body() body: AddMaterialDto): Promise<MaterialDto> {
    return this.materials.add(principal, id, body);
  }

  @Delete('lecture-materials/:id')
  @HttpCode(204)
  @Authorize('manage', 'lecture_material')
  @ApiOperation({ summary: '删除讲座资料（可添加资料的人可删除；删除后听众不能再下载该文件）' })
  @ApiNoContentResponse()
  remove(@CurrentUser() principal: Principal, @Param('id') id: string): Promise<void> {
    return this.materials.remove(principal, id);
  }

  @Post('lectures/:id/room')
  @Authorize('manage', 'lecture')
  @ApiOperation({ summary: '进入讲座答疑群答疑（可同时把主讲人的账号加入答疑）' })
  @ApiCreatedResponse({ type: LectureRoomDto })
  room(@CurrentUser() principal: Principal, @Param('id') id: string, @Body() body: OpenRoomDto): Promise<LectureRoomDto> {
    return this.qa.enterAsStaff(principal, id, body);
  }
}
