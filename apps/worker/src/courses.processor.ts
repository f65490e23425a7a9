import { Inject } from '@nestjs/common';
import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import type { Logger } from 'pino';
import { JobHandlers, QUEUES } from '@jiaxiao/common';
import { LectureRegistrationService, ReportService, WatchTimeService } from '@jiaxiao/courses';
import { LOGGER } from '@jiaxiao/platform';
import { dispatch } from './dispatch';

@Processor(QUEUES.courses, { concurrency: 2 })
export class CoursesProcessor extends WorkerHost {
  constructor(
    private readonly registrations: LectureRegistrationService,
    private readonly watchTime: WatchTimeService,
    private readonly reports: ReportService,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    super();
  }

  private readonly handlers: JobHandlers<'courses'> = {
    'lecture.remind': (payload) => this.registrations.remind(payload),
    'watch.flush': async () => {
      await this.watchTime.flush();
    },
    'report.export': (payload) => this.reports.buildExport(payload.exportId),
  };

  /** What to record when a job's last attempt has failed, so an export does not stay "running" for ever. */
  private readonly giveUp: JobHandlers<'courses'> = {
    'lecture.remind': async () => undefined,
    'watch.flush': async () => undefined,
    'report.export': (payload) => this.reports.abandonExport(payload.exportId),
  };

  process(job: Job): Promise<void> {
    return dispatch(QUEUES.courses, this.handlers, job);
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
