import { Queue } from 'bullmq';
import { JobPayloads, QUEUES } from '@jiaxiao/common';
import { createTestContext, TestContext } from './support/harness';

async function until<T>(probe: () => Promise<T | undefined>, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('SMS delivery through the worker and the development outbox', () => {
  let ctx: TestContext;

  beforeAll(async () => {
    ctx = await createTestContext({ apps: ['parent', 'worker'] });
  });
  afterAll(() => ctx?.close());

  it('an sms.send job reaches the development provider and GET /dev/outbox lists it, newest first', async () => {
    const queue = new Queue(QUEUES.delivery, { connection: { url: ctx.config.REDIS_URL }, prefix: `${ctx.config.REDIS_PREFIX}:bull` });
    try {
      const phone = '13711110001';
      const send = (params: Record<string, string>): JobPayloads['sms.send'] => ({ phone, template: 'login_code', params });
      await queue.add('sms.send', send({ code: '111111', minutes: '5' }));
      await until(async () => ((await ctx.parent().get(`/dev/outbox?phone=${phone}`)).body.items.length === 1 ? true : undefined));
      await queue.add('sms.send', send({ code: '222222', minutes: '5' }));
      const items = await until(async () => {
        const body = (await ctx.parent().get(`/dev/outbox?phone=${phone}`)).body as { items: { params: { code: string } }[] };
        return body.items.length === 2 ? body.items : undefined;
      });
      expect(items.map((i) => i.params.code)).toEqual(['222222', '111111']);
      expect(items[0]).toEqual({
        channel: 'sms',
        phone,
        template: 'login_code',
        params: { code: '222222', minutes: '5' },
        createdAt: expect.any(String),
      });
      // Another phone's messages are not in this phone's list.
      expect((await ctx.parent().get('/dev/outbox?phone=13711110002')).body.items).toEqual([]);
      expect((await ctx.parent().get('/dev/outbox?phone=abc')).status).toBe(400);
    } finally {
      await queue.close();
    }
  });

  it('with a real SMS vendor configured, the outbox route does not exist', async () => {
    const vendor = await createTestContext({
      apps: ['parent'],
      env: {
        SMS_PROVIDER: 'aliyun',
        SMS_SIGN_NAME: '潍坊家校共育',
        SMS_TEMPLATE_IDS: 'login_code:SMS_1',
        SMS_ACCESS_KEY_ID: 'id',
        SMS_ACCESS_KEY_SECRET: 'secret',
      },
    });
    try {
      const response = await vendor.parent().get('/dev/outbox?phone=13711110001');
      expect(response.status).toBe(404);
      expect(response.body.code).toBe('ROUTE_NOT_FOUND');
    } finally {
      await vendor.close();
    }
  });
});
