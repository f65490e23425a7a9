import { createHash } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { FakeWechat } from '../test/support/fake-wechat';
import { inspect, launchBrowser, phone, plainPhone, smsCode, startPlatform, watchErrors } from './support/browser';

const IMPORTED = '13700000007';
const SEED_TITLE = '父母大讲堂：做孩子成长路上的引路人';

/**
 * Inside WeChat (MicroMessenger user agent) with a 公众号 configured, against the fake WeChat server:
 * its authorize page redirects back with a code as WeChat does. Sign-in answers WECHAT_NOT_BOUND
 * (HTTP 401) for a WeChat not bound yet: that answer is expected and is not a console error.
 */
const unexpected = (errors: string[]) => errors.filter((e) => !(e.includes('status of 401') && e.includes('/auth/wechat')));

describe('WeChat: silent sign-in, binding after SMS sign-in, unbinding, JS-SDK scanning', () => {
  let wechat: FakeWechat;
  let platform: Awaited<ReturnType<typeof startPlatform>>;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  async function wechatPage(): Promise<{ page: Page; errors: string[] }> {
    const context = await phone(browser);
    contexts.push(context);
    const page = await context.newPage();
    return { page, errors: watchErrors(page) };
  }
  const bound = () =>
    platform.query<{ subject: string }>(
      `select i.subject from user_identities i join users u on u.id = i.user_id where u.phone = '${IMPORTED}' and i.provider = 'wechat_mp'`,
    );

  beforeAll(async () => {
    wechat = await new FakeWechat().start();
    wechat.browserOpenid = 'openid-zhouwei';
    platform = await startPlatform(wechat.env());
    browser = await launchBrowser();
  });
  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await platform?.close();
    await wechat?.stop();
  });

  it('a WeChat not bound yet is asked to sign in by SMS code; after the notice the WeChat is bound', async () => {
    const { page, errors } = await wechatPage();
    await page.goto(`${platform.h5}/courses`);
    // /login → the fake's authorize page → /h5/wechat?code=… → WECHAT_NOT_BOUND → /login?wechat=unbound
    await page.getByTestId('wechat-unbound').waitFor();
    expect(new URL(page.url()).searchParams.get('next')).toBe('/courses');
    await inspect(page, 'h5-login-wechat-unbound');

    await page.getByTestId('login-phone').fill(IMPORTED);
    const sentAfter = new Date();
    await page.getByTestId('login-send-code').click();
    await page.getByTestId('login-code').fill(await smsCode(platform, IMPORTED, 'login_code', sentAfter));
    await page.getByTestId('login-submit').click();
    // 周伟 has not accepted the notice: it comes first, then the binding.
    await page.waitForURL(/\/h5\/consent/);
    expect(await bound()).toEqual([]);
    await page.getByTestId('consent-accept').click();
    await page.waitForURL(/\/h5\/courses/);
    for (let i = 0; i < 100 && (await bound()).length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await bound()).toEqual([{ subject: 'openid-zhouwei' }]);
    expect(unexpected(errors)).toEqual([]);
  });

  it('next time WeChat signs the parent in silently', async () => {
    const { page, errors } = await wechatPage();
    await page.goto(`${platform.h5}/me`);
    await page.waitForURL(/\/h5\/me$/);
    await expect(page.getByTestId('me-name').textContent()).resolves.toBe('周伟');
    const [login] = await platform.query<{ method: string }>(
      `select a.detail->>'method' as method from audit_log a join users u on u.id = a.actor_id where u.phone = '${IMPORTED}' and a.action = 'auth.login' order by a.created_at desc limit 1`,
    );
    expect(login.method).toBe('wechat');
    expect(errors).toEqual([]);
  });

  it('我的 → 设置 shows the binding, unbinds it and binds it again', async () => {
    const { page, errors } = await wechatPage();
    await page.goto(`${platform.h5}/settings`);
    await page.getByTestId('wechat-bound').waitFor();
    await expect(page.getByTestId('wechat-bound').textContent()).resolves.toContain('已绑定 open****uwei');
    await inspect(page, 'h5-settings-wechat');
    await page.getByTestId('wechat-unbind').click();
    await page.getByRole('button', { name: '确认' }).click();
    await page.getByTestId('wechat-bind').waitFor();
    expect(await bound()).toEqual([]);

    await page.getByTestId('wechat-bind').click();
    await page.waitForURL(/\/h5\/settings$/);
    await page.getByTestId('wechat-bound').waitFor();
    expect(await bound()).toEqual([{ subject: 'openid-zhouwei' }]);
    expect(errors).toEqual([]);
  });

  it('the check-in screen scans with the JS-SDK (WeChat’s native bridge stubbed) and follows the scanned check-in link', async () => {
    const [{ id: lectureId }] = await platform.query<{ id: string }>(`select id from lectures where title = '${SEED_TITLE}'`);
    // Running now, so check-in is open.
    const now = Date.now();
    await platform.query(
      `update lectures set starts_at = '${new Date(now - 30 * 60_000).toISOString()}', ends_at = '${new Date(now + 90 * 60_000).toISOString()}' where id = '${lectureId}'`,
    );
    const coordinator = await platform.login('13900000001', 'admin');
    // The venue's code rotates: the scan reads the one on screen at that moment.
    const venueLink = async () =>
      (await platform.admin().get(`/lectures/${lectureId}/check-in-code`).set('authorization', `Bearer ${coordinator}`).expect(200)).body
        .url as string;

    const { page, errors } = await wechatPage();
    await page.exposeFunction('venueLink', venueLink);
    // The real weixin-js-sdk runs; only WeixinJSBridge, which WeChat's browser injects, is stood in for:
    // it records wx.config's verification and answers scanQRCode as WeChat on iOS does.
    await page.addInitScript(`
      window.__landing = location.href;
      window.__bridgeCalls = [];
      window.WeixinJSBridge = {
        invoke(name, params, callback) {
          window.__bridgeCalls.push({ name, params });
          if (name === 'preVerifyJSAPI') callback({ err_msg: 'config:ok' });
          else if (name === 'scanQRCode') window.venueLink().then((url) => callback({ err_msg: 'scanQRCode:ok', resultStr: JSON.stringify({ scan_code: { scan_result: url } }) }));
          else callback({ err_msg: name + ':fail' });
        },
        on() {},
      };
    `);
    await page.goto(`${platform.h5}/courses`);
    await page.getByTestId('scan-entry').click();
    await page.waitForURL(/\/h5\/check-in$/);
    const entry = page.url();
    await inspect(page, 'h5-scan-wechat');
    await page.getByTestId('checkin-scan').click();
    await page.waitForURL((url) => url.pathname === `/h5/lectures/${lectureId}/check-in` && url.searchParams.has('token'));
    await page.getByText(SEED_TITLE).waitFor();

    const calls = (await page.evaluate('window.__bridgeCalls')) as { name: string; params: Record<string, unknown> }[];
    // The page was last loaded where WeChat's authorization came back (the silent sign-in).
    // (a redirect keeps the authorize URL's #wechat_redirect; the fragment is never signed)
    const landing = ((await page.evaluate('window.__landing')) as string).split('#')[0];
    expect(landing.startsWith(`${platform.h5}/wechat?`)).toBe(true);
    const verify = calls.find((c) => c.name === 'preVerifyJSAPI')!.params;
    expect(verify.verifyAppId).toBe(wechat.appId);
    expect(verify.verifyJsApiList).toEqual(['scanQRCode']);
    // Signed for the URL the app was loaded at (WeChat on iOS checks that one), with the fake's ticket.
    const expected = createHash('sha1')
      .update(
        `jsapi_ticket=${wechat.tickets.at(-1)}&noncestr=${String(verify.verifyNonceStr)}&timestamp=${String(verify.verifyTimestamp)}&url=${landing}`,
      )
      .digest('hex');
    expect(verify.verifySignature).toBe(expected);
    expect(calls.find((c) => c.name === 'scanQRCode')!.params).toMatchObject({ needResult: 1, scanType: ['qrCode'] });
    expect(entry).toBe(`${platform.h5}/check-in`);

    await page.getByTestId('checkin-submit').click();
    await page
      .getByTestId('checkin-result')
      .getByText(/已签到/)
      .waitFor();
    expect(errors).toEqual([]);
  });

  it('outside WeChat the check-in screen explains the phone’s own scanner', async () => {
    const context = await plainPhone(browser);
    contexts.push(context);
    const page = await context.newPage();
    const errors = watchErrors(page);
    await page.goto(`${platform.h5}/login`);
    await expect(page.getByTestId('wechat-login').count()).resolves.toBe(0);
    await page.getByRole('button', { name: '密码登录' }).click();
    await page.getByTestId('login-phone').fill('13900000003');
    await page.getByTestId('login-password').fill('Jiaxiao#2016');
    await page.getByTestId('login-submit').click();
    await page.waitForURL(/\/h5\/messages/);
    await page.goto(`${platform.h5}/check-in`);
    await page.getByTestId('scan-howto').waitFor();
    await expect(page.getByTestId('checkin-scan').count()).resolves.toBe(0);
    await inspect(page, 'h5-scan-howto');
    expect(errors).toEqual([]);
  });
});
