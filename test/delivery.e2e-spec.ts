import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { QUEUES } from '@jiaxiao/common';
import { ClassNoticeService } from '@jiaxiao/messaging';
import { FakeWechat } from './support/fake-wechat';
import { createTestContext, TestContext } from './support/harness';

/**
 * The delivery router through the real parent-api, admin-api and worker: WeChat template
 * messages against a fake WeChat server, SMS through the development provider (read back
 * from GET /dev/outbox), delivery rows in this file's database.
 */

interface Delivery {
  channel: string;
  provider: string;
  status: string;
  detail: string | null;
  attempts: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function eventually<T>(probe: () => Promise<T | undefined | false>, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

/** A quiet window around the current Shanghai time, so "now" is inside it whatever the hour. */
function quietAroundNow(): string {
  const minute = (Math.floor(Date.now() / 60_000) + 8 * 60) % 1440;
  const hhmm = (m: number) =>
    `${String(Math.floor(((m + 1440) % 1440) / 60)).padStart(2, '0')}:${String((m + 1440) % 60).padStart(2, '0')}`;
  return `${hhmm(minute - 60)}-${hhmm(minute + 120)}`;
}

async function setup(wechat: FakeWechat, quietHours: string) {
  const ctx = await createTestContext({
    apps: ['parent', 'admin', 'worker'],
    env: wechat.env({
      WECHAT_TEMPLATE_NOTICE: 'tmpl-notice',
      WECHAT_TEMPLATE_HOURS: 'tmpl-hours',
      FAMILY_QUIET_HOURS: quietHours,
      SMS_MONTHLY_BUDGET: '500',
    }),
  });
  const teacher = await ctx.login('13900000002');
  const [group] = await ctx.query<{ id: string; school_id: string }>(
    `SELECT id, school_id FROM conversations WHERE kind = 'class_group' AND title LIKE '%初一(1)班' AND school_id = (SELECT id FROM schools WHERE name = '潍坊七中')`,
  );
  const users = new Map(
    (await ctx.query<{ id: string; phone: string }>(`SELECT id, phone FROM users WHERE phone IN ('13900000003', '13900000004')`)).map(
      (u) => [u.phone, u.id],
    ),
  );
  return { ctx, teacher, group, users };
}

async function bind(ctx: TestContext, wechat: FakeWechat, phone: string, openid: string): Promise<void> {
  const token = await ctx.login(phone);
  const res = await ctx
    .parent()
    .post('/me/identities/wechat')
    .set('authorization', `Bearer ${token}`)
    .send({ code: wechat.issueCode(openid) });
  expect(res.status).toBe(200);
}

async function sendNotice(
  ctx: TestContext,
  teacher: string,
  conversationId: string,
  body: { title: string; needsAck?: boolean; emergency?: boolean },
): Promise<string> {
  const res = await ctx
    .parent()
    .post(`/conversations/${conversationId}/messages`)
    .set('authorization', `Bearer ${teacher}`)
    .send({ clientMsgId: `n-${Date.now()}-${Math.random()}`, type: 'notice', text: `${body.title}：请各位家长留意。`, ...body });
  expect(res.status).toBe(201);
  return res.body.message.id as string;
}

async function deliveries(ctx: TestContext, userId: string, messageId: string, kind: string): Promise<Delivery[]> {
  return ctx.query<Delivery>(
    `SELECT d.channel, d.provider, d.status, d.detail, d.attempts FROM notification_deliveries d JOIN notifications n ON n.id = d.notification_id
     WHERE n.user_id = '${userId}' AND n.kind = '${kind}' AND n.data->>'messageId' = '${messageId}' ORDER BY d.channel`,
  );
}

async function outbox(ctx: TestContext, phone: string): Promise<{ template: string; params: Record<string, string> }[]> {
  return (await ctx.parent().get('/dev/outbox').query({ phone })).body.items;
}

describe('delivery router (parent-api, admin-api, worker, fake WeChat, development SMS)', () => {
  let ctx: TestContext;
  let wechat: FakeWechat;
  let teacher: string;
  let group: { id: string; school_id: string };
  let users: Map<string, string>;

  beforeAll(async () => {
    wechat = await new FakeWechat().start();
    ({ ctx, teacher, group, users } = await setup(wechat, '00:00-00:00'));
    await bind(ctx, wechat, '13900000003', 'openid-3');
    await bind(ctx, wechat, '13900000004', 'openid-4');
  });

  afterAll(async () => {
    await ctx?.close();
    await wechat?.stop();
  });

  it('pushes a template message to a bound parent (an HTTP 502 retried), and when the token expires mid-run refreshes it and retries once', async () => {
    wechat.failNextSends = 1;
    const first = await sendNotice(ctx, teacher, group.id, { title: '周五家长会' });
    const sent = await eventually(async () => wechat.sent.find((m) => m.body.touser === 'openid-3'), 'the first template message');
    expect(sent.api).toBe('template');
    expect(sent.body.template_id).toBe('tmpl-notice');
    expect((sent.body.data as Record<string, { value: string }>).first.value).toBe('【通知】周五家长会');
    expect((sent.body.data as Record<string, { value: string }>).keyword1.value).toBe('潍坊七中');
    const rows = await eventually(async () => {
      const r = await deliveries(ctx, users.get('13900000003')!, first, 'notice.new');
      return r.some((d) => d.channel === 'wechat') && r;
    }, 'the delivery rows');
    expect(rows).toEqual([
      expect.objectContaining({ channel: 'realtime', status: 'sent' }),
      expect.objectContaining({ channel: 'wechat', provider: 'wechat_mp', status: 'sent', detail: expect.any(String), attempts: 1 }),
    ]);
    expect(wechat.failNextSends).toBe(0);
    // An ordinary notice is not worth a text message.
    expect(await outbox(ctx, '13900000003')).toEqual([]);

    const tokensBefore = wechat.tokenRequests.mp;
    wechat.expireTokens();
    const second = await sendNotice(ctx, teacher, group.id, { title: '下周一升旗仪式' });
    const resent = await eventually(
      async () =>
        wechat.sent.find(
          (m) => m.body.touser === 'openid-3' && (m.body.data as Record<string, { value: string }>).first.value.includes('升旗'),
        ),
      'the template message after the token expired',
    );
    expect(resent.token).not.toBe(sent.token);
    await eventually(
      async () =>
        (await deliveries(ctx, users.get('13900000003')!, second, 'notice.new')).find((d) => d.channel === 'wechat' && d.status === 'sent'),
      'the second wechat row',
    );
    await eventually(
      async () =>
        (await deliveries(ctx, users.get('13900000004')!, second, 'notice.new')).find((d) => d.channel === 'wechat' && d.status === 'sent'),
      'the other parent’s wechat row',
    );
    // One refresh for every send that met the expired token: the token is shared and refreshed by one caller.
    expect(wechat.tokenRequests.mp - tokensBefore).toBe(1);
  });

  it('a parent who refused WeChat messages gets the 回执 reminder by SMS instead, without a second WeChat try', async () => {
    wechat.refusing.add('openid-4');
    const notice = await sendNotice(ctx, teacher, group.id, { title: '春游回执', needsAck: true });
    await eventually(
      async () => (await deliveries(ctx, users.get('13900000004')!, notice, 'notice.new')).find((d) => d.channel === 'wechat'),
      'the notice’s wechat row',
    );
    const remind = await ctx.parent().post(`/messages/${notice}/remind`).set('authorization', `Bearer ${teacher}`);
    expect(remind.status).toBe(202);

    const sms = await eventually(
      async () => (await outbox(ctx, '13900000004')).find((m) => m.template === 'notice_unconfirmed'),
      'the fallback SMS',
    );
    expect(sms.params).toEqual({ school: '潍坊七中', title: '春游回执' });
    const rows = await deliveries(ctx, users.get('13900000004')!, notice, 'notice.remind');
    expect(rows.find((d) => d.channel === 'wechat')).toMatchObject({
      status: 'refused',
      attempts: 1,
      detail: expect.stringContaining('43101'),
    });
    expect(rows.find((d) => d.channel === 'sms')).toMatchObject({ provider: 'dev', status: 'sent', attempts: 1 });
    // Parent 3 took the WeChat reminder: no SMS for them.
    await eventually(
      async () =>
        (await deliveries(ctx, users.get('13900000003')!, notice, 'notice.remind')).find(
          (d) => d.channel === 'wechat' && d.status === 'sent',
        ),
      'parent 3’s reminder',
    );
    expect((await outbox(ctx, '13900000003')).filter((m) => m.template === 'notice_unconfirmed')).toEqual([]);
    wechat.refusing.delete('openid-4');
  });

  it('sends 回执 still unconfirmed after NOTICE_SMS_AFTER_HOURS by SMS to the families that have not confirmed', async () => {
    const notice = await sendNotice(ctx, teacher, group.id, { title: '体检通知', needsAck: true });
    const queue = ctx.apps.worker!.get<Queue>(getQueueToken(QUEUES.notifications));
    const job = await queue.getJob(`escalate-${notice}`);
    expect(job?.name).toBe('notice.escalate');
    expect(job?.opts.delay).toBe(24 * 3_600_000);

    const parent3 = await ctx.login('13900000003');
    expect((await ctx.parent().post(`/messages/${notice}/ack`).set('authorization', `Bearer ${parent3}`)).status).toBeLessThan(300);
    // The delayed job coming due: run its handler now rather than wait a day.
    await ctx.apps.worker!.get(ClassNoticeService).escalateNotice(notice);

    const sms = await eventually(
      async () => (await outbox(ctx, '13900000004')).find((m) => m.template === 'notice_unconfirmed' && m.params.title === '体检通知'),
      'the unconfirmed SMS',
    );
    expect(sms.params.school).toBe('潍坊七中');
    const rows = await deliveries(ctx, users.get('13900000004')!, notice, 'notice.unconfirmed');
    expect(rows.find((d) => d.channel === 'sms')).toMatchObject({ status: 'sent' });
    // Must arrive: SMS as well as WeChat.
    expect(rows.find((d) => d.channel === 'wechat')).toMatchObject({ status: 'sent' });
    const confirmed = await ctx.query(
      `SELECT 1 FROM notifications WHERE user_id = '${users.get('13900000003')}' AND kind = 'notice.unconfirmed'`,
    );
    expect(confirmed).toEqual([]);
  });

  it('stops SMS at the school’s monthly budget (recorded as skipped) and shows the budget to the school’s staff only', async () => {
    const coordinator = await ctx.login('13900000001', 'admin');
    const before = await ctx.admin().get(`/schools/${group.school_id}/sms-budget`).set('authorization', `Bearer ${coordinator}`);
    expect(before.status).toBe(200);
    expect(before.body).toMatchObject({
      schoolId: group.school_id,
      limit: 500,
      source: 'default',
      month: expect.stringMatching(/^\d{4}-\d{2}$/),
    });
    expect(before.body.used).toBeGreaterThan(0);

    const foreign = await ctx.login('13900000067', 'admin');
    expect((await ctx.admin().get(`/schools/${group.school_id}/sms-budget`).set('authorization', `Bearer ${foreign}`)).status).toBe(403);
    const byCoordinator = await ctx
      .admin()
      .put(`/schools/${group.school_id}/sms-budget`)
      .set('authorization', `Bearer ${coordinator}`)
      .send({ monthlyLimit: 5 });
    expect(byCoordinator.status).toBe(403);

    const city = await ctx.login('13900000000', 'admin');
    const limit = before.body.used + 1;
    const set = await ctx
      .admin()
      .put(`/schools/${group.school_id}/sms-budget`)
      .set('authorization', `Bearer ${city}`)
      .send({ monthlyLimit: limit });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ limit, remaining: 1, source: 'school' });
    expect(
      (await ctx.admin().put(`/schools/${group.school_id}/sms-budget`).set('authorization', `Bearer ${city}`).send({ monthlyLimit: -1 }))
        .status,
    ).toBe(400);

    const notice = await sendNotice(ctx, teacher, group.id, { title: '台风停课', emergency: true });
    await eventually(
      async () =>
        (await ctx.query(`SELECT 1 FROM notifications WHERE kind = 'notice.new' AND data->>'messageId' = '${notice}'`)).length > 0,
      'the fan-out',
    );
    const [{ n: families }] = await ctx.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM notifications WHERE kind = 'notice.new' AND data->>'messageId' = '${notice}' AND deliver_at <= now()`,
    );
    const smsRows = await eventually(async () => {
      const r = await ctx.query<{ status: string; detail: string | null }>(
        `SELECT d.status, d.detail FROM notification_deliveries d JOIN notifications n ON n.id = d.notification_id WHERE d.channel = 'sms' AND n.data->>'messageId' = '${notice}'`,
      );
      return r.length === families && r;
    }, 'an SMS row per recipient');
    expect(families).toBeGreaterThan(2);
    expect(smsRows.filter((r) => r.status === 'sent')).toHaveLength(1);
    expect(smsRows.filter((r) => r.status === 'skipped')).toHaveLength(families - 1);
    expect(smsRows.find((r) => r.status === 'skipped')?.detail).toMatch(/budget/);

    const after = await ctx.admin().get(`/schools/${group.school_id}/sms-budget`).set('authorization', `Bearer ${coordinator}`);
    expect(after.body).toMatchObject({ used: limit, remaining: 0 });
    const reset = await ctx
      .admin()
      .put(`/schools/${group.school_id}/sms-budget`)
      .set('authorization', `Bearer ${city}`)
      .send({ monthlyLimit: null });
    expect(reset.body).toMatchObject({ limit: 500, source: 'default' });
  });
});

describe('delivery router in quiet hours', () => {
  let ctx: TestContext;
  let wechat: FakeWechat;
  let teacher: string;
  let group: { id: string; school_id: string };
  let users: Map<string, string>;

  beforeAll(async () => {
    wechat = await new FakeWechat().start();
    ({ ctx, teacher, group, users } = await setup(wechat, quietAroundNow()));
    await bind(ctx, wechat, '13900000003', 'openid-q3');
  });

  afterAll(async () => {
    await ctx?.close();
    await wechat?.stop();
  });

  it('holds an ordinary notice until the quiet hours end, and lets an urgent one through at once by WeChat and SMS', async () => {
    const quiet = await sendNotice(ctx, teacher, group.id, { title: '明早交作业' });
    const urgent = await sendNotice(ctx, teacher, group.id, { title: '暴雨停课', emergency: true });
    await eventually(async () => wechat.sent.find((m) => m.body.touser === 'openid-q3'), 'the urgent template message');
    await eventually(async () => (await outbox(ctx, '13900000003')).find((m) => m.template === 'notice_urgent'), 'the urgent SMS');
    // The router records an SMS as sent once the provider has answered: wait for that row, not only for the outbox.
    const urgentRows = await eventually(async () => {
      const rows = await deliveries(ctx, users.get('13900000003')!, urgent, 'notice.new');
      return rows.some((d) => d.channel === 'sms' && d.status !== 'queued') && rows;
    }, 'the urgent SMS recorded');
    expect(urgentRows.map((d) => [d.channel, d.status])).toEqual([
      ['realtime', 'sent'],
      ['sms', 'sent'],
      ['wechat', 'sent'],
    ]);

    const [held] = await ctx.query<{ deliver_at: Date; pushed_at: Date | null }>(
      `SELECT deliver_at, pushed_at FROM notifications WHERE user_id = '${users.get('13900000003')}' AND data->>'messageId' = '${quiet}'`,
    );
    expect(new Date(held.deliver_at).getTime()).toBeGreaterThan(Date.now() + 60 * 60_000);
    expect(held.pushed_at).toBeNull();
    expect(await deliveries(ctx, users.get('13900000003')!, quiet, 'notice.new')).toEqual([]);
    expect(wechat.sent.filter((m) => (m.body.data as Record<string, { value: string }>).first.value.includes('明早'))).toEqual([]);
  });

  it('a reminder made in quiet hours reaches the inbox now but waits with WeChat until they end', async () => {
    const coordinator = await ctx.login('13900000001', 'admin');
    const [cls] = await ctx.query<{ id: string }>(
      `SELECT id FROM classes WHERE name = '初一(1)班' AND school_id = '${group.school_id}' LIMIT 1`,
    );
    const res = await ctx
      .admin()
      .post(`/reports/course-hours/classes/${cls.id}/reminders`)
      .set('authorization', `Bearer ${coordinator}`)
      .send({});
    expect(res.status).toBeLessThan(300);
    const row = await eventually(async () => {
      const [d] = await ctx.query<Delivery>(
        `SELECT d.channel, d.provider, d.status, d.detail, d.attempts FROM notification_deliveries d JOIN notifications n ON n.id = d.notification_id WHERE n.user_id = '${users.get('13900000003')}' AND n.kind = 'course.remind' AND d.channel = 'wechat'`,
      );
      return d;
    }, 'the held wechat row');
    expect(row).toMatchObject({ status: 'queued', attempts: 0, detail: expect.stringContaining('quiet hours') });
    expect(wechat.sent.filter((m) => m.body.template_id === 'tmpl-hours')).toEqual([]);
    const queue = ctx.apps.worker!.get<Queue>(getQueueToken(QUEUES.notifications));
    const delayed = await queue.getDelayed();
    expect(delayed.some((j) => j.name === 'notification.deliver')).toBe(true);
  });
});
