import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryService, ModuleRef } from '@nestjs/core';
import { getQueueToken, WorkerHost } from '@nestjs/bullmq';
import type { Job, Queue } from 'bullmq';
import { Counter, Gauge, Histogram } from 'prom-client';
import { QUEUES } from '@jiaxiao/common';
import { MetricsService } from '@jiaxiao/platform';

const STATES = ['waiting', 'active', 'delayed', 'failed'] as const;

/**
 * The worker's Prometheus metrics, in the worker's registry: jobs per queue and state (read from
 * Redis at each scrape, so they count every node's jobs), and this node's job durations and
 * failed attempts per queue and job name.
 */
@Injectable()
export class JobMetrics implements OnApplicationBootstrap {
  private readonly duration: Histogram<'queue' | 'name' | 'outcome'>;
  private readonly failures: Counter<'queue' | 'name'>;
  private queues: Queue[] = [];

  constructor(
    private readonly metrics: MetricsService,
    private readonly discovery: DiscoveryService,
    private readonly modules: ModuleRef,
  ) {
    const registers = [metrics.registry];
    this.duration = new Histogram({
      name: 'worker_job_duration_seconds',
      help: 'Time a job attempt took, by queue, job name and outcome (completed, failed)',
      labelNames: ['queue', 'name', 'outcome'],
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
      registers,
    });
    this.failures = new Counter({
      name: 'worker_job_failures_total',
      help: 'Failed job attempts (a retried job counts each failed attempt), by queue and job name',
      labelNames: ['queue', 'name'],
      registers,
    });
    const queuesNow = () => this.queues;
    new Gauge({
      name: 'worker_queue_jobs',
      help: 'Jobs in each queue by state (waiting, active, delayed, failed)',
      labelNames: ['queue', 'state'],
      registers,
      async collect() {
        const queues = queuesNow();
        const counts = await Promise.all(queues.map((queue) => queue.getJobCounts(...STATES)));
        queues.forEach((queue, i) => {
          for (const state of STATES) this.set({ queue: queue.name, state }, counts[i][state] ?? 0);
        });
      },
    });
  }

  /** The queues and the processors' BullMQ workers exist once the module has been initialised. */
  onApplicationBootstrap(): void {
    this.queues = Object.values(QUEUES).map((name) => this.modules.get<Queue>(getQueueToken(name), { strict: false }));
    for (const wrapper of this.discovery.getProviders()) {
      const host: unknown = wrapper.instance;
      if (!(host instanceof WorkerHost)) continue;
      const worker = host.worker;
      worker.on('completed', (job: Job) => this.observe(worker.name, job, 'completed'));
      worker.on('failed', (job: Job | undefined) => {
        if (!job) return;
        this.failures.inc({ queue: worker.name, name: job.name });
        this.observe(worker.name, job, 'failed');
      });
    }
  }

  private observe(queue: string, job: Job, outcome: 'completed' | 'failed'): void {
    if (job.processedOn === undefined) return;
    this.duration.observe({ queue, name: job.name, outcome }, Math.max(0, (job.finishedOn ?? Date.now()) - job.processedOn) / 1000);
  }
}
