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

/**
 * The demo seed dates its lectures, windows and notices from the moment it runs (a lecture's
 * registration is open for two hours), so a template is used for an hour after its seeding and then
 * a new one is built; the minute of seeding is part of its name, so a run never loses the template
 * it clones from to another run.
 */
export const TEMPLATE_LIFETIME_MINUTES = 60;
const TEMPLATE_ENV = 'JX_TEST_TEMPLATE';
export const templateDatabaseName = (key: string, seededMinute: number) => `jx_template_${key}_${seededMinute}`;
export const templateDataDir = (key: string, seededMinute: number) => `/tmp/jiaxiao-test-template-${key}-${seededMinute}`;
/** The seeding minute in a template's name, or undefined for a name of another form. */
export function seededMinuteOf(name: string, key = '[0-9a-f]{12}'): number | undefined {
  const match = new RegExp(`^(?:jx_template_|jiaxiao-test-template-)${key}[_-](\\d+)$`).exec(name);
  return match ? Number(match[1]) : undefined;
}

/** Global set-up names the template of this run (a database name or a PGlite directory) for every test file. */
export function useTemplate(name: string): void {
  process.env[TEMPLATE_ENV] = name;
}
export function currentTemplate(): string {
  const name = process.env[TEMPLATE_ENV];
  if (!name) throw new Error(`${TEMPLATE_ENV} is not set: the tests run through jest's global set-up (npm test)`);
  return name;
}

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}
