import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { enqueue, EventHandlers, QUEUES, ReactsToEvents } from '@jiaxiao/common';

/** Class groups follow the directory: a changed roster is synced, a promoted class's group moves with it (worker jobs). */
@Injectable()
@ReactsToEvents()
export class ClassGroupReactor implements ReactsToEvents {
  constructor(@InjectQueue(QUEUES.messaging) private readonly queue: Queue) {}

  eventHandlers(): EventHandlers {
    return {
      'roster.changed': async ({ classId }) => {
        // No job id: a sync reads the current roster and is idempotent, so a second one is only redundant,
        // while a deduplicated one could be swallowed by a sync already running with older data.
        await enqueue(this.queue, 'conversation.sync-class', { classId });
      },
      'class.promoted': async ({ fromClassId, toClassId }) => {
        await enqueue(this.queue, 'conversation.move-class', { fromClassId, toClassId }, { jobId: `move-class-${fromClassId}` });
      },
    };
  }
}
