import { Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Principal } from '@jiaxiao/common';
import { Authorize, CurrentUser } from '@jiaxiao/auth';
import { LectureQaService, LectureRoomDto, MyTeacherTrainingDto, SchoolYearQueryDto, TeacherTrainingService } from '@jiaxiao/courses';

/** A lecture's Q&A room, for its audience (the materials list is LectureRecordsController's); a teacher's own training hours. */
@ApiTags('lectures')
@ApiBearerAuth()
@Controller()
export class LectureMaterialsController {
  constructor(
    private readonly qa: LectureQaService,
    private readonly training: TeacherTrainingService,
  ) {}

  @Get('me/teacher-training')
  @ApiOperation({ summary: '我的教师家校沟通能力培训：可报名的培训与本学年学时（与家长学时分开）' })
  @ApiOkResponse({ type: MyTeacherTrainingDto })
  teacherTraining(@CurrentUser() principal: Principal, @Query() query: SchoolYearQueryDto): Promise<MyTeacherTrainingDto> {
    return this.training.mine(principal, query.schoolYear);
  }

  @Post('lectures/:id/room')
  @Authorize('read', 'lecture')
  @ApiOperation({ summary: '进入讲座答疑群（讲座期间和之后都可提问；报名时已自动加入）' })
  @ApiCreatedResponse({ type: LectureRoomDto })
  room(@CurrentUser() principal: Principal, @Param('id') id: string): Promise<LectureRoomDto> {
    return this.qa.enter(principal, id);
  }
}
