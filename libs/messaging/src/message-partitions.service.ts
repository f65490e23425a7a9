import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import type { Queue } from 'bullmq';
import type { Logger } from 'pino';
import { QUEUES } from '@jiaxiao/common';
import { LOGGER } from '@jiaxiao/platform';
import { MessageRepository } from './message.repository';

/** How many months past the current one have their messages partition made ahead. */
export const PARTITION_MONTHS_AHEAD = 3;

/**
 * Keeps the monthly partitions of messages made ahead of time, so a month's first message never
 * lands in the default partition (and never waits on a CREATE TABLE). Daily, although a month
 * needs it once: a missed day or a worker down for weeks is caught up by the next run.
 */
@Injectable()
export class MessagePartitionsService implements OnModuleInit {
  constructor(
    private readonly repository: MessageRepository,
    @InjectQueue(QUEUES.messaging) private readonly queue: Queue,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** Every process with the queue makes sure the repeating job exists (idempotent). */
  async onModuleInit(): Promise<void> {
    await this.queue.upsertJobScheduler(
      'messages-partitions',
      { pattern: '30 3 * * *', tz: 'Asia/Shanghai' },
      { name: 'messages.partitions', data: {} },
    );
  }

  /** Makes the partitions of this month through PARTITION_MONTHS_AHEAD months on that are missing. */
  async ensure(now = new Date()): Promise<number> {
    const until = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + PARTITION_MONTHS_AHEAD, 1));
    const made = await this.repository.ensurePartitions(now, until);
    if (made > 0) this.logger.info({ made }, 'messages partitions made');
    return made;
  }
}
