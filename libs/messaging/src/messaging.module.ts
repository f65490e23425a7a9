import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { QUEUES } from '@jiaxiao/common';
import { FilesModule } from '@jiaxiao/files';
import { NotificationsModule } from '@jiaxiao/notifications';
import { ConversationService } from './conversation.service';
import { LectureRoomService } from './lecture-room.service';
import { MessagePartitionsService } from './message-partitions.service';
import { MessageService } from './message.service';
import { MessagingAccess } from './messaging.access';
import { MessagingRepository } from './messaging.repository';
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
    ConversationService,
    MessageService,
    MessagePartitionsService,
    LectureRoomService,
    MessagingAccess,
    SchoolNoticeRepository,
    SchoolNoticeAccess,
    SchoolNoticeService,
    SchoolNoticeReactor,
    UnconfirmedNoticeRepository,
    UnconfirmedNoticeService,
  ],
  exports: [ConversationService, MessageService, MessagePartitionsService, SchoolNoticeService, UnconfirmedNoticeService, LectureRoomService, NotificationsModule],
})
export class MessagingModule {}
