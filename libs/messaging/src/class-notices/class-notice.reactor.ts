import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { AppConfig, enqueue, EventHandlers, QUEUES, ReactsToEvents } from '@jiaxiao/common';

/**
 * A sent class notice is fanned out by the worker, and one that asks for 回执 is escalated by SMS
 * NOTICE_SMS_AFTER_HOURS after the event is handed on (at once after the commit; after a crash,
 * when the relay finds it); 提醒未确认 is a fan-out round of its own. Job ids are the notice's (and the
 * round's), so a repeated event queues each once.
 */
@Injectable()
@ReactsToEvents()
export class ClassNoticeReactor implements ReactsToEvents {
  constructor(
    @InjectQueue(QUEUES.notifications) private readonly queue: Queue,
    private readonly config: AppConfig,
  ) {}

  eventHandlers(): EventHandlers {
    return {
      'class-notice.posted': async ({ messageId, needsAck }) => {
        await enqueue(this.queue, 'notice.fanout', { messageId, round: 0 }, { jobId: `notice-${messageId}` });
        if (needsAck)
          await enqueue(
            this.queue,
            'notice.escalate',
            { messageId },
            { jobId: `escalate-${messageId}`, delay: this.config.NOTICE_SMS_AFTER_HOURS * 3_600_000 },
          );
      },
      'class-notice.reminder-requested': async ({ messageId, round }) => {
        await enqueue(this.queue, 'notice.fanout', { messageId, round }, { jobId: `remind-${messageId}-${round}` });
      },
    };
  }
}
