import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { QUEUES } from '@jiaxiao/common';
import { NotificationsRepository } from './notifications.repository';
import { NotificationsService } from './notifications.service';
import { RealtimePublisher } from './realtime.publisher';

@Module({
  imports: [BullModule.registerQueue({ name: QUEUES.notifications })],
  providers: [NotificationsRepository, NotificationsService, RealtimePublisher],
  exports: [NotificationsService, NotificationsRepository, RealtimePublisher],
})
export class NotificationsModule {}
