import request from 'supertest';
import { createTestContext, TestContext } from './support/harness';
import { currentTemplate, testEnv, withDatabase } from './support/env';
import {
  copyDatabase,
  PrivatePostgres,
  PrivateRedis,
  privateServersAvailable,
  startPrivatePostgres,
  startPrivateRedis,
} from './support/private-services';
import { RealtimeClient } from './support/realtime-client';

/**
 * Outages under traffic, on a PostgreSQL and a Redis of this test's own (spare ports, temporary
 * directory) that it stops and starts while parents and a teacher keep writing messages: while
 * either is away every answer is a 2xx or a 503 SERVICE_UNAVAILABLE with Retry-After (never a
 * 500), socket acks say SERVICE_UNAVAILABLE, the apps recover without a restart, and every write
 * that was acknowledged is in the database afterwards. Needs the PostgreSQL server binaries and
 * redis-server (skipped on the embedded-database setup, where there is no server to stop).
 */

const GROUP_TITLE = '潍坊七中 初一(1)班';
const describeWithServers = testEnv.databaseUrl && privateServersAvailable() ? describe : describe.skip;

describeWithServers('outages of PostgreSQL and Redis', () => {
  let pg: PrivatePostgres | undefined;
  let redis: PrivateRedis | undefined;
  let ctx: TestContext | undefined;
  let pgUp = false;
  let redisUp = false;
  let groupId: string;
  let socket: RealtimeClient;
  const tokens: string[] = [];
  const acknowledged: string[] = [];
  const seen = new Map<number | string, number>();
  const badAnswers: string[] = [];
  let serial = 0;

  beforeAll(async () => {
    pg = await startPrivatePostgres();
    pgUp = true;
    redis = await startPrivateRedis();
    redisUp = true;
    await copyDatabase(withDatabase(testEnv.databaseUrl as string, currentTemplate()), pg.url);
    ctx = await createTestContext({ apps: ['parent', 'gateway'], databaseUrl: pg.url, redisUrl: redis.url });
    for (const phone of ['13900000002', '13900000003', '13900000004']) tokens.push(await ctx.login(phone));
    [{ id: groupId }] = await ctx.query<{ id: string }>(
      `select id::text from conversations where kind = 'class_group' and title = '${GROUP_TITLE}'`,
    );
    socket = await RealtimeClient.connect(ctx.urls.gateway as string, tokens[1]);
  }, 120_000);

  afterAll(async () => {
    // Bring both back first, so the apps can close cleanly; then remove everything.
    socket?.close();
    if (pg && !pgUp) pg.start();
    if (redis && !redisUp) await redis.start();
    await ctx?.close().catch(() => undefined);
    await redis?.destroy();
    pg?.destroy();
  }, 60_000);

  /** Writes messages round-robin as three users and reads /me, for `ms`; records every answer. */
  async function traffic(ms: number): Promise<Map<number | string, number>> {
    const statuses = new Map<number | string, number>();
    const deadline = Date.now() + ms;
    const base = ctx!.urls.parent as string;
    while (Date.now() < deadline) {
      const token = tokens[serial % tokens.length];
      const clientMsgId = `outage-${++serial}`;
      const answers = await Promise.all([
        request(base)
          .post(`/conversations/${groupId}/messages`)
          .set('Authorization', `Bearer ${token}`)
          .send({ clientMsgId, type: 'text', text: `消息 ${serial}` })
          .timeout(8000)
          .catch((e: Error) => e),
        request(base)
          .get('/me')
          .set('Authorization', `Bearer ${token}`)
          .timeout(8000)
          .catch((e: Error) => e),
      ]);
      for (const [i, res] of answers.entries()) {
        const key = res instanceof Error ? 'timeout' : res.status;
        statuses.set(key, (statuses.get(key) ?? 0) + 1);
        seen.set(key, (seen.get(key) ?? 0) + 1);
        if (res instanceof Error) continue;
        if (i === 0 && res.status === 201) acknowledged.push(clientMsgId);
        if (res.status >= 500 && (res.status !== 503 || res.body.code !== 'SERVICE_UNAVAILABLE' || res.headers['retry-after'] !== '5')) {
          badAnswers.push(`${res.status} ${JSON.stringify(res.body)} retry-after=${res.headers['retry-after']}`);
        }
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    return statuses;
  }

  async function until(what: string, check: () => Promise<boolean>, ms = 20_000): Promise<void> {
    const deadline = Date.now() + ms;
    while (Date.now() < deadline) {
      if (await check().catch(() => false)) return;
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`${what} did not happen within ${ms} ms`);
  }

  it('PostgreSQL stopped mid-traffic: 503 with Retry-After, socket acks SERVICE_UNAVAILABLE, recovery without a restart', async () => {
    const before = await traffic(1000);
    expect(before.get(201)).toBeGreaterThan(0);

    pg!.stop();
    pgUp = false;
    const during = await traffic(2500);
    expect(during.get(503)).toBeGreaterThan(0);
    expect(during.get(201) ?? 0).toBe(0);
    const ack = await socket.emit('message:send', {
      conversationId: groupId,
      clientMsgId: `outage-socket-${serial}`,
      type: 'text',
      text: '数据库不可用时',
    });
    expect(ack).toEqual(expect.objectContaining({ ok: false, code: 'SERVICE_UNAVAILABLE' }));
    const health = await ctx!.parent().get('/health');
    expect(health.status).toBe(503);

    pg!.start();
    pgUp = true;
    await until(
      'parent-api answers again',
      async () => (await ctx!.parent().get('/me').set('Authorization', `Bearer ${tokens[0]}`)).status === 200,
    );
    const after = await traffic(1000);
    expect(after.get(201)).toBeGreaterThan(0);
    await until(
      'the socket sends again',
      async () =>
        (
          await socket.emit('message:send', {
            conversationId: groupId,
            clientMsgId: `outage-socket-ok-${serial++}`,
            type: 'text',
            text: '恢复',
          })
        ).ok === true,
    );
  }, 60_000);

  it('Redis stopped mid-traffic: no 500, login and socket sends answer SERVICE_UNAVAILABLE, recovery without a restart', async () => {
    await redis!.stop();
    redisUp = false;
    const during = await traffic(2000);
    expect(during.get(503)).toBeGreaterThan(0);
    const login = await ctx!.parent().post('/auth/login').send({ phone: '13900000003', password: 'Jiaxiao#2016' });
    expect({ status: login.status, code: login.body.code, retryAfter: login.headers['retry-after'] }).toEqual({
      status: 503,
      code: 'SERVICE_UNAVAILABLE',
      retryAfter: '5',
    });
    const ack = await socket.emit('message:send', {
      conversationId: groupId,
      clientMsgId: `outage-socket-r-${serial}`,
      type: 'text',
      text: 'Redis 不可用时',
    });
    expect(ack).toEqual(expect.objectContaining({ ok: false, code: 'SERVICE_UNAVAILABLE' }));

    await redis!.start();
    redisUp = true;
    await until(
      'login works again',
      async () => (await ctx!.parent().post('/auth/login').send({ phone: '13900000003', password: 'Jiaxiao#2016' })).status === 200,
    );
    const after = await traffic(1000);
    expect(after.get(201)).toBeGreaterThan(0);
  }, 60_000);

  it('never answered 500, and every acknowledged write is stored', async () => {
    expect(badAnswers).toEqual([]);
    expect(seen.get(500) ?? 0).toBe(0);
    expect(acknowledged.length).toBeGreaterThan(5);
    const stored = await ctx!.query<{ client_msg_id: string }>(`select client_msg_id from messages where client_msg_id like 'outage-%'`);
    const ids = new Set(stored.map((r) => r.client_msg_id));
    expect(acknowledged.filter((id) => !ids.has(id))).toEqual([]);
  });
});
