import { Processor, WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { JobHandlers, QUEUES } from '@jiaxiao/common';
import { MetricFactsService } from '@jiaxiao/model-schools';
import { dispatch } from './dispatch';

@Processor(QUEUES.modelSchools)
export class ModelSchoolsProcessor extends WorkerHost {
  constructor(private readonly facts: MetricFactsService) {
    super();
  }

  private readonly handlers: JobHandlers<'modelSchools'> = {
    'model-school.fact': (payload) => this.facts.record(payload),
  };

  process(job: Job): Promise<void> {
    return dispatch('modelSchools', this.handlers, job);
  }
}
