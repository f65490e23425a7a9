import { sql } from 'drizzle-orm';
import { people } from '@jiaxiao/auth';
import { closeOnSignal, createInfrastructure, createRootLogger, Infrastructure, listen } from '@jiaxiao/platform';
import { DEMO_ACCOUNTS, DEMO_PASSWORD, seedDemo } from '../seeds/demo.seed';
import { MODEL_SCHOOL_DEMO_ACCOUNTS } from '../seeds/model-schools-campaigns.seed';
import { createAdminApi } from './admin-api/src/admin-api.app';
import { createGateway } from './gateway/src/gateway.app';
import { configOrExit } from './launcher';
import { createParentApi } from './parent-api/src/parent-api.app';
import { MetricsServer } from './worker/src/metrics-server';
import { createWorker } from './worker/src/worker.app';

/**
 * `npm start`: the whole platform in one process — parent-api, gateway, admin-api and the
 * worker share one database handle (embedded PGlite under DATA_DIR unless DATABASE_URL is
 * set) and one Redis. Migrates, seeds an empty database, prints the URLs.
 */
async function main() {
  const config = configOrExit();
  const logger = createRootLogger(config);
  let infra: Infrastructure;
  try {
    infra = await createInfrastructure(config, logger);
  } catch (error) {
    logger.fatal({ err: error }, 'cannot start');
    process.exit(1);
  }
  await infra.database.migrate();
  const [{ count }] = await infra.database.db.select({ count: sql<number>`count(*)::int` }).from(people);
  if (count === 0) {
    const seeded = await seedDemo(infra.database.db);
    logger.info({ schoolYear: seeded.schoolYear }, 'empty database: demo data loaded');
  }

  const parent = await createParentApi(infra);
  const gateway = await createGateway(infra);
  const admin = await createAdminApi(infra);
  const worker = await createWorker(infra);
  const urls = {
    parent: await listen(parent, config.PARENT_API_PORT),
    gateway: await listen(gateway, config.GATEWAY_PORT),
    admin: await listen(admin, config.ADMIN_API_PORT),
  };

  closeOnSignal(logger, [() => parent.close(), () => gateway.close(), () => admin.close(), () => worker.close(), () => infra.close()]);

  const lines = [
    '',
    '家校共育 Jiaxiao is running',
    `  parent-api  ${urls.parent}   (docs ${urls.parent}/docs)`,
    `  gateway     ${urls.gateway}   (Socket.IO, auth: {token})`,
    `  admin-api   ${urls.admin}   (docs ${urls.admin}/docs)`,
    `  worker      running in this process (metrics ${worker.get(MetricsServer).url}/metrics)`,
    `  database    ${infra.database.kind === 'pglite' ? `embedded PGlite in ${config.DATA_DIR}/pglite` : 'PostgreSQL (DATABASE_URL)'}`,
    '',
    `Demo accounts (password ${DEMO_PASSWORD}):`,
    ...[...DEMO_ACCOUNTS, ...MODEL_SCHOOL_DEMO_ACCOUNTS].map((a) => `  ${a.phone}  ${a.name}  ${a.who}`),
    '',
    'Ctrl-C stops everything cleanly.',
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

void main();
