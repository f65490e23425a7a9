import { Processor, WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { JobHandlers, QUEUES } from '@jiaxiao/common';
import { RosterImportService } from '@jiaxiao/directory';

@Processor(QUEUES.imports, { concurrency: 2 })
export class ImportsProcessor extends WorkerHost {
  constructor(private readonly rosters: RosterImportService) {
    super();
  }

  /** Every job of this queue has a handler here; the compiler checks none is missing. */
  private readonly handlers: JobHandlers<'imports'> = {
    'roster.import': (payload) => this.rosters.run(payload.importId),
  };

  async process(job: Job): Promise<void> {
    const handler = this.handlers[job.name as keyof typeof this.handlers];
    if (!handler) throw new Error(`no handler for job ${job.name} on queue ${QUEUES.imports}`);
    await handler(job.data);
  }
}
