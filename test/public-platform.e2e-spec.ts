import request from 'supertest';
import { createTestContext, TestContext } from './support/harness';
import { auth, createLecture, DemoPlaces, demoPlaces, HOUR, minutesFromNow } from './support/courses';

/** 潍坊家庭教育公共服务平台: public reads on parent-api without a token, and the library the bureau keeps in admin-api. */
describe('public pages without login', () => {
  let ctx: TestContext;
  let places: DemoPlaces;
  let city: string;
  let coordinator: string;
  const anonymous = () => request(ctx.urls.parent as string);

  beforeAll(async () => {
    ctx = await createTestContext({ apps: ['parent', 'admin'] });
    places = await demoPlaces(ctx);
    city = await ctx.login('13900000000', 'admin');
    coordinator = await ctx.login('13900000001', 'admin');
  });
  afterAll(async () => {
    await ctx?.close();
  });

  it('the lecture calendar lists announced lectures with their organiser, never drafts, chair training or stream links', async () => {
    const startsAt = minutesFromNow(3 * 24 * 60);
    const endsAt = new Date(startsAt.getTime() + HOUR);
    const open = await createLecture(ctx, coordinator, places.wf7, {
      title: '公开日历讲座',
      mode: 'live',
      streamUrl: 'https://live.example.edu.cn/secret',
      startsAt,
      endsAt,
      creditHours: 1,
    });
    const draft = await createLecture(ctx, coordinator, places.wf7, { title: '未发布的讲座', startsAt, endsAt, creditHours: 1 }, false);
    const chairs = await createLecture(ctx, city, places.wf7, {
      title: '家委会主任培训',
      series: 'chair_training',
      audience: { scope: 'committee_chairs' },
      startsAt,
      endsAt,
      creditHours: 1,
    });

    const res = await anonymous().get('/public/lectures').expect(200);
    const ids = res.body.items.map((l: { id: string }) => l.id);
    expect(ids).toContain(open.id);
    expect(ids).not.toContain(draft.id);
    expect(ids).not.toContain(chairs.id);
    const item = res.body.items.find((l: { id: string }) => l.id === open.id);
    expect(item).toEqual({
      id: open.id,
      title: '公开日历讲座',
      series: 'parents_forum',
      mode: 'live',
      status: 'published',
      startsAt: startsAt.toISOString(),
      endsAt: endsAt.toISOString(),
      creditHours: 1,
      speaker: null,
      venue: '报告厅',
      organiser: '潍坊七中',
      openTo: '潍坊七中家长',
    });
    // The seed's lecture runs now: the default window (from yesterday) holds it.
    expect(res.body.items.some((l: { title: string; series: string }) => l.series === 'parents_forum' && l.title !== '公开日历讲座')).toBe(
      true,
    );

    const later = await anonymous()
      .get(`/public/lectures?from=${encodeURIComponent(new Date(endsAt.getTime()).toISOString())}`)
      .expect(200);
    expect(later.body.items.map((l: { id: string }) => l.id)).not.toContain(open.id);
    const bad = await anonymous().get('/public/lectures?from=tomorrow').expect(400);
    expect(bad.body.errors).toEqual([expect.objectContaining({ field: 'from' })]);
    const backwards = await anonymous().get('/public/lectures?from=2026-12-10&to=2026-12-01').expect(400);
    expect(backwards.body.errors).toEqual([{ field: 'to', message: '必须晚于开始时间' }]);
    const tooLong = await anonymous().get('/public/lectures?from=2026-01-01&to=2028-01-01').expect(400);
    expect(tooLong.body.errors).toEqual([{ field: 'to', message: '时间范围最长 366 天' }]);
  });

  it('counselling sites and published campaign entries are public, with nothing personal beyond the published family name', async () => {
    const sites = await anonymous().get('/public/support-sites').expect(200);
    expect(sites.body.items).toContainEqual(
      expect.objectContaining({
        schoolName: '潍坊七中',
        kind: 'counselling_room',
        name: '心语小屋',
        openingHours: '周一至周五 16:30–18:00',
      }),
    );

    const parent = await ctx.login('13900000004');
    const campaigns = await ctx.parent().get('/campaigns').set(auth(parent)).expect(200);
    const story = campaigns.body.items.find((c: { kind: string; open: boolean }) => c.kind === 'family_story' && c.open);
    const children = await ctx.parent().get('/me/children').set(auth(parent)).expect(200);
    const studentId = (children.body.items ?? children.body)[0].id as string;
    const entry = await ctx
      .parent()
      .post(`/campaigns/${story.id}/submissions`)
      .set(auth(parent))
      .send({ studentId, familyName: '刘家', title: '勤俭持家', body: '我家的家训是勤俭持家。' })
      .expect(201);
    const before = await anonymous().get('/public/campaign-entries').expect(200);
    expect(before.body.items.map((e: { id: string }) => e.id)).not.toContain(entry.body.id);

    await ctx.admin().post(`/campaign-submissions/${entry.body.id}/review`).set(auth(city)).send({ decision: 'approve' }).expect(200);
    await ctx.admin().post(`/campaign-submissions/${entry.body.id}/publication`).set(auth(city)).expect(200);
    const after = await anonymous().get(`/public/campaign-entries?campaignId=${story.id}`).expect(200);
    const shown = after.body.items.find((e: { id: string }) => e.id === entry.body.id);
    expect(Object.keys(shown).sort()).toEqual([
      'award',
      'body',
      'campaignId',
      'campaignKind',
      'campaignTitle',
      'familyName',
      'id',
      'likeCount',
      'publishedAt',
      'title',
    ]);
    expect(shown).toMatchObject({ familyName: '刘家', title: '勤俭持家', campaignKind: 'family_story' });
    expect((await anonymous().get('/public/campaign-entries?campaignId=nope').expect(400)).body.errors[0].field).toBe('campaignId');
  });

  it('the bureau keeps the article and resource library; only what it publishes is public', async () => {
    const draft = await ctx
      .admin()
      .post('/articles')
      .set(auth(city))
      .send({ kind: 'article', title: '如何陪伴孩子度过青春期', category: '家教知识', body: '青春期的孩子需要被理解。' })
      .expect(201);
    expect(draft.body).toMatchObject({ status: 'draft', publishedAt: null });
    expect((await anonymous().get('/public/articles').expect(200)).body.items.map((a: { id: string }) => a.id)).not.toContain(
      draft.body.id,
    );

    const published = await ctx.admin().patch(`/articles/${draft.body.id}`).set(auth(city)).send({ status: 'published' }).expect(200);
    expect(published.body.publishedAt).toEqual(expect.any(String));
    const resource = await ctx
      .admin()
      .post('/articles')
      .set(auth(city))
      .send({
        kind: 'resource',
        title: '《牵手两代》家长读本',
        category: '课程资源',
        body: '家长课程读本的电子版。',
        linkUrl: 'https://jyj.weifang.gov.cn/jtjy/qsld.html',
        status: 'published',
      })
      .expect(201);
    const library = await anonymous().get('/public/articles').expect(200);
    expect(library.body.items.map((a: { id: string }) => a.id)).toEqual(expect.arrayContaining([draft.body.id, resource.body.id]));
    const resources = await anonymous().get('/public/articles?kind=resource').expect(200);
    expect(resources.body.items.map((a: { id: string }) => a.id)).toEqual([resource.body.id]);
    expect((await anonymous().get('/public/articles?category=课程资源').expect(200)).body.items).toHaveLength(1);

    // Only city staff write; bad fields are named; an unknown article is 404.
    expect(
      (
        await ctx
          .admin()
          .post('/articles')
          .set(auth(coordinator))
          .send({ kind: 'article', title: '协调员的文章', category: '家教知识', body: '正文' })
          .expect(403)
      ).body.code,
    ).toBe('FORBIDDEN');
    expect(
      (await ctx.admin().patch(`/articles/${draft.body.id}`).set(auth(coordinator)).send({ title: '改标题' }).expect(403)).body.code,
    ).toBe('FORBIDDEN');
    const bad = await ctx
      .admin()
      .post('/articles')
      .set(auth(city))
      .send({ kind: 'video', title: 'x', category: '', body: '正文', linkUrl: 'javascript:alert(1)' })
      .expect(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['category', 'kind', 'linkUrl', 'title']);
    expect(
      (await ctx.admin().patch('/articles/00000000-0000-4000-8000-000000000000').set(auth(city)).send({ title: '不存在' }).expect(404)).body
        .code,
    ).toBe('ARTICLE_NOT_FOUND');

    // Back to draft hides it; removing deletes it.
    await ctx.admin().patch(`/articles/${resource.body.id}`).set(auth(city)).send({ status: 'draft' }).expect(200);
    expect((await anonymous().get('/public/articles?kind=resource').expect(200)).body.items).toEqual([]);
    await ctx.admin().delete(`/articles/${draft.body.id}`).set(auth(city)).expect(204);
    expect((await ctx.admin().get('/articles').set(auth(city)).expect(200)).body.items.map((a: { id: string }) => a.id)).toEqual([
      resource.body.id,
    ]);
  });

  it("a published article opens by its link without login, older than the list's newest 200 too; a draft, a removed or an unknown one is 404", async () => {
    const old = await ctx
      .admin()
      .post('/articles')
      .set(auth(city))
      .send({
        kind: 'article',
        title: '亲子沟通的三个小方法',
        category: '亲子沟通',
        summary: '倾听、共情、约定',
        body: '第一，先听孩子说完。',
        status: 'published',
      })
      .expect(201);
    await ctx.query(`update articles set published_at = now() - interval '3 years' where id = '${old.body.id}'`);
    // 200 newer articles push it out of the library's list; its link still opens it.
    await ctx.query(`insert into articles (kind, title, category, body, status, published_at)
      select 'article', '新文章 ' || n, '亲子沟通', '正文', 'published', now() - n * interval '1 minute' from generate_series(1, 200) n`);
    const list = await anonymous().get('/public/articles').expect(200);
    expect(list.body.items.map((a: { id: string }) => a.id)).not.toContain(old.body.id);
    const opened = await anonymous().get(`/public/articles/${old.body.id}`).expect(200);
    expect(opened.body).toMatchObject({
      id: old.body.id,
      kind: 'article',
      title: '亲子沟通的三个小方法',
      category: '亲子沟通',
      summary: '倾听、共情、约定',
      body: '第一，先听孩子说完。',
      status: 'published',
      publishedAt: expect.any(String),
    });

    const draft = await ctx
      .admin()
      .post('/articles')
      .set(auth(city))
      .send({ kind: 'article', title: '尚未发布的文章', category: '亲子沟通', body: '草稿' })
      .expect(201);
    expect((await anonymous().get(`/public/articles/${draft.body.id}`).expect(404)).body.code).toBe('ARTICLE_NOT_FOUND');
    await ctx.admin().patch(`/articles/${old.body.id}`).set(auth(city)).send({ status: 'draft' }).expect(200);
    expect((await anonymous().get(`/public/articles/${old.body.id}`).expect(404)).body.code).toBe('ARTICLE_NOT_FOUND');
    await ctx.admin().delete(`/articles/${old.body.id}`).set(auth(city)).expect(204);
    expect((await anonymous().get(`/public/articles/${old.body.id}`).expect(404)).body.code).toBe('ARTICLE_NOT_FOUND');
    for (const id of ['00000000-0000-4000-8000-000000000000', 'not-an-id', '1e5']) {
      expect((await anonymous().get(`/public/articles/${id}`).expect(404)).body.code).toBe('ARTICLE_NOT_FOUND');
    }
  });
});
