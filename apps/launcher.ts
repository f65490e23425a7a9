import type { INestApplicationContext } from '@nestjs/common';
import { AppConfig, ConfigError, loadConfig } from '@jiaxiao/common';
import { closeOnSignal, createInfrastructure, createRootLogger, Infrastructure, listen } from '@jiaxiao/platform';

/** Reads the configuration or stops the process with a message naming the bad variables. */
export function configOrExit(): AppConfig {
  try {
    const config = loadConfig();
    if (config.usesDevJwtSecret) {
      console.warn('WARNING: JWT_SECRET is not set; using the development default. Set JWT_SECRET for any shared or production deployment.');
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

/** `npm run start:<app>`: one app in its own process, with its own database and Redis connections. */
export async function runStandalone(
  name: string,
  start: (infra: Infrastructure) => Promise<{ app: INestApplicationContext; port?: number }>,
): Promise<void> {
  const config = configOrExit();
  const logger = createRootLogger(config).child({ app: name });
  let infra: Infrastructure;
  try {
    infra = await createInfrastructure(config, logger);
  } catch (error) {
    logger.fatal({ err: error }, 'cannot start');
    process.exit(1);
  }
  const { app, port } = await start(infra);
  if (port !== undefined) {
    const url = await listen(app as Parameters<typeof listen>[0], port);
    logger.info({ url }, `${name} listening on ${url}`);
  } else {
    logger.info(`${name} started`);
  }
  closeOnSignal(logger, [() => app.close(), () => infra.close()]);
}
