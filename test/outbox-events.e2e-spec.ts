import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { DomainEvents, EventName, QUEUES } from '@jiaxiao/common';
import { ElectionService } from '@jiaxiao/committees';
import { ConversationService, LectureRoomService } from '@jiaxiao/messaging';
import { NotificationsService, UnpushedSweep } from '@jiaxiao/notifications';
import { OutboxService } from '@jiaxiao/platform';
import { createLecture, demoPlaces, HOUR, minutesFromNow } from './support/courses';
import { createTestContext, TestContext } from './support/harness';
import { RealtimeClient } from './support/realtime-client';

/**
 * Every domain event is delivered at least once, so each handler must make a repeat harmless: the
 * events of reminders, tallies and lecture changes, each handed on twice (the same row, as a relay
 * that died after its handlers ran but before deleting it would hand it on again), queue their job
 * once; the events a group follows queue a sync per delivery, and the syncs leave the group as one would.
 */
describe('domain events delivered twice have one effect', () => {
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
  const jobIds = async (name: keyof typeof QUEUES, job: string) =>
    (await queue(name).getJobs(['waiting', 'delayed', 'active', 'completed'])).filter((j) => j.name === job).map((j) => j.id);

  /** Writes the event and relays it, then writes the same row (same id) again and relays it again. */
  async function deliverTwice<E extends EventName>(name: E, payload: DomainEvents[E]): Promise<number> {
    const json = JSON.stringify(payload);
    const [{ id }] = await ctx.query<{ id: string }>(
      `insert into outbox_events (name, payload) values ('${name}', '${json}') returning id::text`,
    );
    for (let round = 0; round < 2; round += 1) {
      if (round > 0) await ctx.query(`insert into outbox_events (id, name, payload) values (${id}, '${name}', '${json}')`);
      await outbox.relayDue();
      expect(await ctx.query(`select 1 from outbox_events where name = '${name}'`)).toEqual([]);
    }
    return Number(id);
  }

  it('class-notice.reminder-requested: one reminder round per request', async () => {
    const messageId = randomUUID();
    await deliverTwice('class-notice.reminder-requested', { messageId, round: 1_700_000_000_000 });
    expect((await jobIds('notifications', 'notice.fanout')).filter((id) => id?.includes(messageId))).toEqual([
      `remind-${messageId}-1700000000000`,
    ]);
  });

  it('school-notice.reminder-requested: one reminder round per request', async () => {
    const noticeId = randomUUID();
    await deliverTwice('school-notice.reminder-requested', { noticeId, round: 1_700_000_000_000 });
    expect((await jobIds('notifications', 'school-notice.fanout')).filter((id) => id?.includes(noticeId))).toEqual([
      `school-notice-remind-${noticeId}-1700000000000`,
    ]);
  });

  it('lecture.rescheduled and lecture.cancelled: the reminders move or go once, and the notices written with the event are pushed by one job', async () => {
    const lectureId = randomUUID();
    const [from, to] = [Date.now() + 3 * 86_400_000, Date.now() + 4 * 86_400_000].map((t) =>
      new Date(Math.round(t / 1000) * 1000).toISOString(),
    );
    const reminders = async () =>
      (await queue('courses').getJobs(['delayed']))
        .filter((j) => j.data.lectureId === lectureId)
        .map((j) => j.id)
        .sort();
    const moved = await deliverTwice('lecture.rescheduled', { lectureId, from, to });
    expect(await reminders()).toEqual([
      `lecture-remind-${lectureId}-1h-${Date.parse(to)}`,
      `lecture-remind-${lectureId}-24h-${Date.parse(to)}`,
    ]);
    const cancelled = await deliverTwice('lecture.cancelled', { lectureId, startsAt: to });
    expect(await reminders()).toEqual([]);
    const dispatches = (await jobIds('notifications', 'notification.dispatch')).filter(
      (id) => id === `dispatch-lecture-event-${moved}` || id === `dispatch-lecture-event-${cancelled}`,
    );
    expect(dispatches.sort()).toEqual([`dispatch-lecture-event-${cancelled}`, `dispatch-lecture-event-${moved}`].sort());
  });

  it('registration.promoted: the notices written with the promotion are pushed by one job', async () => {
    const promoted = await deliverTwice('registration.promoted', { lectureId: randomUUID() });
    expect((await jobIds('notifications', 'notification.dispatch')).filter((id) => id === `dispatch-lecture-event-${promoted}`)).toEqual([
      `dispatch-lecture-event-${promoted}`,
    ]);
  });

  it('election.opened and nomination.made: the notices written with the opening or the nomination are pushed by one job each', async () => {
    const [electionId, nominationId] = [randomUUID(), randomUUID()];
    await deliverTwice('election.opened', { electionId, votingEndsAt: new Date(Date.now() + 86_400_000).toISOString() });
    await deliverTwice('nomination.made', { electionId, nominationId });
    const dispatches = (await jobIds('notifications', 'notification.dispatch')).filter(
      (id) => id === `dispatch-election-open-${electionId}` || id === `dispatch-nomination-${nominationId}`,
    );
    expect(dispatches.sort()).toEqual([`dispatch-election-open-${electionId}`, `dispatch-nomination-${nominationId}`].sort());
    expect((await jobIds('committees', 'election.tally')).filter((id) => id?.includes(electionId))).toEqual([
      `election-tally-${electionId}`,
    ]);
  });

  it('election.tallied: one announcement (the result’s pushes) per election', async () => {
    const electionId = randomUUID();
    await deliverTwice('election.tallied', { electionId });
    expect((await jobIds('committees', 'election.announce')).filter((id) => id?.includes(electionId))).toEqual([
      `election-announce-${electionId}`,
    ]);
  });
  it('committee.members-changed: the group follows the committee, and says who left once, however often it is delivered and synced', async () => {
    const [{ id: committeeId }] = await ctx.query<{ id: string }>(`select id::text from committees where name = '初一(1)班家长委员会'`);
    // A seat ended around the service, as if the request's own sync had been lost with its process.
    const [{ user_id: leaver }] = await ctx.query<{ user_id: string }>(
      `update committee_members set term_ends_on = current_date - 1 where committee_id = '${committeeId}'
         and user_id = (select id from users where phone = '13700000001') returning user_id::text`,
    );
    await deliverTwice('committee.members-changed', { committeeId });
    const syncs = (await queue('messaging').getJobs(['waiting'])).filter(
      (j) => j.name === 'conversation.sync-committee' && j.data.committeeId === committeeId,
    );
    expect(syncs).toHaveLength(2);
    const group = async () =>
      (
        await ctx.query<{ phone: string; role: string }>(
          `select u.phone, m.role from conversations c join conversation_members m on m.conversation_id = c.id join users u on u.id = m.user_id
            where c.kind = 'committee_group' and c.ref_id = '${committeeId}' order by u.phone`,
        )
      ).map((m) => `${m.phone}:${m.role}`);
    const conversations = ctx.apps.admin!.get(ConversationService, { strict: false });
    await conversations.syncCommitteeGroup(syncs[0].data.committeeId);
    const synced = await group();
    expect(synced).toEqual(expect.arrayContaining(['13900000004:staff', '13700000002:staff', '13900000001:staff']));
    expect(synced.some((m) => m.startsWith('13700000001:'))).toBe(false);
    await conversations.syncCommitteeGroup(syncs[1].data.committeeId);
    expect(await group()).toEqual(synced);
    const [{ n }] = await ctx.query<{ n: number }>(
      `select count(*)::int as n from messages m join conversations c on c.id = m.conversation_id
        where c.kind = 'committee_group' and c.ref_id = '${committeeId}' and m.type = 'system'
          and m.payload->'system'->>'event' = 'left' and m.payload->'system'->'userIds' @> '["${leaver}"]'::jsonb`,
    );
    expect(n).toBe(1);
  });

  it('lecture.published and registration.made: the Q&A room a crash left unopened is opened once, with its organiser and registrant', async () => {
    const coordinator = await ctx.login('13900000001', 'admin');
    const places = await demoPlaces(ctx);
    const startsAt = minutesFromNow(3 * 24 * 60);
    const lecture = await createLecture(ctx, coordinator, places.wf7, { startsAt, endsAt: new Date(startsAt.getTime() + HOUR) }, false);
    // Published and registered around the services: as if both processes died right after their commits.
    await ctx.query(`update lectures set status = 'published' where id = '${lecture.id}'`);
    const [{ id: userId }] = await ctx.query<{ id: string }>(
      `insert into registrations (lecture_id, user_id, status) select '${lecture.id}', id, 'registered' from users where phone = '13900000003' returning user_id::text as id`,
    );
    expect(await ctx.query(`select 1 from conversations where ref_id = '${lecture.id}'`)).toEqual([]);
    await deliverTwice('lecture.published', { lectureId: lecture.id, startsAt: startsAt.toISOString() });
    await deliverTwice('registration.made', { lectureId: lecture.id, userId });
    const syncs = (await queue('messaging').getJobs(['waiting'])).filter(
      (j) => j.name === 'conversation.sync-lecture-room' && j.data.lectureId === lecture.id,
    );
    expect(syncs).toHaveLength(4);
    const rooms = ctx.apps.admin!.get(LectureRoomService, { strict: false });
    for (const job of syncs) await rooms.sync(job.data.lectureId);
    const members = await ctx.query<{ phone: string; role: string }>(
      `select u.phone, m.role from conversations c join conversation_members m on m.conversation_id = c.id join users u on u.id = m.user_id
        where c.kind = 'lecture_room' and c.ref_id = '${lecture.id}' order by u.phone`,
    );
    expect(members).toEqual([
      { phone: '13900000001', role: 'staff' },
      { phone: '13900000003', role: 'member' },
    ]);
  });
});

