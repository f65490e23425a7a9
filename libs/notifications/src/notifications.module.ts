import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import type { Logger } from 'pino';
import { QUEUES } from '@jiaxiao/common';
import { DirectoryModule } from '@jiaxiao/directory';
import { LOGGER } from '@jiaxiao/platform';
import { CHANNEL_PROVIDERS, ChannelProvider } from './channels/channel.provider';
import { LoggingChannelProvider } from './channels/logging.provider';
import { ConsentWithdrawnNotifier } from './consent-withdrawn.notifier';
import { NotificationsRepository } from './notifications.repository';
import { NotificationsService } from './notifications.service';
import { RealtimePublisher } from './realtime.publisher';

@Module({
  imports: [BullModule.registerQueue({ name: QUEUES.notifications }), DirectoryModule],
  providers: [
    NotificationsRepository,
    NotificationsService,
    RealtimePublisher,
    ConsentWithdrawnNotifier,
    {
      // WeChat subscribe messages and SMS: logging providers until vendor credentials are configured.
      provide: CHANNEL_PROVIDERS,
      inject: [LOGGER],
      useFactory: (logger: Logger): ChannelProvider[] => [new LoggingChannelProvider('wechat', logger), new LoggingChannelProvider('sms', logger)],
    },
  ],
  exports: [NotificationsService, RealtimePublisher, ConsentWithdrawnNotifier],
})
export class NotificationsModule {}
