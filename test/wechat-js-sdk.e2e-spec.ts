import { createHash } from 'node:crypto';
import { FakeWechat } from './support/fake-wechat';
import { createTestContext, TestContext } from './support/harness';

const sha1 = (text: string) => createHash('sha1').update(text).digest('hex');
const PAGE = 'https://jx.example.cn/h5/lectures/4f1c/check-in?token=abc';

/** GET /wechat/js-sdk-config: wx.config's signature from a jsapi_ticket shared through Redis. */
describe('WeChat JS-SDK configuration (parent-api, fake WeChat)', () => {
  let ctx: TestContext;
  let wechat: FakeWechat;
  let token: string;

  beforeAll(async () => {
    wechat = await new FakeWechat().start();
    ctx = await createTestContext({ apps: ['parent'], env: wechat.env() });
    token = await ctx.login('13900000003');
  });

  afterAll(async () => {
    await ctx?.close();
    await wechat?.stop();
  });

  const config = (url: string, bearer = token) =>
    ctx.parent().get('/wechat/js-sdk-config').query({ url }).set('authorization', `Bearer ${bearer}`);

  it('signs the page URL (without its #fragment) with the jsapi_ticket as WeChat documents', async () => {
    const response = await config(`${PAGE}#scan`);
    expect(response.status).toBe(200);
    expect(wechat.tickets).toHaveLength(1);
    const { appId, timestamp, nonceStr, signature } = response.body as {
      appId: string;
      timestamp: number;
      nonceStr: string;
      signature: string;
    };
    expect(appId).toBe(wechat.appId);
    expect(Number.isInteger(timestamp)).toBe(true);
    expect(nonceStr).toMatch(/^[0-9a-f]{16}$/);
    expect(signature).toBe(sha1(`jsapi_ticket=${wechat.tickets[0]}&noncestr=${nonceStr}&timestamp=${timestamp}&url=${PAGE}`));
  });

  it('keeps the ticket in Redis: later pages are signed without fetching it again', async () => {
    const tokensBefore = wechat.tokenRequests.mp;
    const other = 'https://jx.example.cn/h5/courses';
    const responses = await Promise.all([config(other), config(other), config(PAGE)]);
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(wechat.tickets).toHaveLength(1);
    expect(wechat.tokenRequests.mp).toBe(tokensBefore);
    const [first] = responses;
    expect(first.body.signature).toBe(
      sha1(`jsapi_ticket=${wechat.tickets[0]}&noncestr=${first.body.nonceStr}&timestamp=${first.body.timestamp}&url=${other}`),
    );
  });

  it('fetches a new access_token once when WeChat says the shared one is stale', async () => {
    wechat.expireTokens();
    await ctx.infra.redis.del(`wechat:mp-jsapi-ticket:${wechat.appId}`);
    const tokensBefore = wechat.tokenRequests.mp;
    const response = await config(PAGE);
    expect(response.status).toBe(200);
    expect(wechat.tokenRequests.mp).toBe(tokensBefore + 1);
    expect(wechat.tickets).toHaveLength(2);
    expect(response.body.signature).toBe(
      sha1(`jsapi_ticket=${wechat.tickets[1]}&noncestr=${response.body.nonceStr}&timestamp=${response.body.timestamp}&url=${PAGE}`),
    );
  });

  it('needs a signed-in user and an /h5/ page', async () => {
    const anonymous = await ctx.parent().get('/wechat/js-sdk-config').query({ url: PAGE });
    expect(anonymous.status).toBe(401);
    const elsewhere = await config('https://evil.example.com/page');
    expect(elsewhere.status).toBe(400);
    expect(elsewhere.body.errors[0].field).toBe('url');
  });
});