describe('an election tallied through the outbox', () => {
  let ctx: TestContext;

  beforeAll(async () => {
    ctx = await createTestContext({ apps: ['admin'] });
  });
  afterAll(async () => {
    await ctx?.close();
  });

  it('commits the result’s inbox entries with the count and queues one announcement, which pushes each once however often it runs', async () => {
    const coordinator = await ctx.login('13900000001', 'admin');
    const [{ id: committeeId }] = await ctx.query<{ id: string }>(`select id::text from committees where name = '初一(1)班家长委员会'`);
    const now = Date.now();
    const opened = await ctx
      .admin()
      .post(`/committees/${committeeId}/elections`)
      .set({ Authorization: `Bearer ${coordinator}` })
      .send({
        title: '家委会宣传委员选举',
        role: 'member',
        seats: 1,
        nominationStartsAt: new Date(now - 120_000).toISOString(),
        nominationEndsAt: new Date(now - 60_000).toISOString(),
        votingStartsAt: new Date(now - 60_000).toISOString(),
        votingEndsAt: new Date(now + 3_600_000).toISOString(),
      })
      .expect(201);
    const electionId = opened.body.id as string;
    await ctx
      .admin()
      .post(`/elections/${electionId}/close`)
      .set({ Authorization: `Bearer ${coordinator}` })
      .expect(200);

    const results = () =>
      ctx.query<{ id: string; pushed: boolean }>(
        `select id::text, pushed_at is not null as pushed from notifications where kind = 'election.result' and data->>'electionId' = '${electionId}'`,
      );
    const written = await results();
    expect(written.length).toBeGreaterThan(0);
    expect(written.every((n) => !n.pushed)).toBe(true);
    const queue = ctx.apps.admin!.get<Queue>(getQueueToken(QUEUES.committees), { strict: false });
    expect(await queue.getJobState(`election-announce-${electionId}`)).toBe('waiting');

    // The worker's job, run twice: every entry pushed, one realtime delivery each.
    const elections = ctx.apps.admin!.get(ElectionService, { strict: false });
    await elections.announce(electionId);
    await elections.announce(electionId);
    expect((await results()).every((n) => n.pushed)).toBe(true);
    const [{ n }] = await ctx.query<{ n: number }>(
      `select count(*)::int as n from notification_deliveries d join notifications n on n.id = d.notification_id where n.kind = 'election.result' and n.data->>'electionId' = '${electionId}' and d.channel = 'realtime'`,
    );
    expect(n).toBe(written.length);
  });
});

