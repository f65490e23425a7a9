import type { Browser, BrowserContext, Page } from 'playwright-core';
import { PASSWORD } from './browser';

export const CITY_ADMIN = '13900000000';
export const COORDINATOR = '13900000001';
export const DISTRICT_ADMIN = '13900000006';

/** A desktop browser (1440×900) in Beijing time, as staff use the console. */
export function desktop(browser: Browser): Promise<BrowserContext> {
  return browser.newContext({
    viewport: { width: 1440, height: 900 },
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    acceptDownloads: true,
  });
}

/** Signs in on the console and waits for the menu. */
export async function consoleSignIn(page: Page, base: string, phone: string): Promise<void> {
  await page.goto(`${base}/login`);
  await page.getByTestId('login-phone').fill(phone);
  await page.getByTestId('login-password').fill(PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('nav-dashboard').waitFor();
}

/** Waits for running CSS transitions and animations (a dialog fading in) before a screenshot. */
export async function settled(page: Page): Promise<void> {
  // a string: this file is type-checked without the DOM library. A cancelled animation (its element
  // removed) rejects `finished` with an AbortError: that one is settled too.
  await page.evaluate('Promise.allSettled(document.getAnimations().map((animation) => animation.finished))');
}
