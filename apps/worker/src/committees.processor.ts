import { Processor, WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { JobHandlers, QUEUES } from '@jiaxiao/common';
import { ElectionService, FundService } from '@jiaxiao/committees';
import { dispatch } from './dispatch';

@Processor(QUEUES.committees, { concurrency: 2 })
export class CommitteesProcessor extends WorkerHost {
  constructor(
    private readonly elections: ElectionService,
    private readonly fund: FundService,
  ) {
    super();
  }

  private readonly handlers: JobHandlers<'committees'> = {
    'election.tally': (payload) => this.elections.tally(payload.electionId),
    'election.announce': (payload) => this.elections.announce(payload.electionId),
    'election.close-due': async () => {
      await this.elections.closeDue();
    },
    'fund.monthly-summary': async (payload) => {
      await this.fund.sendMonthlySummaries(payload.month);
    },
  };

  process(job: Job): Promise<void> {
    return dispatch(QUEUES.committees, this.handlers, job);
  }
}
