import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import type { Logger } from 'pino';
import { QUEUES } from '@jiaxiao/common';
import { LOGGER } from '@jiaxiao/platform';
import { CHANNEL_PROVIDERS, ChannelProvider } from './channels/channel.provider';
import { LoggingChannelProvider } from './channels/logging.provider';
import { NotificationsRepository } from './notifications.repository';
import { NotificationsService } from './notifications.service';
import { RealtimePublisher } from './realtime.publisher';

@Module({
  imports: [BullModule.registerQueue({ name: QUEUES.notifications })],
  providers: [
    NotificationsRepository,
    NotificationsService,
    RealtimePublisher,
    {
      // WeChat subscribe messages and SMS: logging providers until vendor credentials are configured.
      provide: CHANNEL_PROVIDERS,
      inject: [LOGGER],
      useFactory: (logger: Logger): ChannelProvider[] => [new LoggingChannelProvider('wechat', logger), new LoggingChannelProvider('sms', logger)],
    },
  ],
  exports: [NotificationsService, RealtimePublisher],
})
export class NotificationsModule {}
