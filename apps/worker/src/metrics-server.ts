import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { AppConfig } from '@jiaxiao/common';
import type { DatabaseHandle } from '@jiaxiao/db';
import { DATABASE_HANDLE, LOGGER, MetricsService, REDIS } from '@jiaxiao/platform';

const PROBE_TIMEOUT_MS = 2000;

/**
 * The worker has no API: this small listener on WORKER_METRICS_PORT serves Prometheus at
 * /metrics and /health (200 when PostgreSQL and Redis answer, 503 otherwise), for scrapers and
 * container health checks. It has its own port, so it works the same when `npm start` runs all
 * four apps in one process.
 */
@Injectable()
export class MetricsServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private server?: Server;

  constructor(
    private readonly config: AppConfig,
    private readonly metrics: MetricsService,
    @Inject(DATABASE_HANDLE) private readonly database: DatabaseHandle,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** Where it listens, e.g. http://127.0.0.1:3003. */
  get url(): string {
    const address = this.server?.address() as AddressInfo | null | undefined;
    if (!address) throw new Error('the worker metrics listener is not running');
    return `http://127.0.0.1:${address.port}`;
  }

  async onApplicationBootstrap(): Promise<void> {
    const server = createServer((request, response) => {
      this.answer(request, response).catch((error: unknown) => {
        this.logger.error({ err: error }, 'worker metrics request failed');
        if (!response.headersSent) response.writeHead(500);
        response.end();
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.config.WORKER_METRICS_PORT, '0.0.0.0', () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    this.logger.info({ url: this.url }, 'worker metrics listening');
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async answer(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = (request.url ?? '/').split('?')[0];
    if (request.method !== 'GET' && request.method !== 'HEAD') return send(response, 405, { statusCode: 405, code: 'METHOD_NOT_ALLOWED' });
    if (path === '/metrics') {
      const body = await this.metrics.registry.metrics();
      response.writeHead(200, { 'content-type': this.metrics.registry.contentType });
      response.end(body);
      return;
    }
    if (path === '/health') {
      const [database, redis] = await Promise.all([probe(() => this.database.ping()), probe(() => this.redis.ping())]);
      const ok = database.status === 'up' && redis.status === 'up';
      return send(response, ok ? 200 : 503, {
        status: ok ? 'ok' : 'error',
        info: { database, redis },
        ...(ok ? {} : { code: 'SERVICE_UNAVAILABLE' }),
      });
    }
    send(response, 404, { statusCode: 404, code: 'NOT_FOUND' });
  }
}

async function probe(ping: () => Promise<unknown>): Promise<{ status: 'up' | 'down'; message?: string }> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      ping(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${PROBE_TIMEOUT_MS} ms`)), PROBE_TIMEOUT_MS);
      }),
    ]);
    return { status: 'up' };
  } catch (error) {
    return { status: 'down', message: (error as Error).message };
  } finally {
    clearTimeout(timer);
  }
}

function send(response: ServerResponse, status: number, body: object): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  response.end(JSON.stringify(body));
}
