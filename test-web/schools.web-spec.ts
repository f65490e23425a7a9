import type { Browser } from 'playwright-core';
import { inspect, launchBrowser, startPlatform, watchErrors } from './support/browser';
import { CITY_ADMIN, consoleSignIn, COORDINATOR, desktop, settled } from './support/console';

describe('the console: school notices and the school year', () => {
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

  it('a coordinator posts a notice to the 初一 families, follows its 回执 per class and reminds the unconfirmed', async () => {
    const page = await (await desktop(browser)).newPage();
    const errors = watchErrors(page);
    await consoleSignIn(page, platform.console, COORDINATOR);
    await page.getByTestId('nav-school-notices').click();
    await page.getByTestId('school-notices-table').waitFor();
    await page.getByTestId('school-notice-new').click();
    await page.getByLabel('标题').fill('关于初一年级家长会的通知');
    await page.getByLabel('内容').fill('本周五下午四点在各班教室召开家长会，请准时参加。');
    await page.getByRole('dialog').getByText('初一', { exact: true }).click();
    await settled(page);
    await inspect(page, 'console-school-notice-new');
    await page.getByTestId('school-notice-submit').click();
    const row = page.getByTestId('school-notices-table').getByRole('row', { name: /关于初一年级家长会的通知/ });
    await row.getByText('初一 家长').waitFor();
    // The worker fans it out in the background: reload until the recipients are counted.
    for (;;) {
      if (!(await row.getByText('分发中').isVisible())) break;
      await page.getByTestId('nav-directory').click();
      await page.getByTestId('nav-school-notices').click();
      await row.waitFor();
    }
    await row.click();
    const rollup = page.getByTestId('school-notice-rollup');
    await rollup.getByRole('cell', { name: '初一(1)班' }).waitFor();
    await expect(rollup.getByRole('cell', { name: '初二(1)班' }).count()).resolves.toBe(0);
    await rollup.getByText(/已确认 0 \//).waitFor();
    await page.getByTestId('school-notice-remind').click();
    await page.getByText(/已提醒 \d+ 户未确认/).waitFor();
    await inspect(page, 'console-school-notice-rollup');
    // Before the city creates next school year there is nothing to roll over: said in the page.
    await page.getByTestId('nav-school-year').click();
    await page.getByTestId('rollover-missing-year').waitFor();
    await inspect(page, 'console-school-year-no-next');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('a coordinator previews the school-year rollover and carries it out', async () => {
    const city = await platform.login(CITY_ADMIN, 'admin');
    const years = await platform.admin().get('/school-years').set('Authorization', `Bearer ${city}`).expect(200);
    const current = (years.body as { name: string; current: boolean }[]).find((y) => y.current)?.name ?? '';
    const start = Number(current.slice(0, 4));
    await platform
      .admin()
      .post('/school-years')
      .set('Authorization', `Bearer ${city}`)
      .send({ name: `${start + 1}-${start + 2}` })
      .expect(201);

    const page = await (await desktop(browser)).newPage();
    const errors = watchErrors(page);
    await consoleSignIn(page, platform.console, COORDINATOR);
    await page.getByTestId('nav-school-year').click();
    const plan = page.getByTestId('rollover-plan');
    await plan.getByText('（预览）').waitFor();
    await plan.getByRole('cell', { name: '初二(1)班' }).first().waitFor();
    await inspect(page, 'console-rollover-preview');
    await page.getByTestId('rollover-commit').click();
    await page.getByRole('button', { name: '执行升级' }).last().click();
    await plan.getByText('（已完成）').waitFor();
    await inspect(page, 'console-rollover-done');
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
