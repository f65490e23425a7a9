import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { AppConfig, RealtimeCommand, realtimeChannel } from '@jiaxiao/common';
import { REDIS } from '@jiaxiao/platform';

/**
 * Tells every gateway node that sessions ended (logout, token reuse, password change or reset):
 * each node disconnects the sockets of those sessions at once. Published after the commit.
 */
@Injectable()
export class SessionEvents {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly config: AppConfig,
  ) {}

  async ended(sessionIds: string[]): Promise<void> {
    if (sessionIds.length === 0) return;
    const command: RealtimeCommand = { op: 'disconnect', sessionIds };
    await this.redis.publish(realtimeChannel(this.config.REDIS_PREFIX), JSON.stringify(command));
  }
}
