import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { enqueue, EventHandlers, QUEUES, ReactsToEvents } from '@jiaxiao/common';

/** A requested report export is built by the worker; the job id is the export's, so a repeated event queues it once. */
@Injectable()
@ReactsToEvents()
export class ReportExportReactor implements ReactsToEvents {
  constructor(@InjectQueue(QUEUES.courses) private readonly queue: Queue) {}

  eventHandlers(): EventHandlers {
    return {
      'report-export.requested': async ({ exportId }) => {
        await enqueue(this.queue, 'report.export', { exportId }, { jobId: `export-${exportId}` });
      },
    };
  }
}
