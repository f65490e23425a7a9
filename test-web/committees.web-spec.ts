import type { Browser, BrowserContext, Page } from 'playwright-core';
import { inspect, launchBrowser, PARENT, phone, signIn, startPlatform, watchErrors } from './support/browser';

const MINUTE = 60_000;

/** 家委会: the class committee's members, charter, minutes, oversight and fund; an election from nomination to result. */
describe('家委会: a parent reads the committee and takes part in an election', () => {
  let platform: Awaited<ReturnType<typeof startPlatform>>;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let errors: string[];
  let committeeId: string;
  let electionId: string;
  let coordinator: string;

  beforeAll(async () => {
    platform = await startPlatform();
    coordinator = await platform.login('13900000001', 'admin');
    [{ id: committeeId }] = await platform.query<{ id: string }>(
      `select c.id from committees c join classes k on k.id = c.class_id where k.name = '初一(1)班' and c.level = 'class' limit 1`,
    );
    const now = Date.now();
    const opened = await platform
      .admin()
      .post(`/committees/${committeeId}/elections`)
      .set('authorization', `Bearer ${coordinator}`)
      .send({
        title: '初一(1)班家委会委员补选',
        role: 'member',
        seats: 1,
        nominationStartsAt: new Date(now - MINUTE).toISOString(),
        nominationEndsAt: new Date(now + 10 * MINUTE).toISOString(),
        votingStartsAt: new Date(now + 10 * MINUTE).toISOString(),
        votingEndsAt: new Date(now + 70 * MINUTE).toISOString(),
      })
      .expect(201);
    electionId = opened.body.id as string;
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

  it('lists the committee and shows its members, charter, minutes, oversight and fund', async () => {
    await page.getByTestId('tab-committees').click();
    await page.getByTestId('committee-item').first().click();
    await page.waitForURL(new RegExp(`/h5/committees/${committeeId}`));
    await page.getByText('主任').first().waitFor();
    await inspect(page, 'h5-committee-members');
    for (const section of ['charter', 'minutes', 'oversight', 'fund']) {
      await page.getByTestId(`committee-${section}`).click();
      await page.waitForLoadState('networkidle');
      await inspect(page, `h5-committee-${section}`);
    }
    const ledger = await platform
      .parent()
      .get(`/committees/${committeeId}/fund`)
      .set('authorization', `Bearer ${await platform.login(PARENT)}`)
      .expect(200);
    const shown = await page.getByTestId('fund-balance').textContent();
    expect(shown).toContain((ledger.body.balanceFen / 100).toFixed(2));
  });

  it('nominates the parent, then takes the household’s secret ballot', async () => {
    await page.getByTestId('committee-elections').click();
    const card = page.locator(`[data-election-id="${electionId}"]`);
    await card.getByTestId('election-statement').fill('愿意为班级家长服务');
    await card.getByTestId('election-nominate').click();
    await card.getByText('您已报名参选').waitFor();
    await inspect(page, 'h5-committee-election-nominated');

    await platform.query(
      `update elections set nomination_ends_at = now() - interval '1 second', voting_starts_at = now() - interval '1 second' where id = '${electionId}'`,
    );
    await page.reload();
    await page.getByTestId('committee-elections').click();
    await card.getByTestId('election-choice').first().check();
    await inspect(page, 'h5-committee-election-ballot');
    await card.getByTestId('election-vote').click();
    await card.getByTestId('election-voted').waitFor();
  });

  it('shows the result once the election is closed', async () => {
    await platform.admin().post(`/elections/${electionId}/close`).set('authorization', `Bearer ${coordinator}`).expect(200);
    const card = page.locator(`[data-election-id="${electionId}"]`);
    for (let attempt = 0; attempt < 20; attempt += 1) {
      await page.reload();
      await page.getByTestId('committee-elections').click();
      await card.waitFor();
      if ((await card.getByTestId('election-result').count()) > 0) break;
      await page.waitForTimeout(500);
    }
    await expect(card.getByTestId('election-result').textContent()).resolves.toMatch(/陈志强 1 票\s*当选/);
    await inspect(page, 'h5-committee-election-result');
    expect(errors).toEqual([]);
  });
});
