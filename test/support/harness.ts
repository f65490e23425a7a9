import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { sql } from 'drizzle-orm';
import { Redis } from 'ioredis';
import { Client } from 'pg';
import request from 'supertest';
import { AppConfig, loadConfig, PRIVACY_NOTICE, redisOptionsFromUrl } from '@jiaxiao/common';
import { createInfrastructure, Infrastructure, listen } from '@jiaxiao/platform';
import { createAdminApi } from '../../apps/admin-api/src/admin-api.app';
import { createGateway } from '../../apps/gateway/src/gateway.app';
import { createParentApi } from '../../apps/parent-api/src/parent-api.app';
import { MetricsServer } from '../../apps/worker/src/metrics-server';
import { createWorker } from '../../apps/worker/src/worker.app';
import { DEMO_PASSWORD } from '../../seeds/demo.seed';
import { currentTemplate, testEnv, withDatabase } from './env';

export type AppName = 'parent' | 'admin' | 'gateway' | 'worker';

export interface TestContext {
  config: AppConfig;
  infra: Infrastructure;
  /** base URLs of the started HTTP apps (the worker's: its metrics and health listener) */
  urls: Partial<Record<'parent' | 'admin' | 'gateway' | 'worker', string>>;
  /** the started Nest apps, for tests that drive a service no route exposes (a worker's job, a realtime probe) */
  apps: Partial<Record<AppName, INestApplicationContext>>;
  parent: () => ReturnType<typeof request>;
  admin: () => ReturnType<typeof request>;
  /** logs a demo account in on parent-api (or admin-api) and returns its access token */
  login(phone: string, api?: 'parent' | 'admin'): Promise<string>;
  /** raw SQL against this file's database, for assertions on stored state */
  query<T>(text: string): Promise<T[]>;
  close(): Promise<void>;
}

export interface ContextOptions {
  apps: AppName[];
  /** extra configuration, as environment variables would give it */
  env?: Record<string, string>;
  /** a database prepared by the test itself (used as is, not cloned or dropped) and its own Redis */
  databaseUrl?: string;
  redisUrl?: string;
  /** fixed ports (browser tests: the served H5 must know the gateway's port); unset = a free one */
  ports?: Partial<Record<Exclude<AppName, 'worker'>, number>>;
}

/**
 * One test file's world: its own database cloned from the seeded template, its own Redis key
 * prefix, and the real apps listening on free ports. Files run in parallel, in any order.
 */
export async function createTestContext(options: ContextOptions): Promise<TestContext> {
  const id = `t${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  const database = options.databaseUrl
    ? { config: { DATABASE_URL: options.databaseUrl }, drop: async () => undefined }
    : await cloneDatabase(id);
  const config = loadConfig(
    {
      REDIS_URL: options.redisUrl ?? testEnv.redisUrl,
      JWT_SECRET: 'test-secret-0123456789abcdef',
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
      ...options.env,
    },
    { NODE_ENV: 'test', REDIS_PREFIX: id, WORKER_METRICS_PORT: 0, ...database.config },
  );
  const infra = await createInfrastructure(config);
  const started: INestApplicationContext[] = [];
  const urls: TestContext['urls'] = {};
  const apps: TestContext['apps'] = {};
  const makers: Record<Exclude<AppName, 'worker'>, (i: Infrastructure) => Promise<NestFastifyApplication>> = {
    parent: createParentApi,
    admin: createAdminApi,
    gateway: createGateway,
  };
  for (const name of options.apps) {
    if (name === 'worker') {
      apps.worker = await createWorker(infra);
      urls.worker = apps.worker.get(MetricsServer).url;
      started.push(apps.worker);
    } else {
      const app = await makers[name](infra);
      urls[name] = await listen(app, options.ports?.[name] ?? 0);
      apps[name] = app;
      started.push(app);
    }
  }

  const context: TestContext = {
    config,
    infra,
    urls,
    apps,
    parent: () => request(need(urls.parent, 'parent')),
    admin: () => request(need(urls.admin, 'admin')),
    async login(phone, api = 'parent') {
      const response = await request(need(urls[api], api)).post('/auth/login').send({ phone, password: DEMO_PASSWORD });
      if (response.status !== 200) throw new Error(`login ${phone} on ${api}: ${response.status} ${JSON.stringify(response.body)}`);
      return response.body.accessToken as string;
    },
    async query<T>(text: string) {
      // Both drivers (pg and PGlite) answer with { rows }.
      const result = (await infra.database.db.execute(sql.raw(text))) as unknown as { rows: T[] };
      return result.rows;
    },
    async close() {
      for (const app of started.reverse()) await app.close();
      await infra.close();
      if (!options.redisUrl) await dropRedisKeys(id);
      await database.drop();
    },
  };
  return context;
}

function need(url: string | undefined, name: string): string {
  if (!url) throw new Error(`the ${name} app was not started in this test context`);
  return url;
}

async function cloneDatabase(id: string): Promise<{ config: Partial<Record<keyof AppConfig, unknown>>; drop(): Promise<void> }> {
  const template = currentTemplate();
  if (testEnv.databaseUrl) {
    const admin = new Client({ connectionString: testEnv.databaseUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${id} TEMPLATE ${template}`);
    await admin.end();
    return {
      config: { DATABASE_URL: withDatabase(testEnv.databaseUrl, id) },
      async drop() {
        const client = new Client({ connectionString: testEnv.databaseUrl });
        await client.connect();
        await client.query(`DROP DATABASE IF EXISTS ${id} WITH (FORCE)`);
        await client.end();
      },
    };
  }
  const dir = mkdtempSync(join(tmpdir(), `jiaxiao-${id}-`));
  cpSync(template, dir, { recursive: true });
  return {
    config: { DATA_DIR: dir },
    async drop() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function dropRedisKeys(prefix: string): Promise<void> {
  const redis = new Redis(redisOptionsFromUrl(testEnv.redisUrl));
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

/** SQL that records a user's acceptance of the current privacy notice (for guardians a test activates by hand). */
export function consentSql(userWhere: string): string {
  return `insert into consents (user_id, version) select id, '${PRIVACY_NOTICE.version}' from users where ${userWhere}`;
}
