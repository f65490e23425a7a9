import { Inject, Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import { APP_NAME } from '../tokens';

/** Each app has its own registry (four apps can share one process), labelled with the app's name. */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  readonly httpDuration: Histogram<'method' | 'route' | 'status'>;
  /** Reads of the read caches (ReadCache): answered from memory, read from the database, or read through while the change feed is down. */
  readonly cacheReads: Counter<'cache' | 'outcome'>;

  constructor(@Inject(APP_NAME) app: string) {
    this.registry.setDefaultLabels({ app });
    collectDefaultMetrics({ register: this.registry });
    this.httpDuration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request duration by route and status',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [this.registry],
    });
    this.cacheReads = new Counter({
      name: 'read_cache_reads_total',
      help: 'Read cache reads by cache and outcome (hit, miss, bypass)',
      labelNames: ['cache', 'outcome'],
      registers: [this.registry],
    });
  }
}
