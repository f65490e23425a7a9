import { Processor, WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { JobHandlers, QUEUES } from '@jiaxiao/common';
import { MailboxService } from '@jiaxiao/mailbox';
import { dispatch } from './dispatch';

@Processor(QUEUES.mailbox)
export class MailboxProcessor extends WorkerHost {
  constructor(private readonly mailbox: MailboxService) {
    super();
  }

  private readonly handlers: JobHandlers<'mailbox'> = {
    'mailbox.escalate': async () => {
      await this.mailbox.escalateDue();
    },
  };

  process(job: Job): Promise<void> {
    return dispatch(QUEUES.mailbox, this.handlers, job);
  }
}
