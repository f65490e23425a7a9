import type { Browser, Page } from 'playwright-core';
import { inspect, launchBrowser, startPlatform, watchErrors } from './support/browser';
import { CITY_ADMIN, consoleSignIn, COORDINATOR, desktop, settled } from './support/console';

/**
 * The console's queues, dashboards, big tables and create screens: a coordinator works the join
 * requests by keyboard, reads the trend and the SMS budget, pages the lectures and a roster on the
 * server, launches a campaign, establishes a committee, appoints its chair and opens an election;
 * the city admin sets the year's quota.
 */
describe('the console: join requests, dashboard, server-side tables and create screens', () => {
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

  /** The query of the last GET to an admin-api path the page made while `act` ran. */
  async function requested(page: Page, path: RegExp, act: () => Promise<unknown>): Promise<URLSearchParams> {
    const [request] = await Promise.all([page.waitForRequest((r) => r.method() === 'GET' && path.test(new URL(r.url()).pathname)), act()]);
    return new URL(request.url()).searchParams;
  }

  it('a coordinator sees the pending join requests in the menu and approves one with the keyboard', async () => {
    const [{ id: class1 }] = await platform.query<{ id: string }>(
      `select c.id from classes c join schools s on s.id = c.school_id where s.name = '潍坊七中' and c.name = '初一(1)班'`,
    );
    const teacher = await platform.login('13900000002', 'admin');
    const link = await platform.admin().get(`/classes/${class1}/join-link`).set('authorization', `Bearer ${teacher}`).expect(200);
    const zhao = await platform.login('13900000005');
    await platform
      .parent()
      .post('/join-requests')
      .set('authorization', `Bearer ${zhao}`)
      .send({ token: link.body.token, studentName: '陈小雨', relation: '母亲' })
      .expect(201);

    const page = await (await desktop(browser)).newPage();
    const errors = watchErrors(page);
    await consoleSignIn(page, platform.console, COORDINATOR);
    await page.getByTestId('join-badge').filter({ hasText: '1' }).waitFor();
    await page.getByTestId('nav-join-requests').getByRole('link').focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/console\/join-requests$/);
    const row = page.getByTestId('join-table').locator('tr', { hasText: '赵敏' });
    await row.getByText('初一(1)班').waitFor();
    await expect(row.textContent()).resolves.toContain('13900000005');
    await inspect(page, 'console-join-requests');

    await row.getByTestId('join-approve-陈小雨').focus();
    await page.keyboard.press('Enter');
    const confirm = page.getByRole('dialog', { name: '通过入班申请' });
    await confirm.waitFor();
    await settled(page);
    await inspect(page, 'console-join-approve');
    await confirm.getByRole('button', { name: '通过' }).focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('join-table').getByText('暂无待审核的入班申请').waitFor();
    await expect(page.getByTestId('join-badge').count()).resolves.toBe(0);
    const guardians = await platform.query<{ n: number }>(
      `select count(*)::int as n from guardianships g join users u on u.id = g.user_id join students s on s.id = g.student_id where u.phone = '13900000005' and s.name = '陈小雨'`,
    );
    expect(guardians).toEqual([{ n: 1 }]);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('the dashboard shows the month-by-month trend and this month’s SMS budget', async () => {
    const page = await (await desktop(browser)).newPage();
    const errors = watchErrors(page);
    await consoleSignIn(page, platform.console, COORDINATOR);
    const chart = page.getByTestId('trend-chart');
    await chart.waitFor();
    const months = (
      await platform
        .admin()
        .get('/reports/course-hours/trend')
        .set('authorization', `Bearer ${await platform.login(COORDINATOR, 'admin')}`)
        .expect(200)
    ).body.months as { month: string }[];
    expect(months.length).toBeGreaterThan(0);
    await expect(chart.getAttribute('aria-label')).resolves.toContain(`${Number(months[months.length - 1].month.slice(5))}月`);
    const budget = page.getByTestId('sms-budget');
    await budget.waitFor();
    await expect(budget.textContent()).resolves.toMatch(/已用 \d+ \/ \d+ 条/);
    await inspect(page, 'console-dashboard-trend');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('lectures and a roster are searched, sorted and paged by the server', async () => {
    const page = await (await desktop(browser)).newPage();
    const errors = watchErrors(page);
    await consoleSignIn(page, platform.console, COORDINATOR);
    await page.getByTestId('sms-budget').waitFor();
    const first = await requested(page, /^\/lectures$/, () => page.getByTestId('nav-lectures').click());
    expect(Object.fromEntries(first)).toMatchObject({ page: '1', pageSize: '20', sort: '-startsAt' });
    await page.getByTestId('lectures-table').getByTestId('lecture-row').first().waitFor();

    const sorted = await requested(page, /^\/lectures$/, () =>
      page.getByTestId('lectures-table').getByText('学时', { exact: true }).click(),
    );
    expect(sorted.get('sort')).toBe('creditHours');
    const searched = await requested(page, /^\/lectures$/, () =>
      page.getByRole('textbox', { name: '搜索标题或地点' }).fill('不存在的讲座'),
    );
    expect(searched.get('q')).toBe('不存在的讲座');
    await page.getByTestId('lecture-pager').getByText('共 0 条').waitFor();
    await inspect(page, 'console-lectures-paged');

    await page.getByTestId('nav-directory').click();
    await page.getByTestId('classes-table').getByRole('link', { name: '初一(1)班' }).click();
    await page.getByTestId('roster-table').waitFor();
    const search = await requested(page, /^\/classes\/[0-9a-f-]+\/students$/, () => page.getByTestId('roster-search').fill('陈小雨'));
    expect(search.get('q')).toBe('陈小雨');
    expect(search.get('page')).toBe('1');
    await page.getByTestId('roster-total').filter({ hasText: '共 1 名学生' }).waitFor();
    await inspect(page, 'console-roster-search');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('a coordinator launches a campaign, establishes a committee, appoints its chair and opens an election', async () => {
    const page = await (await desktop(browser)).newPage();
    const errors = watchErrors(page);
    await consoleSignIn(page, platform.console, COORDINATOR);

    await page.getByTestId('nav-campaigns').click();
    await page.getByTestId('campaign-new').click();
    await page.locator('#campaign-title').fill('2026年潍坊七中“书香之家”评选');
    await page.getByTestId('campaign-kind').click();
    await page.getByRole('option', { name: '书香之家' }).click();
    const today = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai' }).format(new Date());
    const later = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai' }).format(new Date(Date.now() + 30 * 86_400_000));
    await page.locator('#campaign-opens').fill(today);
    await page.locator('#campaign-opens').press('Enter');
    await page.locator('#campaign-closes').fill(later);
    await page.locator('#campaign-closes').press('Enter');
    await settled(page);
    await inspect(page, 'console-campaign-new');
    await page.getByTestId('campaign-save').click();
    await page.getByTestId('campaign-select').getByText('2026年潍坊七中“书香之家”评选（书香之家）').waitFor();
    const campaigns = await platform.query<{ kind: string; scope_type: string }>(
      `select kind, scope_type from campaigns where title = '2026年潍坊七中“书香之家”评选'`,
    );
    expect(campaigns).toEqual([{ kind: 'reading_family', scope_type: 'school' }]);

    await page.getByTestId('nav-committees').click();
    await page.getByTestId('committee-new').click();
    await page.getByTestId('committee-class').click();
    await page.getByRole('option', { name: '初二(1)班' }).click();
    await page.locator('#committee-name').fill('初二(1)班家长委员会');
    await settled(page);
    await inspect(page, 'console-committee-new');
    await page.getByTestId('committee-save').click();
    await page.getByTestId('member-new-初二(1)班家长委员会').click();
    await page.getByTestId('member-user').click();
    await page.getByRole('option').first().click();
    await page.getByTestId('member-role').click();
    await page.getByRole('option', { name: '主任', exact: true }).click();
    await settled(page);
    await inspect(page, 'console-committee-member');
    await page.getByTestId('member-save').click();
    await page.getByTestId('members-初二(1)班家长委员会').getByText('主任').waitFor();

    await page.getByTestId('election-new-初二(1)班家长委员会').click();
    await page.locator('#election-title').fill('初二(1)班家委会委员选举');
    await settled(page);
    await inspect(page, 'console-election-new');
    await page.getByTestId('election-save').click();
    await page.getByTestId('elections-初二(1)班家长委员会').getByText('初二(1)班家委会委员选举').waitFor();
    await inspect(page, 'console-committee-detail');
    const elections = await platform.query<{ seats: number }>(`select seats from elections where title = '初二(1)班家委会委员选举'`);
    expect(elections).toEqual([{ seats: 3 }]);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('the city admin sets the year’s quota of model schools', async () => {
    const page = await (await desktop(browser)).newPage();
    const errors = watchErrors(page);
    await consoleSignIn(page, platform.console, CITY_ADMIN);
    await page.getByTestId('nav-model-schools').click();
    await page.getByRole('tab', { name: '评估标准' }).click();
    await page.locator('#criteria-quota').fill('12');
    await page.locator('#criteria-quota').blur();
    await inspect(page, 'console-model-criteria');
    await page.getByTestId('quota-save').click();
    await page.getByTestId('model-quota').filter({ hasText: '名额 12' }).waitFor();
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
