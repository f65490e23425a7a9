import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../seeds/demo.seed';
import { freshFamily } from './support/families';
import { createTestContext, TestContext } from './support/harness';

describe('auth (parent-api and admin-api)', () => {
  let ctx: TestContext;

  beforeAll(async () => {
    ctx = await createTestContext({ apps: ['parent', 'admin'], env: { LOGIN_MAX_FAILURES_PER_PHONE: '10' } });
  });
  afterAll(() => ctx.close());

  it('logs in every demo account on parent-api with its roles', async () => {
    const expected: Record<string, string[]> = {
      '13900000000': ['city_admin'],
      '13900000001': ['coordinator'],
      '13900000002': ['teacher'],
      '13900000003': ['parent'],
      '13900000004': ['parent'],
      '13900000005': ['parent'],
      '13900000006': ['district_admin'],
    };
    for (const account of DEMO_ACCOUNTS) {
      const res = await ctx.parent().post('/auth/login').send({ phone: account.phone, password: DEMO_PASSWORD }).expect(200);
      expect(res.body).toMatchObject({ user: { name: account.name, roles: expected[account.phone] } });
      expect(typeof res.body.accessToken).toBe('string');
      expect(typeof res.body.refreshToken).toBe('string');
    }
  });

  it('refuses a wrong password and an unknown phone alike', async () => {
    const { phone } = await freshFamily(ctx, { signIn: false });
    const wrong = await ctx.parent().post('/auth/login').send({ phone, password: 'nope' }).expect(401);
    const unknown = await ctx.parent().post('/auth/login').send({ phone: '13712345678', password: 'nope' }).expect(401);
    expect(wrong.body).toEqual({ statusCode: 401, code: 'INVALID_CREDENTIALS', message: '手机号或密码错误' });
    expect(unknown.body.code).toBe('INVALID_CREDENTIALS');
  });

  it('admin-api refuses parents with 403 and lets staff in', async () => {
    const parent = await ctx.admin().post('/auth/login').send({ phone: '13900000003', password: DEMO_PASSWORD }).expect(403);
    expect(parent.body.code).toBe('ADMIN_ROLE_REQUIRED');
    const staff = await ctx.admin().post('/auth/login').send({ phone: '13900000001', password: DEMO_PASSWORD }).expect(200);
    expect(staff.body.user.roles).toEqual(['coordinator']);

    // A parent's parent-api token does not open admin-api either.
    const token = await ctx.login('13900000003');
    const me = await ctx.admin().get('/me').set('Authorization', `Bearer ${token}`).expect(403);
    expect(me.body.code).toBe('ADMIN_ROLE_REQUIRED');
  });

  it('the same login works on both APIs', async () => {
    const token = await ctx.login('13900000001', 'admin');
    const me = await ctx.parent().get('/me').set('Authorization', `Bearer ${token}`).expect(200);
    expect(me.body.roles).toEqual(['coordinator']);
    expect(me.body.scopes[0]).toMatchObject({ role: 'coordinator', scopeType: 'school', scopeName: '潍坊七中' });
  });

  it('rotates refresh tokens and treats a reused one as theft: the whole session ends', async () => {
    const first = (await freshFamily(ctx)).refreshToken;

    const rotated = await ctx.parent().post('/auth/refresh').send({ refreshToken: first }).expect(200);
    expect(rotated.body.refreshToken).not.toBe(first);
    await ctx.parent().get('/me').set('Authorization', `Bearer ${rotated.body.accessToken}`).expect(200);

    const reuse = await ctx.parent().post('/auth/refresh').send({ refreshToken: first }).expect(401);
    expect(reuse.body.code).toBe('REFRESH_TOKEN_REUSED');

    // Every token of the family is dead now: the rotated refresh token and its access token.
    const after = await ctx.parent().post('/auth/refresh').send({ refreshToken: rotated.body.refreshToken }).expect(401);
    expect(after.body.code).toBe('TOKEN_INVALID');
    await ctx.parent().get('/me').set('Authorization', `Bearer ${rotated.body.accessToken}`).expect(401);
  });

  it('lets exactly one of two concurrent refreshes with the same token through', async () => {
    const { refreshToken } = await freshFamily(ctx);
    const results = await Promise.all([
      ctx.parent().post('/auth/refresh').send({ refreshToken }),
      ctx.parent().post('/auth/refresh').send({ refreshToken }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 401]);
  });

  it('refuses forged and malformed refresh tokens', async () => {
    const login = await ctx
      .parent()
      .post('/auth/login')
      .send({ phone: (await freshFamily(ctx, { signIn: false })).phone, password: DEMO_PASSWORD })
      .expect(200);
    const [tokenId] = (login.body.refreshToken as string).split('.');
    for (const refreshToken of [`${tokenId}.forged-secret`, 'not-a-token-at-all', `${'0'.repeat(8)}-0000-0000-0000-${'0'.repeat(12)}.x`]) {
      const res = await ctx.parent().post('/auth/refresh').send({ refreshToken }).expect(401);
      expect(res.body.code).toBe('TOKEN_INVALID');
    }
    // The real token still works: a forged attempt did not burn it.
    await ctx.parent().post('/auth/refresh').send({ refreshToken: login.body.refreshToken }).expect(200);
  });

  it('logout ends the session at once: its access and refresh tokens stop working', async () => {
    const login = await ctx
      .parent()
      .post('/auth/login')
      .send({ phone: (await freshFamily(ctx, { signIn: false })).phone, password: DEMO_PASSWORD })
      .expect(200);
    await ctx.parent().post('/auth/logout').set('Authorization', `Bearer ${login.body.accessToken}`).expect(204);
    const me = await ctx.parent().get('/me').set('Authorization', `Bearer ${login.body.accessToken}`).expect(401);
    expect(me.body.code).toBe('TOKEN_INVALID');
    await ctx.parent().post('/auth/refresh').send({ refreshToken: login.body.refreshToken }).expect(401);
  });

  it('requires a bearer token on every non-public route', async () => {
    const none = await ctx.parent().get('/me').expect(401);
    expect(none.body).toEqual({ statusCode: 401, code: 'UNAUTHENTICATED', message: '请先登录' });
    const bad = await ctx.parent().get('/me').set('Authorization', 'Bearer not.a.jwt').expect(401);
    expect(bad.body.code).toBe('TOKEN_INVALID');
    await ctx.admin().get('/schools').expect(401);
  });

  it('after 10 failures a phone must sign in by SMS code, even with the right password (no hash is checked)', async () => {
    const [{ phone }, other] = [await freshFamily(ctx, { signIn: false }), await freshFamily(ctx, { signIn: false })];
    for (let i = 0; i < 10; i++) {
      await ctx
        .parent()
        .post('/auth/login')
        .send({ phone, password: `wrong-${i}` })
        .expect(401);
    }
    const blocked = await ctx.parent().post('/auth/login').send({ phone, password: DEMO_PASSWORD }).expect(401);
    expect(blocked.body.code).toBe('SMS_CODE_REQUIRED');
    // Another phone from the same client is not affected.
    await ctx.parent().post('/auth/login').send({ phone: other.phone, password: DEMO_PASSWORD }).expect(200);
  });

  it('audits logins', async () => {
    // Its own login, failure and refresh reuse, so the test holds alone as well as after the others.
    const family = await freshFamily(ctx);
    await ctx.parent().post('/auth/login').send({ phone: family.phone, password: 'wrong' }).expect(401);
    await ctx.parent().post('/auth/refresh').send({ refreshToken: family.refreshToken }).expect(200);
    await ctx.parent().post('/auth/refresh').send({ refreshToken: family.refreshToken }).expect(401);
    const rows = await ctx.query<{ action: string; n: number }>(
      "select action, count(*)::int as n from audit_log where action like 'auth.%' group by action",
    );
    const counts = Object.fromEntries(rows.map((r) => [r.action, r.n]));
    expect(counts['auth.login']).toBeGreaterThan(0);
    expect(counts['auth.login_failed']).toBeGreaterThan(0);
    expect(counts['auth.refresh_reuse_detected']).toBeGreaterThan(0);
  });
});