describe('a lecture cancelled through the outbox', () => {
  let ctx: TestContext;

  beforeAll(async () => {
    ctx = await createTestContext({ apps: ['admin'] });
  });
  afterAll(async () => {
    await ctx?.close();
  });

  it('commits the registrants’ notices with the cancellation and queues one push job, which pushes each once however often it runs', async () => {
    const coordinator = await ctx.login('13900000001', 'admin');
    const places = await demoPlaces(ctx);
    const startsAt = minutesFromNow(3 * 24 * 60);
    const lecture = await createLecture(ctx, coordinator, places.wf7, { startsAt, endsAt: new Date(startsAt.getTime() + HOUR) });
    await ctx.query(
      `insert into registrations (lecture_id, user_id, status) select '${lecture.id}', id, 'registered' from users where phone in ('13900000002', '13900000003')`,
    );
    await ctx
      .admin()
      .post(`/lectures/${lecture.id}/cancel`)
      .set({ Authorization: `Bearer ${coordinator}` })
      .expect(200);

    const notices = () =>
      ctx.query<{ pushed: boolean; key: string }>(
        `select pushed_at is not null as pushed, dedupe_key as key from notifications where kind = 'lecture.cancelled' and data->>'lectureId' = '${lecture.id}'`,
      );
    const written = await notices();
    expect(written).toHaveLength(2);
    expect(written.every((n) => !n.pushed)).toBe(true);
    const queue = ctx.apps.admin!.get<Queue>(getQueueToken(QUEUES.notifications), { strict: false });
    const key = written[0].key;
    expect(await queue.getJobState(`dispatch-${key.replaceAll(':', '-')}`)).toBe('waiting');

    // The worker's job, run twice: each notice pushed, one realtime delivery each.
    const notifications = ctx.apps.admin!.get(NotificationsService, { strict: false });
    await notifications.dispatchBulk(key);
    await notifications.dispatchBulk(key);
    expect((await notices()).every((n) => n.pushed)).toBe(true);
    const [{ n }] = await ctx.query<{ n: number }>(
      `select count(*)::int as n from notification_deliveries d join notifications n on n.id = d.notification_id where n.dedupe_key = '${key}' and d.channel = 'realtime'`,
    );
    expect(n).toBe(2);
  });
});

