import { Inject } from '@nestjs/common';
import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import type { Logger } from 'pino';
import { JobHandlers, QUEUES } from '@jiaxiao/common';
import { RosterImportService } from '@jiaxiao/directory';
import { LOGGER } from '@jiaxiao/platform';
import { dispatch } from './dispatch';

@Processor(QUEUES.imports, { concurrency: 2 })
export class ImportsProcessor extends WorkerHost {
  constructor(
    private readonly rosters: RosterImportService,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    super();
  }

  /** Every job of this queue has a handler here; the compiler checks none is missing. */
  private readonly handlers: JobHandlers<'imports'> = {
    'roster.import': (payload) => this.rosters.run(payload.importId),
  };

  /** What to record when a job's last attempt has failed, so its state does not stay "running". */
  private readonly giveUp: JobHandlers<'imports'> = {
    'roster.import': (payload) => this.rosters.abandon(payload.importId),
  };

  process(job: Job): Promise<void> {
    return dispatch(QUEUES.imports, this.handlers, job);
  }

  /** BullMQ emits this after every failed attempt; the job is retried until attemptsMade reaches attempts. */
  @OnWorkerEvent('failed')
  async onFailed(job: Job | undefined, error: Error): Promise<void> {
    const final = !!job && job.attemptsMade >= (job.opts.attempts ?? 1);
    this.logger.error({ err: error, jobId: job?.id, job: job?.name, attempt: job?.attemptsMade, final }, 'job failed');
    const giveUp = job && final ? this.giveUp[job.name as keyof typeof this.giveUp] : undefined;
    // An event listener's rejection would be unhandled: report it here instead.
    await giveUp?.(job?.data).catch((e: unknown) => this.logger.error({ err: e, jobId: job?.id }, 'could not record the failed job'));
  }
}
