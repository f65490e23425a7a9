import type { Browser, BrowserContext, Page } from 'playwright-core';
import { inspect, launchBrowser, PARENT, PASSWORD, phone, signIn, smsCode, startPlatform, watchErrors } from './support/browser';

const IMPORTED = '13700000007';
const OTHER_PARENT = '13900000005';

/** Accounts on the H5: SMS sign-in with activation and consent, password change and reset, withdrawing consent. */
describe('accounts: SMS sign-in, activation, consent, passwords', () => {
  let platform: Awaited<ReturnType<typeof startPlatform>>;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  async function newPage(): Promise<{ page: Page; errors: string[] }> {
    const context = await phone(browser);
    contexts.push(context);
    const page = await context.newPage();
    return { page, errors: watchErrors(page) };
  }

  beforeAll(async () => {
    platform = await startPlatform();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await platform?.close();
  });

  it('an imported guardian signs in by SMS code (read from the development outbox), is activated and accepts the notice', async () => {
    const [before] = await platform.query<{ activated: boolean }>(
      `select activated_at is not null as activated from users where phone = '${IMPORTED}'`,
    );
    expect(before.activated).toBe(false);
    const { page, errors } = await newPage();
    await page.goto(`${platform.h5}/messages`);
    await page.waitForURL(/\/h5\/login/);
    await page.getByTestId('login-phone').fill(IMPORTED);
    const sentAfter = new Date();
    await page.getByTestId('login-send-code').click();
    await page.getByTestId('toast').getByText('验证码已发送至 137****0007').waitFor();
    await page
      .getByTestId('login-send-code')
      .getByText(/秒后重发/)
      .waitFor();
    await page.getByTestId('login-code').fill(await smsCode(platform, IMPORTED, 'login_code', sentAfter));
    await inspect(page, 'h5-login-sms');
    await page.getByTestId('login-submit').click();

    await page.waitForURL(/\/h5\/consent/);
    await page.getByTestId('privacy-notice').getByText('家校共育平台隐私政策').waitFor();
    const [activated] = await platform.query<{ activated: boolean }>(
      `select activated_at is not null as activated from users where phone = '${IMPORTED}'`,
    );
    expect(activated.activated).toBe(true);
    await inspect(page, 'h5-consent');
    await page.getByTestId('consent-accept').click();
    await page.waitForURL(/\/h5\/messages/);
    await page.getByTestId('conversation-item').filter({ hasText: '潍坊七中 初一(1)班' }).waitFor();
    const [consent] = await platform.query<{ n: number }>(
      `select count(*)::int as n from audit_log a join users u on u.id = a.actor_id where u.phone = '${IMPORTED}' and a.action = 'consent.accepted'`,
    );
    expect(consent.n).toBe(1);
    expect(errors).toEqual([]);
  });

  it('a parent changes the password under 我的 → 设置 (a wrong current one is refused) and signs in with the new one', async () => {
    const { page, errors } = await newPage();
    await signIn(page, platform.h5, OTHER_PARENT);
    await page.getByTestId('tab-me').click();
    await page.getByTestId('me-settings').click();
    await page.waitForURL(/\/h5\/settings/);
    await inspect(page, 'h5-settings');
    await page.getByTestId('settings-password').click();
    await page.getByTestId('password-current').locator('input').fill('Wrong#2016x');
    await page.getByTestId('password-new').locator('input').fill('Family2026ok');
    await page.getByTestId('password-confirm').locator('input').fill('Family2026');
    await page.getByTestId('password-submit').click();
    await expect(page.getByTestId('password-error').textContent()).resolves.toBe('两次输入的新密码不一致');
    await page.getByTestId('password-confirm').locator('input').fill('Family2026ok');
    await page.getByTestId('password-submit').click();
    await page.getByTestId('password-error').getByText('当前密码').waitFor();
    await inspect(page, 'h5-password');
    await page.getByTestId('password-current').locator('input').fill(PASSWORD);
    await page.getByTestId('password-submit').click();
    await page.waitForURL(/\/h5\/settings/);

    await page.getByTestId('toast').getByText('密码已修改').waitFor();
    await page.goto(`${platform.h5}/me`);
    await page.getByTestId('sign-out').click();
    await page.getByRole('button', { name: '确认' }).click();
    await page.waitForURL(/\/h5\/login/);
    await page.getByRole('button', { name: '密码登录' }).click();
    await page.getByTestId('login-phone').fill(OTHER_PARENT);
    await page.getByTestId('login-password').fill('Family2026ok');
    await page.getByTestId('login-submit').click();
    await page.waitForURL(/\/h5\/messages/);
    expect(errors.filter((e) => !e.includes('status of 400'))).toEqual([]);
  });

  it('a forgotten password is reset with a reset code from the outbox', async () => {
    const { page, errors } = await newPage();
    await page.goto(`${platform.h5}/login`);
    await page.getByRole('button', { name: '密码登录' }).click();
    await page.getByTestId('forgot-password').click();
    await page.waitForURL(/\/h5\/password\/reset/);
    await page.getByTestId('reset-phone').locator('input').fill(OTHER_PARENT);
    const sentAfter = new Date();
    await page.getByTestId('reset-send-code').click();
    await page
      .getByTestId('reset-code')
      .locator('input')
      .fill(await smsCode(platform, OTHER_PARENT, 'reset_code', sentAfter));
    await page.getByTestId('reset-password').locator('input').fill('Reset2026ok');
    await page.getByTestId('reset-confirm').locator('input').fill('Reset2026ok');
    await inspect(page, 'h5-password-reset');
    await page.getByTestId('reset-submit').click();
    await page.waitForURL(/\/h5\/login/);
    await page.getByRole('button', { name: '密码登录' }).click();
    await page.getByTestId('login-phone').fill(OTHER_PARENT);
    await page.getByTestId('login-password').fill('Reset2026ok');
    await page.getByTestId('login-submit').click();
    await page.waitForURL(/\/h5\/messages/);
    expect(errors).toEqual([]);
  });

  it('a parent withdraws consent under 我的 → 设置 and is shown the notice again', async () => {
    const { page, errors } = await newPage();
    await signIn(page, platform.h5, PARENT);
    await page.goto(`${platform.h5}/settings`);
    await page.getByTestId('settings-withdraw').click();
    await page.waitForURL(/\/h5\/consent\/withdraw/);
    await inspect(page, 'h5-consent-withdraw');
    await page.getByTestId('consent-withdraw').click();
    await page.getByRole('button', { name: '撤回', exact: true }).click();
    await page.waitForURL(/\/h5\/consent(\?|$)/);
    const token = await platform.login(PARENT);
    const me = await platform.parent().get('/me').set('authorization', `Bearer ${token}`).expect(200);
    expect(me.body.consentRequired).toBe(true);

    // Every screen leads to the notice until it is accepted again.
    await page.goto(`${platform.h5}/courses`);
    await page.waitForURL(/\/h5\/consent/);
    await page.getByTestId('consent-accept').click();
    await page.waitForURL(/\/h5\/courses/);
    await page.getByTestId('lecture-item').first().waitFor();
    expect(errors).toEqual([]);
  });
});
