import cluster from 'node:cluster';
import type { INestApplicationContext } from '@nestjs/common';
import type { Logger } from 'pino';
import { AppConfig, ConfigError, loadConfig } from '@jiaxiao/common';
import { closeOnSignal, createInfrastructure, createRootLogger, Infrastructure, listen, portSharingSupported } from '@jiaxiao/platform';

/** Reads the configuration or stops the process with a message naming the bad variables. */
export function configOrExit(): AppConfig {
  try {
    const config = loadConfig();
    if (config.usesDevJwtSecret) {
      console.warn(
        'WARNING: JWT_SECRET is not set; using the development default. Set JWT_SECRET for any shared or production deployment.',
      );
    }
    return config;
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`${error.message}\nFix the variable(s) ${error.variables.join(', ')} and start again.`);
      process.exit(2);
    }
    throw error;
  }
}

/**
 * `npm run start:<app>`: one app in its own process, with its own database and Redis connections.
 * A REST app (`scalable`) runs as API_PROCESSES cluster workers sharing its port when that is above 1.
 */
export async function runStandalone(
  name: string,
  start: (infra: Infrastructure) => Promise<{ app: INestApplicationContext; port?: number }>,
  options: { scalable?: boolean } = {},
): Promise<void> {
  const config = configOrExit();
  const logger = createRootLogger(config).child({ app: name });
  if (options.scalable && config.API_PROCESSES > 1 && cluster.isPrimary) {
    superviseWorkers(logger, config.API_PROCESSES);
    return;
  }
  let infra: Infrastructure;
  try {
    infra = await createInfrastructure(config, logger);
  } catch (error) {
    logger.fatal({ err: error }, 'cannot start');
    process.exit(1);
  }
  const { app, port } = await start(infra);
  if (port !== undefined) {
    const url = await listen(app as Parameters<typeof listen>[0], port, undefined, cluster.isWorker && portSharingSupported());
    logger.info({ url }, `${name} listening on ${url}`);
  } else {
    logger.info(`${name} started`);
  }
  closeOnSignal(logger, [() => app.close(), () => infra.close()]);
}

/**
 * The cluster's primary: forks the workers (each binds the app's port itself where the kernel can
 * share it, see listen; elsewhere through the primary, which hands connections out in turn), forks
 * a replacement when one dies, and on SIGINT/SIGTERM passes the signal on and exits when all have
 * closed cleanly.
 */
function superviseWorkers(logger: Logger, count: number): void {
  let stopping = false;
  const fork = () => cluster.fork();
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) {
        logger.info('stopped');
        process.exit(0);
      }
      return;
    }
    logger.error({ pid: worker.process.pid, code, signal }, 'worker process ended; starting another');
    setTimeout(fork, 1000).unref();
  });
  for (let i = 0; i < count; i += 1) fork();
  logger.info({ processes: count }, `running ${count} processes on one port`);
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(1);
    stopping = true;
    logger.info({ signal }, 'shutting down');
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill(signal);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
