import request from 'supertest';
import { createTestContext, TestContext } from './support/harness';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits for the start of the next rate-limit window, so a burst falls inside one window. */
async function atWindowStart(windowSeconds: number): Promise<void> {
  const ms = windowSeconds * 1000;
  await sleep(ms - (Date.now() % ms) + 20);
}

describe('HTTP security baseline', () => {
  describe('security headers and CORS (no CORS_ORIGINS: none allowed)', () => {
    let ctx: TestContext;
    beforeAll(async () => {
      ctx = await createTestContext({ apps: ['parent', 'admin'] });
    });
    afterAll(async () => {
      await ctx?.close();
    });

    it('sends helmet’s headers on API answers, errors included', async () => {
      for (const response of [await ctx.parent().get('/health').expect(200), await ctx.admin().get('/me').expect(401)]) {
        expect(response.headers['content-security-policy']).toContain("default-src 'self'");
        expect(response.headers['content-security-policy']).toContain("frame-ancestors 'none'");
        expect(response.headers['strict-transport-security']).toMatch(/^max-age=\d+/);
        expect(response.headers['x-content-type-options']).toBe('nosniff');
        expect(response.headers['x-frame-options']).toBe('SAMEORIGIN');
        expect(response.headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
        expect(response.headers['cross-origin-resource-policy']).toBe('same-origin');
        expect(response.headers['x-powered-by']).toBeUndefined();
      }
    });

    it('allows no cross-origin caller', async () => {
      const simple = await ctx.parent().get('/health').set('Origin', 'https://evil.example').expect(200);
      expect(simple.headers['access-control-allow-origin']).toBeUndefined();
      const preflight = await ctx
        .parent()
        .options('/auth/login')
        .set('Origin', 'https://evil.example')
        .set('Access-Control-Request-Method', 'POST');
      expect(preflight.status).toBe(404);
      expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
      expect(preflight.headers['access-control-allow-methods']).toBeUndefined();
    });
  });

  describe('CORS for the configured origins only', () => {
    let ctx: TestContext;
    beforeAll(async () => {
      ctx = await createTestContext({ apps: ['parent'], env: { CORS_ORIGINS: 'https://h5.example.cn, https://console.example.cn' } });
    });
    afterAll(async () => {
      await ctx?.close();
    });

    it('answers a configured origin’s preflight and requests, and no other origin', async () => {
      const preflight = await ctx
        .parent()
        .options('/auth/login')
        .set('Origin', 'https://h5.example.cn')
        .set('Access-Control-Request-Method', 'POST')
        .set('Access-Control-Request-Headers', 'content-type,authorization')
        .expect(204);
      expect(preflight.headers['access-control-allow-origin']).toBe('https://h5.example.cn');
      expect(preflight.headers['access-control-allow-methods']).toContain('POST');
      expect(preflight.headers['access-control-allow-headers']).toContain('authorization');
      const simple = await ctx.parent().get('/health').set('Origin', 'https://console.example.cn').expect(200);
      expect(simple.headers['access-control-allow-origin']).toBe('https://console.example.cn');
      expect(simple.headers['access-control-expose-headers']).toContain('retry-after');
      const other = await ctx.parent().get('/health').set('Origin', 'https://h5.example.cn.evil.example').expect(200);
      expect(other.headers['access-control-allow-origin']).toBeUndefined();
    });
  });

  describe('the general rate limit', () => {
    const WINDOW = 2;

    it('limits each client IP, answers 429 RATE_LIMITED with Retry-After, and resets with the window', async () => {
      const ctx = await createTestContext({
        apps: ['parent'],
        env: { RATE_LIMIT_PER_IP: '5', RATE_LIMIT_PER_USER: '0', RATE_LIMIT_WINDOW_SECONDS: String(WINDOW) },
      });
      try {
        await atWindowStart(WINDOW);
        const statuses: number[] = [];
        for (let i = 0; i < 5; i++) statuses.push((await ctx.parent().get('/health')).status);
        expect(statuses).toEqual([200, 200, 200, 200, 200]);
        // Every route counts, unknown ones and sign-in too.
        const limited = await ctx.parent().post('/auth/login').send({ phone: '13900000003', password: 'x' }).expect(429);
        expect(limited.body).toMatchObject({ statusCode: 429, code: 'RATE_LIMITED' });
        const retryAfter = Number(limited.headers['retry-after']);
        expect(retryAfter).toBeGreaterThanOrEqual(1);
        expect(retryAfter).toBeLessThanOrEqual(WINDOW);
        await ctx.parent().get('/no-such-route').expect(429);
        await sleep(retryAfter * 1000);
        await ctx.parent().get('/health').expect(200);
      } finally {
        await ctx.close();
      }
    });

    it('limits each signed-in user apart from the others on the same address, and resets with the window', async () => {
      const ctx = await createTestContext({
        apps: ['parent'],
        env: { RATE_LIMIT_PER_IP: '1000', RATE_LIMIT_PER_USER: '3', RATE_LIMIT_WINDOW_SECONDS: String(WINDOW) },
      });
      try {
        const [alice, bob] = [await ctx.login('13900000003'), await ctx.login('13900000002')];
        const me = (token: string) =>
          request(ctx.urls.parent as string)
            .get('/me')
            .set('Authorization', `Bearer ${token}`);
        await atWindowStart(WINDOW);
        for (let i = 0; i < 3; i++) await me(alice).expect(200);
        const limited = await me(alice).expect(429);
        expect(limited.body.code).toBe('RATE_LIMITED');
        expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
        // Another user, and callers without a token, from the same address are not affected.
        await me(bob).expect(200);
        await ctx.parent().get('/health').expect(200);
        // A forged token is nobody's: it cannot spend a user's allowance.
        await request(ctx.urls.parent as string)
          .get('/me')
          .set('Authorization', `Bearer ${alice.slice(0, -4)}AAAA`)
          .expect(401);
        await sleep(Number(limited.headers['retry-after']) * 1000);
        await me(alice).expect(200);
      } finally {
        await ctx.close();
      }
    });
  });
});
