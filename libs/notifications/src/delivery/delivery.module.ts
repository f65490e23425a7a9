import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { IdentitiesModule } from '@jiaxiao/auth';
import { ChannelsModule, WechatModule } from '@jiaxiao/channels';
import { QUEUES } from '@jiaxiao/common';
import { NotificationsModule } from '../notifications.module';
import { DeliveryRepository } from './delivery.repository';
import { DeliveryRouter } from './delivery-router.service';
import { SmsBudgetService } from './sms-budget.service';

/** The delivery router (worker) and the SMS budgets (worker, admin-api). Needs AuthModule.forRoot in the app. */
@Module({
  imports: [NotificationsModule, IdentitiesModule, WechatModule, ChannelsModule, BullModule.registerQueue({ name: QUEUES.notifications })],
  providers: [DeliveryRepository, DeliveryRouter, SmsBudgetService],
  exports: [DeliveryRouter, SmsBudgetService],
})
export class DeliveryModule {}
