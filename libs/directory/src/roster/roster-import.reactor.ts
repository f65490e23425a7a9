import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { enqueue, EventHandlers, QUEUES, ReactsToEvents } from '@jiaxiao/common';

/** An uploaded roster is imported by the worker. The import id is the job id: a repeated event cannot run the same import twice. */
@Injectable()
@ReactsToEvents()
export class RosterImportReactor implements ReactsToEvents {
  constructor(@InjectQueue(QUEUES.imports) private readonly queue: Queue) {}

  eventHandlers(): EventHandlers {
    return {
      'roster-import.uploaded': async ({ importId }) => {
        await enqueue(this.queue, 'roster.import', { importId }, { jobId: importId });
      },
    };
  }
}
