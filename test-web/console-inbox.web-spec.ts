import type { Browser, Page } from 'playwright-core';
import { inspect, launchBrowser, PARENT, startPlatform, TEACHER, watchErrors } from './support/browser';
import { CITY_ADMIN, consoleSignIn, COORDINATOR, desktop, DISTRICT_ADMIN, settled } from './support/console';

/**
 * The console's inboxes and the tables finished last: a class teacher's 未确认通知 and 提醒未确认,
 * a school's class table paged by the server, the city editing next year's rubric, the join
 * queue in one request, a coordinator confirming a bureau notice (and the bureau seeing it), and
 * the 校长信箱 answered by the school.
 */
describe('the console: unconfirmed notices, class table, rubric, bureau notices, mailbox', () => {
  let platform: Awaited<ReturnType<typeof startPlatform>>;
  let browser: Browser;
  let schoolId: string;
  let districtId: string;
  const bearer = async (phone: string, api: 'admin' | 'parent' = 'admin') => ({
    authorization: `Bearer ${await platform.login(phone, api)}`,
  });

  beforeAll(async () => {
    platform = await startPlatform({ FAMILY_QUIET_HOURS: '00:00-00:00' });
    browser = await launchBrowser();
    [{ id: schoolId, district: districtId }] = await platform.query<{ id: string; district: string }>(
      `select id::text, district_id::text as district from schools where name = '潍坊七中'`,
    );
  });
  afterAll(async () => {
    await browser?.close();
    await platform?.close();
  });

  /** The notice's reminders in the inbox: the worker writes them from the reminder's event, so this waits for them (up to 15 s). */
  async function reminders(messageId: string): Promise<number> {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const [{ n }] = await platform.query<{ n: number }>(
        `select count(*)::int as n from notifications where kind = 'notice.remind' and data->>'messageId' = '${messageId}'`,
      );
      if (n > 0 || Date.now() > deadline) return n;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async function signedIn(phone: string): Promise<{ page: Page; errors: string[] }> {
    const page = await (await desktop(browser)).newPage();
    // The machine may be busy: waits get longer than Playwright's 30 s default.
    page.setDefaultTimeout(60_000);
    const errors = watchErrors(page);
    await consoleSignIn(page, platform.console, phone);
    return { page, errors };
  }

  it('a class teacher sees the welcome notice’s 回执 on the dashboard and reminds the unconfirmed', async () => {
    const [{ id }] = await platform.query<{ id: string }>("select id::text from messages where client_msg_id = 'seed-welcome-notice'");
    await platform
      .parent()
      .post(`/messages/${id}/ack`)
      .set(await bearer(PARENT, 'parent'))
      .expect(200);
    const { page, errors } = await signedIn(TEACHER);
    const count = page.getByTestId(`unconfirmed-count-${id}`);
    await count.waitFor();
    const [, families] = /^1 \/ (\d+) 户$/.exec((await count.textContent()) ?? '') ?? [];
    expect(Number(families)).toBeGreaterThan(1);
    await inspect(page, 'console-dashboard-unconfirmed');
    const [request] = await Promise.all([
      page.waitForRequest((r) => r.method() === 'POST' && r.url().endsWith(`/class-notices/${id}/remind`)),
      page.getByTestId(`unconfirmed-remind-${id}`).click(),
    ]);
    expect(request).toBeTruthy();
    await page.getByText(/已提醒 \d+ 位未确认的家长/).waitFor();
    expect(await reminders(id)).toBeGreaterThan(0);
    await page.getByTestId(`unconfirmed-${id}`).click();
    await page.waitForURL(/\/console\/directory\/classes\//);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('a coordinator opens a class notice’s 回执 by family and reminds the families that have not confirmed', async () => {
    const [{ id: groupId }] = await platform.query<{ id: string }>(
      "select c.id::text from conversations c join classes cl on cl.id = c.class_id where c.kind = 'class_group' and cl.name = '初一(1)班' and cl.school_id = (select id from schools where name = '潍坊七中')",
    );
    const sent = await platform
      .parent()
      .post(`/conversations/${groupId}/messages`)
      .set(await bearer(TEACHER, 'parent'))
      .send({
        clientMsgId: `console-acks-${Date.now()}`,
        type: 'notice',
        title: '秋季家长会',
        text: '本周五下午三点家长会，请确认。',
        needsAck: true,
      })
      .expect(201);
    const id = sent.body.message.id as string;
    await platform
      .parent()
      .post(`/messages/${id}/ack`)
      .set(await bearer(PARENT, 'parent'))
      .expect(200);

    const { page, errors } = await signedIn(COORDINATOR);
    await page.getByTestId(`unconfirmed-acks-${id}`).click();
    const dialog = page.getByTestId('class-notice-acks');
    await dialog.getByRole('tab', { name: /已确认（1）/ }).click();
    const confirmed = page.getByTestId('acks-confirmed');
    await confirmed.getByText('陈小雨').waitFor();
    await confirmed.getByText('陈志强（父亲）').waitFor();
    await confirmed.getByText(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/).waitFor();
    await dialog.getByRole('tab', { name: /未确认（\d+）/ }).click();
    await page.getByTestId('acks-unconfirmed').getByText('刘子涵').waitFor();
    await settled(page);
    await inspect(page, 'console-class-notice-acks');
    const [request] = await Promise.all([
      page.waitForRequest((r) => r.method() === 'POST' && r.url().endsWith(`/class-notices/${id}/remind`)),
      page.getByTestId('acks-remind').click(),
    ]);
    expect(request).toBeTruthy();
    await page.getByText(/已提醒 \d+ 位未确认的家长/).waitFor();
    expect(await reminders(id)).toBeGreaterThan(0);
    // The same hourly limit as the class teacher's: a second reminder is refused, with the minutes to wait.
    await page.getByTestId('acks-remind').click();
    await page.getByText(/每条通知每小时只能提醒一次/).waitFor();
    expect(errors.filter((e) => !(e.includes('status of 429') && e.includes('/remind')))).toEqual([]);
    await page.context().close();
  });

  it('a coordinator pages, sorts and filters the school’s classes on the server; the join queue is one request', async () => {
    const { page, errors } = await signedIn(COORDINATOR);
    const classList = (act: () => Promise<unknown>) =>
      Promise.all([
        page.waitForRequest((r) => r.method() === 'GET' && new URL(r.url()).pathname === `/schools/${schoolId}/class-list`),
        act(),
      ]).then(([r]) => new URL(r.url()).searchParams);
    const shown: URLSearchParams[] = [];
    page.on('request', (r) => {
      if (new URL(r.url()).pathname === `/schools/${schoolId}/class-list`) shown.push(new URL(r.url()).searchParams);
    });
    await page.goto(`${platform.console}/directory/schools/${schoolId}`);
    await page.getByTestId('classes-table').getByRole('link', { name: '初一(2)班' }).waitFor();
    expect(Object.fromEntries(shown[0])).toMatchObject({ page: '1', pageSize: '20', sort: 'grade' });
    const [{ n: classes }] = await platform.query<{ n: number }>(
      `select count(*)::int as n from classes c join school_years y on y.id = c.school_year_id where c.school_id = '${schoolId}' and y.starts_on <= current_date and y.ends_on >= current_date`,
    );
    await page
      .getByTestId('classes-total')
      .filter({ hasText: `共 ${classes} 个班级` })
      .waitFor();
    const sorted = await classList(() => page.getByTestId('classes-table').getByText('学生数').click());
    expect(sorted.get('sort')).toBe('students');
    const searched = await classList(() => page.getByTestId('classes-search').fill('初一(1)'));
    expect(searched.get('q')).toBe('初一(1)');
    await page.getByTestId('classes-total').filter({ hasText: '共 1 个班级' }).waitFor();
    await page.getByTestId('classes-table').getByRole('link', { name: '初一(1)班' }).waitFor();
    await inspect(page, 'console-school-classes');

    const joinRequests: string[] = [];
    page.on('request', (r) => {
      if (/join-requests/.test(r.url())) joinRequests.push(new URL(r.url()).pathname);
    });
    await page.getByTestId('nav-join-requests').click();
    await page.getByTestId('join-table').waitFor();
    expect(joinRequests).toEqual([`/schools/${schoolId}/join-requests`]);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('the city admin edits next year’s rubric: a year with applications is locked', async () => {
    const { page, errors } = await signedIn(CITY_ADMIN);
    await page.getByTestId('nav-model-schools').click();
    await page.getByRole('tab', { name: '评估标准' }).click();
    const editor = page.getByTestId('rubric-editor');
    await editor.waitFor();
    const current = (
      await platform
        .admin()
        .get('/model-schools/criteria')
        .set(await bearer(CITY_ADMIN))
        .expect(200)
    ).body as { year: number; locked: boolean; indicators: { code: string }[] };
    expect(current.locked).toBe(true);
    const next = current.year + 1;
    await editor.getByText(`${next} 年度尚未发布`).waitFor();
    await editor.getByTestId('rubric-delete-0').click();
    await editor.getByTestId('rubric-total').filter({ hasText: '分值合计 80 / 100' }).waitFor();
    await expect(editor.getByTestId('rubric-save').isDisabled()).resolves.toBe(true);
    await editor.getByTestId('rubric-add').click();
    const last = current.indicators.length - 1;
    await editor.getByTestId(`rubric-name-${last}`).fill('家访与家长会');
    const weight = editor.getByLabel(`第 ${last + 1} 项分值`);
    await weight.fill('20');
    await weight.blur();
    await editor.getByTestId('rubric-total').filter({ hasText: '分值合计 100 / 100' }).waitFor();
    await inspect(page, 'console-rubric-editor');
    await editor.getByTestId('rubric-save').click();
    await page.getByText(`${next} 年度评估指标已发布`).waitFor();
    const saved = (
      await platform
        .admin()
        .get(`/model-schools/criteria?year=${next}`)
        .set(await bearer(CITY_ADMIN))
        .expect(200)
    ).body as { indicators: { code: string; name: string; weight: number }[] };
    expect(saved.indicators.map((i) => i.code)).toEqual([
      ...current.indicators.slice(1).map((i) => i.code),
      `item_${current.indicators.length}`,
    ]);
    expect(saved.indicators[saved.indicators.length - 1]).toMatchObject({ name: '家访与家长会', weight: 20 });
    await page.getByTestId('rubric-year').click();
    await page.getByRole('option', { name: `${current.year} 年度` }).click();
    await editor.getByTestId('rubric-locked').waitFor();
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('a coordinator reads and confirms the district’s notice; the district sees who confirmed', async () => {
    const posted = await platform
      .admin()
      .post('/school-notices')
      .set(await bearer(DISTRICT_ADMIN))
      .send({ audience: 'coordinators', districtId, title: '关于报送家长学校工作总结的通知', body: '请各校于月底前报送。', needsAck: true })
      .expect(201);
    const id = posted.body.id as string;
    for (let i = 0; (await platform.query(`select 1 from school_notice_recipients where notice_id = '${id}'`)).length === 0; i++) {
      if (i > 200) throw new Error('the notice was not fanned out');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const { page, errors } = await signedIn(COORDINATOR);
    await page.getByTestId('nav-school-notices').click();
    await page.getByRole('tab', { name: '收到的教育局通知' }).click();
    await page.getByTestId(`received-${id}`).click();
    await page.getByTestId('received-detail').getByText('请各校于月底前报送。').waitFor();
    await inspect(page, 'console-received-notice');
    await page.getByTestId('received-ack').click();
    await page.getByTestId('received-acked').waitFor();
    const [row] = await platform.query<{ acked: boolean }>(
      `select r.acked_at is not null as acked from school_notice_recipients r join users u on u.id = r.user_id where r.notice_id = '${id}' and u.phone = '${COORDINATOR}'`,
    );
    expect(row.acked).toBe(true);
    expect(errors).toEqual([]);
    await page.context().close();

    const district = await signedIn(DISTRICT_ADMIN);
    await district.page.getByTestId('nav-school-notices').click();
    await district.page.getByTestId('school-notices-table').getByText('关于报送家长学校工作总结的通知').click();
    const rollup = district.page.getByTestId('school-notice-rollup');
    await rollup.getByRole('row', { name: /潍坊七中/ }).waitFor();
    await expect(rollup.getByRole('row', { name: /潍坊七中/ }).textContent()).resolves.toMatch(/潍坊七中1\d*1/);
    await inspect(district.page, 'console-notice-confirmed-by');
    expect(district.errors).toEqual([]);
    await district.page.context().close();
  });

  it('a coordinator answers a 校长信箱 letter before its deadline and sees an overdue one; the dashboard counts them', async () => {
    const parent = await bearer(PARENT, 'parent');
    const write = (subject: string) =>
      platform
        .parent()
        .post('/mailbox')
        .set(parent)
        .send({ schoolId, kind: 'suggestion', topic: 'canteen', subject, body: '建议食堂增加蔬菜品种，谢谢。' })
        .expect(201);
    const fresh = (await write('关于食堂菜品的建议')).body.id as string;
    const late = (await write('关于校门口交通的建议')).body.id as string;
    await platform.query(`update mailbox_items set due_at = now() - interval '1 hour' where id = '${late}'`);

    const { page, errors } = await signedIn(COORDINATOR);
    await page
      .getByTestId('mailbox-counts')
      .getByRole('row', { name: /潍坊七中/ })
      .waitFor();
    await expect(page.getByTestId('mailbox-overdue-count-潍坊七中').textContent()).resolves.toBe('1');
    await page.getByTestId('nav-mailbox').click();
    await page.getByTestId(`mailbox-overdue-${late}`).waitFor();
    await page.getByTestId(`mailbox-item-${fresh}`).click();
    await page.locator('#mailbox-answer').fill('感谢建议，食堂下周起每天增加两种蔬菜。');
    await inspect(page, 'console-mailbox');
    await page.getByTestId('mailbox-send').click();
    await page.getByTestId('mailbox-answer-text').filter({ hasText: '食堂下周起每天增加两种蔬菜' }).waitFor();
    const [row] = await platform.query<{ status: string; answered_level: string }>(
      `select status, answered_level from mailbox_items where id = '${fresh}'`,
    );
    expect(row).toEqual({ status: 'answered', answered_level: 'school' });
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
