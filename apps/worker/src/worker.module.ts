import { DynamicModule, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { AuthModule } from '@jiaxiao/auth';
import { ChannelsModule } from '@jiaxiao/channels';
import { CommitteesModule } from '@jiaxiao/committees';
import { CoursesModule } from '@jiaxiao/courses';
import { DirectoryModule } from '@jiaxiao/directory';
import { MailboxModule } from '@jiaxiao/mailbox';
import { MessagingModule } from '@jiaxiao/messaging';
import { ModelSchoolsModule } from '@jiaxiao/model-schools';
import { DeliveryModule } from '@jiaxiao/notifications';
import { Infrastructure, PlatformModule } from '@jiaxiao/platform';
import { CommitteesProcessor } from './committees.processor';
import { CoursesProcessor } from './courses.processor';
import { DeliveryProcessor } from './delivery.processor';
import { ImportsProcessor } from './imports.processor';
import { JobMetrics } from './job-metrics';
import { MailboxProcessor } from './mailbox.processor';
import { MessagingProcessor } from './messaging.processor';
import { MetricsServer } from './metrics-server';
import { ModelSchoolsProcessor } from './model-schools.processor';
import { OutboxRelay } from './outbox-relay';
import { NotificationsProcessor } from './notifications.processor';

/** BullMQ processors in an application context; no API, only the metrics and health listener. */
@Module({})
export class WorkerModule {
  static forRoot(infra: Infrastructure): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        PlatformModule.forRoot({ app: 'worker', infra, http: false }),
        AuthModule.forRoot({ audience: 'parent', http: false }),
        DirectoryModule,
        MessagingModule,
        CoursesModule,
        CommitteesModule,
        ModelSchoolsModule,
        MailboxModule,
        ChannelsModule,
        DeliveryModule,
        DiscoveryModule,
      ],
      providers: [
        ImportsProcessor,
        NotificationsProcessor,
        MessagingProcessor,
        CoursesProcessor,
        CommitteesProcessor,
        MailboxProcessor,
        ModelSchoolsProcessor,
        DeliveryProcessor,
        JobMetrics,
        MetricsServer,
        OutboxRelay,
      ],
    };
  }
}
