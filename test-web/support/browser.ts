import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { chromium, devices, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { createTestContext, type TestContext } from '../../test/support/harness';

export const SCREENSHOTS = join(__dirname, '..', '..', 'artifacts', 'screenshots');
export const PASSWORD = 'Jiaxiao#2016';
export const TEACHER = '13900000002';
export const PARENT = '13900000003';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * The whole platform (parent-api serving the H5, gateway, admin-api serving the console, worker)
 * on free ports, with its own database and Redis prefix, as `npm start` would run it.
 */
export async function startPlatform(env: Record<string, string> = {}): Promise<TestContext & { h5: string; console: string }> {
  const [parent, gateway, admin] = [await freePort(), await freePort(), await freePort()];
  const context = await createTestContext({
    apps: ['parent', 'gateway', 'admin', 'worker'],
    ports: { parent, gateway, admin },
    env: {
      PARENT_API_PORT: String(parent),
      GATEWAY_PORT: String(gateway),
      ADMIN_API_PORT: String(admin),
      PUBLIC_BASE_URL: `http://127.0.0.1:${parent}`,
      // The journeys check in and out within seconds: lectures they create need no minimum presence.
      ATTENDANCE_MIN_PRESENCE_PERCENT: '0',
      ATTENDANCE_LATE_CHECKIN_MINUTES: '240',
      ...env,
    },
  });
  return Object.assign(context, { h5: `http://127.0.0.1:${parent}/h5`, console: `http://127.0.0.1:${admin}/console` });
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-dev-shm-usage'],
    headless: true,
  });
}

/** A phone in WeChat's in-app browser (iPhone 13 metrics, WeChat's user agent), in Beijing time. */
export async function phone(browser: Browser, options: { width?: number } = {}): Promise<BrowserContext> {
  const device = devices['iPhone 13'];
  return browser.newContext({
    ...device,
    viewport: { width: options.width ?? device.viewport.width, height: device.viewport.height },
    userAgent: `${device.userAgent} MicroMessenger/8.0.50(0x1800323d) NetType/WIFI Language/zh_CN`,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  });
}

/**
 * The newest SMS code the development outbox holds for a phone (GET /dev/outbox, newest first),
 * once the worker has sent it; `after` skips codes sent before that moment.
 */
export async function smsCode(platform: TestContext, phoneNumber: string, template = 'login_code', after = new Date(0)): Promise<string> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const response = await platform.parent().get('/dev/outbox').query({ phone: phoneNumber }).expect(200);
    const items = response.body.items as { template: string; params: Record<string, string>; createdAt: string }[];
    const item = items.find((i) => i.template === template && new Date(i.createdAt) >= after);
    if (item) return item.params.code;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no ${template} SMS for ${phoneNumber} in the outbox`);
}

/** A phone's browser outside WeChat (the system browser or the camera app's). */
export async function plainPhone(browser: Browser): Promise<BrowserContext> {
  return browser.newContext({ ...devices['iPhone 13'], locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
}

/** Console errors and uncaught exceptions of a page; a journey ends by expecting none. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`${message.text()} ${message.location().url}`);
  });
  page.on('pageerror', (error) => errors.push(error.message));
  return errors;
}

/** Saves a phone-size screenshot and checks the screen with axe: no serious or critical violation. */
export async function inspect(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  // Let transitions end first (a toast fading in is half transparent: a false contrast failure).
  // A string: this file is type-checked without the DOM library.
  await page.evaluate(`(async () => {
    for (let round = 0; round < 20; round++) {
      const running = document.getAnimations().filter((a) => a.playState === 'running');
      if (running.length === 0) return;
      await Promise.allSettled(running.map((a) => a.finished));
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  })()`);
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
  const result = await new AxeBuilder({ page }).analyze();
  const serious = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => `${name}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

/** Signs in on the H5 with the password form and waits for the conversation list. */
export async function signIn(page: Page, base: string, phoneNumber: string, landing = /\/h5\/messages/): Promise<void> {
  await page.goto(`${base}/login`);
  await page.getByRole('button', { name: '密码登录' }).click();
  await page.getByTestId('login-phone').fill(phoneNumber);
  await page.getByTestId('login-password').fill(PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.waitForURL(landing);
}