describe('the sweep of unpushed inbox entries', () => {
  let ctx: TestContext;
  const clients: RealtimeClient[] = [];

  beforeAll(async () => {
    ctx = await createTestContext({ apps: ['parent', 'gateway'] });
  });
  afterAll(async () => {
    for (const client of clients) client.close();
    await ctx?.close();
  });

  it('leaves alone what the batcher pushed, and pushes an entry a crash left unpushed once, even sweeping twice at a time', async () => {
    const [teacher, chen] = [await ctx.login('13900000002'), await ctx.login('13900000003')];
    const [{ id: teacherId }] = await ctx.query<{ id: string }>(`select id::text from users where phone = '13900000002'`);
    const [{ id: chenId }] = await ctx.query<{ id: string }>(`select id::text from users where phone = '13900000003'`);
    const client = await RealtimeClient.connect(ctx.urls.gateway as string, chen);
    clients.push(client);
    const direct = await ctx
      .parent()
      .post('/conversations/direct')
      .set({ Authorization: `Bearer ${chen}` })
      .send({ userId: teacherId })
      .expect(201);
    const sent = await ctx
      .parent()
      .post(`/conversations/${direct.body.id}/messages`)
      .set({ Authorization: `Bearer ${teacher}` })
      .send({ clientMsgId: 'sweep-batched', type: 'text', text: '明天下午家访，方便吗？' })
      .expect(201);
    const [batched] = await ctx.query<{ id: string }>(
      `select id::text from notifications where dedupe_key = 'message:${sent.body.message.id}'`,
    );
    await client.next<{ id: string }>('notification:new', (n) => n.id === batched.id);

    // Both due long enough for the sweep: the batched entry (pushed) and one a crash left unpushed.
    await ctx.query(`update notifications set deliver_at = now() - interval '2 minutes' where id = '${batched.id}'`);
    const [lost] = await ctx.query<{ id: string }>(
      `insert into notifications (user_id, kind, title, body, data, dedupe_key, deliver_at)
       values ('${chenId}', 'message.direct', '王老师', '请回复', '{}', 'message:sweep-lost', now() - interval '2 minutes') returning id::text`,
    );
    const sweep = ctx.apps.parent!.get(UnpushedSweep, { strict: false });
    await Promise.all([sweep.sweep(), sweep.sweep()]);
    await client.next<{ id: string }>('notification:new', (n) => n.id === lost.id);
    expect(await sweep.sweep()).toBe(0);

    await sleep(300);
    for (const id of [batched.id, lost.id]) {
      expect(client.received<{ id: string }>('notification:new', (n) => n.id === id)).toHaveLength(1);
      const [{ n }] = await ctx.query<{ n: number }>(
        `select count(*)::int as n from notification_deliveries where notification_id = '${id}' and channel = 'realtime'`,
      );
      expect(n).toBe(1);
    }
  });
});
