import { gzipSync } from 'node:zlib';
import type { Browser } from 'playwright-core';
import { inspect, launchBrowser, PARENT, phone, signIn, startPlatform, watchErrors } from './support/browser';

describe('the web apps, served by the platform itself', () => {
  let platform: Awaited<ReturnType<typeof startPlatform>>;
  let browser: Browser;

  beforeAll(async () => {
    platform = await startPlatform();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await platform?.close();
  });

  it('H5: a deep link opens sign-in, a parent signs in and sees the class group', async () => {
    const context = await phone(browser);
    const page = await context.newPage();
    const errors = watchErrors(page);
    await page.goto(`${platform.h5}/messages`);
    await page.waitForURL(/\/h5\/login/);
    await inspect(page, 'h5-login');
    await signIn(page, platform.h5, PARENT);
    const group = page.getByTestId('conversation-item').filter({ hasText: '潍坊七中 初一(1)班' });
    await group.waitFor();
    await expect(group.count()).resolves.toBe(1);
    await inspect(page, 'h5-messages');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('H5: the entry route loads at most 150 KB of gzipped JavaScript (screens load lazily)', async () => {
    const context = await phone(browser);
    const page = await context.newPage();
    const scripts: Promise<Buffer>[] = [];
    page.on('response', (response) => {
      if (response.url().endsWith('.js')) scripts.push(response.body());
    });
    await page.goto(`${platform.h5}/login`);
    await page.getByTestId('login-submit').waitFor();
    await page.waitForLoadState('networkidle');
    const gzipped = (await Promise.all(scripts)).reduce((sum, body) => sum + gzipSync(body).length, 0);
    expect(scripts.length).toBeGreaterThan(0);
    expect(gzipped).toBeLessThanOrEqual(150 * 1024);
    await context.close();
  });

  it('console: a deep link opens sign-in and the coordinator signs in', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    const page = await context.newPage();
    const errors = watchErrors(page);
    await page.goto(`${platform.console}/some/deep/link`);
    await page.waitForURL(/\/console\/login/);
    await page.getByTestId('login-phone').fill('13900000001');
    await page.getByTestId('login-password').fill('Jiaxiao#2016');
    await page.getByTestId('login-submit').click();
    await page.getByTestId('console-welcome').waitFor();
    await expect(page.getByTestId('console-welcome').textContent()).resolves.toContain('王秀英');
    await inspect(page, 'console-home');
    expect(errors).toEqual([]);
    await context.close();
  });
});
