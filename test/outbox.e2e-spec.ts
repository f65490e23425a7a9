import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import request from 'supertest';
import { QUEUES } from '@jiaxiao/common';
import { DEMO_PASSWORD } from '../seeds/demo.seed';
import { createTestContext, TestContext } from './support/harness';
import { RealtimeClient } from './support/realtime-client';
import { testEnv } from './support/env';
import { freePort } from './support/ports';

/**
 * The transactional outbox through the real apps: admin-api dies between committing a school
 * notice with its `school-notice.posted` event and handing the event on; the notice is there, the
 * event waits in the outbox, and the worker's relay fans the notice out, once, even when the event
 * is delivered again (a relay that died after its handlers ran but before deleting the event).
 * The same for a class notice (parent-api dies) and for a lecture's publication, whose reminder jobs
 * the relay queues and later events move or drop. A direct message's push, which is no event, is
 * swept by the worker when its gateway dies between the commit and the push.
 */
const root = join(__dirname, '..');

async function until<T>(what: string, probe: () => Promise<T | undefined>, limitMs = 60_000): Promise<T> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

const PORT_VARIABLES = { 'admin-api': 'ADMIN_API_PORT', 'parent-api': 'PARENT_API_PORT', gateway: 'GATEWAY_PORT' } as const;

/**
 * A built app on this file's database that kills itself right after a change commits with its event,
 * before publishing it (or, with die-before-push.js, right after a direct message commits, before its push).
 */
async function startDying(app: keyof typeof PORT_VARIABLES, store: TestContext, preload = 'die-after-commit.js') {
  const port = await freePort();
  const { config } = store;
  const portVariable = PORT_VARIABLES[app];
  const child = spawn(process.execPath, ['--require', join(__dirname, 'support', preload), join(root, `dist/apps/${app}/src/main.js`)], {
    cwd: root,
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'test',
      [portVariable]: String(port),
      DATABASE_URL: config.DATABASE_URL,
      REDIS_URL: config.REDIS_URL,
      REDIS_PREFIX: config.REDIS_PREFIX,
      JWT_SECRET: config.JWT_SECRET,
      LOG_LEVEL: 'silent',
    },
    stdio: 'ignore',
  });
  const exited = new Promise<string | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
  const url = `http://127.0.0.1:${port}`;
  await until(`${app} up`, async () =>
    (
      await request(url)
        .get('/health')
        .catch(() => undefined)
    )?.status === 200
      ? true
      : undefined,
  );
  return { child, exited, url };
}

// A second process shares the test's database only on PostgreSQL.
const describeOnPostgres = testEnv.databaseUrl ? describe : describe.skip;

/** A describe's own database, the dying app it starts and the worker started after it: all stopped when the describe ends. */
function scenario() {
  const run = {} as { store: TestContext; worker?: TestContext; child?: ChildProcess };
  beforeAll(async () => {
    run.store = await createTestContext({ apps: [] });
  });
  afterAll(async () => {
    if (run.child && run.child.exitCode === null && run.child.signalCode === null) run.child.kill('SIGKILL');
    await run.worker?.close();
    await run.store.close();
  });
  return run;
}

