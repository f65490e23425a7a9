import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { enqueue, EventHandlers, QUEUES, ReactsToEvents } from '@jiaxiao/common';
import { NotificationsService } from '@jiaxiao/notifications';
import { lectureEventKey, REMINDERS, reminderJobId } from './lecture-rules';

type Window = keyof typeof REMINDERS;
const WINDOWS = Object.keys(REMINDERS) as Window[];

/**
 * A published lecture's reminders, 24 h and 1 h before it starts, follow the lecture's events:
 * queued when it is published, moved when it is rescheduled, dropped when it is cancelled. Job ids
 * are the lecture's, window's and start time's, so a repeated event queues or removes nothing more
 * (and the reminder job itself re-checks that the lecture still starts then). The notices a move, a
 * cancellation or a promotion from the waitlist wrote to the guardians' inboxes with the event are
 * pushed by the worker (the dispatch job's id is the event's key, so once).
 */
@Injectable()
@ReactsToEvents()
export class LectureReactor implements ReactsToEvents {
  constructor(
    @InjectQueue(QUEUES.courses) private readonly queue: Queue,
    private readonly notifications: NotificationsService,
  ) {}

  eventHandlers(): EventHandlers {
    return {
      'lecture.published': ({ lectureId, startsAt }) => this.schedule(lectureId, startsAt),
      'lecture.rescheduled': async ({ lectureId, from, to }, event) => {
        await this.unschedule(lectureId, from);
        await this.schedule(lectureId, to);
        await this.notifications.scheduleDispatch(lectureEventKey(event.id));
      },
      'lecture.cancelled': async ({ lectureId, startsAt }, event) => {
        await this.unschedule(lectureId, startsAt);
        await this.notifications.scheduleDispatch(lectureEventKey(event.id));
      },
      'registration.promoted': (_, event) => this.notifications.scheduleDispatch(lectureEventKey(event.id)),
    };
  }

  /** Each reminder still ahead of now; one whose time has passed is skipped. */
  private async schedule(lectureId: string, startsAt: string): Promise<void> {
    const lecture = { id: lectureId, startsAt: new Date(startsAt) };
    for (const window of WINDOWS) {
      const delay = lecture.startsAt.getTime() - REMINDERS[window] - Date.now();
      if (delay <= 0) continue;
      await enqueue(
        this.queue,
        'lecture.remind',
        { lectureId, window, startsAt: lecture.startsAt.toISOString() },
        { jobId: reminderJobId(lecture, window), delay },
      );
    }
  }

  private async unschedule(lectureId: string, startsAt: string): Promise<void> {
    const lecture = { id: lectureId, startsAt: new Date(startsAt) };
    for (const window of WINDOWS) await this.queue.remove(reminderJobId(lecture, window));
  }
}
