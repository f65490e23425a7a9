import { Injectable } from '@nestjs/common';
import { EventHandlers, ReactsToEvents } from '@jiaxiao/common';
import { ElectionService } from './election.service';

/**
 * An opened election's tally (a run-off's too) is scheduled for the end of its voting window; a
 * tallied one's announcement (group sync, pushes) is queued. Once each: the job ids are the election's.
 */
@Injectable()
@ReactsToEvents()
export class ElectionReactor implements ReactsToEvents {
  constructor(private readonly elections: ElectionService) {}

  eventHandlers(): EventHandlers {
    return {
      'election.opened': ({ electionId, votingEndsAt }) =>
        this.elections.scheduleTally({ id: electionId, votingEndsAt: new Date(votingEndsAt) }),
      'election.tallied': ({ electionId }) => this.elections.scheduleAnnouncement(electionId),
    };
  }
}
