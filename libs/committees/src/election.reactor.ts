import { Injectable } from '@nestjs/common';
import { EventHandlers, ReactsToEvents } from '@jiaxiao/common';
import { NotificationsService } from '@jiaxiao/notifications';
import { nominationKey, openKey } from './election-rules';
import { ElectionService } from './election.service';

/**
 * An opened election's tally (a run-off's too) is scheduled for the end of its voting window, and
 * the opening notices written with it are pushed (a run-off has none: its job finds nothing); a
 * nomination's notice to the nominee is pushed; a tallied election's announcement (the
 * result's pushes) is queued. Once each: the job ids are the election's, the nomination's or the key's.
 */
@Injectable()
@ReactsToEvents()
export class ElectionReactor implements ReactsToEvents {
  constructor(
    private readonly elections: ElectionService,
    private readonly notifications: NotificationsService,
  ) {}

  eventHandlers(): EventHandlers {
    return {
      'election.opened': async ({ electionId, votingEndsAt }) => {
        await this.elections.scheduleTally({ id: electionId, votingEndsAt: new Date(votingEndsAt) });
        await this.notifications.scheduleDispatch(openKey(electionId));
      },
      'nomination.made': ({ nominationId }) => this.notifications.scheduleDispatch(nominationKey(nominationId)),
      'election.tallied': ({ electionId }) => this.elections.scheduleAnnouncement(electionId),
    };
  }
}
