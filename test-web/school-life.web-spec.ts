import type { Browser, BrowserContext, Page } from 'playwright-core';
import { auth, createLecture, minutesFromNow } from '../test/support/courses';
import { inspect, launchBrowser, PARENT, phone, signIn, startPlatform, watchErrors } from './support/browser';

const COORDINATOR = '13900000001';
const CITY_ADMIN = '13900000000';
const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n', 'latin1');

/**
 * School life on the H5: 校务公开 notices confirmed with a 回执, a letter to the 校长信箱 answered by
 * the school, the public platform browsed without signing in, and a lecture's handout downloaded.
 */
describe('校务公开, 校长信箱, the public platform and lecture materials', () => {
  let platform: Awaited<ReturnType<typeof startPlatform>>;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let errors: string[];
  let coordinator: string;
  let wf7: string;

  beforeAll(async () => {
    platform = await startPlatform({ FAMILY_QUIET_HOURS: '00:00-00:00' });
    coordinator = await platform.login(COORDINATOR, 'admin');
    [{ id: wf7 }] = await platform.query<{ id: string }>("select id::text from schools where name = '潍坊七中'");
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

  it('a school notice reaches the 消息 tab; opening it reads it, the 回执 confirms it and the school’s count moves', async () => {
    const posted = await platform
      .admin()
      .post('/school-notices')
      .set(auth(coordinator))
      .send({
        audience: 'families',
        schoolId: wf7,
        title: '关于期末家长会的通知',
        body: '定于下周五下午三点召开期末家长会。\n请各位家长准时参加。',
        needsAck: true,
      })
      .expect(201);
    const noticeId = posted.body.id as string;
    const rollup = async () =>
      (await platform.admin().get(`/school-notices/${noticeId}/rollup`).set(auth(coordinator)).expect(200)).body as {
        read: number;
        confirmed: number;
      };
    // The worker fans the notice out; the 消息 tab shows it at the top with its badge.
    for (let attempt = 0; attempt < 200; attempt++) {
      const res = await platform.admin().get(`/school-notices/${noticeId}`).set(auth(coordinator)).expect(200);
      if (res.body.recipientCount !== null) break;
      await page.waitForTimeout(100);
    }
    expect(await rollup()).toMatchObject({ read: 0, confirmed: 0 });
    await page.reload();
    const entry = page.getByTestId('school-notices-entry');
    await entry.getByText('关于期末家长会的通知').waitFor();
    await expect(page.getByTestId('school-notices-pending').textContent()).resolves.toBe('1');
    await inspect(page, 'h5-messages-school-notices');

    await entry.click();
    const item = page.locator(`[data-notice-id="${noticeId}"]`);
    await expect(item.getByTestId('school-notice-state').textContent()).resolves.toBe('待确认');
    await inspect(page, 'h5-school-notices');

    // The notification of the notice opens it too.
    await page.goto(`${platform.h5}/notifications`);
    await page.getByTestId('notification-item').filter({ hasText: '关于期末家长会的通知' }).click();
    await page.waitForURL(new RegExp(`/h5/school-notices/${noticeId}$`));
    await page.getByTestId('school-notice-body').getByText('请各位家长准时参加').waitFor();
    await inspect(page, 'h5-school-notice');
    expect(await rollup()).toMatchObject({ read: 1, confirmed: 0 });
    await page.getByTestId('school-notice-ack').click();
    await page.getByTestId('school-notice-acked').waitFor();
    expect(await rollup()).toMatchObject({ read: 1, confirmed: 1 });
    await inspect(page, 'h5-school-notice-acked');

    // In the list the notice is confirmed; the entry has nothing pending.
    await page.goto(`${platform.h5}/school-notices`);
    await expect(item.getByTestId('school-notice-state').textContent()).resolves.toBe('已确认');
    await page.goto(`${platform.h5}/messages`);
    await page.getByTestId('school-notices-entry').waitFor();
    await expect(page.getByTestId('school-notices-pending').count()).resolves.toBe(0);
  });

  it('a letter to the 校长信箱: fields checked, then submitted, and the school’s answer shown', async () => {
    await page.getByTestId('tab-me').click();
    await page.getByTestId('mailbox-link').click();
    await page.getByTestId('mailbox-write').click();
    // 陈志强 has a child at 潍坊七中 and one at 潍坊实验学校: he picks the school.
    await page.getByTestId('mailbox-school').selectOption({ label: '潍坊七中' });
    await page.getByTestId('mailbox-kind-report').click();
    await expect(page.getByTestId('mailbox-kind-report').getByRole('radio').isChecked()).resolves.toBe(true);
    await page.getByTestId('mailbox-topic').selectOption('paid_tutoring');
    await page.getByTestId('mailbox-subject').fill('补');
    await page.getByTestId('mailbox-body').fill('太短');
    await page.getByTestId('mailbox-submit').click();
    await expect(page.getByTestId('mailbox-error-subject').textContent()).resolves.toBe('标题需 2–100 个字');
    await page.getByTestId('mailbox-error-body').waitFor();
    await inspect(page, 'h5-mailbox-write-errors');

    await page.getByTestId('mailbox-subject').fill('关于课后有偿补课的反映');
    await page.getByTestId('mailbox-body').fill('有老师在校外租房给本班学生有偿补课，每次收费 200 元，请学校核实处理。');
    await page.getByTestId('mailbox-anonymous').check();
    await page.getByTestId('mailbox-submit').click();
    await page.waitForURL(/\/h5\/mailbox\/[0-9a-f-]{36}$/);
    const itemId = page.url().split('/').pop() as string;
    await page.getByTestId('mailbox-waiting').getByText('由学校答复').waitFor();
    await inspect(page, 'h5-mailbox-item-open');

    // The school sees the letter without the writer's name, and answers it.
    const seen = await platform.admin().get(`/mailbox/${itemId}`).set(auth(coordinator)).expect(200);
    expect(seen.body).toMatchObject({ kind: 'report', topic: 'paid_tutoring', anonymous: true, author: null, status: 'open' });
    await platform
      .admin()
      .post(`/mailbox/${itemId}/answer`)
      .set(auth(coordinator))
      .send({ answer: '已核实，涉事教师已停课整改，感谢您的监督。' })
      .expect(201);

    // The answer's notification opens the letter.
    await page.goto(`${platform.h5}/notifications`);
    await page.getByTestId('notification-item').filter({ hasText: '您的来信已答复' }).click();
    await page.waitForURL(new RegExp(`/h5/mailbox/${itemId}$`));
    await page.getByTestId('mailbox-answer').getByText('涉事教师已停课整改').waitFor();

    await page.goto(`${platform.h5}/mailbox`);
    const row = page.locator(`[data-item-id="${itemId}"]`);
    await expect(row.getByTestId('mailbox-status').textContent()).resolves.toBe('已答复');
    await inspect(page, 'h5-mailbox');
    await row.click();
    await page.getByTestId('mailbox-answer').getByText('涉事教师已停课整改').waitFor();
    await inspect(page, 'h5-mailbox-item-answered');
  });

  it('a parent downloads a lecture’s handout from the lecture screen', async () => {
    const startsAt = minutesFromNow(3 * 24 * 60);
    const lecture = await createLecture(platform, coordinator, wf7, {
      title: '青春期亲子沟通',
      startsAt,
      endsAt: new Date(startsAt.getTime() + 60 * 60_000),
      creditHours: 1,
    });
    const uploaderToken = await platform.login(COORDINATOR);
    const upload = await platform.parent().post('/uploads').set(auth(uploaderToken)).attach('file', PDF, '亲子沟通讲义.pdf').expect(201);
    await platform
      .admin()
      .post(`/lectures/${lecture.id}/materials`)
      .set(auth(coordinator))
      .send({ fileId: upload.body.id, title: '第一讲讲义', kind: 'handout' })
      .expect(201);

    await page.goto(`${platform.h5}/courses`);
    await page.getByTestId('lecture-item').filter({ hasText: '青春期亲子沟通' }).getByTestId('lecture-open').click();
    await page.getByTestId('lecture-title').getByText('青春期亲子沟通').waitFor();
    const material = page.getByTestId('lecture-material').filter({ hasText: '第一讲讲义' });
    await material.getByText('讲义 · 亲子沟通讲义.pdf').waitFor();
    await inspect(page, 'h5-lecture');
    const [download] = await Promise.all([page.waitForEvent('download'), material.getByTestId('lecture-material-download').click()]);
    expect(download.suggestedFilename()).toBe('亲子沟通讲义.pdf');
    const saved = await download.path();
    expect(saved).toBeTruthy();
    expect(errors).toEqual([]);
  });

  it('a school notice with an attachment: the parent opens it from 校务公开 and downloads the file', async () => {
    const uploaderToken = await platform.login(COORDINATOR);
    const upload = await platform
      .parent()
      .post('/uploads')
      .set(auth(uploaderToken))
      .attach('file', PDF, '2026年秋季学期收费公示.pdf')
      .expect(201);
    const posted = await platform
      .admin()
      .post('/school-notices')
      .set(auth(coordinator))
      .send({
        audience: 'families',
        schoolId: wf7,
        title: '秋季学期收费公示',
        body: '本学期收费项目见附件，请家长知悉。',
        fileIds: [upload.body.id],
      })
      .expect(201);
    for (let attempt = 0; attempt < 200; attempt++) {
      const res = await platform.admin().get(`/school-notices/${posted.body.id}`).set(auth(coordinator)).expect(200);
      if (res.body.recipientCount !== null) break;
      await page.waitForTimeout(100);
    }
    await page.goto(`${platform.h5}/school-notices`);
    await page.getByText('秋季学期收费公示').click();
    await page.waitForURL(new RegExp(`/h5/school-notices/${posted.body.id}$`));
    const attachment = page.getByTestId('school-notice-attachment').filter({ hasText: '2026年秋季学期收费公示.pdf' });
    await attachment.waitFor();
    await inspect(page, 'h5-school-notice-attachment');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      attachment.getByTestId('school-notice-attachment-download').click(),
    ]);
    expect(download.suggestedFilename()).toBe('2026年秋季学期收费公示.pdf');
    expect(await download.path()).toBeTruthy();
    expect(errors).toEqual([]);
  });

  it('an anonymous visitor browses the public platform from the sign-in screen and reads an article', async () => {
    const city = await platform.login(CITY_ADMIN, 'admin');
    await platform
      .admin()
      .post('/articles')
      .set(auth(city))
      .send({
        kind: 'article',
        title: '如何陪伴孩子度过青春期',
        category: '家教知识',
        summary: '理解、倾听、给孩子成长的空间。',
        body: '青春期的孩子需要被理解。\n多倾听，少说教。',
        status: 'published',
      })
      .expect(201);
    const visitorContext = await phone(browser);
    const visitor = await visitorContext.newPage();
    const visitorErrors = watchErrors(visitor);
    try {
      await visitor.goto(`${platform.h5}/login`);
      await visitor.getByTestId('public-link').click();
      await visitor.waitForURL(/\/h5\/public$/);
      await visitor.getByTestId('public-lecture').first().waitFor();
      await inspect(visitor, 'h5-public-lectures');

      await visitor.getByRole('tab', { name: '家风家训' }).click();
      await visitor.getByText('暂无公开展示的作品').or(visitor.getByTestId('public-entry').first()).waitFor();
      await visitor.getByRole('tab', { name: '辅导站点' }).click();
      await visitor.getByTestId('public-site').filter({ hasText: '心语小屋' }).waitFor();
      await inspect(visitor, 'h5-public-sites');

      await visitor.getByRole('tab', { name: '家教文库' }).click();
      await visitor.getByTestId('public-article').filter({ hasText: '如何陪伴孩子度过青春期' }).waitFor();
      await inspect(visitor, 'h5-public-library');
      await visitor.getByTestId('public-article').filter({ hasText: '如何陪伴孩子度过青春期' }).click();
      await visitor.getByTestId('article-body').getByText('多倾听，少说教').waitFor();
      await inspect(visitor, 'h5-public-article');

      await visitor.goto(`${platform.h5}/public`);
      await visitor.getByTestId('public-model-schools').click();
      await visitor.waitForURL(/\/h5\/model-schools$/);
      expect(visitorErrors).toEqual([]);
    } finally {
      await visitorContext.close();
    }
  });

  it('a link to an article opens it by itself, however far down the library it is; a link to a removed one says so', async () => {
    const city = await platform.login(CITY_ADMIN, 'admin');
    const created = await platform
      .admin()
      .post('/articles')
      .set(auth(city))
      .send({
        kind: 'article',
        title: '亲子沟通的三个小方法',
        category: '亲子沟通',
        summary: '倾听、共情、约定。',
        body: '第一，先听孩子说完。\n第二，说出孩子的感受。',
        status: 'published',
      })
      .expect(201);
    const id = created.body.id as string;
    await platform.query(`update articles set published_at = now() - interval '3 years' where id = '${id}'`);
    await platform.query(`insert into articles (kind, title, category, body, status, published_at)
      select 'article', '文库文章 ' || n, '家教知识', '正文', 'published', now() - n * interval '1 minute' from generate_series(1, 200) n`);
    const visitorContext = await phone(browser);
    const visitor = await visitorContext.newPage();
    const visitorErrors = watchErrors(visitor);
    try {
      await visitor.goto(`${platform.h5}/public/articles/${id}`);
      await visitor.getByTestId('article-title').getByText('亲子沟通的三个小方法').waitFor();
      await visitor.getByTestId('article-body').getByText('说出孩子的感受').waitFor();
      await inspect(visitor, 'h5-public-article-link');
      expect(visitorErrors).toEqual([]);

      await platform.admin().delete(`/articles/${id}`).set(auth(city)).expect(204);
      await visitor.reload();
      await visitor.getByText('文章不存在或已下线').waitFor();
      await inspect(visitor, 'h5-public-article-removed');
      // The browser logs the 404 of the article itself; nothing else went wrong.
      expect(visitorErrors.filter((e) => !e.includes(`/public/articles/${id}`))).toEqual([]);
    } finally {
      await visitorContext.close();
    }
  });
});
