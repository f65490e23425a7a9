import { randomUUID } from 'node:crypto';
import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { DomainEvents, EventName, QUEUES } from '@jiaxiao/common';
import { OutboxService } from '@jiaxiao/platform';
import { createTestContext, TestContext } from './support/harness';

/**
 * Every domain event is delivered at least once, so each handler must make a repeat harmless: the
 * events of reminders and tallies, each recorded twice (as a relay that died after its handlers
 * ran but before deleting them would hand them on again), queue their job once.
 */
describe('domain events delivered twice queue their job once', () => {
  let ctx: TestContext;
  let outbox: OutboxService;

  beforeAll(async () => {
    ctx = await createTestContext({ apps: ['admin'] });
    outbox = ctx.apps.admin!.get(OutboxService, { strict: false });
  });
  afterAll(async () => {
    await ctx?.close();
  });

  const queue = (name: keyof typeof QUEUES) => ctx.apps.admin!.get<Queue>(getQueueToken(QUEUES[name]), { strict: false });
  const jobIds = async (name: keyof typeof QUEUES, job: string) => (await queue(name).getJobs(['waiting', 'delayed', 'active', 'completed'])).filter((j) => j.name === job).map((j) => j.id);

  /** Writes the event twice, as a repeated delivery would present it, and relays both. */
  async function deliverTwice<E extends EventName>(name: E, payload: DomainEvents[E]): Promise<void> {
    const json = JSON.stringify(payload);
    await ctx.query(`insert into outbox_events (name, payload) values ('${name}', '${json}'), ('${name}', '${json}')`);
    await outbox.relayDue();
    expect(await ctx.query(`select 1 from outbox_events where name = '${name}'`)).toEqual([]);
  }

  it('class-notice.reminder-requested: one reminder round per request', async () => {
    const messageId = randomUUID();
    await deliverTwice('class-notice.reminder-requested', { messageId, round: 1_700_000_000_000 });
    expect((await jobIds('notifications', 'notice.fanout')).filter((id) => id?.includes(messageId))).toEqual([`remind-${messageId}-1700000000000`]);
  });

  it('school-notice.reminder-requested: one reminder round per request', async () => {
    const noticeId = randomUUID();
    await deliverTwice('school-notice.reminder-requested', { noticeId, round: 1_700_000_000_000 });
    expect((await jobIds('notifications', 'school-notice.fanout')).filter((id) => id?.includes(noticeId))).toEqual([`school-notice-remind-${noticeId}-1700000000000`]);
  });

  it('election.tallied: one announcement (group sync and pushes) per election', async () => {
    const electionId = randomUUID();
    await deliverTwice('election.tallied', { electionId });
    expect((await jobIds('committees', 'election.announce')).filter((id) => id?.includes(electionId))).toEqual([`election-announce-${electionId}`]);
  });
});
