import type { Browser } from 'playwright-core';
import { inspect, launchBrowser, PARENT, startPlatform, watchErrors } from './support/browser';
import { CITY_ADMIN, consoleSignIn, COORDINATOR, desktop, DISTRICT_ADMIN, settled } from './support/console';

describe('the console: coordinators, district and city staff at work', () => {
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

  it('navigation follows the role: the coordinator sees their school, the city admin the city', async () => {
    const context = await desktop(browser);
    const page = await context.newPage();
    const errors = watchErrors(page);
    await consoleSignIn(page, platform.console, COORDINATOR);
    await expect(page.getByTestId('console-scope').textContent()).resolves.toContain('潍坊七中');
    await page.getByTestId('compliance-chart').waitFor();
    await expect(
      page.locator('[data-testid^="nav-"]').evaluateAll((items) => items.map((i) => i.getAttribute('data-testid'))),
    ).resolves.toEqual([
      'nav-dashboard',
      'nav-directory',
      'nav-join-requests',
      'nav-school-notices',
      'nav-mailbox',
      'nav-school-year',
      'nav-lectures',
      'nav-hours',
      'nav-model-schools',
      'nav-committees',
      'nav-campaigns',
      'nav-support-sites',
      'nav-counselling',
    ]);
    await inspect(page, 'console-dashboard-coordinator');

    await page.getByTestId('nav-hours').click();
    await page.getByTestId('hours-classes').waitFor();
    await inspect(page, 'console-hours-school');
    await page.getByTestId('hours-classes').getByRole('button', { name: '初一(1)班' }).click();
    await page.getByTestId('hours-households').waitFor();
    await inspect(page, 'console-hours-class');

    await page.getByTestId('nav-committees').click();
    await page.getByTestId('committees-table').waitFor();
    await inspect(page, 'console-committees');
    await page.getByTestId('nav-campaigns').click();
    await page.getByTestId('submissions-table').waitFor();
    await inspect(page, 'console-campaigns');
    await page.getByTestId('nav-support-sites').click();
    await page.getByTestId('sites-table').getByText('心语小屋').waitFor();
    await inspect(page, 'console-support-sites');
    expect(errors).toEqual([]);
    await context.close();

    const city = await (await desktop(browser)).newPage();
    const cityErrors = watchErrors(city);
    await consoleSignIn(city, platform.console, CITY_ADMIN);
    await expect(city.getByTestId('console-scope').textContent()).resolves.toContain('市教育局');
    await city.getByTestId('compliance-chart').waitFor();
    await inspect(city, 'console-dashboard-city');
    await city.getByTestId('nav-hours').click();
    await city.getByTestId('hours-districts').getByRole('button', { name: '奎文区' }).click();
    await city.getByTestId('hours-schools').getByRole('button', { name: '潍坊七中' }).click();
    await city.getByTestId('hours-classes').waitFor();
    await city.getByTestId('nav-directory').click();
    await city.getByTestId('schools-table').getByRole('link', { name: '广文中学' }).waitFor();
    await inspect(city, 'console-directory-schools');
    await city.getByTestId('nav-audit').click();
    await city.getByTestId('audit-table').getByText('登录').first().waitFor();
    await inspect(city, 'console-audit-log');
    expect(cityErrors).toEqual([]);
    await city.context().close();
  });

  it('a coordinator imports a roster, watches its progress, fixes a bad row and uploads again', async () => {
    const context = await desktop(browser);
    const page = await context.newPage();
    const errors = watchErrors(page);
    await consoleSignIn(page, platform.console, COORDINATOR);
    await page.getByTestId('nav-directory').click();
    await page.getByTestId('classes-table').getByRole('link', { name: '初一(2)班' }).click();
    await page.getByTestId('roster-table').waitFor();

    const header = '学生姓名,家长姓名,家长手机号,关系';
    const upload = async (name: string, rows: string[]) => {
      await page
        .locator('input[type=file]')
        .setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from([header, ...rows].join('\n')) });
      await page.getByTestId('import-progress').waitFor();
      await page
        .getByTestId('import-status')
        .filter({ hasText: new RegExp(`${name}：(已完成|失败)`) })
        .waitFor();
    };
    await upload('roster.csv', ['李小明,李强,13811110001,父亲', '陈思,陈红,1381111,母亲']);
    await expect(page.getByTestId('import-status').textContent()).resolves.toContain('已完成');
    await expect(page.getByTestId('import-errors').textContent()).resolves.toContain('3');
    await page.getByTestId('roster-table').getByText('李小明').waitFor();
    await inspect(page, 'console-roster-import');

    await upload('roster-fixed.csv', ['李小明,李强,13811110001,父亲', '陈思,陈红,13811110002,母亲']);
    await expect(page.getByTestId('import-errors').count()).resolves.toBe(0);
    await page.getByTestId('roster-table').getByText('陈思').waitFor();
    expect(errors).toEqual([]);
    await context.close();
  });

  it('a coordinator publishes a lecture, the venue code rotates, a parent checks in and the dashboard moves', async () => {
    const context = await desktop(browser);
    const page = await context.newPage();
    const errors = watchErrors(page);
    await consoleSignIn(page, platform.console, COORDINATOR);
    const average = page.getByTestId('average-初一(1)班');
    const before = await average.textContent();

    await page.getByTestId('nav-lectures').click();
    await page.getByTestId('lecture-new').click();
    await page.locator('#lecture-title').fill('如何陪伴青春期的孩子');
    await page.locator('#lecture-venue').fill('七中报告厅');
    // Half an hour that began 25 minutes ago, worth half a class hour (a lecture never credits more
    // hours than it lasts), so that check-out, open from 10 minutes before the end, is open now.
    const began = new Intl.DateTimeFormat('sv-SE', {
      timeZone: 'Asia/Shanghai',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    }).format(new Date(Date.now() - 25 * 60_000));
    await page.locator('#lecture-starts').fill(began);
    await page.locator('#lecture-starts').press('Enter');
    await page.locator('#lecture-minutes').fill('30');
    await page.locator('#lecture-minutes').blur();
    await page.locator('#lecture-hours').fill('0.5');
    await page.locator('#lecture-hours').blur();
    await settled(page);
    await inspect(page, 'console-lecture-new');
    await page.getByTestId('lecture-save').click();
    await page.getByTestId('lecture-publish').click();
    await page.getByTestId('lecture-status').filter({ hasText: '已发布' }).waitFor();
    await inspect(page, 'console-lecture-detail');
    const lectureId = /lectures\/([0-9a-f-]+)/.exec(page.url())?.[1] as string;

    await page.goto(`${platform.console}/lectures/${lectureId}/screen`);
    const qr = page.getByTestId('checkin-qr');
    await qr.waitFor();
    const first = {
      src: await qr.getAttribute('src'),
      url: await qr.getAttribute('data-url'),
      expiresAt: await qr.getAttribute('data-expires-at'),
    };
    expect(first.src).toMatch(/^data:image\/png;base64,/);
    expect(first.url).toContain(`${platform.h5}/lectures/${lectureId}/check-in?token=`);
    await expect(page.getByTestId('venue-title').textContent()).resolves.toBe('如何陪伴青春期的孩子');
    await inspect(page, 'console-venue-screen');
    // The screen fetches the next code before the current one expires (every 30 s).
    const next = page.locator(`[data-testid="checkin-qr"]:not([data-expires-at="${first.expiresAt}"])`);
    await next.waitFor({ timeout: 60_000 });
    expect(await next.getAttribute('src')).not.toBe(first.src);
    const second = await next.getAttribute('data-url');
    expect(second).not.toBe(first.url);

    // The parent follows the link: the H5 opens it, and the check-in goes through parent-api with its token.
    const phone = await browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    const h5 = await phone.newPage();
    await h5.goto(second as string);
    expect(h5.url()).toContain('/h5/');
    await phone.close();
    const token = new URL(second as string).searchParams.get('token') as string;
    const parent = await platform.login(PARENT);
    const checkIn = await platform
      .parent()
      .post(`/lectures/${lectureId}/check-in`)
      .set('authorization', `Bearer ${parent}`)
      .send({ token });
    expect(checkIn.status).toBe(200);
    const checkOut = await platform
      .parent()
      .post(`/lectures/${lectureId}/check-out`)
      .set('authorization', `Bearer ${parent}`)
      .send({ token });
    expect(checkOut.status).toBe(200);
    expect(checkOut.body.credited).toBeGreaterThan(0);

    await page.goto(`${platform.console}/`);
    await average.waitFor();
    await average.filter({ hasNotText: new RegExp(`^${before}$`) }).waitFor();
    expect(Number(await average.textContent())).toBeGreaterThan(Number(before));

    // A wrong credit is revoked with a reason from the lecture's attendance list.
    await page.goto(`${platform.console}/lectures/${lectureId}`);
    const row = page.getByTestId('attendance-table').locator('tr', { hasText: '139****0003' });
    await row.getByRole('button', { name: '撤销' }).click();
    await page.getByRole('dialog').getByRole('textbox').fill('家长签到后即离场');
    await page.getByRole('dialog').getByRole('button', { name: '撤销' }).click();
    await row.getByText('已撤销（家长签到后即离场）').waitFor();
    await inspect(page, 'console-lecture-attendance');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('a district admin pre-reviews an application and the city admin designates under the quota', async () => {
    // 广文中学 (奎文区) applies through its new coordinator; the expert scores 潍坊七中's application.
    const city = await platform.login(CITY_ADMIN, 'admin');
    const schools = await platform.admin().get('/schools?limit=50').set('authorization', `Bearer ${city}`);
    const guangwen = schools.body.items.find((s: { name: string }) => s.name === '广文中学');
    const appointed = await platform
      .admin()
      .post(`/schools/${guangwen.id}/staff`)
      .set('authorization', `Bearer ${city}`)
      .send({ phone: '13911112222', name: '刘芳', role: 'coordinator' });
    expect(appointed.status).toBe(201);
    const signedIn = await platform.admin().post('/auth/login').send({ phone: '13911112222', password: appointed.body.initialPassword });
    // A one-time password must be replaced before anything else.
    await platform
      .admin()
      .put('/me/password')
      .set('authorization', `Bearer ${signedIn.body.accessToken}`)
      .send({ currentPassword: appointed.body.initialPassword, newPassword: 'Guangwen2026' })
      .expect(204);
    const year = (await platform.admin().get('/model-schools/criteria').set('authorization', `Bearer ${city}`)).body.year;
    const applied = await platform
      .admin()
      .post('/model-schools/applications')
      .set('authorization', `Bearer ${signedIn.body.accessToken}`)
      .send({ schoolId: guangwen.id, year, materials: '家长学校制度健全，每学期四次家长课堂。' });
    expect(applied.status).toBe(201);
    const expert = await platform.login('13900000066');
    const [review] = (await platform.parent().get('/model-school-reviews').set('authorization', `Bearer ${expert}`)).body.items;
    const scored = await platform
      .parent()
      .put(`/model-school-reviews/${review.id}`)
      .set('authorization', `Bearer ${expert}`)
      .send({ scores: { documents: 13, site_visit: 12 }, comment: '资料齐全' });
    expect(scored.status).toBe(200);
    // The bureau sets this year's pass mark at 潍坊七中's score: designation needs a score at or above it.
    const ranking = await platform.admin().get(`/model-schools/ranking?year=${year}`).set('authorization', `Bearer ${city}`).expect(200);
    const wf7 = ranking.body.items.find((i: { schoolName: string }) => i.schoolName === '潍坊七中');
    await platform
      .admin()
      .put('/model-schools/pass-mark')
      .set('authorization', `Bearer ${city}`)
      .send({ year, passMark: Math.floor(wf7.totalScore) })
      .expect(200);

    const district = await (await desktop(browser)).newPage();
    const districtErrors = watchErrors(district);
    await consoleSignIn(district, platform.console, DISTRICT_ADMIN);
    await expect(district.getByTestId('console-scope').textContent()).resolves.toContain('奎文区');
    await district.getByTestId('nav-model-schools').click();
    await district.getByTestId('pass-广文中学').click();
    await district.getByTestId('status-广文中学').filter({ hasText: '初审通过' }).waitFor();
    await inspect(district, 'console-model-schools-district');
    expect(districtErrors).toEqual([]);
    await district.context().close();

    const page = await (await desktop(browser)).newPage();
    const errors = watchErrors(page);
    await consoleSignIn(page, platform.console, CITY_ADMIN);
    await page.getByTestId('nav-model-schools').click();
    await expect(page.getByTestId('designate-广文中学').isDisabled()).resolves.toBe(true);
    await page.getByTestId('assign-广文中学').click();
    await page.getByTestId('expert-select').click();
    await page.getByRole('option', { name: '周文博（昌乐县）' }).click();
    await page.getByTestId('expert-assign').click();
    await page.getByText('已指派专家').waitFor();
    const reviews = await platform.query<{ n: number }>(
      `select count(*)::int as n from model_school_reviews r join model_school_applications a on a.id = r.application_id join schools s on s.id = a.school_id where s.name = '广文中学'`,
    );
    expect(reviews).toEqual([{ n: 1 }]);
    await expect(page.getByTestId('model-quota').textContent()).resolves.toContain('已认定 0');
    await page.getByTestId('designate-潍坊七中').click();
    await page.getByRole('button', { name: '认定', exact: true }).last().click();
    await page.getByTestId('status-潍坊七中').filter({ hasText: '已认定' }).waitFor();
    await expect(page.getByTestId('model-quota').textContent()).resolves.toContain('已认定 1');
    await inspect(page, 'console-model-schools-city');
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
