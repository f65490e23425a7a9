import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { enqueue, QUEUES } from '@jiaxiao/common';

/**
 * Tells messaging that a class's roster or teachers changed, so its class group follows.
 * A job rather than a call: messaging sits above the directory, and the worker does the sync.
 */
@Injectable()
export class ClassGroupTrigger {
  constructor(@InjectQueue(QUEUES.messaging) private readonly queue: Queue) {}

  async classChanged(classId: string): Promise<void> {
    // No job id: a sync reads the current roster and is idempotent, so a second one is only redundant,
    // while a deduplicated one could be swallowed by a sync already running with older data.
    await enqueue(this.queue, 'conversation.sync-class', { classId });
  }

  /** A class moved up into the next school year (升级): its group goes with it, then follows the new class's roster. */
  async classMoved(fromClassId: string, toClassId: string): Promise<void> {
    await enqueue(this.queue, 'conversation.move-class', { fromClassId, toClassId }, { jobId: `move-class-${fromClassId}` });
  }
}
