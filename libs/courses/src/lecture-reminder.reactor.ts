import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { enqueue, EventHandlers, QUEUES, ReactsToEvents } from '@jiaxiao/common';
import { REMINDERS, reminderJobId } from './lecture-rules';

type Window = keyof typeof REMINDERS;
const WINDOWS = Object.keys(REMINDERS) as Window[];

/**
 * A published lecture's reminders, 24 h and 1 h before it starts, follow the lecture's events:
 * queued when it is published, moved when it is rescheduled, dropped when it is cancelled. Job ids
 * are the lecture's, window's and start time's, so a repeated event queues or removes nothing more
 * (and the reminder job itself re-checks that the lecture still starts then).
 */
@Injectable()
@ReactsToEvents()
export class LectureReminderReactor implements ReactsToEvents {
  constructor(@InjectQueue(QUEUES.courses) private readonly queue: Queue) {}

  eventHandlers(): EventHandlers {
    return {
      'lecture.published': ({ lectureId, startsAt }) => this.schedule(lectureId, startsAt),
      'lecture.rescheduled': async ({ lectureId, from, to }) => {
        await this.unschedule(lectureId, from);
        await this.schedule(lectureId, to);
      },
      'lecture.cancelled': ({ lectureId, startsAt }) => this.unschedule(lectureId, startsAt),
    };
  }

  /** Each reminder still ahead of now; one whose time has passed is skipped. */
  private async schedule(lectureId: string, startsAt: string): Promise<void> {
    const lecture = { id: lectureId, startsAt: new Date(startsAt) };
    for (const window of WINDOWS) {
      const delay = lecture.startsAt.getTime() - REMINDERS[window] - Date.now();
      if (delay <= 0) continue;
      await enqueue(this.queue, 'lecture.remind', { lectureId, window, startsAt: lecture.startsAt.toISOString() }, { jobId: reminderJobId(lecture, window), delay });
    }
  }

  private async unschedule(lectureId: string, startsAt: string): Promise<void> {
    const lecture = { id: lectureId, startsAt: new Date(startsAt) };
    for (const window of WINDOWS) await this.queue.remove(reminderJobId(lecture, window));
  }
}
