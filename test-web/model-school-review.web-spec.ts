import type { Browser } from 'playwright-core';
import { inspect, launchBrowser, phone, signIn, startPlatform, watchErrors } from './support/browser';

/** The demo's model-school expert (昌乐县), assigned 潍坊七中's application by the seed. */
const EXPERT = '13900000066';

/** 示范学校评审: the expert scores an assigned school on the H5, without Swagger; the city sees the expert score. */
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
    const criteria = (await platform.admin().get('/model-schools/criteria').set(city).expect(200)).body as { year: number; indicators: { code: string; kind: string; weight: number }[] };
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
    await page.getByRole('alert').filter({ hasText: `0–${manual[0].weight} 分` }).waitFor();
    for (const [n, indicator] of manual.entries()) await page.getByTestId(`review-score-${indicator.code}`).fill(String(points[n]));
    await page.getByTestId('review-comment').fill('家委会组织健全，家长课程记录完整。');
    await inspect(page, 'h5-model-school-review');
    await page.getByTestId('review-submit').click();
    await row.filter({ hasText: `已评分 ${total} 分` }).waitFor();
    await inspect(page, 'h5-model-school-reviews');

    const applications = (await platform.admin().get('/model-schools/applications').query({ year: criteria.year }).set(city).expect(200)).body.items as { schoolName: string; manualScore: number | null }[];
    expect(applications.find((a) => a.schoolName === '潍坊七中')).toMatchObject({ manualScore: total });
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
