import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { enqueue, EventHandlers, QUEUES, ReactsToEvents } from '@jiaxiao/common';

/**
 * A withdrawal is told to the children's class teachers and coordinators by the worker. The job id is
 * the event's, kept for a day after completion, so a repeated event does not tell them twice.
 */
@Injectable()
@ReactsToEvents()
export class ConsentReactor implements ReactsToEvents {
  constructor(@InjectQueue(QUEUES.notifications) private readonly queue: Queue) {}

  eventHandlers(): EventHandlers {
    return {
      'consent.withdrawn': async (payload, event) => {
        await enqueue(this.queue, 'consent.withdrawn', payload, { jobId: `consent-withdrawn-${event.id}` });
      },
    };
  }
}
