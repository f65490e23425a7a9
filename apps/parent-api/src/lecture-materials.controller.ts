import { Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Principal } from '@jiaxiao/common';
import { Authorize, CurrentUser } from '@jiaxiao/auth';
import { LectureMaterialsService, LectureQaService, LectureRoomDto, MaterialListDto, MyTeacherTrainingDto, SchoolYearQueryDto, TeacherTrainingService } from '@jiaxiao/courses';

/** A lecture's materials and its Q&A room, for its audience; a teacher's own training hours. */
@ApiTags('lectures')
@ApiBearerAuth()
@Controller()
export class LectureMaterialsController {
  constructor(
    private readonly materials: LectureMaterialsService,
    private readonly qa: LectureQaService,
    private readonly training: TeacherTrainingService,
  ) {}

  @Get('me/teacher-training')
  @ApiOperation({ summary: '我的教师家校沟通能力培训：可报名的培训与本学年学时（与家长学时分开）' })
  @ApiOkResponse({ type: MyTeacherTrainingDto })
  teacherTraining(@CurrentUser() principal: Principal, @Query() query: SchoolYearQueryDto): Promise<MyTeacherTrainingDto> {
    return this.training.mine(principal, query.schoolYear);
  }

  @Get('lectures/:id/materials')
  @Authorize('read', 'lecture')
  @ApiOperation({ summary: '讲座资料（课件、讲义），用 GET /files/:fileId 下载' })
  @ApiOkResponse({ type: MaterialListDto })
  list(@Param('id') id: string): Promise<MaterialListDto> {
    return this.materials.list(id);
  }

  @Post('lectures/:id/room')
  @Authorize('read', 'lecture')
  @ApiOperation({ summary: '进入讲座答疑群（讲座期间和之后都可提问；报名时已自动加入）' })
  @ApiCreatedResponse({ type: LectureRoomDto })
  room(@CurrentUser() principal: Principal, @Param('id') id: string): Promise<LectureRoomDto> {
    return this.qa.enter(principal, id);
  }
}
