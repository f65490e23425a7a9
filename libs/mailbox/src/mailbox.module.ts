import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { QUEUES } from '@jiaxiao/common';
import { NotificationsModule } from '@jiaxiao/notifications';
import { MailboxAccess } from './mailbox.access';
import { MailboxRepository } from './mailbox.repository';
import { MailboxService } from './mailbox.service';

@Module({
  imports: [NotificationsModule, BullModule.registerQueue({ name: QUEUES.mailbox })],
  providers: [MailboxRepository, MailboxAccess, MailboxService],
  exports: [MailboxService],
})
export class MailboxModule {}
