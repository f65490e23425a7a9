import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { AppConfig, QUEUES } from '@jiaxiao/common';
import { NotificationsModule } from '@jiaxiao/notifications';
import { ClassNoticeRepository } from './class-notices/class-notice.repository';
import { ClassNoticeService } from './class-notices/class-notice.service';
import { ConversationService } from './conversation.service';
import { FileAccessRegistry } from './file-access.registry';
import { FileRepository } from './file.repository';
import { LectureRoomService } from './lecture-room.service';
import { MessageRepository } from './message.repository';
import { MessageService } from './message.service';
import { MessagingAccess } from './messaging.access';
import { MessagingRepository } from './messaging.repository';
import { FILE_STORAGE, FileStorage, LocalDiskStorage } from './storage/file-storage';
import { S3Storage } from './storage/s3-storage';
import { SchoolNoticeAccess } from './school-notices/school-notice.access';
import { SchoolNoticeRepository } from './school-notices/school-notice.repository';
import { SchoolNoticeReactor } from './school-notices/school-notice.reactor';
import { SchoolNoticeService } from './school-notices/school-notice.service';
import { UnconfirmedNoticeRepository } from './unconfirmed/unconfirmed.repository';
import { UnconfirmedNoticeService } from './unconfirmed/unconfirmed.service';
import { UploadService } from './upload.service';

@Module({
  imports: [NotificationsModule, BullModule.registerQueue({ name: QUEUES.notifications })],
  providers: [
    MessagingRepository,
    MessageRepository,
    FileRepository,
    ClassNoticeRepository,
    ConversationService,
    MessageService,
    ClassNoticeService,
    UploadService,
    FileAccessRegistry,
    LectureRoomService,
    MessagingAccess,
    SchoolNoticeRepository,
    SchoolNoticeAccess,
    SchoolNoticeService,
    SchoolNoticeReactor,
    UnconfirmedNoticeRepository,
    UnconfirmedNoticeService,
    {
      provide: FILE_STORAGE,
      inject: [AppConfig],
      useFactory: (config: AppConfig): FileStorage =>
        config.S3_ENDPOINT && config.S3_BUCKET && config.S3_ACCESS_KEY_ID && config.S3_SECRET_ACCESS_KEY
          ? new S3Storage({
              endpoint: config.S3_ENDPOINT,
              bucket: config.S3_BUCKET,
              region: config.S3_REGION,
              accessKeyId: config.S3_ACCESS_KEY_ID,
              secretAccessKey: config.S3_SECRET_ACCESS_KEY,
              sessionToken: config.S3_SESSION_TOKEN,
              forcePathStyle: config.S3_FORCE_PATH_STYLE,
              timeoutMs: config.S3_TIMEOUT_MS,
              maxAttempts: config.S3_MAX_ATTEMPTS,
              presignSeconds: config.S3_PRESIGN_SECONDS,
            })
          : new LocalDiskStorage(config.DATA_DIR),
    },
  ],
  exports: [ConversationService, MessageService, ClassNoticeService, SchoolNoticeService, UnconfirmedNoticeService, UploadService, FileAccessRegistry, LectureRoomService, NotificationsModule],
})
export class MessagingModule {}
