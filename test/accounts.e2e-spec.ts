import { PRIVACY_NOTICE } from '@jiaxiao/common';
import { DEMO_PASSWORD } from '../seeds/demo.seed';
import { freshFamily } from './support/families';
import { createTestContext, TestContext } from './support/harness';
import { RealtimeClient } from './support/realtime-client';

const ZHOU_WEI = '13700000007';

async function until<T>(probe: () => Promise<T | undefined>, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('accounts: SMS codes, activation, passwords, consent (parent-api, admin-api, worker, gateway)', () => {
  let ctx: TestContext;
  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

  /** Asks for a code and reads it from the development outbox once the worker has "sent" it. */
  async function codeFor(phone: string, purpose: 'login' | 'reset'): Promise<string> {
    const before = (await ctx.parent().get(`/dev/outbox?phone=${phone}`)).body.items.length as number;
    await ctx.parent().post('/auth/sms-codes').send({ phone, purpose }).expect(202);
    return until(async () => {
      const items = (await ctx.parent().get(`/dev/outbox?phone=${phone}`)).body.items as { template: string; params: { code: string } }[];
      return items.length > before ? items[0].params.code : undefined;
    });
  }

  beforeAll(async () => {
    ctx = await createTestContext({
      apps: ['parent', 'admin', 'worker', 'gateway'],
      env: { SMS_CODE_IP_HOURLY_LIMIT: '1000', LOGIN_MAX_FAILURES_PER_IP: '1000', LOGIN_MAX_FAILURES_PER_PHONE: '10' },
    });
  });
  afterAll(() => ctx?.close());

  it('a newcomer activates 周伟 by SMS code, accepts the notice and sees 初一(1)班’s group', async () => {
    const password = await ctx.parent().post('/auth/login').send({ phone: ZHOU_WEI, password: 'whatever1' }).expect(401);
    expect(password.body.code).toBe('ACCOUNT_NOT_ACTIVATED');

    const before = (await ctx.parent().get(`/dev/outbox?phone=${ZHOU_WEI}`)).body.items.length as number;
    const sent = await ctx.parent().post('/auth/sms-codes').send({ phone: ZHOU_WEI, purpose: 'login' }).expect(202);
    expect(sent.body).toEqual({ sentTo: '137****0007', retryAfter: 60 });
    const item = await until(async () => {
      const items = (await ctx.parent().get(`/dev/outbox?phone=${ZHOU_WEI}`)).body.items;
      return items.length > before ? items[0] : undefined;
    });
    expect(item).toMatchObject({
      channel: 'sms',
      phone: ZHOU_WEI,
      template: 'login_code',
      params: { code: expect.stringMatching(/^\d{6}$/), minutes: '5' },
    });
    const code = item.params.code as string;

    const wrong = await ctx
      .parent()
      .post('/auth/login/sms')
      .send({ phone: ZHOU_WEI, code: code === '000000' ? '111111' : '000000' })
      .expect(401);
    expect(wrong.body.code).toBe('SMS_CODE_INVALID');
    const login = await ctx.parent().post('/auth/login/sms').send({ phone: ZHOU_WEI, code }).expect(200);
    expect(login.body.user).toMatchObject({ name: '周伟', roles: ['parent'], passwordChangeRequired: false });
    // The code is used up.
    await ctx.parent().post('/auth/login/sms').send({ phone: ZHOU_WEI, code }).expect(401);

    const [user] = await ctx.query<{ id: string; status: string; activated: boolean }>(
      `select id, status, activated_at is not null as activated from users where phone = '${ZHOU_WEI}'`,
    );
    expect(user).toMatchObject({ status: 'active', activated: true });
    const audit = await ctx.query<{ action: string }>(`select action from audit_log where actor_id = '${user.id}' order by created_at`);
    expect(audit.map((a) => a.action)).toEqual(['account.activated', 'auth.login']);

    const token = login.body.accessToken as string;
    const me = await ctx.parent().get('/me').set(bearer(token)).expect(200);
    expect(me.body).toMatchObject({ name: '周伟', consentRequired: true, consentVersion: PRIVACY_NOTICE.version, children: [] });
    for (const path of ['/conversations', '/me/children', '/me/course-hours']) {
      const gated = await ctx.parent().get(path).set(bearer(token)).expect(403);
      expect(gated.body.code).toBe('CONSENT_REQUIRED');
    }
    const notice = await ctx.parent().get('/privacy-notice').expect(200);
    expect(notice.body).toEqual({
      version: PRIVACY_NOTICE.version,
      title: expect.stringContaining('隐私政策'),
      body: expect.stringContaining('儿童个人信息'),
    });
    const stale = await ctx.parent().post('/me/consents').set(bearer(token)).send({ version: '2020-01-01' }).expect(409);
    expect(stale.body.code).toBe('CONSENT_VERSION_OUTDATED');
    await ctx.parent().post('/me/consents').set(bearer(token)).send({ version: notice.body.version }).expect(204);

    const after = await ctx.parent().get('/me').set(bearer(token)).expect(200);
    expect(after.body.consentRequired).toBe(false);
    expect(after.body.children).toHaveLength(1);
    const conversations = await ctx.parent().get('/conversations').set(bearer(token)).expect(200);
    expect(conversations.body.items.map((c: { title: string }) => c.title)).toContain('潍坊七中 初一(1)班');
    const consented = await ctx.query<{ n: number }>(
      `select count(*)::int as n from audit_log where actor_id = '${user.id}' and action = 'consent.accepted'`,
    );
    expect(consented[0].n).toBe(1);
  });

  it('answers an unknown phone exactly like a known one, and sends it nothing', async () => {
    const response = await ctx.parent().post('/auth/sms-codes').send({ phone: '13599990000', purpose: 'login' }).expect(202);
    expect(response.body).toEqual({ sentTo: '135****0000', retryAfter: 60 });
    // The same limits hold for it, so their answers do not tell either.
    const again = await ctx.parent().post('/auth/sms-codes').send({ phone: '13599990000', purpose: 'login' }).expect(429);
    expect(again.body.code).toBe('SMS_CODE_TOO_SOON');
    await new Promise((r) => setTimeout(r, 500));
    expect((await ctx.parent().get('/dev/outbox?phone=13599990000')).body.items).toEqual([]);
  });

  it('the same routes work on admin-api', async () => {
    const response = await ctx.admin().post('/auth/sms-codes').send({ phone: '13900000002', purpose: 'login' }).expect(202);
    expect(response.body.sentTo).toBe('139****0002');
    const code = await until(async () => {
      const items = (await ctx.parent().get('/dev/outbox?phone=13900000002')).body.items;
      return items[0]?.params.code as string | undefined;
    });
    const login = await ctx.admin().post('/auth/login/sms').send({ phone: '13900000002', code }).expect(200);
    expect(login.body.user.roles).toEqual(['teacher']);
  });

  it('50 parallel requests for one phone send one code; 50 parallel guesses get no more than 5 tries', async () => {
    const parent = await freshFamily(ctx, { signIn: false });
    const requests = await Promise.all(
      Array.from({ length: 50 }, () => ctx.parent().post('/auth/sms-codes').send({ phone: parent.phone, purpose: 'login' })),
    );
    expect(requests.filter((r) => r.status === 202)).toHaveLength(1);
    const refused = requests.filter((r) => r.status === 429);
    expect(refused).toHaveLength(49);
    expect(refused[0].body.code).toBe('SMS_CODE_TOO_SOON');
    expect(Number(refused[0].headers['retry-after'])).toBeGreaterThan(0);
    const code = await until(
      async () => (await ctx.parent().get(`/dev/outbox?phone=${parent.phone}`)).body.items[0]?.params.code as string | undefined,
    );

    const wrong = code === '999999' ? '888888' : '999999';
    const guesses = await Promise.all(
      Array.from({ length: 50 }, () => ctx.parent().post('/auth/login/sms').send({ phone: parent.phone, code: wrong })),
    );
    expect(guesses.every((g) => g.status === 401 && g.body.code === 'SMS_CODE_INVALID')).toBe(true);
    // Five wrong tries killed the code: the right one no longer works.
    await ctx.parent().post('/auth/login/sms').send({ phone: parent.phone, code }).expect(401);
  });

  it('a code survives four wrong tries', async () => {
    const parent = await freshFamily(ctx, { signIn: false });
    const code = await codeFor(parent.phone, 'login');
    const wrong = code === '999999' ? '888888' : '999999';
    for (let i = 0; i < 4; i++) await ctx.parent().post('/auth/login/sms').send({ phone: parent.phone, code: wrong }).expect(401);
    await ctx.parent().post('/auth/login/sms').send({ phone: parent.phone, code }).expect(200);
  });

  it('40 parallel wrong passwords get 10 checks; then the right password needs an SMS code, which lifts the block', async () => {
    const parent = await freshFamily(ctx, { signIn: false });
    const attempts = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        ctx
          .parent()
          .post('/auth/login')
          .send({ phone: parent.phone, password: `wrong-${i}` }),
      ),
    );
    const codes = attempts.map((a) => a.body.code as string);
    expect(codes.filter((c) => c === 'INVALID_CREDENTIALS')).toHaveLength(10);
    expect(codes.filter((c) => c === 'SMS_CODE_REQUIRED')).toHaveLength(30);
    const failures = await ctx.query<{ n: number }>(
      `select count(*)::int as n from audit_log where actor_id = '${parent.userId}' and action = 'auth.login_failed'`,
    );
    expect(failures[0].n).toBe(10);

    const right = await ctx.parent().post('/auth/login').send({ phone: parent.phone, password: DEMO_PASSWORD }).expect(401);
    expect(right.body.code).toBe('SMS_CODE_REQUIRED');
    const code = await codeFor(parent.phone, 'login');
    await ctx.parent().post('/auth/login/sms').send({ phone: parent.phone, code }).expect(200);
    await ctx.parent().post('/auth/login').send({ phone: parent.phone, password: DEMO_PASSWORD }).expect(200);
  });

  it('a reset by code sets a password that meets the policy and ends every session and socket', async () => {
    const parent = await freshFamily(ctx, { signIn: false });
    const old = await ctx.parent().post('/auth/login').send({ phone: parent.phone, password: DEMO_PASSWORD }).expect(200);
    const socket = await RealtimeClient.connect(ctx.urls.gateway!, old.body.accessToken);
    const disconnected = new Promise<string>((resolve) => socket.socket.once('disconnect', (reason) => resolve(reason)));

    const code = await codeFor(parent.phone, 'reset');
    const weak = await ctx.parent().post('/auth/password/reset').send({ phone: parent.phone, code, newPassword: 'abcdefgh' }).expect(400);
    expect(weak.body).toMatchObject({
      code: 'VALIDATION_FAILED',
      errors: [{ field: 'newPassword', message: '至少 8 位，且须同时包含字母和数字' }],
    });
    const english = await ctx
      .parent()
      .post('/auth/password/reset')
      .set('Accept-Language', 'en')
      .send({ phone: parent.phone, code, newPassword: '1234' })
      .expect(400);
    expect(english.body.errors).toEqual([
      { field: 'newPassword', message: 'must be at least 8 characters and contain both letters and digits' },
    ]);
    // A login code does not reset a password.
    const loginCode = await codeFor(parent.phone, 'login');
    await ctx.parent().post('/auth/password/reset').send({ phone: parent.phone, code: loginCode, newPassword: 'newpass2026' }).expect(401);

    await ctx.parent().post('/auth/password/reset').send({ phone: parent.phone, code, newPassword: 'newpass2026' }).expect(204);
    expect(await disconnected).toBe('io server disconnect');
    await ctx.parent().get('/me').set(bearer(old.body.accessToken)).expect(401);
    await ctx.parent().post('/auth/refresh').send({ refreshToken: old.body.refreshToken }).expect(401);
    await ctx.parent().post('/auth/login').send({ phone: parent.phone, password: DEMO_PASSWORD }).expect(401);
    await ctx.parent().post('/auth/login').send({ phone: parent.phone, password: 'newpass2026' }).expect(200);
    socket.close();
  });

  it('a password change keeps the caller’s session and ends the others, with their sockets', async () => {
    const parent = await freshFamily(ctx, { signIn: false });
    const login = async () =>
      (await ctx.parent().post('/auth/login').send({ phone: parent.phone, password: DEMO_PASSWORD }).expect(200)).body
        .accessToken as string;
    const [mine, other] = [await login(), await login()];
    const socket = await RealtimeClient.connect(ctx.urls.gateway!, other);
    const disconnected = new Promise<string>((resolve) => socket.socket.once('disconnect', (reason) => resolve(reason)));
    const mySocket = await RealtimeClient.connect(ctx.urls.gateway!, mine);

    const wrong = await ctx
      .parent()
      .put('/me/password')
      .set(bearer(mine))
      .send({ currentPassword: 'not-it-1', newPassword: 'changed2026' })
      .expect(400);
    expect(wrong.body.code).toBe('CURRENT_PASSWORD_INCORRECT');
    const same = await ctx
      .parent()
      .put('/me/password')
      .set(bearer(mine))
      .send({ currentPassword: DEMO_PASSWORD, newPassword: DEMO_PASSWORD })
      .expect(400);
    expect(same.body.code).toBe('PASSWORD_UNCHANGED');
    await ctx
      .parent()
      .put('/me/password')
      .set(bearer(mine))
      .send({ currentPassword: DEMO_PASSWORD, newPassword: 'changed2026' })
      .expect(204);

    expect(await disconnected).toBe('io server disconnect');
    await ctx.parent().get('/me').set(bearer(other)).expect(401);
    await ctx.parent().get('/me').set(bearer(mine)).expect(200);
    expect(mySocket.socket.connected).toBe(true);
    mySocket.close();
    socket.close();
  });

  it('logout disconnects that session’s sockets at once', async () => {
    const parent = await freshFamily(ctx, { signIn: false });
    const token = (await ctx.parent().post('/auth/login').send({ phone: parent.phone, password: DEMO_PASSWORD }).expect(200)).body
      .accessToken as string;
    const socket = await RealtimeClient.connect(ctx.urls.gateway!, token);
    const disconnected = new Promise<string>((resolve) => socket.socket.once('disconnect', (reason) => resolve(reason)));
    await ctx.parent().post('/auth/logout').set(bearer(token)).expect(204);
    expect(await disconnected).toBe('io server disconnect');
    socket.close();
  });

  it('withdrawing consent hides the children again and tells the class teacher; it is audited', async () => {
    const parent = await freshFamily(ctx, { signIn: false });
    const token = (await ctx.parent().post('/auth/login').send({ phone: parent.phone, password: DEMO_PASSWORD }).expect(200)).body
      .accessToken as string;
    await ctx.parent().get('/me/children').set(bearer(token)).expect(200);
    await ctx.parent().delete('/me/consents').set(bearer(token)).expect(204);
    const gated = await ctx.parent().get('/me/children').set(bearer(token)).expect(403);
    expect(gated.body.code).toBe('CONSENT_REQUIRED');
    expect((await ctx.parent().get('/me').set(bearer(token)).expect(200)).body.consentRequired).toBe(true);
    const again = await ctx.parent().delete('/me/consents').set(bearer(token)).expect(409);
    expect(again.body.code).toBe('CONSENT_NOT_GIVEN');

    const teacher = await ctx.login('13900000002');
    const notice = await until(async () => {
      const items = (await ctx.parent().get('/notifications').set(bearer(teacher)).expect(200)).body.items as {
        kind: string;
        body: string;
        data: { userId: string };
      }[];
      return items.find((n) => n.kind === 'consent.withdrawn' && n.data.userId === parent.userId);
    });
    expect(notice.body).toContain('撤回');
    const coordinator = await ctx.login('13900000001');
    const coordinatorItems = (await ctx.parent().get('/notifications').set(bearer(coordinator)).expect(200)).body.items as {
      kind: string;
      data: { userId: string };
    }[];
    expect(coordinatorItems.some((n) => n.kind === 'consent.withdrawn' && n.data.userId === parent.userId)).toBe(true);
    const audit = await ctx.query<{ action: string }>(
      `select action from audit_log where actor_id = '${parent.userId}' and action like 'consent.%'`,
    );
    expect(audit.map((a) => a.action)).toEqual(['consent.withdrawn']);
    // Staff are not gated: the teacher reads the class as before.
    await ctx.parent().get('/conversations').set(bearer(teacher)).expect(200);
  });
});

