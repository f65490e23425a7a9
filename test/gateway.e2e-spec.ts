import { io, Socket } from 'socket.io-client';
import request from 'supertest';
import { DEMO_PASSWORD } from '../seeds/demo.seed';
import { freshFamily } from './support/families';
import { createTestContext, TestContext } from './support/harness';

interface ConnectError extends Error {
  data?: { code?: string };
}

describe('gateway (Socket.IO handshake)', () => {
  let ctx: TestContext;
  const sockets: Socket[] = [];

  /** A client that does not retry, so a refusal is final and the test sees it once. */
  function connect(options: { auth?: Record<string, unknown>; headers?: Record<string, string>; polling?: boolean } = {}): Socket {
    const socket = io(ctx.urls.gateway as string, {
      auth: options.auth ?? {},
      extraHeaders: options.headers,
      transports: options.polling ? ['polling', 'websocket'] : ['websocket'],
      reconnection: false,
      forceNew: true,
    });
    sockets.push(socket);
    return socket;
  }

  const ready = (socket: Socket) =>
    new Promise<{ userId: string; roles: string[] }>((resolve, reject) => {
      socket.once('session:ready', resolve);
      socket.once('connect_error', reject);
    });

  const refused = (socket: Socket) =>
    new Promise<ConnectError>((resolve, reject) => {
      socket.once('connect_error', resolve);
      socket.once('connect', () => reject(new Error('the gateway accepted the connection')));
    });

  beforeAll(async () => {
    ctx = await createTestContext({ apps: ['gateway', 'parent'] });
  });
  afterAll(async () => {
    for (const socket of sockets) socket.disconnect();
    await ctx.close();
  });

  it('accepts a parent-api access token and sends session:ready with the user and roles', async () => {
    const login = await ctx.parent().post('/auth/login').send({ phone: '13900000003', password: DEMO_PASSWORD }).expect(200);
    const socket = connect({ auth: { token: login.body.accessToken } });
    const session = await ready(socket);
    expect(session).toEqual({ userId: login.body.user.id, roles: ['parent'] });
    expect(socket.connected).toBe(true);
  });

  it('gives staff their roles too', async () => {
    const token = await ctx.login('13900000002');
    const session = await ready(connect({ auth: { token } }));
    expect(session.roles).toEqual(['teacher']);
  });

  it('refuses a handshake without a token with a readable Chinese message and a code', async () => {
    const error = await refused(connect());
    expect(error.message).toBe('请先登录');
    expect(error.data).toEqual({ code: 'UNAUTHENTICATED' });

    const empty = await refused(connect({ auth: { token: '' } }));
    expect(empty.data?.code).toBe('UNAUTHENTICATED');
  });

  it('refuses a bad token, and answers in English when asked', async () => {
    const error = await refused(connect({ auth: { token: 'not.a.jwt' } }));
    expect(error.message).toBe('登录凭证无效或已过期');
    expect(error.data).toEqual({ code: 'TOKEN_INVALID' });

    const english = await refused(connect({ auth: { token: 'not.a.jwt' }, headers: { 'Accept-Language': 'en' } }));
    expect(english.message).toBe('The token is invalid or has expired');
    expect(english.data?.code).toBe('TOKEN_INVALID');
  });

  it('works the same over HTTP long-polling, the default first transport of browsers', async () => {
    const token = await ctx.login('13900000005');
    const session = await ready(connect({ auth: { token }, polling: true }));
    expect(session.roles).toEqual(['parent']);
    const error = await refused(connect({ polling: true }));
    expect(error.message).toBe('请先登录');
    expect(error.data?.code).toBe('UNAUTHENTICATED');
  });

  it('refuses the token of a session that has logged out', async () => {
    const { token } = await freshFamily(ctx);
    await ctx.parent().post('/auth/logout').set('Authorization', `Bearer ${token}`).expect(204);
    const error = await refused(connect({ auth: { token } }));
    expect(error.data?.code).toBe('TOKEN_INVALID');
  });

  it('answers GET /health on the gateway', async () => {
    const res = await request(ctx.urls.gateway as string)
      .get('/health')
      .expect(200);
    expect(res.body).toMatchObject({ status: 'ok', info: { database: { status: 'up' }, redis: { status: 'up' } } });
  });
});
