import { WechatMpClient } from '@jiaxiao/channels';
import { FakeWechat } from './support/fake-wechat';
import { type Family, freshFamily } from './support/families';
import { createTestContext, TestContext } from './support/harness';

/** WeChat web authorization through the real parent-api against a fake WeChat server. */
describe('WeChat identities and sign-in (parent-api, fake WeChat)', () => {
  let ctx: TestContext;
  let wechat: FakeWechat;

  /** A family of its own whose account has bound this WeChat user, so each test binds and unbinds its own. */
  async function boundFamily(openid: string): Promise<Family> {
    const family = await freshFamily(ctx);
    await ctx
      .parent()
      .post('/me/identities/wechat')
      .set('authorization', `Bearer ${family.token}`)
      .send({ code: wechat.issueCode(openid) })
      .expect(200);
    return family;
  }

  beforeAll(async () => {
    wechat = await new FakeWechat().start();
    ctx = await createTestContext({ apps: ['parent', 'worker'], env: wechat.env() });
  });

  afterAll(async () => {
    await ctx?.close();
    await wechat?.stop();
  });

  it('gives the H5 a snsapi_base authorize URL for a page under /h5/, and refuses other redirects', async () => {
    const ok = await ctx.parent().get('/auth/wechat/authorize-url').query({ redirect: 'https://jx.example.cn/h5/login?from=wx' });
    expect(ok.status).toBe(200);
    const url = new URL(ok.body.url);
    expect(url.origin + url.pathname).toBe(`${wechat.url}/connect/oauth2/authorize`);
    expect(url.searchParams.get('appid')).toBe(wechat.appId);
    expect(url.searchParams.get('scope')).toBe('snsapi_base');
    expect(url.searchParams.get('redirect_uri')).toBe('https://jx.example.cn/h5/login?from=wx');
    expect(url.searchParams.get('state')).toBe(ok.body.state);
    expect(url.hash).toBe('#wechat_redirect');

    const bad = await ctx.parent().get('/auth/wechat/authorize-url').query({ redirect: 'https://evil.example.com/steal' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe('redirect');
  });

  it('answers WECHAT_NOT_BOUND for an unbound WeChat user, then signs in once the account has bound it', async () => {
    const { token: parentToken, userId: parentId } = await freshFamily(ctx);
    const before = await ctx
      .parent()
      .post('/auth/wechat')
      .send({ code: wechat.issueCode('openid-parent-3', 'union-3') });
    expect(before.status).toBe(401);
    expect(before.body.code).toBe('WECHAT_NOT_BOUND');

    const bound = await ctx
      .parent()
      .post('/me/identities/wechat')
      .set('authorization', `Bearer ${parentToken}`)
      .send({ code: wechat.issueCode('openid-parent-3', 'union-3') });
    expect(bound.status).toBe(200);
    expect(bound.body).toMatchObject({ provider: 'wechat_mp', unionid: true });
    expect(bound.body.subject).not.toContain('parent');

    const list = await ctx.parent().get('/me/identities').set('authorization', `Bearer ${parentToken}`);
    expect(list.body.items).toHaveLength(1);
    const [row] = await ctx.query<{ subject: string; unionid: string; app_id: string }>(
      `SELECT subject, unionid, app_id FROM user_identities WHERE user_id = '${parentId}'`,
    );
    expect(row).toEqual({ subject: 'openid-parent-3', unionid: 'union-3', app_id: wechat.appId });

    const signIn = await ctx
      .parent()
      .post('/auth/wechat')
      .send({ code: wechat.issueCode('openid-parent-3') });
    expect(signIn.status).toBe(200);
    expect(signIn.body.user.id).toBe(parentId);
    expect(signIn.body.refreshToken).toEqual(expect.any(String));
    const me = await ctx.parent().get('/me').set('authorization', `Bearer ${signIn.body.accessToken}`);
    expect(me.status).toBe(200);
    const [audit] = await ctx.query<{ detail: { method: string } }>(
      `SELECT detail FROM audit_log WHERE actor_id = '${parentId}' AND action = 'auth.login' ORDER BY created_at DESC LIMIT 1`,
    );
    expect(audit.detail.method).toBe('wechat');
  });

  it('binds an identity to one account only, one per account, and refuses used or unknown codes', async () => {
    const { token: parentToken } = await boundFamily('openid-parent-4');
    const { token: other } = await freshFamily(ctx);
    const taken = await ctx
      .parent()
      .post('/me/identities/wechat')
      .set('authorization', `Bearer ${other}`)
      .send({ code: wechat.issueCode('openid-parent-4') });
    expect(taken.status).toBe(409);
    expect(taken.body.code).toBe('WECHAT_ALREADY_BOUND');

    const second = await ctx
      .parent()
      .post('/me/identities/wechat')
      .set('authorization', `Bearer ${parentToken}`)
      .send({ code: wechat.issueCode('openid-parent-3-second-phone') });
    expect(second.status).toBe(409);
    expect(second.body.code).toBe('IDENTITY_ALREADY_BOUND');

    const again = await ctx
      .parent()
      .post('/me/identities/wechat')
      .set('authorization', `Bearer ${parentToken}`)
      .send({ code: wechat.issueCode('openid-parent-4') });
    expect(again.status).toBe(200);

    const code = wechat.issueCode('openid-x');
    await ctx.parent().post('/auth/wechat').send({ code });
    const reused = await ctx.parent().post('/auth/wechat').send({ code });
    expect(reused.status).toBe(400);
    expect(reused.body.code).toBe('WECHAT_CODE_INVALID');
    const en = await ctx.parent().post('/auth/wechat').set('accept-language', 'en').send({ code: 'never-issued' });
    expect(en.body.message).toMatch(/authorization code/);
    const empty = await ctx.parent().post('/auth/wechat').send({});
    expect(empty.status).toBe(400);
    expect(empty.body.code).toBe('VALIDATION_FAILED');
  });

  it('unbinds: WeChat sign-in stops working until bound again', async () => {
    const { token: parentToken } = await boundFamily('openid-parent-5');
    const removed = await ctx.parent().delete('/me/identities/wechat').set('authorization', `Bearer ${parentToken}`);
    expect(removed.status).toBe(204);
    const gone = await ctx.parent().delete('/me/identities/wechat').set('authorization', `Bearer ${parentToken}`);
    expect(gone.status).toBe(404);
    expect(gone.body.code).toBe('IDENTITY_NOT_FOUND');
    const signIn = await ctx
      .parent()
      .post('/auth/wechat')
      .send({ code: wechat.issueCode('openid-parent-5') });
    expect(signIn.body.code).toBe('WECHAT_NOT_BOUND');
    const unauthenticated = await ctx.parent().get('/me/identities');
    expect(unauthenticated.status).toBe(401);
  });

  it('shares one access_token between nodes: concurrent callers on two nodes cause one token request', async () => {
    const before = wechat.tokenRequests.mp;
    // the parent-api's client and a second node's, on the same Redis
    const clients = [ctx.apps.parent!.get(WechatMpClient), new WechatMpClient(ctx.config, ctx.infra.redis)];
    const tokens = await Promise.all(Array.from({ length: 10 }, (_, i) => clients[i % 2].accessToken()));
    expect(new Set(tokens).size).toBe(1);
    expect(wechat.tokenRequests.mp - before).toBe(1);
  });

  it('refreshes the token before it expires, by one node while the others keep using the current one', async () => {
    const clients = [ctx.apps.parent!.get(WechatMpClient), new WechatMpClient(ctx.config, ctx.infra.redis)];
    // Forget the cached token so the next one is issued with a 2-second life (refresh due after 1 s).
    await ctx.infra.redis.del(`wechat:mp-token:${wechat.appId}`);
    wechat.tokenLifetime = 2;
    const first = await clients[0].accessToken();
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const before = wechat.tokenRequests.mp;
    const during = await Promise.all(Array.from({ length: 8 }, (_, i) => clients[i % 2].accessToken()));
    expect(wechat.tokenRequests.mp - before).toBe(1);
    // Whoever did not refresh was served the still-valid current token, never an error.
    expect(during.every((t) => typeof t === 'string' && t.length > 0)).toBe(true);
    const next = await clients[1].accessToken();
    expect(next).not.toBe(first);
    expect(during).toContain(next);
    wechat.tokenLifetime = 7200;
  });
});

describe('WeChat not configured (parent-api)', () => {
  let ctx: TestContext;

  beforeAll(async () => {
    ctx = await createTestContext({ apps: ['parent'] });
  });

  afterAll(async () => {
    await ctx?.close();
  });

  it('answers 404 WECHAT_NOT_CONFIGURED for sign-in, binding and the authorize URL', async () => {
    const url = await ctx.parent().get('/auth/wechat/authorize-url').query({ redirect: 'https://jx.example.cn/h5/login' });
    expect(url.status).toBe(404);
    expect(url.body.code).toBe('WECHAT_NOT_CONFIGURED');
    expect((await ctx.parent().post('/auth/wechat').send({ code: 'anything' })).body.code).toBe('WECHAT_NOT_CONFIGURED');
    const token = await ctx.login('13900000003');
    const bind = await ctx.parent().post('/me/identities/wechat').set('authorization', `Bearer ${token}`).send({ code: 'anything' });
    expect(bind.status).toBe(404);
    expect((await ctx.parent().get('/me/identities').set('authorization', `Bearer ${token}`)).body).toEqual({ items: [] });
  });
});
