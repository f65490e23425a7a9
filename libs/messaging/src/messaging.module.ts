import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { QUEUES } from '@jiaxiao/common';
import { FilesModule } from '@jiaxiao/files';
import { NotificationsModule } from '@jiaxiao/notifications';
import { ClassGroupReactor } from './class-group.reactor';
import { ClassNoticeReactor } from './class-notices/class-notice.reactor';
import { ClassNoticeRepository } from './class-notices/class-notice.repository';
import { ClassNoticeService } from './class-notices/class-notice.service';
import { ConversationService } from './conversation.service';
import { GroupRosters } from './group-rosters';
import { LectureRoomService } from './lecture-room.service';
import { SendBatchRepository } from './send-batch.repository';
import { SendBatcher } from './send-batcher';
import { MessageFileRepository } from './message-file.repository';
import { MessagePartitionsService } from './message-partitions.service';
import { MessageRepository } from './message.repository';
import { MessageService } from './message.service';
import { MessagingAccess } from './messaging.access';
import { MessagingRepository } from './messaging.repository';
import { RosteredGroupReactor } from './rostered-group.reactor';
import { SchoolNoticeAccess } from './school-notices/school-notice.access';
import { SchoolNoticeRepository } from './school-notices/school-notice.repository';
import { SchoolNoticeReactor } from './school-notices/school-notice.reactor';
import { SchoolNoticeService } from './school-notices/school-notice.service';
import { UnconfirmedNoticeRepository } from './unconfirmed/unconfirmed.repository';
import { UnconfirmedNoticeService } from './unconfirmed/unconfirmed.service';

@Module({
  imports: [NotificationsModule, FilesModule, BullModule.registerQueue({ name: QUEUES.notifications }, { name: QUEUES.messaging })],
  providers: [
    MessagingRepository,
    MessageRepository,
    SendBatchRepository,
    SendBatcher,
    MessageFileRepository,
    ClassNoticeRepository,
    ConversationService,
    MessageService,
    MessagePartitionsService,
    ClassNoticeService,
    ClassNoticeReactor,
    ClassGroupReactor,
    GroupRosters,
    RosteredGroupReactor,
    LectureRoomService,
    MessagingAccess,
    SchoolNoticeRepository,
    SchoolNoticeAccess,
    SchoolNoticeService,
    SchoolNoticeReactor,
    UnconfirmedNoticeRepository,
    UnconfirmedNoticeService,
  ],
  exports: [
    ConversationService,
    MessageService,
    ClassNoticeService,
    MessagePartitionsService,
    SchoolNoticeService,
    UnconfirmedNoticeService,
    LectureRoomService,
    GroupRosters,
    NotificationsModule,
  ],
})
export class MessagingModule {}
