import type { Browser, BrowserContext, Page } from 'playwright-core';
import { inspect, launchBrowser, PARENT, phone, signIn, startPlatform, watchErrors } from './support/browser';

/** 活动: the campaigns open to the family, a 家风家训 story submitted, likes; counselling rooms; model schools. */
describe('活动: campaigns, counselling rooms and the model-school list', () => {
  let platform: Awaited<ReturnType<typeof startPlatform>>;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    platform = await startPlatform();
    browser = await launchBrowser();
    context = await phone(browser, { width: 360 });
    page = await context.newPage();
    errors = watchErrors(page);
    await signIn(page, platform.h5, PARENT);
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await platform?.close();
  });

  it('lists the open campaigns and the support sites on a 360 px phone', async () => {
    await page.getByTestId('tab-activities').click();
    await page.getByTestId('campaign-item').first().waitFor();
    await page.waitForLoadState('networkidle');
    await inspect(page, 'h5-activities');
  });

  it('submits a 家风家训 story, which the family then sees under review', async () => {
    await page.getByTestId('campaign-item').filter({ hasText: '家风家训' }).first().click();
    await page.getByTestId('campaign-submit-open').click();
    await page.getByTestId('submission-title').fill('勤俭持家，耕读传家');
    await page.getByTestId('submission-family').fill('陈家');
    await page.getByTestId('submission-body').fill('我家的家训是“勤俭持家，耕读传家”，爷爷常说一粥一饭当思来之不易。');
    await inspect(page, 'h5-campaign-form');
    await page.getByTestId('submission-submit').click();
    await page.getByTestId('toast').getByText('已提交').waitFor();
    const token = await platform.login(PARENT);
    const campaignId = page.url().split('/').pop();
    const list = await platform.parent().get(`/campaigns/${campaignId}/submissions`).set('authorization', `Bearer ${token}`).expect(200);
    expect(list.body.items.map((s: { title: string }) => s.title)).toContain('勤俭持家，耕读传家');
    await page.getByTestId('submission').filter({ hasText: '勤俭持家' }).waitFor();
    await inspect(page, 'h5-campaign');
  });

  it('once published and awarded, the story can be liked (once) and its certificate downloaded', async () => {
    const [{ id }] = await platform.query<{ id: string }>(`select id from campaign_submissions where title = '勤俭持家，耕读传家'`);
    const admin = await platform.login('13900000000', 'admin');
    const as = (path: string, body: object) => platform.admin().post(path).set('authorization', `Bearer ${admin}`).send(body).expect(200);
    await as(`/campaign-submissions/${id}/review`, { decision: 'approve' });
    await as(`/campaign-submissions/${id}/publication`, {});
    await as(`/campaign-submissions/${id}/award`, { award: 'first' });
    await page.reload();
    const work = page.getByTestId('submission').filter({ hasText: '勤俭持家' });
    await work.getByText('一等奖').waitFor();
    const like = work.getByTestId('submission-like');
    const before = Number((await like.textContent())?.trim());
    await like.click();
    for (let i = 0; i < 50 && Number((await like.textContent())?.trim()) !== before + 1; i += 1) await page.waitForTimeout(100);
    expect(Number((await like.textContent())?.trim())).toBe(before + 1);
    await expect(like.getAttribute('aria-pressed')).resolves.toBe('true');
    const [download] = await Promise.all([page.waitForEvent('download'), work.getByRole('button', { name: '下载获奖证书' }).click()]);
    expect(download.suggestedFilename()).toBe('勤俭持家，耕读传家-获奖证书.pdf');
    await inspect(page, 'h5-campaign-awarded');
    expect(errors).toEqual([]);
  });
});
