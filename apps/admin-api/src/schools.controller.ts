import { Body, Controller, Get, Ip, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiForbiddenResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Page, Principal } from '@jiaxiao/common';
import { Authorize, CurrentUser } from '@jiaxiao/auth';
import {
  AppointDistrictAdminDto,
  AppointmentDto,
  ClassDto,
  ClassListQueryDto,
  ClassPageDto,
  ClassSummaryDto,
  CreateClassDto,
  CreateSchoolDto,
  CreateSchoolYearDto,
  DirectoryService,
  DistrictDto,
  ListSchoolsQueryDto,
  SchoolDto,
  SchoolPageDto,
  SchoolService,
  SchoolYearDto,
  SchoolYearQueryDto,
  StaffService,
} from '@jiaxiao/directory';

@ApiTags('directory')
@ApiBearerAuth()
@ApiForbiddenResponse({ description: 'FORBIDDEN: outside the caller’s school, district or city' })
@Controller()
export class SchoolsController {
  constructor(
    private readonly directory: DirectoryService,
    private readonly schoolService: SchoolService,
    private readonly staffService: StaffService,
  ) {}

  @Get('districts')
  @ApiOperation({ summary: '区县（调用者范围内）' })
  @ApiOkResponse({ type: [DistrictDto] })
  districts(@CurrentUser() principal: Principal): Promise<DistrictDto[]> {
    return this.schoolService.districts(principal);
  }

  @Post('districts/:id/schools')
  @Authorize('manage', 'district')
  @ApiOperation({ summary: '新建学校（区县或市教育局）' })
  @ApiCreatedResponse({ type: SchoolDto })
  createSchool(@CurrentUser() principal: Principal, @Param('id') districtId: string, @Body() body: CreateSchoolDto): Promise<SchoolDto> {
    return this.schoolService.createSchool(principal, districtId, body);
  }

  @Post('districts/:id/admins')
  @Authorize('manage', 'district')
  @ApiOperation({ summary: '任命区县教育局管理员（仅市教育局）' })
  @ApiCreatedResponse({ type: AppointmentDto })
  appointDistrictAdmin(
    @CurrentUser() principal: Principal,
    @Param('id') districtId: string,
    @Body() body: AppointDistrictAdminDto,
    @Ip() ip: string,
  ): Promise<AppointmentDto> {
    return this.staffService.appointDistrictAdmin(principal, districtId, body, ip);
  }

  @Get('schools')
  @ApiOperation({ summary: '学校列表（调用者范围内，按名称分页）' })
  @ApiOkResponse({ type: SchoolPageDto })
  schools(@CurrentUser() principal: Principal, @Query() query: ListSchoolsQueryDto): Promise<Page<SchoolDto>> {
    return this.schoolService.schools(principal, query);
  }

  @Get('schools/:id')
  @ApiOperation({ summary: '学校详情' })
  @Authorize('staff', 'school')
  @ApiOkResponse({ type: SchoolDto })
  school(@Param('id') id: string): Promise<SchoolDto> {
    return this.schoolService.school(id);
  }

  @Get('schools/:id/classes')
  @Authorize('staff', 'school')
  @ApiOperation({ summary: '学校某学年的班级（教师只看到自己任教的班级）' })
  @ApiOkResponse({ type: [ClassSummaryDto] })
  classes(@CurrentUser() principal: Principal, @Param('id') id: string, @Query() query: SchoolYearQueryDto): Promise<ClassSummaryDto[]> {
    return this.directory.classes(principal, id, query.schoolYear);
  }

  @Get('schools/:id/class-list')
  @Authorize('staff', 'school')
  @ApiOperation({ summary: '学校班级列表（一页，带总数）：按年级、名称、人数排序，按名称或年级筛选（教师只看到自己任教的班级）' })
  @ApiOkResponse({ type: ClassPageDto })
  classPage(@CurrentUser() principal: Principal, @Param('id') id: string, @Query() query: ClassListQueryDto): Promise<ClassPageDto> {
    return this.directory.classPage(principal, id, query);
  }

  @Post('schools/:id/classes')
  @Authorize('manage', 'school')
  @ApiOperation({ summary: '新建班级' })
  @ApiCreatedResponse({ type: ClassDto })
  createClass(@CurrentUser() principal: Principal, @Param('id') id: string, @Body() body: CreateClassDto): Promise<ClassDto> {
    return this.directory.createClass(principal, id, body);
  }

  @Get('school-years')
  @ApiOperation({ summary: '学年（9 月 1 日至次年 8 月 31 日）' })
  @ApiOkResponse({ type: [SchoolYearDto] })
  schoolYears(): Promise<SchoolYearDto[]> {
    return this.schoolService.schoolYears();
  }

  @Post('school-years')
  @ApiOperation({ summary: '新建学年（仅市教育局）' })
  @ApiCreatedResponse({ type: SchoolYearDto })
  createSchoolYear(@CurrentUser() principal: Principal, @Body() body: CreateSchoolYearDto): Promise<SchoolYearDto> {
    return this.schoolService.createSchoolYear(principal, body);
  }
}
