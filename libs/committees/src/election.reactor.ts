import { Injectable } from '@nestjs/common';
import { EventHandlers, ReactsToEvents } from '@jiaxiao/common';
import { ElectionService } from './election.service';

/** An opened election's tally is scheduled for the end of its voting window (once: the job id is the election's). */
@Injectable()
@ReactsToEvents()
export class ElectionReactor implements ReactsToEvents {
  constructor(private readonly elections: ElectionService) {}

  eventHandlers(): EventHandlers {
    return {
      'election.opened': ({ electionId, votingEndsAt }) => this.elections.scheduleTally({ id: electionId, votingEndsAt: new Date(votingEndsAt) }),
    };
  }
}
