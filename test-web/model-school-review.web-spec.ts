import type { Browser } from 'playwright-core';
import { inspect, launchBrowser, phone, signIn, startPlatform, watchErrors } from './support/browser';
import { CITY_ADMIN, consoleSignIn, desktop } from './support/console';

/** The demo's model-school expert (昌乐县), assigned 潍坊七中's application by the seed. */
const EXPERT = '13900000066';

/** 示范学校评审: the expert scores an assigned school on the H5, without Swagger; the city sees the expert score and the audit entry. */
describe('a model-school expert scores an assigned school on the H5', () => {
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

  it('the expert opens 示范学校评审 from 我的, scores the manual indicators, and the application’s expert score is theirs', async () => {
    const city = { authorization: `Bearer ${await platform.login('13900000000', 'admin')}` };
    const criteria = (await platform.admin().get('/model-schools/criteria').set(city).expect(200)).body as {
      year: number;
      indicators: { code: string; kind: string; weight: number }[];
    };
    const manual = criteria.indicators.filter((i) => i.kind === 'manual');
    expect(manual.length).toBeGreaterThan(0);
    const points = manual.map((i) => Math.max(0, i.weight - 1));
    const total = points.reduce((sum, p) => sum + p, 0);

    const page = await (await phone(browser)).newPage();
    page.setDefaultTimeout(60_000);
    const errors = watchErrors(page);
    await signIn(page, platform.h5, EXPERT);
    await page.goto(`${platform.h5}/me`);
    await page.getByTestId('me-reviews').click();
    await page.waitForURL(/\/h5\/model-school-reviews$/);
    const row = page.getByTestId('review-潍坊七中');
    await row.filter({ hasText: '待评分' }).waitFor();
    await row.click();
    // Out of range: the screen says which indicator, nothing is sent.
    await page.getByTestId(`review-score-${manual[0].code}`).fill(String(manual[0].weight + 1));
    await page.getByTestId('review-submit').click();
    await page
      .getByRole('alert')
      .filter({ hasText: `0–${manual[0].weight} 分` })
      .waitFor();
    for (const [n, indicator] of manual.entries()) await page.getByTestId(`review-score-${indicator.code}`).fill(String(points[n]));
    await page.getByTestId('review-comment').fill('家委会组织健全，家长课程记录完整。');
    await inspect(page, 'h5-model-school-review');
    await page.getByTestId('review-submit').click();
    await row.filter({ hasText: `已评分 ${total} 分` }).waitFor();
    await inspect(page, 'h5-model-school-reviews');

    const applications = (await platform.admin().get('/model-schools/applications').query({ year: criteria.year }).set(city).expect(200))
      .body.items as { schoolName: string; manualScore: number | null }[];
    expect(applications.find((a) => a.schoolName === '潍坊七中')).toMatchObject({ manualScore: total });
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('the city admin filters the audit log by 专家评分 and sees the expert’s entry on the application', async () => {
    const page = await (await desktop(browser)).newPage();
    page.setDefaultTimeout(60_000);
    const errors = watchErrors(page);
    await consoleSignIn(page, platform.console, CITY_ADMIN);
    await page.getByTestId('nav-audit').click();
    await page.getByTestId('audit-table').getByText('登录').first().waitFor();
    await page.getByTestId('audit-action').click();
    await page.keyboard.type('专家评分');
    const [request] = await Promise.all([
      page.waitForRequest(
        (r) => new URL(r.url()).pathname === '/audit-log' && new URL(r.url()).searchParams.get('action') === 'model_school.scored',
      ),
      page.getByRole('option', { name: '专家评分' }).click(),
    ]);
    expect(request).toBeTruthy();
    const row = page.getByTestId('audit-table').locator('.el-table__row').filter({ hasText: '周文博' });
    await row.filter({ hasText: '示范校申报' }).filter({ hasText: '专家评分' }).waitFor();
    await expect(page.getByTestId('audit-table').locator('.el-table__row').count()).resolves.toBe(1);
    await inspect(page, 'console-audit-filtered');
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
