import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheckService, HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import type { FastifyReply } from 'fastify';
import type { Redis } from 'ioredis';
import { Public } from '@jiaxiao/common';
import type { DatabaseHandle } from '@jiaxiao/db';
import { DATABASE_HANDLE, REDIS } from '../tokens';

const TIMEOUT_MS = 2000;

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    @Inject(DATABASE_HANDLE) private readonly database: DatabaseHandle,
    @Inject(REDIS) private readonly redis: Redis,
  ) {}

  @Get()
  @ApiOperation({ summary: '健康检查：数据库与 Redis 均可用时 200，否则 503' })
  @ApiOkResponse({ schema: { example: { status: 'ok', info: { database: { status: 'up' }, redis: { status: 'up' } } } } })
  @ApiServiceUnavailableResponse({ description: 'database or Redis is down' })
  async check(@Res({ passthrough: true }) reply: FastifyReply) {
    try {
      return await this.health.check([
        () => this.probe('database', () => this.database.ping()),
        () => this.probe('redis', () => this.redis.ping()),
      ]);
    } catch (error) {
      const body = (error as { getResponse?: () => unknown }).getResponse?.();
      void reply.status(503);
      return { ...(typeof body === 'object' && body ? body : { status: 'error' }), code: 'SERVICE_UNAVAILABLE' };
    }
  }

  /** A down indicator is returned, not thrown (terminus 11; HealthCheckError is deprecated): check() then answers 503. */
  private async probe(key: string, ping: () => Promise<unknown>): Promise<HealthIndicatorResult> {
    const indicator = this.indicators.check(key);
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        ping(),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer within ${TIMEOUT_MS} ms`)), TIMEOUT_MS);
        }),
      ]);
      return indicator.up();
    } catch (error) {
      return indicator.down({ message: (error as Error).message });
    } finally {
      clearTimeout(timer);
    }
  }
}
