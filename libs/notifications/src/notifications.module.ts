import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { QUEUES } from '@jiaxiao/common';
import { DirectoryModule } from '@jiaxiao/directory';
import { ConsentWithdrawnNotifier } from './consent-withdrawn.notifier';
import { NotificationsRepository } from './notifications.repository';
import { NotificationsService } from './notifications.service';
import { PushBatcher } from './push-batcher';
import { RealtimePublisher } from './realtime.publisher';

@Module({
  imports: [BullModule.registerQueue({ name: QUEUES.notifications }), DirectoryModule],
  providers: [NotificationsRepository, NotificationsService, PushBatcher, RealtimePublisher, ConsentWithdrawnNotifier],
  exports: [NotificationsService, NotificationsRepository, PushBatcher, RealtimePublisher, ConsentWithdrawnNotifier],
})
export class NotificationsModule {}