describeOnPostgres('domain events through the outbox (admin-api killed after commit, worker relay)', () => {
  const run = scenario();

  it('delivers a committed event whose producer died before publishing it, and its side effect happens once', async () => {
    const { config } = run.store;
    let exited: Promise<string | null>;
    let url: string;
    ({ child: run.child, exited, url } = await startDying('admin-api', run.store));
    const login = await request(url).post('/auth/login').send({ phone: '13900000001', password: DEMO_PASSWORD }).expect(200);
    const [{ id: schoolId }] = await run.store.query<{ id: string }>("select id::text from schools where name = '潍坊七中'");

    const posting = request(url).post('/school-notices').set('Authorization', `Bearer ${login.body.accessToken}`).send({
      audience: 'families',
      schoolId,
      title: '校务公开：冬季作息时间调整',
      body: '自下周一起，到校时间调整为 7:50。',
      needsAck: true,
    });
    await expect(posting).rejects.toThrow();
    expect(await exited).toBe('SIGKILL');

    // Committed: the notice and its event. Nobody has fanned it out.
    const [notice] = await run.store.query<{ id: string; recipient_count: number | null }>(
      "select id::text, recipient_count from school_notices where title = '校务公开：冬季作息时间调整'",
    );
    expect(notice.recipient_count).toBeNull();
    const waiting = await run.store.query<{ name: string; payload: { noticeId: string } }>('select name, payload from outbox_events');
    expect(waiting).toEqual([{ name: 'school-notice.posted', payload: { noticeId: notice.id } }]);

    // The worker's relay picks it up: the notice reaches every family of the school.
    const ctx = (run.worker = await createTestContext({
      apps: ['worker'],
      databaseUrl: config.DATABASE_URL,
      env: { OUTBOX_RELAY_MS: '100', FAMILY_QUIET_HOURS: '00:00-00:00' },
    }));
    const recipients = await until('the fan-out', async () => {
      const [row] = await run.store.query<{ recipient_count: number | null }>(
        `select recipient_count from school_notices where id = '${notice.id}'`,
      );
      return row.recipient_count ?? undefined;
    });
    expect(recipients).toBeGreaterThan(0);
    await until('the outbox emptied', async () => ((await run.store.query('select 1 from outbox_events')).length === 0 ? true : undefined));
    const inbox = async () =>
      (
        await run.store.query<{ n: number }>(
          `select count(*)::int as n from notifications where kind = 'school_notice.new' and data->>'schoolNoticeId' = '${notice.id}'`,
        )
      )[0].n;
    const delivered = await until('the inbox entries', async () => {
      const n = await inbox();
      return n >= recipients ? n : undefined;
    });
    expect(delivered).toBe(recipients);

    // Delivered again (at least once): nothing is queued or written twice.
    await run.store.query(`insert into outbox_events (name, payload) values ('school-notice.posted', '{"noticeId": "${notice.id}"}')`);
    await until('the repeated event handled', async () =>
      (await run.store.query('select 1 from outbox_events')).length === 0 ? true : undefined,
    );
    const queue = ctx.apps.worker!.get<Queue>(getQueueToken(QUEUES.notifications), { strict: false });
    const fanouts = (await queue.getJobs(['completed', 'active', 'waiting', 'delayed'])).filter(
      (job) => job.name === 'school-notice.fanout',
    );
    expect(fanouts.map((job) => job.id)).toEqual([`school-notice-${notice.id}`]);
    await sleep(500);
    expect(await inbox()).toBe(recipients);
  });
});

