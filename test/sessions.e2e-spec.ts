import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { listen } from '@jiaxiao/platform';
import { createGateway } from '../apps/gateway/src/gateway.app';
import { DEMO_PASSWORD } from '../seeds/demo.seed';
import { freshFamily } from './support/families';
import { createTestContext, TestContext } from './support/harness';
import { RealtimeClient } from './support/realtime-client';

/**
 * Sessions end on sockets too, on every gateway node: two gateway apps share this file's Redis,
 * as two nodes behind the sticky proxy do. Access tokens live 10 s here, so expiry can be watched while a logout
 * on a loaded machine still comes well before it (at 5 s a slow run saw its socket expire first).
 */
describe('sessions end everywhere (two gateway nodes)', () => {
  let ctx: TestContext;
  let second: NestFastifyApplication;
  let urls: string[];
  const clients: RealtimeClient[] = [];

  /** A session of the account: each test signs in a fresh family of its own, twice where it needs two sessions. */
  const login = async (phone: string) =>
    (await ctx.parent().post('/auth/login').send({ phone, password: DEMO_PASSWORD }).expect(200)).body as {
      accessToken: string;
      refreshToken: string;
    };
  const connect = async (node: number, token: string) => {
    const client = await RealtimeClient.connect(urls[node], token);
    clients.push(client);
    return client;
  };
  const ended = (client: RealtimeClient) => new Promise<string>((resolve) => client.socket.once('disconnect', (reason) => resolve(reason)));

  beforeAll(async () => {
    ctx = await createTestContext({ apps: ['parent', 'gateway'], env: { ACCESS_TOKEN_TTL: '10', SOCKET_SESSION_RECHECK_SECONDS: '1' } });
    second = await createGateway(ctx.infra);
    urls = [ctx.urls.gateway!, await listen(second, 0)];
  });
  afterAll(async () => {
    for (const client of clients) client.close();
    await second?.close();
    await ctx?.close();
  });

  it('logout disconnects the session’s sockets on both nodes, and only that session’s', async () => {
    const { phone } = await freshFamily(ctx, { signIn: false });
    const [session, bystander] = [await login(phone), await login(phone)];
    const a = await connect(0, session.accessToken);
    const b = await connect(1, session.accessToken);
    const other = await connect(1, bystander.accessToken);
    const endings = Promise.all([ended(a), ended(b)]);
    await ctx.parent().post('/auth/logout').set('Authorization', `Bearer ${session.accessToken}`).expect(204);
    expect(await endings).toEqual(['io server disconnect', 'io server disconnect']);
    expect(a.received('session:ended')).toEqual([{ reason: 'revoked' }]);
    expect(other.socket.connected).toBe(true);
    other.close();
  });

  it('a reused refresh token revokes the session and its sockets on both nodes', async () => {
    const session = await login((await freshFamily(ctx, { signIn: false })).phone);
    const a = await connect(0, session.accessToken);
    const b = await connect(1, session.accessToken);
    const endings = Promise.all([ended(a), ended(b)]);
    await ctx.parent().post('/auth/refresh').send({ refreshToken: session.refreshToken }).expect(200);
    const reuse = await ctx.parent().post('/auth/refresh').send({ refreshToken: session.refreshToken }).expect(401);
    expect(reuse.body.code).toBe('REFRESH_TOKEN_REUSED');
    expect(await endings).toEqual(['io server disconnect', 'io server disconnect']);
  });

  it('an account disabled in the database loses its socket at its next event', async () => {
    const { phone } = await freshFamily(ctx, { name: '将停用', signIn: false });
    const session = await login(phone);
    const client = await connect(1, session.accessToken);
    const ending = ended(client);
    await ctx.query(`update users set status = 'disabled' where phone = '${phone}'`);
    await new Promise((r) => setTimeout(r, 1100));
    // The event is refused and the socket ends (the ack may not make it before the disconnect).
    const ack = await client
      .emit('conversation:sync', { conversationId: '00000000-0000-4000-8000-000000000000', afterSeq: 0 })
      .catch(() => 'disconnected');
    expect(ack === 'disconnected' || (typeof ack === 'object' && !ack.ok && ack.code === 'TOKEN_INVALID')).toBe(true);
    expect(await ending).toBe('io server disconnect');
    expect(client.received('session:ended')).toEqual([{ reason: 'revoked' }]);
  });

  it('a socket ends when its access token expires, unless the client re-authenticates with auth:refresh', async () => {
    const { phone } = await freshFamily(ctx, { signIn: false });
    const quiet = await login(phone);
    const kept = await login(phone);
    const firstExpiry = Date.now() + 10_000; // no earlier than the kept token's own expiry
    const expiring = await connect(0, quiet.accessToken);
    const refreshed = await connect(1, kept.accessToken);
    const expiringEnded = ended(expiring);

    await new Promise((r) => setTimeout(r, 2000));
    const fresh = await ctx.parent().post('/auth/refresh').send({ refreshToken: kept.refreshToken }).expect(200);
    const foreign = await refreshed.emit('auth:refresh', { token: quiet.accessToken });
    expect(foreign).toMatchObject({ ok: false, code: 'TOKEN_INVALID' });
    const ack = await refreshed.emit<{ expiresAt: string }>('auth:refresh', { token: fresh.body.accessToken });
    expect(ack.ok).toBe(true);
    if (ack.ok) expect(new Date(ack.expiresAt).getTime()).toBeGreaterThan(firstExpiry);

    expect(await expiringEnded).toBe('io server disconnect');
    expect(expiring.received('session:ended')).toEqual([{ reason: 'expired' }]);
    // The re-authenticated socket outlives the first token …
    expect(refreshed.socket.connected).toBe(true);
    const sync = await refreshed.emit('conversation:sync', { conversationId: '00000000-0000-4000-8000-000000000000', afterSeq: 0 });
    expect(sync).toMatchObject({ ok: false, code: 'FORBIDDEN' }); // handled as usual, not refused as a dead session
    // … and ends with the second.
    expect(await ended(refreshed)).toBe('io server disconnect');
  }, 40_000);
});
