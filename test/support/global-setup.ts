import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { Client } from 'pg';
import { templateDatabaseName, templateDataDir, templateKey, testEnv, withDatabase } from './env';

/**
 * Builds, once per run, a migrated and seeded template that every test file clones:
 * `CREATE DATABASE … TEMPLATE …` on PostgreSQL, a copied data directory for PGlite.
 */
export default async function globalSetup(): Promise<void> {
  // Jest's module mapper does not apply to global setup: use the build `npm test` just made.
  const { openDatabase } = require('../../dist/libs/db/src') as typeof import('../../libs/db/src');
  const { seedDemo } = require('../../dist/seeds/demo.seed') as typeof import('../../seeds/demo.seed');
  const key = templateKey();
  if (testEnv.databaseUrl) {
    const name = templateDatabaseName(key);
    const admin = new Client({ connectionString: testEnv.databaseUrl });
    await admin.connect();
    try {
      // Serialise concurrent runs (two checkouts on one machine) on the template's creation.
      await admin.query('SELECT pg_advisory_lock(727002)');
      const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
      if (!rowCount) {
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
      }
    } finally {
      await admin.query('SELECT pg_advisory_unlock(727002)').catch(() => undefined);
      await admin.end();
    }
    return;
  }

  const dir = templateDataDir(key);
  if (existsSync(dir)) return;
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
  renameSync(building, dir);
}
