import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { Client } from 'pg';
import {
  seededMinuteOf,
  TEMPLATE_LIFETIME_MINUTES,
  templateDatabaseName,
  templateDataDir,
  templateKey,
  testEnv,
  useTemplate,
  withDatabase,
} from './env';

/** Templates older than this are dropped by the next run (a run still cloning from one is long over). */
const TEMPLATE_KEPT_MINUTES = 3 * 60;

/**
 * Picks, or builds once per run, a migrated and seeded template that every test file clones:
 * `CREATE DATABASE … TEMPLATE …` on PostgreSQL, a copied data directory for PGlite. A template is
 * reused while migrations and seed are unchanged and it was seeded less than an hour ago.
 */
export default async function globalSetup(): Promise<void> {
  // Jest's module mapper does not apply to global setup: use the build `npm test` just made.
  const { openDatabase } = require('../../dist/libs/db/src') as typeof import('../../libs/db/src');
  const { seedDemo } = require('../../dist/seeds/demo.seed') as typeof import('../../seeds/demo.seed');
  const key = templateKey();
  const now = Math.floor(Date.now() / 60_000);
  const fresh = (names: string[]) =>
    names
      .map((name) => seededMinuteOf(name, key))
      .filter((minute): minute is number => minute !== undefined && now - minute < TEMPLATE_LIFETIME_MINUTES)
      .sort((a, b) => b - a)[0];
  const old = (name: string) => {
    const minute = seededMinuteOf(name);
    return minute === undefined || now - minute > TEMPLATE_KEPT_MINUTES;
  };

  if (testEnv.databaseUrl) {
    const admin = new Client({ connectionString: testEnv.databaseUrl });
    await admin.connect();
    try {
      // Serialise concurrent runs (two checkouts on one machine) on the template's choice and creation.
      await admin.query('SELECT pg_advisory_lock(727002)');
      const { rows } = await admin.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE 'jx\\_template\\_%'`);
      const names = rows.map((row) => row.datname);
      for (const name of names.filter(old)) await admin.query(`DROP DATABASE IF EXISTS ${name}`).catch(() => undefined);
      const reusable = fresh(names);
      if (reusable !== undefined) return useTemplate(templateDatabaseName(key, reusable));

      const name = templateDatabaseName(key, now);
      const building = `${name}_building`;
      await admin.query(`DROP DATABASE IF EXISTS ${building}`);
      await admin.query(`CREATE DATABASE ${building}`);
      const database = await openDatabase({ url: withDatabase(testEnv.databaseUrl, building), dataDir: '', poolSize: 2 });
      try {
        await database.migrate();
        await seedDemo(database.db);
      } finally {
        await database.close();
      }
      await admin.query(`ALTER DATABASE ${building} RENAME TO ${name}`);
      useTemplate(name);
    } finally {
      await admin.query('SELECT pg_advisory_unlock(727002)').catch(() => undefined);
      await admin.end();
    }
    return;
  }

  const dirs = readdirSync('/tmp').filter((name) => name.startsWith('jiaxiao-test-template-') && !name.includes('.building-'));
  for (const name of dirs.filter(old)) rmSync(`/tmp/${name}`, { recursive: true, force: true });
  const reusable = fresh(dirs);
  if (reusable !== undefined && existsSync(templateDataDir(key, reusable))) return useTemplate(templateDataDir(key, reusable));
  const dir = templateDataDir(key, now);
  const building = `${dir}.building-${process.pid}`;
  rmSync(building, { recursive: true, force: true });
  mkdirSync(building, { recursive: true });
  const database = await openDatabase({ dataDir: building });
  try {
    await database.migrate();
    await seedDemo(database.db);
  } finally {
    await database.close();
  }
  rmSync(dir, { recursive: true, force: true });
  renameSync(building, dir);
  useTemplate(dir);
}
