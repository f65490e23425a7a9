import type { Queue } from 'bullmq';
import { enqueue, enqueueMany, JOB_PRESETS } from './jobs';

/** A queue that records what it is given instead of writing to Redis. */
function recordingQueue(name: string) {
  const added: { name: string; data: unknown; opts: unknown }[] = [];
  const queue = {
    name,
    add: async (jobName: string, data: unknown, opts: unknown) => void added.push({ name: jobName, data, opts }),
    addBulk: async (jobs: { name: string; data: unknown; opts: unknown }[]) => void added.push(...jobs),
  };
  return { queue: queue as unknown as Queue, added };
}

describe('enqueue', () => {
  it("queues with the job's preset, and the call's id and delay on top", async () => {
    const { queue, added } = recordingQueue('courses');
    await enqueue(queue, 'report.export', { exportId: 'e1' }, { jobId: 'export-e1', delay: 5 });
    expect(added).toEqual([
      { name: 'report.export', data: { exportId: 'e1' }, opts: { ...JOB_PRESETS['report.export'], jobId: 'export-e1', delay: 5 } },
    ]);
  });

  it('refuses a job on a queue that does not carry it', async () => {
    const { queue, added } = recordingQueue('notifications');
    await expect(enqueue(queue, 'election.tally', { electionId: 'x' })).rejects.toThrow(
      'job election.tally belongs on queue committees, not notifications',
    );
    await expect(enqueueMany(queue, 'roster.import', [{ payload: { importId: 'i' } }])).rejects.toThrow('belongs on queue imports');
    expect(added).toEqual([]);
  });

  it('queues many in one call, each with the preset, and nothing for none', async () => {
    const { queue, added } = recordingQueue('notifications');
    await enqueueMany(queue, 'notification.push', []);
    expect(added).toEqual([]);
    await enqueueMany(queue, 'notification.push', [
      { payload: { notificationId: 'a' }, options: { jobId: 'a' } },
      { payload: { notificationId: 'b' } },
    ]);
    expect(added).toEqual([
      { name: 'notification.push', data: { notificationId: 'a' }, opts: { ...JOB_PRESETS['notification.push'], jobId: 'a' } },
      { name: 'notification.push', data: { notificationId: 'b' }, opts: JOB_PRESETS['notification.push'] },
    ]);
  });
});
