import { BullModule } from '@nestjs/bullmq';
import { DynamicModule, Global, Module } from '@nestjs/common';
import { APP_FILTER, DiscoveryModule } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { AppConfig } from '@jiaxiao/common';
import { DB } from '@jiaxiao/db';
import { AuditRepository } from './audit/audit.repository';
import { AuditService } from './audit/audit.service';
import { ChangeFeed } from './changes/change-feed';
import { ReadCaches } from './changes/read-cache';
import { HealthController } from './health/health.controller';
import { AllExceptionsFilter } from './http/all-exceptions.filter';
import { Infrastructure } from './infrastructure';
import { MetricsController } from './metrics/metrics.controller';
import { MetricsService } from './metrics/metrics.service';
import { OutboxService } from './outbox/outbox.service';
import { APP_NAME, DATABASE_HANDLE, LOGGER, REDIS } from './tokens';

export interface PlatformOptions {
  app: string;
  infra: Infrastructure;
  /** HTTP apps get /health and /metrics; the worker has no HTTP. */
  http: boolean;
}

/**
 * What every app has: config, database, Redis, logger, BullMQ connection, the outbox, the error
 * filter, and (for HTTP apps) /health and /metrics.
 */
@Global()
@Module({})
export class PlatformModule {
  static forRoot({ app, infra, http }: PlatformOptions): DynamicModule {
    const { config } = infra;
    return {
      module: PlatformModule,
      imports: [
        TerminusModule.forRoot({ logger: false }),
        DiscoveryModule,
        BullModule.forRoot({
          connection: { url: config.REDIS_URL, maxRetriesPerRequest: null },
          prefix: `${config.REDIS_PREFIX}:bull`,
        }),
      ],
      controllers: http ? [HealthController, MetricsController] : [],
      providers: [
        { provide: APP_NAME, useValue: app },
        { provide: AppConfig, useValue: config },
        { provide: DB, useValue: infra.database.db },
        { provide: DATABASE_HANDLE, useValue: infra.database },
        { provide: REDIS, useValue: infra.redis },
        { provide: ChangeFeed, useValue: infra.changes },
        { provide: LOGGER, useValue: infra.logger.child({ app }) },
        { provide: APP_FILTER, useClass: AllExceptionsFilter },
        MetricsService,
        ReadCaches,
        AuditService,
        AuditRepository,
        OutboxService,
      ],
      exports: [
        APP_NAME,
        AppConfig,
        DB,
        DATABASE_HANDLE,
        REDIS,
        ChangeFeed,
        LOGGER,
        MetricsService,
        ReadCaches,
        AuditService,
        OutboxService,
        BullModule,
      ],
    };
  }
}
