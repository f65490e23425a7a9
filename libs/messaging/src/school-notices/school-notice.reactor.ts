import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { EventHandlers, JobPayloads, QUEUES, ReactsToEvents } from '@jiaxiao/common';
import { SCHOOL_NOTICE_JOB_OPTIONS } from './school-notice.service';

/** A posted school notice is fanned out by the worker; the job id is the notice's, so a repeated event queues it once. */
@Injectable()
@ReactsToEvents()
export class SchoolNoticeReactor implements ReactsToEvents {
  constructor(@InjectQueue(QUEUES.notifications) private readonly queue: Queue) {}

  eventHandlers(): EventHandlers {
    return {
      'school-notice.posted': async ({ noticeId }) => {
        const payload: JobPayloads['school-notice.fanout'] = { noticeId, round: 0 };
        await this.queue.add('school-notice.fanout', payload, { jobId: `school-notice-${noticeId}`, ...SCHOOL_NOTICE_JOB_OPTIONS });
      },
    };
  }
}
