import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { enqueue, EventHandlers, QUEUES, ReactsToEvents } from '@jiaxiao/common';

/**
 * A committee's group follows its members, a lecture's Q&A room its organiser and registrants
 * (worker jobs that read the roster afresh, GroupRosters). No job id, as for a class group: a sync
 * is idempotent, so a repeated event only syncs again, while a deduplicated job could be swallowed
 * by one already running with older data.
 */
@Injectable()
@ReactsToEvents()
export class RosteredGroupReactor implements ReactsToEvents {
  constructor(@InjectQueue(QUEUES.messaging) private readonly queue: Queue) {}

  eventHandlers(): EventHandlers {
    return {
      'committee.members-changed': async ({ committeeId }) => {
        await enqueue(this.queue, 'conversation.sync-committee', { committeeId });
      },
      'lecture.published': async ({ lectureId }) => {
        await enqueue(this.queue, 'conversation.sync-lecture-room', { lectureId });
      },
      'registration.made': async ({ lectureId }) => {
        await enqueue(this.queue, 'conversation.sync-lecture-room', { lectureId });
      },
    };
  }
}
