import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Principal } from '@jiaxiao/common';
import { AccountSetup, CurrentUser } from '@jiaxiao/auth';
import { ChildDto, DirectoryService, MeDto } from '@jiaxiao/directory';

@ApiTags('me')
@ApiBearerAuth()
@Controller('me')
export class MeController {
  constructor(private readonly directory: DirectoryService) {}

  @Get()
  @AccountSetup()
  @ApiOperation({ summary: '当前用户：角色、范围（学校、班级、区县）和孩子' })
  @ApiOkResponse({ type: MeDto })
  me(@CurrentUser() principal: Principal): Promise<MeDto> {
    return this.directory.me(principal);
  }

  @Get('children')
  @ApiOperation({ summary: '我的孩子及其学校、班级' })
  @ApiOkResponse({ type: [ChildDto] })
  children(@CurrentUser() principal: Principal): Promise<ChildDto[]> {
    return this.directory.children(principal);
  }
}
