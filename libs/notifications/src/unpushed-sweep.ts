import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import type { Queue } from 'bullmq';
import type { Logger } from 'pino';
import { QUEUES } from '@jiaxiao/common';
import { LOGGER } from '@jiaxiao/platform';
import { NotificationsRepository } from './notifications.repository';
import { NotificationsService } from './notifications.service';

/** How often the worker sweeps. */
const SWEEP_EVERY_MS = 60_000;
/** An entry due this recently is left to the PushBatcher or job that is about to push it. */
const SWEEP_GRACE_MS = 30_000;
/** How far back the sweep looks: older entries are in the inbox, and a push that late is no use. */
const SWEEP_WINDOW_MS = 24 * 60 * 60_000;
/** Entries per page and per dispatch (the claim takes their ids as parameters). */
const CHUNK = 1000;

/**
 * The safety net under the pushes that go out after the ack (a direct message's entries, pushed by
 * the sender's process through PushBatcher): every minute the worker pushes the entries still
 * unpushed whose push was due more than SWEEP_GRACE_MS ago, within the last day, a page at a time,
 * through `dispatchMany`, whose claim (`pushed_at is null`) lets each go out once whoever races it.
 */
@Injectable()
export class UnpushedSweep implements OnModuleInit {
  constructor(
    private readonly repository: NotificationsRepository,
    private readonly notifications: NotificationsService,
    @InjectQueue(QUEUES.notifications) private readonly queue: Queue,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** Every process with the queue makes sure the repeating job exists (idempotent); a minute's run leaves no history. */
  async onModuleInit(): Promise<void> {
    await this.queue.upsertJobScheduler(
      'notification-sweep',
      { every: SWEEP_EVERY_MS },
      { name: 'notification.sweep', data: {}, opts: { removeOnComplete: true, removeOnFail: 100 } },
    );
  }

  /** One pass: returns how many unpushed entries it found (some may be claimed by another pusher meanwhile). */
  async sweep(now = new Date()): Promise<number> {
    const from = new Date(now.getTime() - SWEEP_WINDOW_MS);
    const to = new Date(now.getTime() - SWEEP_GRACE_MS);
    let found = 0;
    let after: { deliverAt: Date; id: string } | undefined;
    for (;;) {
      const page = await this.repository.unpushedBetween(from, to, CHUNK, after);
      if (page.length === 0) break;
      await this.notifications.dispatchMany(page);
      found += page.length;
      if (page.length < CHUNK) break;
      after = page[page.length - 1];
    }
    if (found > 0) this.logger.warn({ found }, 'pushed inbox entries left unpushed');
    return found;
  }
}
