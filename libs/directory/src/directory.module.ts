import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { PasswordService, QUEUES } from '@jiaxiao/common';
import { ClassGroupTrigger } from './class-group.trigger';
import { ClassRepository } from './class.repository';
import { DirectoryRepository } from './directory.repository';
import { PrincipalPlacesRepository } from './principal-places.repository';
import { DirectoryService } from './directory.service';
import { JoinRepository } from './joining/join.repository';
import { JoinService } from './joining/join.service';
import { RosterImportReactor } from './roster/roster-import.reactor';
import { RosterImportService } from './roster/roster-import.service';
import { RosterRepository } from './roster/roster.repository';
import { SchoolSetupRepository } from './school-setup/school-setup.repository';
import { SchoolSetupService } from './school-setup/school-setup.service';
import { SchoolService } from './school.service';
import { StaffService } from './staff.service';
import { StudentRepository } from './student.repository';
import { UserRepository } from './user.repository';

@Module({
  imports: [BullModule.registerQueue({ name: QUEUES.imports })],
  providers: [
    DirectoryRepository,
    PrincipalPlacesRepository,
    ClassRepository,
    StudentRepository,
    UserRepository,
    DirectoryService,
    SchoolService,
    StaffService,
    RosterRepository,
    RosterImportService,
    RosterImportReactor,
    PasswordService,
    ClassGroupTrigger,
    JoinRepository,
    JoinService,
    SchoolSetupRepository,
    SchoolSetupService,
  ],
  exports: [
    DirectoryRepository,
    PrincipalPlacesRepository,
    ClassRepository,
    StudentRepository,
    UserRepository,
    DirectoryService,
    SchoolService,
    StaffService,
    RosterImportService,
    SchoolSetupService,
    JoinService,
    JoinRepository,
  ],
})
export class DirectoryModule {}
