import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { enqueue, EventHandlers, QUEUES, ReactsToEvents } from '@jiaxiao/common';

/** A posted school notice is fanned out by the worker, and so is a reminder round; job ids are the notice's (and the round's), so a repeated event queues each once. */
@Injectable()
@ReactsToEvents()
export class SchoolNoticeReactor implements ReactsToEvents {
  constructor(@InjectQueue(QUEUES.notifications) private readonly queue: Queue) {}

  eventHandlers(): EventHandlers {
    return {
      'school-notice.posted': async ({ noticeId }) => {
        await enqueue(this.queue, 'school-notice.fanout', { noticeId, round: 0 }, { jobId: `school-notice-${noticeId}` });
      },
      'school-notice.reminder-requested': async ({ noticeId, round }) => {
        await enqueue(this.queue, 'school-notice.fanout', { noticeId, round }, { jobId: `school-notice-remind-${noticeId}-${round}` });
      },
    };
  }
}
