import { seedDemo } from '../seeds/demo.seed';
import { freshFamily } from './support/families';
import { consentSql, createTestContext, TestContext } from './support/harness';

/**
 * 家庭教育示范学校 through the real parent-api and admin-api: the year's criteria, automatic
 * metrics against fixture data (snapshotted at application), the district pre-review and the
 * expert review with its own-district rule, totals and ranks, designation under the quota
 * (150 concurrent requests for 100 places), the public list, revocation and history, the
 * counselling-room directory, and the anonymous one-per-household satisfaction survey.
 */
describe('model schools (parent-api, admin-api)', () => {
  let ctx: TestContext;
  let year: number;
  let hash: string;
  const tokens: Record<string, string> = {};
  const ids: Record<string, string> = {};
  const auth = (who: string) => ({ Authorization: `Bearer ${tokens[who]}` });
  const one = async <T>(text: string) => (await ctx.query<T>(text))[0];

  /** A user who can log in with the demo password. */
  const user = async (phone: string, name: string) =>
    (
      await one<{ id: string }>(
        `insert into users (phone, name, password_hash, status) values ('${phone}', '${name}', '${hash}', 'active') returning id`,
      )
    ).id;

  beforeAll(async () => {
    ctx = await createTestContext({ apps: ['parent', 'admin'] });
    hash = (await one<{ password_hash: string }>(`select password_hash from users where phone = '13900000003'`)).password_hash;
    for (const [key, name] of [
      ['qizhong', '潍坊七中'],
      ['guangwen', '广文中学'],
      ['beichen', '北辰中学'],
    ]) {
      ids[key] = (await one<{ id: string }>(`select id from schools where name = '${name}'`)).id;
    }
    for (const [key, name] of [
      ['kuiwen', '奎文区'],
      ['weicheng', '潍城区'],
    ]) {
      ids[key] = (await one<{ id: string }>(`select id from districts where name = '${name}'`)).id;
    }
    // 广文中学 (奎文区) gets a coordinator; two more experts: one of 奎文区, one of 潍城区.
    ids.gwCoordinator = await user('13900000070', '马丽');
    await ctx.query(
      `insert into role_assignments (user_id, role, scope_type, scope_id) values ('${ids.gwCoordinator}', 'coordinator', 'school', '${ids.guangwen}')`,
    );
    ids.kuiwenExpert = await user('13900000071', '钱教授');
    ids.weichengExpert = await user('13900000072', '吴教授');
    for (const id of [ids.kuiwenExpert, ids.weichengExpert])
      await ctx.query(`insert into role_assignments (user_id, role, scope_type) values ('${id}', 'expert', 'city')`);
    ids.seedExpert = (await one<{ id: string }>(`select id from users where phone = '13900000066'`)).id;

    tokens.city = await ctx.login('13900000000', 'admin');
    tokens.district = await ctx.login('13900000006', 'admin');
    tokens.qzCoordinator = await ctx.login('13900000001', 'admin');
    tokens.gwCoordinator = await ctx.login('13900000070', 'admin');
    tokens.seedExpert = await ctx.login('13900000066');
    tokens.kuiwenExpert = await ctx.login('13900000071');
    tokens.weichengExpert = await ctx.login('13900000072');
    tokens.chen = await ctx.login('13900000003');
    tokens.liu = await ctx.login('13900000004');
    tokens.zhao = await ctx.login('13900000005');
    const criteria = await ctx.admin().get('/model-schools/criteria').set(auth('city')).expect(200);
    year = criteria.body.year;
  });
  afterAll(async () => {
    await ctx?.close();
  });

  describe('seed', () => {
    it('holds this year’s criteria, two applications at different stages, a counselling room, and is idempotent', async () => {
      const stages = await ctx.query<{ name: string; status: string; reviews: number }>(
        `select s.name, a.status, (select count(*)::int from model_school_reviews r where r.application_id = a.id) as reviews
         from model_school_applications a join schools s on s.id = a.school_id where a.year = ${year} order by s.name`,
      );
      expect(stages).toEqual([
        { name: '北辰中学', status: 'submitted', reviews: 0 },
        { name: '潍坊七中', status: 'district_passed', reviews: 1 },
      ]);
      const counts = `select (select count(*)::int from model_school_criteria) as criteria, (select count(*)::int from model_school_applications) as applications,
        (select count(*)::int from model_school_reviews) as reviews, (select count(*)::int from campaigns) as campaigns, (select count(*)::int from support_sites) as sites`;
      const before = await ctx.query(counts);
      await seedDemo(ctx.infra.database.db);
      expect(await ctx.query(counts)).toEqual(before);
    });
  });

  describe('criteria', () => {
    it('this year’s rubric is seeded: weighted automatic and manual indicators adding up to 100, quota 100', async () => {
      const res = await ctx.admin().get(`/model-schools/criteria?year=${year}`).set(auth('qzCoordinator')).expect(200);
      expect(res.body.quota).toBe(100);
      const indicators = res.body.indicators as { code: string; kind: string; metric: string | null; weight: number }[];
      expect(indicators.reduce((s, i) => s + i.weight, 0)).toBe(100);
      expect(indicators.filter((i) => i.kind === 'auto').map((i) => i.metric)).toEqual([
        'course_hour_compliance',
        'coordinator_appointed',
        'committees_three_levels',
        'lectures_held',
        'support_site_listed',
        'parent_satisfaction',
        'campaign_participation',
      ]);
      expect(indicators.filter((i) => i.kind === 'manual').map((i) => i.code)).toEqual(['documents', 'site_visit']);
    });

    it('only city staff publish criteria; weights must add up to 100; a year with applications is locked', async () => {
      const indicators = [
        { code: 'family_school', name: '指标一', kind: 'auto', metric: 'coordinator_appointed', weight: 50 },
        { code: 'site_visit', name: '指标二', kind: 'manual', weight: 50 },
      ];
      await ctx.admin().put('/model-schools/criteria').set(auth('district')).send({ year: 2040, indicators }).expect(403);
      const bad = await ctx
        .admin()
        .put('/model-schools/criteria')
        .set(auth('city'))
        .send({ year: 2040, indicators: [indicators[0]] })
        .expect(400);
      expect(bad.body.code).toBe('MODEL_SCHOOL_WEIGHTS_INVALID');
      const ok = await ctx.admin().put('/model-schools/criteria').set(auth('city')).send({ year: 2040, quota: 3, indicators }).expect(200);
      expect(ok.body).toEqual(expect.objectContaining({ year: 2040, quota: 3, locked: false }));
      const noMetric = await ctx
        .admin()
        .put('/model-schools/criteria')
        .set(auth('city'))
        .send({ year: 2040, indicators: [{ ...indicators[0], metric: undefined }, indicators[1]] })
        .expect(400);
      expect(noMetric.body.code).toBe('MODEL_SCHOOL_WEIGHTS_INVALID');
      const current = (await ctx.admin().get(`/model-schools/criteria?year=${year}`).set(auth('city')).expect(200)).body;
      expect({ locked: current.locked, years: current.years }).toEqual({ locked: true, years: expect.arrayContaining([year, 2040]) });
      const locked = await ctx.admin().put('/model-schools/criteria').set(auth('city')).send({ year, indicators }).expect(409);
      expect(locked.body.code).toBe('MODEL_SCHOOL_CRITERIA_LOCKED');
    });
  });

  describe('directory and survey', () => {
    it('counselling rooms and growth stations are listed per school and shown to that school’s parents only', async () => {
      await ctx
        .admin()
        .post('/model-schools/support-sites')
        .set(auth('qzCoordinator'))
        .send({ schoolId: ids.guangwen, kind: 'growth_station', name: '成长导航站', openingHours: '周三 15:00–17:00', contact: '马老师' })
        .expect(403);
      const site = await ctx
        .admin()
        .post('/model-schools/support-sites')
        .set(auth('gwCoordinator'))
        .send({
          schoolId: ids.guangwen,
          kind: 'growth_station',
          name: '成长导航站',
          location: '图书馆一楼',
          openingHours: '周三 15:00–17:00',
          contact: '马老师 0536-8000000',
        })
        .expect(201);
      expect(site.body).toEqual(expect.objectContaining({ kind: 'growth_station', schoolName: '广文中学' }));
      // Besides the district's and the city's sites (docs/counselling.md), each parent sees their children's schools' only.
      const schoolSites = (body: { items: { scope: string; name: string }[] }) => body.items.filter((s) => s.scope === 'school');
      const zhao = await ctx.parent().get('/support-sites').set(auth('zhao')).expect(200);
      expect(schoolSites(zhao.body).map((s) => s.name)).toEqual(['成长导航站']);
      const liu = await ctx.parent().get('/support-sites').set(auth('liu')).expect(200);
      expect(schoolSites(liu.body)).toEqual([
        expect.objectContaining({ name: '心语小屋', kind: 'counselling_room', openingHours: '周一至周五 16:30–18:00' }),
      ]);
    });

    it('the satisfaction survey is anonymous and takes one answer per household, even from two guardians at once', async () => {
      // A 潍坊七中 household of its own gets a second guardian; both answer at the same moment.
      const household = await freshFamily(ctx);
      tokens.household = household.token;
      const wang = await user('13900000073', '王刚');
      await ctx.query(consentSql(`id = '${wang}'`));
      const student = household.studentId;
      await ctx.query(`insert into guardianships (student_id, user_id, relation) values ('${student}', '${wang}', '父亲')`);
      tokens.wang = await ctx.login('13900000073');
      const answers = await Promise.all(
        ['household', 'wang'].map((who, i) =>
          ctx
            .parent()
            .post('/satisfaction-survey')
            .set(auth(who))
            .send({ studentId: student, score: 4 + i }),
        ),
      );
      expect(answers.map((r) => r.status).sort()).toEqual([201, 409]);
      expect(answers.find((r) => r.status === 409)?.body.code).toBe('SURVEY_ALREADY_ANSWERED');
      const status = await ctx.parent().get(`/satisfaction-survey?studentId=${student}`).set(auth('wang')).expect(200);
      expect(status.body).toEqual({ year, answered: true });
      // Another family's child is not the caller's household.
      await ctx.parent().post('/satisfaction-survey').set(auth('zhao')).send({ studentId: student, score: 1 }).expect(404);
      // The answer row has no user, household or time to join back on.
      const columns = await ctx.query<{ column_name: string }>(
        `select column_name from information_schema.columns where table_name = 'satisfaction_responses' order by column_name`,
      );
      expect(columns.map((c) => c.column_name)).toEqual(['comment', 'id', 'school_id', 'score', 'year']);
      const summary = await ctx.admin().get(`/model-schools/satisfaction?schoolId=${ids.qizhong}`).set(auth('qzCoordinator')).expect(200);
      expect(summary.body).toEqual(expect.objectContaining({ responses: 1 }));
      await ctx.admin().get(`/model-schools/satisfaction?schoolId=${ids.qizhong}`).set(auth('gwCoordinator')).expect(403);
    });
  });

  describe('automatic metrics and the application workflow (广文中学)', () => {
    let applicationId: string;
    let snapshot: { code: string; points: number; inputs: Record<string, unknown> }[];

    beforeAll(async () => {
      // Fixture data for 广文中学 this school year: 4 of its households at 8 hours, a class and a
      // school committee, one published lecture held, one survey answer of 3, one campaign entry.
      const sy = (await one<{ id: string }>(`select id from school_years where name = '${year}-${year + 1}'`)).id;
      await ctx.query(`insert into household_progress (student_id, school_year_id, earned_hours)
        select s.id, '${sy}', 8 from students s join classes c on c.id = s.class_id where c.school_id = '${ids.guangwen}' order by s.name limit 4`);
      const cls = (await one<{ id: string }>(`select id from classes where school_id = '${ids.guangwen}' and name = '初一(1)班'`)).id;
      await ctx.query(`insert into committees (school_id, school_year_id, level, class_id, scope_key, name) values
        ('${ids.guangwen}', '${sy}', 'class', '${cls}', 'class:${cls}', '初一(1)班家长委员会'),
        ('${ids.guangwen}', '${sy}', 'school', null, 'school', '广文中学家长委员会')`);
      await ctx.query(`insert into lectures (series, title, school_year_id, school_id, audience, mode, starts_at, ends_at, credit_hours, status, checkin_secret) values
        ('school_course', '青春期亲子沟通', '${sy}', '${ids.guangwen}', '{"scope":"school","schoolId":"${ids.guangwen}"}', 'offline', now() - interval '2 days', now() - interval '2 days' + interval '2 hours', 2, 'finished', 'x'),
        ('school_course', '草稿讲座', '${sy}', '${ids.guangwen}', '{"scope":"school","schoolId":"${ids.guangwen}"}', 'offline', now() - interval '1 day', now() - interval '1 day' + interval '1 hour', 1, 'draft', 'y')`);
      const zhaoChild = (await one<{ id: string }>(`select id from students where name = '赵一鸣'`)).id;
      await ctx.parent().post('/satisfaction-survey').set(auth('zhao')).send({ studentId: zhaoChild, score: 3 }).expect(201);
      const campaign = (await one<{ id: string }>(`select id from campaigns where kind = 'family_story' limit 1`)).id;
      await ctx
        .parent()
        .post(`/campaigns/${campaign}/submissions`)
        .set(auth('zhao'))
        .send({ studentId: zhaoChild, familyName: '赵家', title: '家和万事兴', body: '我家的家训是……' })
        .expect(201);
      // The coordinator, committees and lectures above were written around their services (no
      // events), and no worker runs here to write the campaign entry's fact: the migration's
      // backfill writes what the events would have (test/model-school-metric-facts covers the events).
      await ctx.query(`select model_school_metric_facts_backfill()`);
    });

    it('computes each automatic indicator from platform data and shows its inputs', async () => {
      const res = await ctx.admin().get(`/model-schools/metrics?schoolId=${ids.guangwen}`).set(auth('gwCoordinator')).expect(200);
      const by = Object.fromEntries((res.body.metrics as { code: string }[]).map((m) => [m.code, m]));
      expect(by.course_hours).toEqual(
        expect.objectContaining({
          inputs: { households: 13, compliantHouseholds: 4, requiredHours: 8, rate: 0.31 },
          ratio: 0.38,
          points: 7.69,
        }),
      );
      expect(by.coordinator).toEqual(expect.objectContaining({ inputs: { coordinators: 1 }, points: 5 }));
      expect(by.committees).toEqual(expect.objectContaining({ inputs: { committeeLevels: 2 }, ratio: 0.67, points: 6.67 }));
      expect(by.lectures).toEqual(expect.objectContaining({ inputs: { lecturesHeld: 1 }, ratio: 0.25, points: 2.5 }));
      expect(by.support_sites).toEqual(expect.objectContaining({ inputs: { supportSites: 1 }, points: 5 }));
      expect(by.satisfaction).toEqual(expect.objectContaining({ inputs: { responses: 1, average: 3 }, ratio: 0.6, points: 9 }));
      expect(by.campaigns).toEqual(
        expect.objectContaining({ inputs: { households: 13, participatingHouseholds: 1, rate: 0.08 }, ratio: 0.77, points: 3.85 }),
      );
      expect(res.body.autoScore).toBeCloseTo(7.69 + 5 + 6.67 + 2.5 + 5 + 9 + 3.85, 2);
      // Another school's staff cannot look.
      await ctx.admin().get(`/model-schools/metrics?schoolId=${ids.guangwen}`).set(auth('qzCoordinator')).expect(403);
    });

    it('only the school’s coordinator applies, once a year; the metrics are snapshotted', async () => {
      const refused = await ctx
        .admin()
        .post('/model-schools/applications')
        .set(auth('qzCoordinator'))
        .send({ schoolId: ids.guangwen, year, materials: '广文中学申报材料（代交）' })
        .expect(403);
      expect(refused.body.code).toBe('MODEL_SCHOOL_COORDINATOR_ONLY');
      const upload = await ctx
        .parent()
        .post('/uploads')
        .set(auth('gwCoordinator'))
        .attach('file', Buffer.from('%PDF-1.4\n%%EOF\n'), 'plan.pdf');
      const fileIds = upload.status === 201 ? [upload.body.id as string] : [];
      const res = await ctx
        .admin()
        .post('/model-schools/applications')
        .set(auth('gwCoordinator'))
        .send({ schoolId: ids.guangwen, year, materials: '广文中学家庭教育工作材料与总结', materialFileIds: fileIds })
        .expect(201);
      applicationId = res.body.id;
      snapshot = res.body.metrics;
      expect(res.body).toEqual(expect.objectContaining({ status: 'submitted', manualScore: null, totalScore: null, submissions: 1 }));
      expect(res.body.autoScore).toBeCloseTo(39.71, 2);
      const again = await ctx
        .admin()
        .post('/model-schools/applications')
        .set(auth('gwCoordinator'))
        .send({ schoolId: ids.guangwen, year, materials: '再次申报的材料内容（重复提交）' })
        .expect(409);
      expect(again.body.code).toBe('MODEL_SCHOOL_APPLICATION_EXISTS');
      // Later data moves the preview, not the snapshot.
      await ctx.query(
        `insert into support_sites (school_id, kind, name, opening_hours, contact) values ('${ids.guangwen}', 'counselling_room', '阳光小屋', '周五', '马老师')`,
      );
      const stored = await ctx.admin().get(`/model-schools/applications/${applicationId}`).set(auth('district')).expect(200);
      expect(stored.body.metrics).toEqual(snapshot);
      // The materials are readable by whoever reviews the application, and by no parent.
      expect(fileIds).toHaveLength(1);
      await ctx.parent().get(`/files/${fileIds[0]}`).set(auth('district')).expect(200);
      await ctx.parent().get(`/files/${fileIds[0]}`).set(auth('chen')).expect(403);
    });

    it('the district returns it with comments; the coordinator resubmits; the district passes it', async () => {
      await ctx
        .admin()
        .post(`/model-schools/applications/${applicationId}/pre-review`)
        .set(auth('district'))
        .send({ decision: 'return' })
        .expect(400);
      // 北辰中学 is in 潍城区: 奎文区 staff cannot see it.
      const beichen = (await one<{ id: string }>(`select id from model_school_applications where school_id = '${ids.beichen}'`)).id;
      const foreign = await ctx
        .admin()
        .post(`/model-schools/applications/${beichen}/pre-review`)
        .set(auth('district'))
        .send({ decision: 'pass' })
        .expect(404);
      expect(foreign.body.code).toBe('MODEL_SCHOOL_APPLICATION_NOT_FOUND');
      const returned = await ctx
        .admin()
        .post(`/model-schools/applications/${applicationId}/pre-review`)
        .set(auth('district'))
        .send({ decision: 'return', comment: '请补充家长学校活动照片' })
        .expect(200);
      expect(returned.body).toEqual(expect.objectContaining({ status: 'returned', districtComment: '请补充家长学校活动照片' }));
      // The coordinator cannot pre-review their own school.
      await ctx
        .admin()
        .post(`/model-schools/applications/${applicationId}/pre-review`)
        .set(auth('gwCoordinator'))
        .send({ decision: 'pass' })
        .expect(403);
      const designateEarly = await ctx
        .admin()
        .post(`/model-schools/applications/${applicationId}/designation`)
        .set(auth('city'))
        .expect(409);
      expect(designateEarly.body.code).toBe('MODEL_SCHOOL_APPLICATION_STATE');
      const resubmitted = await ctx
        .admin()
        .put(`/model-schools/applications/${applicationId}`)
        .set(auth('gwCoordinator'))
        .send({ materials: '广文中学家庭教育工作材料（已补充活动照片）' })
        .expect(200);
      expect(resubmitted.body).toEqual(expect.objectContaining({ status: 'submitted', submissions: 2 }));
      const passed = await ctx
        .admin()
        .post(`/model-schools/applications/${applicationId}/pre-review`)
        .set(auth('district'))
        .send({ decision: 'pass', comment: '同意推荐' })
        .expect(200);
      expect(passed.body.status).toBe('district_passed');
    });

    it('city experts are assigned — never one of the school’s own district — score the manual items, and the scores are averaged', async () => {
      await ctx
        .admin()
        .post('/model-schools/experts')
        .set(auth('district'))
        .send({ userId: ids.kuiwenExpert, districtId: ids.kuiwen })
        .expect(403);
      await ctx
        .admin()
        .post('/model-schools/experts')
        .set(auth('city'))
        .send({ userId: ids.kuiwenExpert, districtId: ids.kuiwen })
        .expect(201);
      await ctx
        .admin()
        .post('/model-schools/experts')
        .set(auth('city'))
        .send({ userId: ids.weichengExpert, districtId: ids.weicheng })
        .expect(201);
      const notExpert = await ctx
        .admin()
        .post('/model-schools/experts')
        .set(auth('city'))
        .send({ userId: ids.gwCoordinator, districtId: ids.kuiwen })
        .expect(404);
      expect(notExpert.body.code).toBe('MODEL_SCHOOL_EXPERT_NOT_FOUND');

      const own = await ctx
        .admin()
        .post(`/model-schools/applications/${applicationId}/reviewers`)
        .set(auth('city'))
        .send({ expertUserId: ids.kuiwenExpert })
        .expect(409);
      expect(own.body.code).toBe('MODEL_SCHOOL_OWN_DISTRICT');
      await ctx
        .admin()
        .post(`/model-schools/applications/${applicationId}/reviewers`)
        .set(auth('district'))
        .send({ expertUserId: ids.weichengExpert })
        .expect(403);
      const a = await ctx
        .admin()
        .post(`/model-schools/applications/${applicationId}/reviewers`)
        .set(auth('city'))
        .send({ expertUserId: ids.seedExpert })
        .expect(201);
      const b = await ctx
        .admin()
        .post(`/model-schools/applications/${applicationId}/reviewers`)
        .set(auth('city'))
        .send({ expertUserId: ids.weichengExpert })
        .expect(201);

      // Even a review row made behind the rule's back cannot be scored by an expert of the school's district.
      const sneaked = (
        await one<{ id: string }>(
          `insert into model_school_reviews (application_id, reviewer_id, reviewer_district_id) values ('${applicationId}', '${ids.kuiwenExpert}', '${ids.kuiwen}') returning id`,
        )
      ).id;
      const refused = await ctx
        .parent()
        .put(`/model-school-reviews/${sneaked}`)
        .set(auth('kuiwenExpert'))
        .send({ scores: { documents: 15, site_visit: 15 } })
        .expect(409);
      expect(refused.body.code).toBe('MODEL_SCHOOL_OWN_DISTRICT');
      await ctx.query(`delete from model_school_reviews where id = '${sneaked}'`);

      const mine = await ctx.parent().get('/model-school-reviews').set(auth('weichengExpert')).expect(200);
      expect(mine.body.items).toEqual([expect.objectContaining({ id: b.body.id, schoolName: '广文中学', total: null })]);
      // Someone else's review is not there; scores must cover every manual item within its weight.
      await ctx
        .parent()
        .put(`/model-school-reviews/${a.body.id}`)
        .set(auth('weichengExpert'))
        .send({ scores: { documents: 10, site_visit: 10 } })
        .expect(404);
      for (const scores of [{ documents: 10 }, { documents: 16, site_visit: 10 }, { documents: 10, site_visit: 10, extra: 1 }]) {
        const bad = await ctx.parent().put(`/model-school-reviews/${b.body.id}`).set(auth('weichengExpert')).send({ scores }).expect(400);
        expect(bad.body.code).toBe('MODEL_SCHOOL_SCORES_INVALID');
      }
      await ctx
        .parent()
        .put(`/model-school-reviews/${a.body.id}`)
        .set(auth('seedExpert'))
        .send({ scores: { documents: 12, site_visit: 10 } })
        .expect(200);
      const scored = await ctx
        .parent()
        .put(`/model-school-reviews/${b.body.id}`)
        .set(auth('weichengExpert'))
        .send({ scores: { documents: 14, site_visit: 14 }, comment: '特色鲜明' })
        .expect(200);
      expect(scored.body.total).toBe(28);
      // The reviewer reads the application they review.
      const read = await ctx.admin().get(`/model-schools/applications/${applicationId}`).set(auth('city')).expect(200);
      expect(read.body.manualScore).toBe(25);
      expect(read.body.totalScore).toBeCloseTo(39.71 + 25, 2);
      expect(read.body.rank).toBe(1);
      expect(read.body.reviews).toHaveLength(2);
    });

    it('the city designates it with a certificate number; the public list shows it without login; revocation keeps the history', async () => {
      await ctx.admin().post(`/model-schools/applications/${applicationId}/designation`).set(auth('district')).expect(403);
      const designation = await ctx.admin().post(`/model-schools/applications/${applicationId}/designation`).set(auth('city')).expect(201);
      expect(designation.body.certificateNo).toMatch(new RegExp(`^潍家示〔${year}〕\\d{3}号$`));
      const twice = await ctx.admin().post(`/model-schools/applications/${applicationId}/designation`).set(auth('city')).expect(409);
      expect(twice.body.code).toBe('MODEL_SCHOOL_APPLICATION_STATE');

      const list = await ctx.parent().get(`/model-schools?year=${year}`).expect(200);
      expect(list.body.items).toEqual([
        expect.objectContaining({ schoolName: '广文中学', districtName: '奎文区', certificateNo: designation.body.certificateNo }),
      ]);
      const ranked = await ctx.admin().get(`/model-schools/applications?year=${year}`).set(auth('city')).expect(200);
      expect(ranked.body.items[0]).toEqual(expect.objectContaining({ id: applicationId, status: 'designated', rank: 1 }));

      await ctx.admin().post(`/model-schools/designations/${designation.body.id}/revocation`).set(auth('city')).send({}).expect(400);
      await ctx
        .admin()
        .post(`/model-schools/designations/${designation.body.id}/revocation`)
        .set(auth('district'))
        .send({ reason: '年度复核不合格' })
        .expect(403);
      const revoked = await ctx
        .admin()
        .post(`/model-schools/designations/${designation.body.id}/revocation`)
        .set(auth('city'))
        .send({ reason: '年度复核不合格' })
        .expect(200);
      expect(revoked.body).toEqual(expect.objectContaining({ revokeReason: '年度复核不合格', revokedAt: expect.any(String) }));
      const again = await ctx
        .admin()
        .post(`/model-schools/designations/${designation.body.id}/revocation`)
        .set(auth('city'))
        .send({ reason: '重复撤销' })
        .expect(409);
      expect(again.body.code).toBe('MODEL_SCHOOL_ALREADY_REVOKED');
      expect((await ctx.parent().get(`/model-schools?year=${year}`).expect(200)).body.items).toEqual([]);

      const history = await ctx.admin().get(`/model-schools/schools/${ids.guangwen}/history`).set(auth('gwCoordinator')).expect(200);
      expect(history.body.applications).toEqual([expect.objectContaining({ id: applicationId, status: 'revoked', submissions: 2 })]);
      expect(history.body.designations).toEqual([
        expect.objectContaining({ certificateNo: designation.body.certificateNo, revokeReason: '年度复核不合格' }),
      ]);
      await ctx.admin().get(`/model-schools/schools/${ids.guangwen}/history`).set(auth('qzCoordinator')).expect(403);
    });
  });

  describe('the quota under a race', () => {
    it('150 concurrent designation requests for 100 places designate exactly 100', async () => {
      const race = 2031;
      const city = (await one<{ id: string }>(`select id from users where phone = '13900000000'`)).id;
      await ctx.query(`insert into model_school_years (year, quota) values (${race}, 100)`);
      await ctx.query(
        `insert into schools (district_id, name, type) select '${ids.weicheng}', '竞速学校' || n, 'primary' from generate_series(1, 150) n`,
      );
      const apps = await ctx.query<{
        id: string;
      }>(`insert into model_school_applications (school_id, year, status, materials, snapshot_at, auto_score, manual_score, total_score, submitted_by)
        select s.id, ${race}, 'district_passed', '申报材料', now(), 50, 20 + (random() * 10)::int, 70, '${city}' from schools s where s.name like '竞速学校%' returning id`);
      expect(apps).toHaveLength(150);
      const results = await Promise.all(
        apps.map((a) => ctx.admin().post(`/model-schools/applications/${a.id}/designation`).set(auth('city'))),
      );
      const statuses = results.map((r) => r.status);
      expect(statuses.filter((s) => s === 201)).toHaveLength(100);
      expect(statuses.filter((s) => s === 409)).toHaveLength(50);
      expect(results.filter((r) => r.status === 409).every((r) => r.body.code === 'MODEL_SCHOOL_QUOTA_FULL')).toBe(true);
      const [count] = await ctx.query<{ n: number; numbers: number }>(
        `select count(*)::int as n, count(distinct certificate_no)::int as numbers from model_school_designations where year = ${race}`,
      );
      expect(count).toEqual({ n: 100, numbers: 100 });
      const designated = await ctx.query<{ n: number }>(
        `select count(*)::int as n from model_school_applications where year = ${race} and status = 'designated'`,
      );
      expect(designated[0].n).toBe(100);
      expect((await ctx.parent().get(`/model-schools?year=${race}`).expect(200)).body.items).toHaveLength(100);
    }, 120_000);
  });
});
