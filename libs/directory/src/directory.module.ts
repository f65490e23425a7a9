import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { PasswordService, QUEUES } from '@jiaxiao/common';
import { ClassGroupTrigger } from './class-group.trigger';
import { DirectoryRepository } from './directory.repository';
import { DirectoryService } from './directory.service';
import { JoinRepository } from './joining/join.repository';
import { JoinService } from './joining/join.service';
import { RosterImportService } from './roster/roster-import.service';
import { RosterRepository } from './roster/roster.repository';

@Module({
  imports: [BullModule.registerQueue({ name: QUEUES.imports }, { name: QUEUES.messaging })],
  providers: [DirectoryRepository, DirectoryService, RosterRepository, RosterImportService, PasswordService, ClassGroupTrigger, JoinRepository, JoinService],
  exports: [DirectoryRepository, DirectoryService, RosterImportService, JoinService, JoinRepository],
})
export class DirectoryModule {}
