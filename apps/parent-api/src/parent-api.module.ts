import { DynamicModule, Module } from '@nestjs/common';
import { AuthModule, IdentitiesModule } from '@jiaxiao/auth';
import { ChannelsModule, DevOutboxService, WechatModule } from '@jiaxiao/channels';
import { CampaignRecordsController, CampaignsModule } from '@jiaxiao/campaigns';
import { CommitteeRecordsController, CommitteesModule } from '@jiaxiao/committees';
import { CoursesModule, LectureRecordsController } from '@jiaxiao/courses';
import { DirectoryModule } from '@jiaxiao/directory';
import { FilesModule } from '@jiaxiao/files';
import { MailboxModule } from '@jiaxiao/mailbox';
import { MessagingModule } from '@jiaxiao/messaging';
import { ModelSchoolsModule } from '@jiaxiao/model-schools';
import { Infrastructure, PlatformModule } from '@jiaxiao/platform';
import { CampaignsController } from './campaigns.controller';
import { CommitteesController } from './committees.controller';
import { ConversationsController } from './conversations.controller';
import { DevOutboxController } from './dev-outbox.controller';
import { FamilyController } from './family.controller';
import { FilesController } from './files.controller';
import { LectureMaterialsController } from './lecture-materials.controller';
import { CounsellingController } from './counselling.controller';
import { PublicController } from './public.controller';
import { LecturesController } from './lectures.controller';
import { MailboxController } from './mailbox.controller';
import { MessagesController } from './messages.controller';
import { NotificationsController } from './notifications.controller';
import { MeController } from './me.controller';
import { ModelSchoolsController } from './model-schools.controller';
import { SchoolNoticesController } from './school-notices.controller';
import { WechatAuthController } from './wechat-auth.controller';
import { WechatJsSdkController } from './wechat-js-sdk.controller';

/** REST for parents and teachers: mobile, H5 and mini-program clients. */
import { JoinController } from './join.controller';
@Module({})
export class ParentApiModule {
  static forRoot(infra: Infrastructure): DynamicModule {
    return {
      module: ParentApiModule,
      imports: [
        PlatformModule.forRoot({ app: 'parent-api', infra, http: true }),
        AuthModule.forRoot({ audience: 'parent', http: true }),
        DirectoryModule,
        FilesModule,
        MessagingModule,
        CoursesModule,
        CommitteesModule,
        CampaignsModule,
        ModelSchoolsModule,
        MailboxModule,
        ChannelsModule,
        IdentitiesModule,
        WechatModule,
      ],
      controllers: [
        JoinController,
        MeController,
        FamilyController,
        ConversationsController,
        MessagesController,
        FilesController,
        NotificationsController,
        LecturesController,
        LectureRecordsController,
        LectureMaterialsController,
        CounsellingController,
        CommitteesController,
        CommitteeRecordsController,
        ModelSchoolsController,
        CampaignsController,
        CampaignRecordsController,
        MailboxController,
        WechatAuthController,
        WechatJsSdkController,
        SchoolNoticesController,
        PublicController,
        // The development outbox exists only where it cannot leak a real code (CONTRACT: 404 in production).
        ...(DevOutboxService.enabled(infra.config) ? [DevOutboxController] : []),
      ],
    };
  }
}
