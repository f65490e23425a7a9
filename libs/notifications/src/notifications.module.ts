import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { QUEUES } from '@jiaxiao/common';
import { DirectoryModule } from '@jiaxiao/directory';
import { ConsentWithdrawnNotifier } from './consent-withdrawn.notifier';
import { NotificationsRepository } from './notifications.repository';
import { NotificationsService } from './notifications.service';
import { PushBatcher } from './push-batcher';
import { RealtimePublisher } from './realtime.publisher';
import { UnpushedSweep } from './unpushed-sweep';

@Module({
  imports: [BullModule.registerQueue({ name: QUEUES.notifications }), DirectoryModule],
  providers: [NotificationsRepository, NotificationsService, PushBatcher, RealtimePublisher, ConsentWithdrawnNotifier, UnpushedSweep],
  exports: [NotificationsService, NotificationsRepository, PushBatcher, RealtimePublisher, ConsentWithdrawnNotifier, UnpushedSweep],
})
export class NotificationsModule {}
