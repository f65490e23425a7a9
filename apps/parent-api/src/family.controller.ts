import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Principal } from '@jiaxiao/common';
import { Authorize, CurrentUser } from '@jiaxiao/auth';
import { ClassDto, DirectoryService, StudentDto } from '@jiaxiao/directory';

@ApiTags('family')
@ApiBearerAuth()
@ApiForbiddenResponse({ description: 'FORBIDDEN: not your child or your child’s class' })
@ApiNotFoundResponse()
@Controller()
export class FamilyController {
  constructor(private readonly directory: DirectoryService) {}

  @Get('students/:id')
  @Authorize('read', 'student')
  @ApiOperation({ summary: '孩子的信息（仅限自己的孩子，或所在学校的老师）' })
  @ApiOkResponse({ type: StudentDto })
  student(@CurrentUser() principal: Principal, @Param('id') id: string): Promise<StudentDto> {
    return this.directory.student(principal, id);
  }

  @Get('classes/:id')
  @Authorize('read', 'class')
  @ApiOperation({ summary: '班级信息与任课老师（仅限孩子所在班级）' })
  @ApiOkResponse({ type: ClassDto })
  classInfo(@Param('id') id: string): Promise<ClassDto> {
    return this.directory.classInfo(id);
  }
}
