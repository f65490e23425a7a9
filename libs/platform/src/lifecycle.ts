import cluster from 'node:cluster';
import type { Logger } from 'pino';

/**
 * Runs until SIGINT or SIGTERM, then closes everything in order (apps first, then the
 * infrastructure they share) and exits. A second signal forces the exit.
 */
export function closeOnSignal(logger: Logger, closers: (() => Promise<unknown>)[]): void {
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) {
      // A cluster worker gets Ctrl-C from the terminal and again from its primary: not a second request.
      if (cluster.isWorker) return;
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    closing = true;
    logger.info({ signal }, 'shutting down');
    let code = 0;
    for (const close of closers) {
      try {
        await close();
      } catch (error) {
        code = 1;
        logger.error({ err: error }, 'error while shutting down');
      }
    }
    logger.info('stopped');
    logger.flush?.();
    process.exit(code);
  };
  process.once('SIGINT', (signal) => void shutdown(signal));
  process.once('SIGTERM', (signal) => void shutdown(signal));
}
