import { createTestContext, TestContext } from './support/harness';
import { binary } from './support/courses';
import { png } from './support/png';

/**
 * Campaigns (我说我的家风家训故事, 书香之家) through the real parent-api and admin-api: scope and
 * submission windows, one entry per household, review with a reason, publication, one like
 * per user under concurrency, awards with a certificate, and nothing ranked.
 */

describe('campaigns (parent-api, admin-api)', () => {
  let ctx: TestContext;
  const tokens: Record<string, string> = {};
  const ids: Record<string, string> = {};
  const auth = (who: string) => ({ Authorization: `Bearer ${tokens[who]}` });
  const one = async <T>(text: string) => (await ctx.query<T>(text))[0];
  const day = 86_400_000;

  beforeAll(async () => {
    ctx = await createTestContext({ apps: ['parent', 'admin'] });
    for (const [who, phone] of [
      ['chen', '13900000003'],
      ['liu', '13900000004'],
      ['zhao', '13900000005'],
    ]) {
      tokens[who] = await ctx.login(phone);
    }
    tokens.city = await ctx.login('13900000000', 'admin');
    tokens.coordinator = await ctx.login('13900000001', 'admin');
    tokens.district = await ctx.login('13900000006', 'admin');
    for (const name of ['陈小雨', '陈小阳', '刘子涵', '赵一鸣'])
      ids[name] = (await one<{ id: string }>(`select id from students where name = '${name}'`)).id;
    ids.qizhong = (await one<{ id: string }>(`select id from schools where name = '潍坊七中'`)).id;
    ids.weicheng = (await one<{ id: string }>(`select id from districts where name = '潍城区'`)).id;
    const list = await ctx.parent().get('/campaigns').set(auth('chen')).expect(200);
    ids.story = list.body.items.find((c: { kind: string }) => c.kind === 'family_story').id;
    ids.reading = list.body.items.find((c: { kind: string }) => c.kind === 'reading_family').id;
  });
  afterAll(async () => {
    await ctx?.close();
  });

  describe('scope and windows', () => {
    it('parents see the open city-wide campaigns of both kinds', async () => {
      const res = await ctx.parent().get('/campaigns').set(auth('zhao')).expect(200);
      const kinds = (res.body.items as { kind: string; open: boolean; scopeType: string }[])
        .filter((c) => c.open && c.scopeType === 'city')
        .map((c) => c.kind);
      expect(kinds.sort()).toEqual(['family_story', 'reading_family']);
    });

    it('staff open campaigns only for their own area', async () => {
      const body = (scopeType: string, scopeId: string | undefined, title: string) => ({
        kind: 'family_story',
        title,
        scopeType,
        scopeId,
        opensAt: new Date(Date.now() - day).toISOString(),
        closesAt: new Date(Date.now() + day).toISOString(),
      });
      await ctx
        .admin()
        .post('/campaigns')
        .set(auth('coordinator'))
        .send(body('city', undefined, '全市活动（协调员不可发起）'))
        .expect(403);
      await ctx
        .admin()
        .post('/campaigns')
        .set(auth('district'))
        .send(body('district', ids.weicheng, '潍城区活动（奎文区不可发起）'))
        .expect(403);
      const weicheng = await ctx
        .admin()
        .post('/campaigns')
        .set(auth('city'))
        .send(body('district', ids.weicheng, '潍城区家风故事会'))
        .expect(201);
      ids.weichengCampaign = weicheng.body.id;
      const school = await ctx
        .admin()
        .post('/campaigns')
        .set(auth('coordinator'))
        .send(body('school', ids.qizhong, '七中家风故事会'))
        .expect(201);
      expect(school.body).toEqual(expect.objectContaining({ scopeType: 'school', open: true, awards: ['first', 'second', 'third'] }));
      ids.schoolCampaign = school.body.id;
    });

    it('a household outside the scope neither sees nor enters the campaign', async () => {
      const zhao = await ctx.parent().get('/campaigns').set(auth('zhao')).expect(200);
      expect(zhao.body.items.map((c: { id: string }) => c.id)).not.toContain(ids.schoolCampaign);
      const hidden = await ctx.parent().get(`/campaigns/${ids.weichengCampaign}`).set(auth('zhao')).expect(404);
      expect(hidden.body.code).toBe('CAMPAIGN_NOT_FOUND');
      await ctx
        .parent()
        .post(`/campaigns/${ids.schoolCampaign}/submissions`)
        .set(auth('zhao'))
        .send({ studentId: ids['赵一鸣'], familyName: '赵家', title: '家训', body: '正文' })
        .expect(404);
      // 陈志强 has a child at 七中 and one at 潍坊实验学校: only the first household is in scope.
      const out = await ctx
        .parent()
        .post(`/campaigns/${ids.schoolCampaign}/submissions`)
        .set(auth('chen'))
        .send({ studentId: ids['陈小阳'], familyName: '陈家', title: '家训', body: '正文' })
        .expect(403);
      expect(out.body.code).toBe('CAMPAIGN_OUT_OF_SCOPE');
      // Nor for another family's child.
      await ctx
        .parent()
        .post(`/campaigns/${ids.schoolCampaign}/submissions`)
        .set(auth('chen'))
        .send({ studentId: ids['刘子涵'], familyName: '刘家', title: '家训', body: '正文' })
        .expect(404);
    });

    it('submissions are taken only inside the window', async () => {
      await ctx.query(
        `update campaigns set opens_at = now() + interval '1 day', closes_at = now() + interval '2 days' where id = '${ids.schoolCampaign}'`,
      );
      const early = await ctx
        .parent()
        .post(`/campaigns/${ids.schoolCampaign}/submissions`)
        .set(auth('liu'))
        .send({ studentId: ids['刘子涵'], familyName: '刘家', title: '家训', body: '正文' })
        .expect(409);
      expect(early.body.code).toBe('CAMPAIGN_NOT_OPEN');
      await ctx.query(
        `update campaigns set opens_at = now() - interval '2 days', closes_at = now() - interval '1 second' where id = '${ids.schoolCampaign}'`,
      );
      const late = await ctx
        .parent()
        .post(`/campaigns/${ids.schoolCampaign}/submissions`)
        .set(auth('liu'))
        .send({ studentId: ids['刘子涵'], familyName: '刘家', title: '家训', body: '正文' })
        .expect(409);
      expect(late.body.code).toBe('CAMPAIGN_NOT_OPEN');
      await ctx.query(`update campaigns set closes_at = now() + interval '1 day' where id = '${ids.schoolCampaign}'`);
      await ctx
        .parent()
        .post(`/campaigns/${ids.schoolCampaign}/submissions`)
        .set(auth('liu'))
        .send({ studentId: ids['刘子涵'], familyName: '刘家', title: '家训', body: '正文' })
        .expect(201);
    });
  });

  describe('stories: submission, review, publication, likes, awards', () => {
    it('a guardian submits the household’s story with pictures, once per household', async () => {
      const upload = await ctx.parent().post('/uploads').set(auth('chen')).attach('file', png(), 'family.png').expect(201);
      const res = await ctx
        .parent()
        .post(`/campaigns/${ids.story}/submissions`)
        .set(auth('chen'))
        .send({
          studentId: ids['陈小雨'],
          familyName: '陈家',
          title: '勤俭持家，耕读传家',
          body: '爷爷常说：一粥一饭，当思来之不易。',
          imageFileIds: [upload.body.id],
        })
        .expect(201);
      expect(res.body).toEqual(expect.objectContaining({ status: 'submitted', imageFileIds: [upload.body.id], likeCount: 0, award: null }));
      ids.chenStory = res.body.id;
      ids.chenImage = upload.body.id;
      // Attaching a file shares it: another family cannot attach a file it did not upload.
      const borrowed = await ctx
        .parent()
        .post(`/campaigns/${ids.story}/submissions`)
        .set(auth('zhao'))
        .send({ studentId: ids['赵一鸣'], familyName: '赵家', title: '借来的图', body: '正文', imageFileIds: [upload.body.id] })
        .expect(404);
      expect(borrowed.body.code).toBe('FILE_NOT_FOUND');
      const again = await ctx
        .parent()
        .post(`/campaigns/${ids.story}/submissions`)
        .set(auth('chen'))
        .send({ studentId: ids['陈小雨'], familyName: '陈家', title: '第二篇', body: '正文' })
        .expect(409);
      expect(again.body.code).toBe('CAMPAIGN_SUBMISSION_EXISTS');
      const missing = await ctx
        .parent()
        .post(`/campaigns/${ids.story}/submissions`)
        .set(auth('chen'))
        .send({
          studentId: ids['陈小阳'],
          familyName: '陈家',
          title: '家训',
          body: '正文',
          imageFileIds: ['00000000-0000-4000-8000-000000000000'],
        })
        .expect(404);
      expect(missing.body.code).toBe('FILE_NOT_FOUND');
      const liu = await ctx
        .parent()
        .post(`/campaigns/${ids.story}/submissions`)
        .set(auth('liu'))
        .send({ studentId: ids['刘子涵'], familyName: '刘家', title: '孝老爱亲', body: '我家的故事' })
        .expect(201);
      ids.liuStory = liu.body.id;
    });

    it('unpublished entries are seen only by their household and the organisers, and cannot be liked', async () => {
      const zhao = await ctx.parent().get(`/campaigns/${ids.story}/submissions`).set(auth('zhao')).expect(200);
      expect(zhao.body.items).toEqual([]);
      await ctx.parent().post(`/campaign-submissions/${ids.chenStory}/like`).set(auth('zhao')).expect(404);
      await ctx.parent().get(`/files/${ids.chenImage}`).set(auth('zhao')).expect(403);
      const staff = await ctx.admin().get(`/campaigns/${ids.story}/submissions?status=submitted`).set(auth('city')).expect(200);
      expect(staff.body.items.map((s: { id: string }) => s.id)).toEqual(expect.arrayContaining([ids.chenStory, ids.liuStory]));
      // A school coordinator does not run a city-wide campaign.
      await ctx
        .admin()
        .post(`/campaign-submissions/${ids.chenStory}/review`)
        .set(auth('coordinator'))
        .send({ decision: 'approve' })
        .expect(404);
    });

    it('review: rejection needs a reason, which the household sees; approval, then publication', async () => {
      await ctx.admin().post(`/campaign-submissions/${ids.liuStory}/review`).set(auth('city')).send({ decision: 'reject' }).expect(400);
      const rejected = await ctx
        .admin()
        .post(`/campaign-submissions/${ids.liuStory}/review`)
        .set(auth('city'))
        .send({ decision: 'reject', reason: '内容与主题不符，欢迎修改后参加下次活动' })
        .expect(200);
      expect(rejected.body).toEqual(
        expect.objectContaining({ status: 'rejected', rejectReason: '内容与主题不符，欢迎修改后参加下次活动' }),
      );
      const own = await ctx.parent().get(`/campaigns/${ids.story}/submissions`).set(auth('liu')).expect(200);
      expect(own.body.items).toEqual([expect.objectContaining({ id: ids.liuStory, status: 'rejected', rejectReason: expect.any(String) })]);

      const early = await ctx.admin().post(`/campaign-submissions/${ids.chenStory}/publication`).set(auth('city')).expect(409);
      expect(early.body.code).toBe('CAMPAIGN_SUBMISSION_STATE');
      await ctx.admin().post(`/campaign-submissions/${ids.chenStory}/review`).set(auth('city')).send({ decision: 'approve' }).expect(200);
      const again = await ctx
        .admin()
        .post(`/campaign-submissions/${ids.chenStory}/review`)
        .set(auth('city'))
        .send({ decision: 'reject', reason: '重复审核' })
        .expect(409);
      expect(again.body.code).toBe('CAMPAIGN_SUBMISSION_STATE');
      const published = await ctx.admin().post(`/campaign-submissions/${ids.chenStory}/publication`).set(auth('city')).expect(200);
      expect(published.body).toEqual(expect.objectContaining({ status: 'published', publishedAt: expect.any(String) }));
      const zhao = await ctx.parent().get(`/campaigns/${ids.story}/submissions`).set(auth('zhao')).expect(200);
      expect(zhao.body.items).toEqual([expect.objectContaining({ id: ids.chenStory, familyName: '陈家', liked: false })]);
      // The public entry names the family, never the child.
      expect(JSON.stringify(zhao.body)).not.toContain('陈小雨');
      // Its pictures are public with it.
      const picture = await ctx.parent().get(`/files/${ids.chenImage}`).set(auth('zhao')).expect(200);
      expect(picture.headers['content-type']).toBe('image/png');
    });

    it('one like per user: ten concurrent likes from one parent count once', async () => {
      const likes = await Promise.all(
        Array.from({ length: 10 }, () => ctx.parent().post(`/campaign-submissions/${ids.chenStory}/like`).set(auth('zhao'))),
      );
      expect(likes.every((r) => r.status === 200)).toBe(true);
      await ctx.parent().post(`/campaign-submissions/${ids.chenStory}/like`).set(auth('liu')).expect(200);
      const last = await ctx.parent().post(`/campaign-submissions/${ids.chenStory}/like`).set(auth('liu')).expect(200);
      expect(last.body).toEqual({ likeCount: 2, liked: true });
      const [count] = await ctx.query<{ n: number; likes: number }>(
        `select (select count(*)::int from campaign_likes where submission_id = '${ids.chenStory}') as n, (select like_count from campaign_submissions where id = '${ids.chenStory}') as likes`,
      );
      expect(count).toEqual({ n: 2, likes: 2 });
      const zhao = await ctx.parent().get(`/campaigns/${ids.story}/submissions`).set(auth('zhao')).expect(200);
      expect(zhao.body.items[0]).toEqual(expect.objectContaining({ likeCount: 2, liked: true }));
    });

    it('awards: 一/二/三等奖 for stories, with a numbered PDF certificate for the household', async () => {
      const wrong = await ctx
        .admin()
        .post(`/campaign-submissions/${ids.chenStory}/award`)
        .set(auth('city'))
        .send({ award: 'reading_family' })
        .expect(400);
      expect(wrong.body.code).toBe('CAMPAIGN_AWARD_INVALID');
      await ctx.admin().post(`/campaign-submissions/${ids.liuStory}/award`).set(auth('city')).send({ award: 'third' }).expect(409);
      await ctx.parent().get(`/campaign-submissions/${ids.chenStory}/certificate`).set(auth('chen')).expect(404);
      const awarded = await ctx
        .admin()
        .post(`/campaign-submissions/${ids.chenStory}/award`)
        .set(auth('city'))
        .send({ award: 'first' })
        .expect(200);
      expect(awarded.body).toEqual(
        expect.objectContaining({ award: 'first', certificateNo: expect.stringMatching(/^JF\d{4}-[0-9A-F]{4}-0001$/) }),
      );
      const pdf = await ctx
        .parent()
        .get(`/campaign-submissions/${ids.chenStory}/certificate`)
        .set(auth('chen'))
        .buffer(true)
        .parse((res, done) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => done(null, Buffer.concat(chunks)));
        })
        .expect(200);
      expect(pdf.headers['content-type']).toBe('application/pdf');
      expect((pdf.body as Buffer).subarray(0, 5).toString('latin1')).toBe('%PDF-');
      // The same certificate as a picture to share in WeChat.
      const picture = await ctx
        .parent()
        .get(`/campaign-submissions/${ids.chenStory}/certificate?format=png`)
        .set(auth('chen'))
        .buffer(true)
        .parse(binary)
        .expect(200);
      expect(picture.headers['content-type']).toBe('image/png');
      expect(picture.headers['content-disposition']).toMatch(/^inline;/);
      expect((picture.body as Buffer).subarray(1, 4).toString('latin1')).toBe('PNG');
      expect(
        (await ctx.parent().get(`/campaign-submissions/${ids.chenStory}/certificate?format=gif`).set(auth('chen')).expect(400)).body.code,
      ).toBe('VALIDATION_FAILED');
    });
  });

  describe('书香之家', () => {
    it('a reading-family nomination needs a reading log and can earn the 书香之家 title', async () => {
      const noLog = await ctx
        .parent()
        .post(`/campaigns/${ids.reading}/submissions`)
        .set(auth('zhao'))
        .send({ studentId: ids['赵一鸣'], familyName: '赵家', title: '我家的书房', body: '每晚共读半小时' })
        .expect(400);
      expect(noLog.body.code).toBe('VALIDATION_FAILED');
      expect(noLog.body.errors).toEqual([{ field: 'readingLog', message: '书香之家申报至少需要一条阅读记录' }]);
      const res = await ctx
        .parent()
        .post(`/campaigns/${ids.reading}/submissions`)
        .set(auth('zhao'))
        .send({
          studentId: ids['赵一鸣'],
          familyName: '赵家',
          title: '我家的书房',
          body: '每晚共读半小时',
          readingLog: [
            { title: '平凡的世界', author: '路遥', readOn: '2026-10-12', note: '全家共读' },
            { title: '城南旧事', author: '林海音' },
          ],
        })
        .expect(201);
      expect(res.body.readingLog).toEqual([
        { title: '平凡的世界', author: '路遥', readOn: '2026-10-12', note: '全家共读' },
        { title: '城南旧事', author: '林海音' },
      ]);
      await ctx.admin().post(`/campaign-submissions/${res.body.id}/review`).set(auth('city')).send({ decision: 'approve' }).expect(200);
      await ctx.admin().post(`/campaign-submissions/${res.body.id}/award`).set(auth('city')).send({ award: 'first' }).expect(400);
      const titled = await ctx
        .admin()
        .post(`/campaign-submissions/${res.body.id}/award`)
        .set(auth('city'))
        .send({ award: 'reading_family' })
        .expect(200);
      expect(titled.body.certificateNo).toMatch(/^SX\d{4}-/);
      await ctx.parent().get(`/campaign-submissions/${res.body.id}/certificate`).set(auth('zhao')).expect(200);
      // Another family cannot fetch it (the entry is not published).
      await ctx.parent().get(`/campaign-submissions/${res.body.id}/certificate`).set(auth('chen')).expect(404);
    });
  });
});
