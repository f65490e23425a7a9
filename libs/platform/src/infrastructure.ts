import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { AppConfig, redisOptionsFromUrl } from '@jiaxiao/common';
import { DatabaseHandle, openDatabase } from '@jiaxiao/db';
import { createRootLogger } from './logging/logger';

/**
 * The process-wide resources: one database handle, one Redis client, one logger.
 * `npm start` runs four apps in one process and they share these (PGlite allows one
 * opener per data directory); a lone app creates its own.
 */
export interface Infrastructure {
  config: AppConfig;
  database: DatabaseHandle;
  redis: Redis;
  logger: Logger;
  close(): Promise<void>;
}

export async function createInfrastructure(config: AppConfig, logger = createRootLogger(config)): Promise<Infrastructure> {
  const database = await openDatabase({ url: config.DATABASE_URL, dataDir: config.DATA_DIR, poolSize: config.DATABASE_POOL_SIZE });
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
    await database.close();
    redis.disconnect();
    throw new Error(`Redis at REDIS_URL=${config.REDIS_URL} is unreachable: ${(error as Error).message}`);
  }
  return {
    config,
    database,
    redis,
    logger,
    async close() {
      await redis.quit().catch(() => redis.disconnect());
      await database.close();
    },
  };
}
