import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { AppConfig, redisOptionsFromUrl } from '@jiaxiao/common';
import { DatabaseHandle, openDatabase } from '@jiaxiao/db';
import { ChangeFeed } from './changes/change-feed';
import { createRootLogger } from './logging/logger';

/**
 * The process-wide resources: one database handle, its change feed, one Redis client, one logger.
 * `npm start` runs four apps in one process and they share these (PGlite allows one
 * opener per data directory); a lone app creates its own.
 */
export interface Infrastructure {
  config: AppConfig;
  database: DatabaseHandle;
  /** The database's change notifications, which keep the read caches right (off with READ_CACHE_SECONDS=0). */
  changes: ChangeFeed;
  redis: Redis;
  logger: Logger;
  close(): Promise<void>;
}

export async function createInfrastructure(config: AppConfig, logger = createRootLogger(config)): Promise<Infrastructure> {
  const changes = ChangeFeed.open(config.READ_CACHE_SECONDS > 0 ? config.DATABASE_URL : undefined, logger);
  const database = await openDatabase({
    url: config.DATABASE_URL,
    dataDir: config.DATA_DIR,
    poolSize: config.DATABASE_POOL_SIZE,
    onWrite: () => changes.wrote(),
  }).catch(async (error: unknown) => {
    await changes.close();
    throw error;
  });
  const redis = new Redis({
    ...redisOptionsFromUrl(config.REDIS_URL),
    keyPrefix: `${config.REDIS_PREFIX}:`,
    maxRetriesPerRequest: 2,
    lazyConnect: true,
    // Commands issued in one turn of the event loop (a burst of sends' rate counts and broadcasts) go out in one write.
    enableAutoPipelining: true,
  });
  redis.on('error', (error: Error) => logger.warn({ err: error.message }, 'redis connection error'));
  try {
    await redis.connect();
  } catch (error) {
    await changes.close();
    await database.close();
    redis.disconnect();
    throw new Error(`Redis at REDIS_URL=${config.REDIS_URL} is unreachable: ${(error as Error).message}`);
  }
  return {
    config,
    database,
    changes,
    redis,
    logger,
    async close() {
      await changes.close();
      await redis.quit().catch(() => redis.disconnect());
      await database.close();
    },
  };
}
