import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { AnonymousSealService, QUEUES } from '@jiaxiao/common';
import { CoursesModule } from '@jiaxiao/courses';
import { FilesModule } from '@jiaxiao/files';
import { MessagingModule } from '@jiaxiao/messaging';
import { NotificationsModule } from '@jiaxiao/notifications';
import { ChairTrainingService } from './chair-training.service';
import { CommitteeMinutesService } from './committee-minutes.service';
import { CommitteeService } from './committee.service';
import { CommitteesAccess } from './committees.access';
import { CommitteesRepository } from './committees.repository';
import { ElectionReactor } from './election.reactor';
import { ElectionRepository } from './election.repository';
import { FundRepository } from './fund.repository';
import { ChairTrainingRepository } from './chair-training.repository';
import { ElectionService } from './election.service';
import { FundService } from './fund.service';
import { DirectoryModule } from '@jiaxiao/directory';

@Module({
  imports: [
    DirectoryModule,
    NotificationsModule,
    FilesModule,
    MessagingModule,
    CoursesModule,
    BullModule.registerQueue({ name: QUEUES.committees }),
  ],
  providers: [
    CommitteesRepository,
    ElectionRepository,
    FundRepository,
    ChairTrainingRepository,
    CommitteesAccess,
    CommitteeService,
    CommitteeMinutesService,
    ElectionService,
    ElectionReactor,
    FundService,
    ChairTrainingService,
    AnonymousSealService,
  ],
  exports: [CommitteeService, CommitteeMinutesService, ElectionService, FundService, ChairTrainingService],
})
export class CommitteesModule {}