describeOnPostgres('a class notice through the outbox (parent-api killed after commit, worker relay)', () => {
  const run = scenario();

  it('fans out a notice whose sender’s app died after the commit, once, and queues its SMS escalation', async () => {
    const { config } = run.store;
    let exited: Promise<string | null>;
    let url: string;
    ({ child: run.child, exited, url } = await startDying('parent-api', run.store));
    const login = await request(url).post('/auth/login').send({ phone: '13900000002', password: DEMO_PASSWORD }).expect(200);
    const [{ id: groupId }] = await run.store.query<{ id: string }>(
      "select id::text from conversations where kind = 'class_group' and title = '潍坊七中 初一(1)班'",
    );

    const sending = request(url)
      .post(`/conversations/${groupId}/messages`)
      .set('Authorization', `Bearer ${login.body.accessToken}`)
      .send({ clientMsgId: 'outbox-notice-1', type: 'notice', title: '家长会通知', text: '本周五下午三点召开家长会。', needsAck: true });
    await expect(sending).rejects.toThrow();
    expect(await exited).toBe('SIGKILL');

    // Committed: the notice and its event. Nobody has an inbox entry yet.
    const [message] = await run.store.query<{ id: string }>("select id::text from messages where client_msg_id = 'outbox-notice-1'");
    const waiting = await run.store.query<{ name: string; payload: { messageId: string; needsAck: boolean } }>(
      'select name, payload from outbox_events',
    );
    expect(waiting).toEqual([{ name: 'class-notice.posted', payload: expect.objectContaining({ messageId: message.id, needsAck: true }) }]);
    const inbox = async () =>
      (
        await run.store.query<{ n: number }>(
          `select count(*)::int as n from notifications where kind = 'notice.new' and data->>'messageId' = '${message.id}'`,
        )
      )[0].n;
    expect(await inbox()).toBe(0);

    // The worker's relay hands it on: every other member of the group gets the notice.
    const ctx = (run.worker = await createTestContext({
      apps: ['worker'],
      databaseUrl: config.DATABASE_URL,
      env: { OUTBOX_RELAY_MS: '100', FAMILY_QUIET_HOURS: '00:00-00:00' },
    }));
    const [{ n: members }] = await run.store.query<{ n: number }>(
      `select count(*)::int - 1 as n from conversation_members where conversation_id = '${groupId}'`,
    );
    expect(members).toBeGreaterThan(0);
    expect(await until('the inbox entries', async () => ((await inbox()) >= members ? inbox() : undefined))).toBe(members);
    await until('the outbox emptied', async () => ((await run.store.query('select 1 from outbox_events')).length === 0 ? true : undefined));

    // Delivered again: one fan-out job and one escalation, however often the event comes.
    const payload = JSON.stringify(waiting[0].payload).replace(/'/g, "''");
    await run.store.query(`insert into outbox_events (name, payload) values ('class-notice.posted', '${payload}')`);
    await until('the repeated event handled', async () =>
      (await run.store.query('select 1 from outbox_events')).length === 0 ? true : undefined,
    );
    const queue = ctx.apps.worker!.get<Queue>(getQueueToken(QUEUES.notifications), { strict: false });
    const jobs = (await queue.getJobs(['completed', 'active', 'waiting', 'delayed'])).filter(
      (job) => job.name === 'notice.fanout' || job.name === 'notice.escalate',
    );
    expect(jobs.map((job) => job.id).sort()).toEqual([`escalate-${message.id}`, `notice-${message.id}`]);
    await sleep(500);
    expect(await inbox()).toBe(members);
  });
});

describeOnPostgres('lecture reminders through the outbox (admin-api killed after publishing a lecture, worker relay)', () => {
  const run = scenario();

  it('queues the 24 h and 1 h reminders of a lecture whose publisher died after the commit, once, and moves them with it', async () => {
    const { config } = run.store;
    let exited: Promise<string | null>;
    let url: string;
    ({ child: run.child, exited, url } = await startDying('admin-api', run.store));
    const login = await request(url).post('/auth/login').send({ phone: '13900000001', password: DEMO_PASSWORD }).expect(200);
    const token = `Bearer ${login.body.accessToken}`;
    const [{ id: schoolId }] = await run.store.query<{ id: string }>("select id::text from schools where name = '潍坊七中'");
    const startsAt = new Date(Math.ceil((Date.now() + 3 * 86_400_000) / 1_800_000) * 1_800_000);
    const created = await request(url)
      .post('/lectures')
      .set('Authorization', token)
      .send({
        series: 'parents_forum',
        title: '父母大讲堂：outbox 提醒',
        audience: { scope: 'school', schoolId },
        mode: 'offline',
        startsAt: startsAt.toISOString(),
        endsAt: new Date(startsAt.getTime() + 3_600_000).toISOString(),
        creditHours: 1,
        venue: '报告厅',
      })
      .expect(201);
    const lectureId = created.body.id as string;

    await expect(request(url).post(`/lectures/${lectureId}/publish`).set('Authorization', token)).rejects.toThrow();
    expect(await exited).toBe('SIGKILL');

    // Committed: the lecture is published and its event waits in the outbox.
    const [lecture] = await run.store.query<{ status: string }>(`select status from lectures where id = '${lectureId}'`);
    expect(lecture.status).toBe('published');
    const waiting = await run.store.query<{ name: string; payload: unknown }>('select name, payload from outbox_events');
    expect(waiting).toEqual([{ name: 'lecture.published', payload: { lectureId, startsAt: startsAt.toISOString() } }]);

    // The worker's relay queues both reminders, with the ids a live publish would have given them.
    const ctx = (run.worker = await createTestContext({
      apps: ['worker'],
      databaseUrl: config.DATABASE_URL,
      env: { OUTBOX_RELAY_MS: '100' },
    }));
    await until('the outbox emptied', async () => ((await run.store.query('select 1 from outbox_events')).length === 0 ? true : undefined));
    const queue = ctx.apps.worker!.get<Queue>(getQueueToken(QUEUES.courses), { strict: false });
    const reminders = async () =>
      (await queue.getJobs(['delayed', 'waiting', 'active', 'completed']))
        .filter((job) => job.name === 'lecture.remind' && job.data.lectureId === lectureId)
        .map((job) => job.id as string)
        .sort();
    const ids = (at: Date) => [`lecture-remind-${lectureId}-1h-${at.getTime()}`, `lecture-remind-${lectureId}-24h-${at.getTime()}`];
    expect(await reminders()).toEqual(ids(startsAt));
    expect(await queue.getJobState(ids(startsAt)[1])).toBe('delayed');

    // Delivered again: still one job per window.
    await run.store.query(
      `insert into outbox_events (name, payload) values ('lecture.published', '${JSON.stringify({ lectureId, startsAt: startsAt.toISOString() })}')`,
    );
    await until('the repeated event handled', async () =>
      (await run.store.query('select 1 from outbox_events')).length === 0 ? true : undefined,
    );
    expect(await reminders()).toEqual(ids(startsAt));

    // A move recorded twice (as a relay that died before deleting it would hand it on): the reminders follow, once.
    const moved = new Date(startsAt.getTime() + 86_400_000);
    const rescheduled = JSON.stringify({ lectureId, from: startsAt.toISOString(), to: moved.toISOString() });
    await run.store.query(
      `insert into outbox_events (name, payload) values ('lecture.rescheduled', '${rescheduled}'), ('lecture.rescheduled', '${rescheduled}')`,
    );
    await until('the move handled', async () => ((await run.store.query('select 1 from outbox_events')).length === 0 ? true : undefined));
    expect(await reminders()).toEqual(ids(moved));

    // Cancelled (twice): no reminder is left.
    const cancelled = JSON.stringify({ lectureId, startsAt: moved.toISOString() });
    await run.store.query(
      `insert into outbox_events (name, payload) values ('lecture.cancelled', '${cancelled}'), ('lecture.cancelled', '${cancelled}')`,
    );
    await until('the cancellation handled', async () =>
      (await run.store.query('select 1 from outbox_events')).length === 0 ? true : undefined,
    );
    expect(await reminders()).toEqual([]);
  });
});

describeOnPostgres('a direct message’s push swept by the worker (gateway killed between the commit and the push)', () => {
  let ctx: TestContext;
  let child: ChildProcess | undefined;
  const clients: RealtimeClient[] = [];

  beforeAll(async () => {
    ctx = await createTestContext({ apps: ['parent', 'gateway', 'worker'] });
  });
  afterAll(async () => {
    for (const client of clients) client.close();
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await ctx?.close();
  });

  it('pushes the recipient’s inbox entry once, by the sweep job, and a later sweep adds nothing', async () => {
    const [teacher, chen] = [await ctx.login('13900000002'), await ctx.login('13900000003')];
    const [{ id: teacherId }] = await ctx.query<{ id: string }>(`select id::text from users where phone = '13900000002'`);
    const direct = await ctx
      .parent()
      .post('/conversations/direct')
      .set({ Authorization: `Bearer ${chen}` })
      .send({ userId: teacherId })
      .expect(201);
    const recipient = await RealtimeClient.connect(ctx.urls.gateway as string, chen);
    clients.push(recipient);

    // The teacher's gateway commits the message with its inbox entry, then dies before the push.
    let exited: Promise<string | null>;
    let url: string;
    ({ child, exited, url } = await startDying('gateway', ctx, 'die-before-push.js'));
    const sender = await RealtimeClient.connect(url, teacher);
    clients.push(sender);
    sender.socket.emit('message:send', {
      conversationId: direct.body.id,
      clientMsgId: 'swept-1',
      type: 'text',
      text: '明天下午家访，方便吗？',
    });
    expect(await exited).toBe('SIGKILL');
    const entry = async () =>
      (
        await ctx.query<{ id: string; pushed: boolean }>(
          `select n.id::text, n.pushed_at is not null as pushed from notifications n join messages m on n.dedupe_key = 'message:' || m.id
            where m.client_msg_id = 'swept-1'`,
        )
      )[0];
    const lost = await entry();
    expect(lost).toEqual({ id: expect.any(String), pushed: false });

    // Due for longer than the sweep's grace, the worker's sweep job (every minute; queued here at once) pushes it.
    const queue = ctx.apps.worker!.get<Queue>(getQueueToken(QUEUES.notifications), { strict: false });
    expect(await queue.getJobScheduler('notification-sweep')).toEqual(expect.objectContaining({ every: 60_000 }));
    await ctx.query(`update notifications set deliver_at = deliver_at - interval '1 minute' where id = '${lost.id}'`);
    await queue.add('notification.sweep', {});
    await recipient.next<{ id: string }>('notification:new', (n) => n.id === lost.id);
    expect((await entry()).pushed).toBe(true);

    // Swept again: nothing more reaches the recipient.
    const again = await queue.add('notification.sweep', {});
    await until('the second sweep', async () => ((await again.getState()) === 'completed' ? true : undefined));
    await sleep(300);
    expect(recipient.received<{ id: string }>('notification:new', (n) => n.id === lost.id)).toHaveLength(1);
    const [{ n }] = await ctx.query<{ n: number }>(
      `select count(*)::int as n from notification_deliveries where notification_id = '${lost.id}' and channel = 'realtime'`,
    );
    expect(n).toBe(1);
  });
});
