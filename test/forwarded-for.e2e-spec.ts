import { createTestContext, TestContext } from './support/harness';

/**
 * X-Forwarded-For is believed only from the proxies in TRUSTED_PROXIES. Without any (the
 * default) the client is the socket's address: a caller cannot pick the IP that the per-IP login
 * limit, sessions and the audit log see. A forwarded value that is not an IP is stored as no IP,
 * and never turns a correct login into a 500.
 */

const PASSWORD = 'Jiaxiao#2016';

async function lastLogin(ctx: TestContext, phone: string): Promise<{ audit: string | null; session: string | null }> {
  const [row] = await ctx.query<{ audit: string | null; session: string | null }>(
    `select host(a.ip) as audit, host(s.ip) as session from audit_log a join users u on u.id = a.actor_id
       join auth_sessions s on s.id::text = a.detail->>'sessionId'
     where u.phone = '${phone}' and a.action = 'auth.login' order by a.created_at desc limit 1`,
  );
  return row;
}

describe('X-Forwarded-For without trusted proxies (the default)', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext({ apps: ['parent'], env: { LOGIN_MAX_FAILURES_PER_IP: '3', LOGIN_MAX_FAILURES_PER_PHONE: '100' } });
  });
  afterAll(async () => {
    await ctx?.close();
  });

  it('a forwarded value that is not an IP is ignored: the login works and the socket address is stored', async () => {
    for (const forwarded of ['not-an-ip', '999.1.1.1', '<script>', '1.2.3.4, garbage']) {
      const res = await ctx
        .parent()
        .post('/auth/login')
        .set('X-Forwarded-For', forwarded)
        .send({ phone: '13900000003', password: PASSWORD });
      expect({ forwarded, status: res.status }).toEqual({ forwarded, status: 200 });
    }
    expect(await lastLogin(ctx, '13900000003')).toEqual({ audit: '127.0.0.1', session: '127.0.0.1' });
  });

  it('the per-IP login limit cannot be dodged by forging X-Forwarded-For', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await ctx
        .parent()
        .post('/auth/login')
        .set('X-Forwarded-For', `198.51.100.${i + 1}`)
        .send({ phone: `1380000000${i}`, password: 'wrong-password' });
      statuses.push(res.status);
    }
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
  });
});

describe('X-Forwarded-For through a trusted proxy (TRUSTED_PROXIES=127.0.0.1)', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext({ apps: ['parent'], env: { TRUSTED_PROXIES: '127.0.0.1' } });
  });
  afterAll(async () => {
    await ctx?.close();
  });

  it('the hop the proxy adds is the client; what the client wrote before it is not believed', async () => {
    await ctx
      .parent()
      .post('/auth/login')
      .set('X-Forwarded-For', '203.0.113.7')
      .send({ phone: '13900000003', password: PASSWORD })
      .expect(200);
    expect(await lastLogin(ctx, '13900000003')).toEqual({ audit: '203.0.113.7', session: '203.0.113.7' });
    await ctx
      .parent()
      .post('/auth/login')
      .set('X-Forwarded-For', '1.2.3.4, 203.0.113.9')
      .send({ phone: '13900000003', password: PASSWORD })
      .expect(200);
    expect(await lastLogin(ctx, '13900000003')).toEqual({ audit: '203.0.113.9', session: '203.0.113.9' });
  });

  it('a forwarded value that is not an IP is stored as no IP, and the login still works', async () => {
    await ctx
      .parent()
      .post('/auth/login')
      .set('X-Forwarded-For', 'not-an-ip')
      .send({ phone: '13900000004', password: PASSWORD })
      .expect(200);
    expect(await lastLogin(ctx, '13900000004')).toEqual({ audit: null, session: null });
  });
});
