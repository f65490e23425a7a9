import { createTestContext, TestContext } from './support/harness';
import { auth } from './support/courses';

interface RankingBody {
  year: number;
  passMark: number;
  quota: number;
  designated: number;
  quotaLeft: number;
  items: {
    rank: number;
    applicationId: string;
    schoolName: string;
    districtName: string;
    totalScore: number;
    abovePassMark: boolean;
    status: string;
  }[];
}

/** Model-school designation against the year's pass mark, with the ranking shown (admin-api). */
describe('model-school pass mark and ranking', () => {
  let ctx: TestContext;
  let city: string;
  let district: string;
  let cityId: string;

  /** A year with its quota and schools of 潍城区 that passed the district review with these totals; answers application ids by score. */
  async function year(y: number, quota: number, totals: number[]): Promise<Map<number, string>> {
    await ctx.query(`insert into model_school_years (year, quota) values (${y}, ${quota})`);
    const ids = new Map<number, string>();
    for (const [i, total] of totals.entries()) {
      const [school] = await ctx.query<{ id: string }>(
        `insert into schools (district_id, name, type) select id, '排名学校${y}-${i}', 'primary' from districts where name = '潍城区' returning id::text`,
      );
      const [application] = await ctx.query<{
        id: string;
      }>(`insert into model_school_applications (school_id, year, status, materials, snapshot_at, auto_score, manual_score, total_score, submitted_by)
        values ('${school.id}', ${y}, 'district_passed', '申报材料', now(), ${total / 2}, ${total / 2}, ${total}, '${cityId}') returning id::text`);
      ids.set(total, application.id);
    }
    return ids;
  }

  const designate = (applicationId: string, token = city) =>
    ctx.admin().post(`/model-schools/applications/${applicationId}/designation`).set(auth(token));
  const ranking = async (y: number): Promise<RankingBody> =>
    (await ctx.admin().get(`/model-schools/ranking?year=${y}`).set(auth(city)).expect(200)).body as RankingBody;

  beforeAll(async () => {
    ctx = await createTestContext({ apps: ['admin'] });
    city = await ctx.login('13900000000', 'admin');
    district = await ctx.login('13900000006', 'admin');
    [{ id: cityId }] = await ctx.query<{ id: string }>("select id::text from users where phone = '13900000000'");
  });
  afterAll(() => ctx?.close());

  it('refuses a school below the pass mark (60 by default) and shows the ranking at designation', async () => {
    const apps = await year(2040, 3, [85, 72, 72.5, 59.5, 23]);
    expect((await ctx.admin().get('/model-schools/criteria?year=2040').set(auth(city)).expect(200)).body).toMatchObject({
      quota: 3,
      passMark: 60,
    });

    const before = await ranking(2040);
    expect(before).toMatchObject({ year: 2040, passMark: 60, quota: 3, designated: 0, quotaLeft: 3 });
    expect(before.items.map((i) => [i.rank, i.totalScore, i.abovePassMark])).toEqual([
      [1, 85, true],
      [2, 72.5, true],
      [3, 72, true],
      [4, 59.5, false],
      [5, 23, false],
    ]);
    expect(before.items[0]).toMatchObject({ districtName: '潍城区', status: 'district_passed' });

    const low = await designate(apps.get(23) as string).expect(409);
    expect(low.body).toMatchObject({ code: 'MODEL_SCHOOL_BELOW_PASS_MARK' });
    expect(low.body.message).toContain('23');
    expect(low.body.message).toContain('60');
    const en = await designate(apps.get(59.5) as string)
      .set('Accept-Language', 'en')
      .expect(409);
    expect(en.body.message).toBe('The school scored 59.5, below this year’s pass mark of 60: it cannot be designated');

    const second = await designate(apps.get(72.5) as string).expect(201);
    expect(second.body.ranking).toEqual({ rank: 2, contenders: 5, score: 72.5, passMark: 60, abovePassMark: true, quota: 3, quotaLeft: 2 });
    const first = await designate(apps.get(85) as string).expect(201);
    expect(first.body.ranking).toMatchObject({ rank: 1, quotaLeft: 1 });

    const after = await ranking(2040);
    expect(after).toMatchObject({ designated: 2, quotaLeft: 1 });
    expect(after.items.filter((i) => i.status === 'designated').map((i) => i.totalScore)).toEqual([85, 72.5]);
    const [{ n }] = await ctx.query<{ n: number }>(`select count(*)::int as n from model_school_designations where year = 2040`);
    expect(n).toBe(2);
    // Once a school is designated the mark is fixed for the year.
    const locked = await ctx.admin().put('/model-schools/pass-mark').set(auth(city)).send({ year: 2040, passMark: 50 }).expect(409);
    expect(locked.body.code).toBe('MODEL_SCHOOL_PASS_MARK_LOCKED');
  });

  it('lets the city set a year’s pass mark before the first designation', async () => {
    const apps = await year(2041, 10, [55, 45]);
    const set = await ctx.admin().put('/model-schools/pass-mark').set(auth(city)).send({ year: 2041, passMark: 50 }).expect(200);
    expect(set.body).toMatchObject({ year: 2041, quota: 10, passMark: 50 });
    expect((await designate(apps.get(55) as string).expect(201)).body.ranking).toMatchObject({
      rank: 1,
      passMark: 50,
      abovePassMark: true,
    });
    expect((await designate(apps.get(45) as string).expect(409)).body.code).toBe('MODEL_SCHOOL_BELOW_PASS_MARK');
    const [audit] = await ctx.query<{ n: number }>("select count(*)::int as n from audit_log where action = 'model_school.pass_mark_set'");
    expect(audit.n).toBe(1);
  });

  it('refuses bad input and callers outside the city bureau', async () => {
    const bad = await ctx.admin().put('/model-schools/pass-mark').set(auth(city)).send({ year: 2041, passMark: 120 }).expect(400);
    expect(bad.body.errors).toEqual([{ field: 'passMark', message: expect.any(String) }]);
    await ctx.admin().put('/model-schools/pass-mark').set(auth(city)).send({ year: 2041, passMark: '六十' }).expect(400);
    expect(
      (await ctx.admin().put('/model-schools/pass-mark').set(auth(city)).send({ year: 2099, passMark: 60 }).expect(404)).body.code,
    ).toBe('MODEL_SCHOOL_YEAR_NOT_FOUND');
    expect((await ctx.admin().get('/model-schools/ranking?year=2099').set(auth(city)).expect(404)).body.code).toBe(
      'MODEL_SCHOOL_YEAR_NOT_FOUND',
    );
    await ctx.admin().get('/model-schools/ranking?year=abc').set(auth(city)).expect(400);
    await ctx.admin().get('/model-schools/ranking?year=2041').set(auth(district)).expect(403);
    await ctx.admin().put('/model-schools/pass-mark').set(auth(district)).send({ year: 2041, passMark: 40 }).expect(403);
    const criteria = await ctx
      .admin()
      .put('/model-schools/criteria')
      .set(auth(city))
      .send({ year: 2042, passMark: -1, indicators: [{ code: 'x1', name: '指标一', kind: 'manual', weight: 100 }] })
      .expect(400);
    expect(criteria.body.errors).toEqual([{ field: 'passMark', message: expect.any(String) }]);
  });
});
