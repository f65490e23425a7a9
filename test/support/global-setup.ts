import { existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { Client } from 'pg';
import { templateDatabaseName, templateDataDir, templateKey, testEnv, withDatabase } from './env';

/**
 * The demo seed dates its lectures, windows and notices from the moment it runs (a lecture's
 * registration is open for two hours), so a template seeded long ago no longer holds the
 * demo the tests expect: it is rebuilt once it is older than this.
 */
const TEMPLATE_LIFETIME_MS = 60 * 60 * 1000;

/**
 * Builds, once per run, a migrated and seeded template that every test file clones:
 * `CREATE DATABASE … TEMPLATE …` on PostgreSQL, a copied data directory for PGlite.
 * The template is kept between runs while migrations and seed are unchanged and it is
 * younger than TEMPLATE_LIFETIME_MS.
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
      const { rows } = await admin.query<{ seeded: string | null }>(
        `SELECT shobj_description(oid, 'pg_database') AS seeded FROM pg_database WHERE datname = $1`,
        [name],
      );
      const fresh = rows.length > 0 && Date.now() - Date.parse(rows[0].seeded ?? '') < TEMPLATE_LIFETIME_MS;
      if (rows.length > 0 && !fresh) await retireTemplate(admin, name);
      if (!fresh) {
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
        await admin.query(`COMMENT ON DATABASE ${building} IS '${new Date().toISOString()}'`);
        await admin.query(`ALTER DATABASE ${building} RENAME TO ${name}`);
      }
    } finally {
      await admin.query('SELECT pg_advisory_unlock(727002)').catch(() => undefined);
      await admin.end();
    }
    return;
  }

  const dir = templateDataDir(key);
  if (existsSync(dir)) {
    if (Date.now() - statSync(dir).mtimeMs < TEMPLATE_LIFETIME_MS) return;
    const stale = `${dir}.stale-${process.pid}`;
    renameSync(dir, stale);
    rmSync(stale, { recursive: true, force: true });
  }
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

/**
 * Moves a stale template out of the way and drops the stale ones nobody is connected to
 * (a run still cloning from an old one keeps it until a later run drops it).
 */
async function retireTemplate(admin: Client, name: string): Promise<void> {
  await admin.query(`ALTER DATABASE ${name} RENAME TO ${name}_stale_${Date.now()}`);
  const { rows } = await admin.query<{ datname: string }>(
    `SELECT datname FROM pg_database WHERE datname LIKE 'jx\\_template\\_%\\_stale\\_%'`,
  );
  for (const { datname } of rows) await admin.query(`DROP DATABASE IF EXISTS ${datname}`).catch(() => undefined);
}
