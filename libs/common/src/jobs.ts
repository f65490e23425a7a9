/**
 * Queues and jobs shared by the producers (the APIs) and the worker. Payloads carry ids
 * only: the worker re-reads state from the database.
 */
export const QUEUES = {
  imports: 'imports',
} as const;
export type QueueName = keyof typeof QUEUES;

export interface JobPayloads {
  'roster.import': { importId: string };
}

export type JobName = keyof JobPayloads;

export const JOB_QUEUE = {
  'roster.import': 'imports',
} as const satisfies Record<JobName, QueueName>;

/** The jobs a queue carries: a processor's handler map must name each of them. */
export type JobsOfQueue<Q extends QueueName> = { [K in JobName]: (typeof JOB_QUEUE)[K] extends Q ? K : never }[JobName];

export type JobHandlers<Q extends QueueName> = { [K in JobsOfQueue<Q>]: (payload: JobPayloads[K]) => Promise<void> };
