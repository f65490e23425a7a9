import { Processor, WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { SmsDeliveryService } from '@jiaxiao/channels';
import { JobHandlers, QUEUES } from '@jiaxiao/common';
import { dispatch } from './dispatch';

@Processor(QUEUES.delivery, { concurrency: 8 })
export class DeliveryProcessor extends WorkerHost {
  constructor(private readonly sms: SmsDeliveryService) {
    super();
  }

  private readonly handlers: JobHandlers<'delivery'> = {
    'sms.send': (payload) => this.sms.send(payload),
  };

  process(job: Job): Promise<void> {
    return dispatch(QUEUES.delivery, this.handlers, job);
  }
}
