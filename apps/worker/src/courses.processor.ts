import { Processor, WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { JobHandlers, QUEUES } from '@jiaxiao/common';
import { LectureService, ReportService, WatchTimeService } from '@jiaxiao/courses';
import { dispatch } from './dispatch';

@Processor(QUEUES.courses, { concurrency: 2 })
export class CoursesProcessor extends WorkerHost {
  constructor(
    private readonly lectures: LectureService,
    private readonly watchTime: WatchTimeService,
    private readonly reports: ReportService,
  ) {
    super();
  }

  private readonly handlers: JobHandlers<'courses'> = {
    'lecture.remind': (payload) => this.lectures.remind(payload),
    'watch.flush': async () => {
      await this.watchTime.flush();
    },
    'report.export': (payload) => this.reports.buildExport(payload.exportId),
  };

  process(job: Job): Promise<void> {
    return dispatch(QUEUES.courses, this.handlers, job);
  }
}
