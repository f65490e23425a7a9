import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { QUEUES } from '@jiaxiao/common';
import { createTestContext, TestContext } from './support/harness';
import { RealtimeClient } from './support/realtime-client';

/** One sample of a Prometheus text exposition: the value of `name{labels…}` (every given label must match). */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const found = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([k, v]) => found[k] === v)) return Number(match[3]);
  }
  return undefined;
}

async function scrape(url: string): Promise<string> {
  const response = await fetch(`${url}/metrics`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toContain('text/plain');
  return response.text();
}

/** Scrapes until the condition holds (the worker records a job just after Redis does). */
async function scrapeUntil(url: string, holds: (text: string) => boolean): Promise<string> {
  for (;;) {
    const text = await scrape(url);
    if (holds(text)) return text;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('metrics', () => {
  describe('worker /metrics and /health on its own listener', () => {
    let ctx: TestContext;
    beforeAll(async () => {
      ctx = await createTestContext({ apps: ['worker'] });
    });
    afterAll(async () => {
      await ctx?.close();
    });

    it('answers /health with the state of PostgreSQL and Redis', async () => {
      const response = await fetch(`${ctx.urls.worker}/health`);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ status: 'ok', info: { database: { status: 'up' }, redis: { status: 'up' } } });
      expect((await fetch(`${ctx.urls.worker}/nothing`)).status).toBe(404);
    });

    it('shows queue depth, a completed job’s duration and a failed job', async () => {
      const url = ctx.urls.worker as string;
      const before = await scrape(url);
      for (const queue of Object.values(QUEUES)) {
        for (const state of ['waiting', 'active', 'delayed', 'failed'])
          expect(sample(before, 'worker_queue_jobs', { queue, state })).toBeGreaterThanOrEqual(0);
      }
      expect(sample(before, 'worker_job_failures_total', { queue: 'imports' })).toBeUndefined();
      expect(sample(before, 'worker_queue_jobs', { queue: 'imports', state: 'failed' })).toBe(0);

      const mailbox = ctx.apps.worker!.get<Queue>(getQueueToken(QUEUES.mailbox), { strict: false });
      await mailbox.add('mailbox.escalate', {}, { attempts: 1 });
      const imports = ctx.apps.worker!.get<Queue>(getQueueToken(QUEUES.imports), { strict: false });
      // An import id that is no id: the real handler's query fails, and with one attempt the job is failed for good.
      await imports.add('roster.import', { importId: 'not-a-uuid' }, { attempts: 1 });

      const after = await scrapeUntil(
        url,
        (text) =>
          (sample(text, 'worker_job_failures_total', { queue: 'imports', name: 'roster.import' }) ?? 0) >= 1 &&
          (sample(text, 'worker_job_duration_seconds_count', { queue: 'mailbox', name: 'mailbox.escalate', outcome: 'completed' }) ?? 0) >=
            1,
      );
      expect(sample(after, 'worker_job_duration_seconds_count', { queue: 'imports', name: 'roster.import', outcome: 'failed' })).toBe(1);
      expect(
        sample(after, 'worker_job_duration_seconds_sum', { queue: 'mailbox', name: 'mailbox.escalate', outcome: 'completed' }),
      ).toBeGreaterThanOrEqual(0);
      expect(sample(after, 'worker_queue_jobs', { queue: 'imports', state: 'failed' })).toBe(1);
    });
  });

  describe('gateway /metrics', () => {
    let ctx: TestContext;
    beforeAll(async () => {
      ctx = await createTestContext({ apps: ['parent', 'gateway'] });
    });
    afterAll(async () => {
      await ctx?.close();
    });

    it('counts connected sockets, events, ack latency and failed acks by code', async () => {
      const url = ctx.urls.gateway as string;
      expect(sample(await scrape(url), 'gateway_connected_sockets')).toBe(0);

      const client = await RealtimeClient.connect(url, await ctx.login('13900000003'));
      try {
        expect(sample(await scrape(url), 'gateway_connected_sockets')).toBe(1);
        const refused = await client.emit('conversation:sync', { conversationId: 'not-a-uuid', afterSeq: 0 });
        expect(refused).toMatchObject({ ok: false, code: 'BAD_REQUEST' });
        client.socket.emit('no:such-event', {});

        const text = await scrapeUntil(url, (t) => (sample(t, 'gateway_events_received_total', { event: 'unknown' }) ?? 0) >= 1);
        expect(sample(text, 'gateway_events_received_total', { event: 'conversation:sync' })).toBe(1);
        expect(sample(text, 'gateway_ack_latency_seconds_count', { event: 'conversation:sync' })).toBe(1);
        expect(sample(text, 'gateway_ack_latency_seconds_bucket', { event: 'conversation:sync', le: '+Inf' })).toBe(1);
        expect(sample(text, 'gateway_event_errors_total', { event: 'conversation:sync', code: 'BAD_REQUEST' })).toBe(1);
      } finally {
        client.close();
      }
      await scrapeUntil(url, (t) => sample(t, 'gateway_connected_sockets') === 0);
    });
  });
});