describe('accounts: SMS code limits per phone a day and per IP an hour', () => {
  let ctx: TestContext;

  // A context per test: the per-IP count is kept under the context's Redis prefix, so no test spends another's.
  beforeEach(async () => {
    ctx = await createTestContext({
      apps: ['parent'],
      env: { SMS_CODE_RESEND_SECONDS: '1', SMS_CODE_DAILY_LIMIT: '3', SMS_CODE_IP_HOURLY_LIMIT: '20' },
    });
  });
  afterEach(() => ctx?.close());

  it('holds the daily limit of a phone across purposes', async () => {
    const { phone } = await freshFamily(ctx, { signIn: false });
    const send = (purpose: string) => ctx.parent().post('/auth/sms-codes').send({ phone, purpose });
    expect((await send('login')).status).toBe(202);
    expect((await send('reset')).status).toBe(202);
    await new Promise((r) => setTimeout(r, 1100));
    expect((await send('login')).status).toBe(202);
    const refused = await send('reset');
    expect(refused.status).toBe(429);
    expect(refused.body.code).toBe('SMS_CODE_DAILY_LIMIT');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(80_000);
  });

  it('50 parallel requests for 50 phones from one IP: exactly the hourly cap gets through', async () => {
    for (const phone of ['13500000050', '13500000051', '13500000052'])
      await ctx.parent().post('/auth/sms-codes').send({ phone, purpose: 'login' }).expect(202);
    const phones = Array.from({ length: 50 }, (_, i) => `1350000${String(i).padStart(4, '0')}`);
    const responses = await Promise.all(phones.map((phone) => ctx.parent().post('/auth/sms-codes').send({ phone, purpose: 'login' })));
    // Three of the cap went to the codes above.
    expect(responses.filter((r) => r.status === 202)).toHaveLength(17);
    const refused = responses.filter((r) => r.status === 429);
    expect(refused).toHaveLength(33);
    expect(refused.every((r) => r.body.code === 'SMS_CODE_IP_LIMIT' && Number(r.headers['retry-after']) > 0)).toBe(true);
  });
});
