import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import type { Logger } from 'pino';
import { LOGGER } from '@jiaxiao/platform';
import { NotificationsService } from './notifications.service';

/** Notifications per dispatch: the claim takes their ids as parameters. */
const CHUNK = 1000;

/**
 * Pushes stored notifications after the write that stored them has been acknowledged: whatever
 * arrives while a batch is out goes in the next one, so a burst of sends costs a few statements
 * and one Redis pipeline per batch, not a round trip chain per message, and the backlog stays one
 * batch long. A notification whose push is lost here (the process ends) stays in the inbox, unpushed.
 */
@Injectable()
export class PushBatcher implements OnModuleDestroy {
  private pending: { id: string; deliverAt: Date }[] = [];
  private running?: Promise<void>;

  constructor(
    private readonly notifications: NotificationsService,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  add(rows: { id: string; deliverAt: Date }[]): void {
    if (rows.length === 0) return;
    this.pending.push(...rows);
    this.running ??= this.drain();
  }

  private async drain(): Promise<void> {
    // The sends of this turn of the event loop join the first batch.
    await new Promise((resolve) => setImmediate(resolve));
    while (this.pending.length > 0) {
      const batch = this.pending.splice(0, CHUNK);
      try {
        await this.notifications.dispatchMany(batch);
      } catch (error) {
        this.logger.error({ err: error, notifications: batch.length }, 'batched push failed');
      }
    }
    this.running = undefined;
  }

  /** Shutdown waits for the batch in flight and the ones queued behind it. */
  async onModuleDestroy(): Promise<void> {
    await this.running;
  }
}
