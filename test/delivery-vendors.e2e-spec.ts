import { NotificationsService } from '@jiaxiao/notifications';
import { FakeWechat } from './support/fake-wechat';
import { FAKE_PHONES, startFakeSmsVendors } from './support/fake-sms-vendors';
import { createTestContext, TestContext } from './support/harness';

/**
 * The delivery router against outside vendors: WeCom 家校沟通 for a school that uses it, WeChat
 * HTTP 5xx retried, and SMS through the Aliyun provider (a fake speaking its API) retried with
 * backoff on a retryable error and given up on a permanent one.
 */

interface Delivery {
  channel: string;
  provider: string;
  status: string;
  detail: string | null;
  attempts: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function eventually<T>(probe: () => Promise<T | undefined | false>, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

describe('delivery router against WeCom and an SMS vendor (parent-api, worker)', () => {
  let ctx: TestContext;
  let wechat: FakeWechat;
  let sms: Awaited<ReturnType<typeof startFakeSmsVendors>>;
  let schoolId: string;
  let groupId: string;

  beforeAll(async () => {
    wechat = await new FakeWechat().start();
    sms = await startFakeSmsVendors();
    // The school's id comes from the seeded template every test database is cloned from.
    const probe = await createTestContext({ apps: [] });
    [{ id: schoolId }] = await probe.query<{ id: string }>(`SELECT id FROM schools WHERE name = '潍坊七中'`);
    await probe.close();
    ctx = await createTestContext({
      apps: ['parent', 'worker'],
      env: {
        ...wechat.env({ WECHAT_TEMPLATE_NOTICE: 'tmpl-notice', FAMILY_QUIET_HOURS: '00:00-00:00' }),
        WECOM_CORP_ID: wechat.corpId,
        WECOM_SECRET: wechat.corpSecret,
        WECOM_AGENT_ID: '1000002',
        WECOM_API_BASE: wechat.url,
        WECOM_SCHOOL_IDS: schoolId,
        SMS_PROVIDER: 'aliyun',
        SMS_SIGN_NAME: '潍坊家校共育',
        SMS_TEMPLATE_IDS: 'notice_urgent:SMS_11,notice_unconfirmed:SMS_12',
        SMS_ACCESS_KEY_ID: 'id',
        SMS_ACCESS_KEY_SECRET: 'secret',
        SMS_ENDPOINT: sms.url,
      },
    });
    [{ id: groupId }] = await ctx.query<{ id: string }>(
      `SELECT id FROM conversations WHERE kind = 'class_group' AND school_id = '${schoolId}' AND title LIKE '%初一(1)班'`,
    );
  });

  afterAll(async () => {
    await ctx?.close();
    await wechat?.stop();
    await sms?.close();
  });

  it('sends a WeCom 家校消息 (not a 公众号 template) to a parent of a WeCom school who bound WeCom', async () => {
    const parent = await ctx.login('13900000003');
    const bound = await ctx
      .parent()
      .post('/me/identities/wecom')
      .set('authorization', `Bearer ${parent}`)
      .send({ code: wechat.issueWecomCode('parent-3-wecom') });
    expect(bound.status).toBe(200);
    expect(bound.body.provider).toBe('wecom');

    const teacher = await ctx.login('13900000002');
    const res = await ctx
      .parent()
      .post(`/conversations/${groupId}/messages`)
      .set('authorization', `Bearer ${teacher}`)
      .send({ clientMsgId: 'wecom-1', type: 'notice', title: '校园开放日', text: '周六上午校园开放日，欢迎家长参加。' });
    expect(res.status).toBe(201);
    const sent = await eventually(async () => wechat.sent.find((m) => m.api === 'wecom'), 'the WeCom message');
    expect(sent.body).toMatchObject({ to_parent_userid: ['parent-3-wecom'], agentid: 1000002, msgtype: 'text' });
    expect((sent.body.text as { content: string }).content).toContain('校园开放日');
    const [row] = await eventually(async () => {
      const r = await ctx.query<Delivery>(
        `SELECT d.channel, d.provider, d.status, d.detail, d.attempts FROM notification_deliveries d JOIN notifications n ON n.id = d.notification_id JOIN users u ON u.id = n.user_id WHERE u.phone = '13900000003' AND d.channel = 'wechat'`,
      );
      return r.length > 0 && r;
    }, 'the wecom delivery row');
    expect(row).toMatchObject({ provider: 'wecom', status: 'sent', attempts: 1 });
    expect(wechat.tokenRequests.wecom).toBe(1);
  });

  it('retries an SMS the vendor throttled with backoff, and gives up at once on an invalid number', async () => {
    const [throttled, invalid] = await ctx.query<{ id: string }>(
      `INSERT INTO users (phone, name, status) VALUES ('${FAKE_PHONES.throttled}', '流控家长', 'active'), ('${FAKE_PHONES.invalid}', '错号家长', 'active') RETURNING id`,
    );
    const notifications = ctx.apps.worker!.get(NotificationsService);
    const rows = await notifications.create(
      [throttled.id, invalid.id].map((userId) => ({
        userId,
        kind: 'notice.unconfirmed',
        title: '【未确认】请确认通知：返校',
        body: '请确认返校通知。',
        data: { title: '返校', urgent: true },
        deliverAt: new Date(),
      })),
    );
    await notifications.dispatch(rows);

    const smsOf = async (userId: string) =>
      (
        await ctx.query<Delivery>(
          `SELECT d.channel, d.provider, d.status, d.detail, d.attempts FROM notification_deliveries d JOIN notifications n ON n.id = d.notification_id WHERE n.user_id = '${userId}' AND d.channel = 'sms'`,
        )
      )[0];
    const retried = await eventually(async () => {
      const row = await smsOf(throttled.id);
      return row && row.attempts >= 2 && row;
    }, 'a second SMS attempt');
    expect(retried).toMatchObject({ provider: 'aliyun', status: 'queued', detail: expect.stringContaining('BUSINESS_LIMIT_CONTROL') });
    const permanent = await smsOf(invalid.id);
    expect(permanent).toMatchObject({ status: 'failed', attempts: 1, detail: expect.stringContaining('MOBILE_NUMBER_ILLEGAL') });
    const calls = sms.requests.filter((r) => r.params.PhoneNumbers === FAKE_PHONES.invalid);
    expect(calls).toHaveLength(1);
  });
});
