import type { Job } from 'bullmq';
import { JobHandlers, QueueName } from '@jiaxiao/common';

/** Runs a job through its queue's handler map; a job name without a handler fails loudly. */
export async function dispatch<Q extends QueueName>(queue: Q, handlers: JobHandlers<Q>, job: Job): Promise<void> {
  const handler = (handlers as Record<string, ((payload: unknown) => Promise<void>) | undefined>)[job.name];
  if (!handler) throw new Error(`no handler for job ${job.name} on queue ${queue}`);
  await handler(job.data);
}
