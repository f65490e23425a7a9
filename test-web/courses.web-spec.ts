import type { Browser, BrowserContext, Page } from 'playwright-core';
import { inspect, launchBrowser, PARENT, phone, signIn, startPlatform, watchErrors } from './support/browser';

const SEED_TITLE = '父母大讲堂：做孩子成长路上的引路人';
const MINUTE = 60_000;

/** 课程: register for the seed lecture, check in and out through the venue's QR link, watch the hours ring move. */
describe('课程: registration, QR check-in and check-out, my hours', () => {
  let platform: Awaited<ReturnType<typeof startPlatform>>;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let errors: string[];
  let lectureId: string;
  let coordinator: string;

  /** The link the venue's QR code encodes right now (admin-api GET /lectures/:id/check-in-code). */
  async function venueLink(): Promise<string> {
    const response = await platform
      .admin()
      .get(`/lectures/${lectureId}/check-in-code`)
      .set('authorization', `Bearer ${coordinator}`)
      .expect(200);
    return response.body.url as string;
  }
  const ring = () => page.getByTestId('hours-progress').first();

  beforeAll(async () => {
    platform = await startPlatform();
    [{ id: lectureId }] = await platform.query<{ id: string }>(`select id from lectures where title = '${SEED_TITLE}'`);
    coordinator = await platform.login('13900000001', 'admin');
    browser = await launchBrowser();
    context = await phone(browser);
    page = await context.newPage();
    errors = watchErrors(page);
    await signIn(page, platform.h5, PARENT);
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await platform?.close();
  });

  it('starts at 0 of 8 hours for each child', async () => {
    await page.getByTestId('tab-courses').click();
    await page.getByTestId('hours-link').click();
    await ring().waitFor();
    await expect(ring().getAttribute('data-earned')).resolves.toBe('0');
    await expect(ring().getAttribute('data-required')).resolves.toBe('8');
    await expect(page.getByTestId('hours-progress').count()).resolves.toBe(2);
    await inspect(page, 'h5-hours-before');
  });

  it('lists the lectures open to the family and registers for the seed lecture', async () => {
    await page.goto(`${platform.h5}/courses`);
    const item = page.getByTestId('lecture-item').filter({ hasText: SEED_TITLE });
    await item.waitFor();
    await expect(item.textContent()).resolves.toMatch(/父母大讲堂.*2 学时/);
    await inspect(page, 'h5-courses');
    await item.getByTestId('lecture-register').click();
    await item.getByTestId('registration-registered').waitFor();
  });

  it('checks in through the QR link, then checks out and is credited 2 hours', async () => {
    // The lecture ends in 5 minutes, so both check-in and check-out are open now.
    const now = Date.now();
    await platform.query(
      `update lectures set starts_at = '${new Date(now - 115 * MINUTE).toISOString()}', ends_at = '${new Date(now + 5 * MINUTE).toISOString()}' where id = '${lectureId}'`,
    );

    const link = await venueLink();
    expect(link.startsWith(`${platform.h5}/lectures/${lectureId}/check-in?token=`)).toBe(true);
    await page.goto(link);
    await page.getByTestId('checkin-submit').click();
    await page
      .getByTestId('checkin-result')
      .getByText(/已签到/)
      .waitFor();
    // The result card is the answer: no toast covers it or the buttons.
    await expect(page.getByTestId('toast').count()).resolves.toBe(0);
    await inspect(page, 'h5-checkin');

    await page.goto(await venueLink());
    await page.getByTestId('checkout-submit').click();
    await page.getByTestId('checkin-result').getByText('获得 2 学时').waitFor();
    await inspect(page, 'h5-checkout');
  });

  it('shows the hours ring at 2 of 8 with the entry; the certificate waits for 8', async () => {
    await page.getByRole('link', { name: '查看我的学时' }).click();
    await page.getByTestId('hours-entry').first().waitFor();
    // Nothing from the check-in screen covers this one.
    await expect(page.getByTestId('toast').count()).resolves.toBe(0);
    await expect(ring().getAttribute('data-earned')).resolves.toBe('2');
    await expect(page.getByTestId('hours-entry').first().textContent()).resolves.toContain(SEED_TITLE);
    await inspect(page, 'h5-hours-after');
    await expect(page.getByTestId('hours-certificate').count()).resolves.toBe(0);
    await expect(page.getByTestId('hours-certificate-later').count()).resolves.toBe(2);
  });

  it('我的 lists the children; 通知 shows the inbox; the model-school list is public; sign-out returns to sign-in', async () => {
    await page.goto(`${platform.h5}/me`);
    await page.getByTestId('me-child').first().waitFor();
    const children = await page.getByTestId('me-child').allTextContents();
    expect(children.sort()).toEqual([expect.stringContaining('陈小阳'), expect.stringContaining('陈小雨')]);
    await inspect(page, 'h5-me');

    await page.goto(`${platform.h5}/notifications`);
    await page.getByRole('heading', { name: '通知' }).or(page.getByText('通知').first()).waitFor();
    await page.waitForLoadState('networkidle');
    await inspect(page, 'h5-notifications');

    await page.goto(`${platform.h5}/me`);
    await page.getByTestId('sign-out').click();
    await page.getByRole('button', { name: '确认' }).click();
    await page.waitForURL(/\/h5\/login/);

    await page.goto(`${platform.h5}/model-schools`);
    await page.waitForLoadState('networkidle');
    await inspect(page, 'h5-model-schools');
    expect(errors).toEqual([]);
  });
});
