import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The test environment: the real PostgreSQL when DATABASE_URL is set, embedded PGlite otherwise. */
export const testEnv = {
  databaseUrl: process.env.DATABASE_URL,
  redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
};

const root = join(__dirname, '..', '..');

/** Changes whenever a migration or the seed changes, so a stale template is never reused. */
export function templateKey(): string {
  const hash = createHash('sha256');
  const migrations = join(root, 'libs/db/migrations');
  for (const file of readdirSync(migrations).sort()) {
    if (file.endsWith('.sql')) hash.update(readFileSync(join(migrations, file)));
  }
  hash.update(readFileSync(join(root, 'seeds/demo.seed.ts')));
  return hash.digest('hex').slice(0, 12);
}

export const templateDatabaseName = (key: string) => `jx_template_${key}`;
export const templateDataDir = (key: string) => `/tmp/jiaxiao-test-template-${key}`;

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}
