import { createTestContext, TestContext } from './support/harness';
import { auth, createLecture, DemoPlaces, demoPlaces, HOUR, LectureBody, minutesFromNow, newFamily } from './support/courses';

interface Trend {
  schoolYear: string;
  requiredHours: number;
  scopeType: string;
  scopeId: string | null;
  months: { month: string; households: number; compliant: number; rate: number }[];
}

/** The months of the school year up to this one, in Beijing time: 2026-09 … */
function expectedMonths(schoolYear: string): string[] {
  const now = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit' }).format(new Date());
  const first = Number(schoolYear.slice(0, 4));
  const months: string[] = [];
  for (let i = 0; i < 12; i++) {
    const month = `${first + Math.floor((8 + i) / 12)}-${String(((8 + i) % 12) + 1).padStart(2, '0')}`;
    if (month > now) break;
    months.push(month);
  }
  return months;
}

/**
 * GET /reports/course-hours/trend: the compliance rate month by month. A class of its own at 潍坊七中
 * with two households; one earns the 8 hours now, and one of its credits is then dated back to
 * September: it is compliant from this month only, as its fourth lecture was counted this month.
 */
describe('course hours: the compliance trend across the school year (admin-api)', () => {
  let ctx: TestContext;
  let places: DemoPlaces;
  let coordinator: string;
  let cityAdmin: string;
  let districtAdmin: string;
  let teacher: string;
  let sessions: LectureBody[];
  let classId: string;

  const trend = async (token: string, query = '') =>
    (await ctx.admin().get(`/reports/course-hours/trend${query}`).set(auth(token)).expect(200)).body as Trend;
  const last = (t: Trend) => t.months[t.months.length - 1];

  beforeAll(async () => {
    ctx = await createTestContext({ apps: ['admin'] });
    places = await demoPlaces(ctx);
    [coordinator, cityAdmin, districtAdmin, teacher] = await Promise.all(
      ['13900000001', '13900000000', '13900000006', '13900000002'].map((phone) => ctx.login(phone, 'admin')),
    );
    sessions = [];
    for (let i = 0; i < 4; i++) {
      const startsAt = minutesFromNow((i + 1) * 24 * 60);
      sessions.push(
        await createLecture(ctx, coordinator, places.wf7, {
          startsAt,
          endsAt: new Date(startsAt.getTime() + 2 * HOUR),
          series: 'school_course',
        }),
      );
    }
    classId = (
      await ctx.admin().post(`/schools/${places.wf7}/classes`).set(auth(coordinator)).send({ grade: 7, name: '走势测试班' }).expect(201)
    ).body.id as string;
  });
  afterAll(() => ctx?.close());

  it('gives the coordinator’s school month by month, and moves when a household reaches the requirement', async () => {
    const before = await trend(coordinator);
    expect(before).toMatchObject({ schoolYear: places.schoolYear, requiredHours: 8, scopeType: 'school', scopeId: places.wf7 });
    expect(before.months.map((m) => m.month)).toEqual(expectedMonths(places.schoolYear));

    const [done] = [await newFamily(ctx, classId, 1, '达标'), await newFamily(ctx, classId, 1, '未达标')];
    for (const lecture of sessions) {
      await ctx
        .admin()
        .post(`/lectures/${lecture.id}/attendance`)
        .set(auth(coordinator))
        .send({ phone: done.guardians[0].phone, reason: '纸质签到表补录' })
        .expect(200);
    }
    const after = await trend(coordinator);
    expect(last(after).households).toBe(last(before).households + 2);
    expect(last(after).compliant).toBe(last(before).compliant + 1);
    expect(last(after).rate).toBe(Math.round((last(after).compliant / last(after).households) * 10000) / 10000);
    // The months before this one are as they were: the hours were counted this month.
    expect(after.months.slice(0, -1).map((m) => m.compliant)).toEqual(before.months.slice(0, -1).map((m) => m.compliant));
    // This month agrees with the school's report.
    const report = await ctx.admin().get('/reports/course-hours').set(auth(coordinator)).expect(200);
    expect({ households: last(after).households, compliant: last(after).compliant }).toEqual({
      households: report.body.households,
      compliant: report.body.compliant,
    });

    // Three of the four lectures counted in the year's first month: still short of 8 hours then.
    const first = `${places.schoolYear.slice(0, 4)}-09-15T12:00:00+08:00`;
    await ctx.query(
      `update household_credits set created_at = '${first}' where student_id = '${done.studentId}' and lecture_id in ('${sessions[0].id}', '${sessions[1].id}', '${sessions[2].id}')`,
    );
    expect((await trend(coordinator)).months.map((m) => m.compliant)).toEqual(after.months.map((m) => m.compliant));
    await ctx.query(`update household_credits set created_at = '${first}' where student_id = '${done.studentId}'`);
    const backdated = await trend(coordinator);
    expect(backdated.months.map((m) => m.compliant)).toEqual(
      after.months.map((m, i) => (i < after.months.length - 1 ? m.compliant + 1 : m.compliant)),
    );
  });

  it('scopes like the reports: a teacher’s class, the district, the city; nothing outside the caller’s area', async () => {
    const mine = await trend(teacher);
    expect(mine).toMatchObject({ scopeType: 'class', scopeId: null });
    const [{ n }] = await ctx.query<{ n: number }>(`select count(*)::int as n from students where class_id = '${places.class1}'`);
    expect(last(mine).households).toBe(n);

    const district = await trend(districtAdmin);
    expect(district).toMatchObject({ scopeType: 'district', scopeId: places.kuiwen });
    const summary = await ctx.admin().get('/reports/course-hours/summary').set(auth(districtAdmin)).expect(200);
    expect({ households: last(district).households, compliant: last(district).compliant }).toEqual({
      households: summary.body.households,
      compliant: summary.body.compliant,
    });
    expect(await trend(districtAdmin, `?schoolId=${places.wf7}`)).toMatchObject({ scopeType: 'school', scopeId: places.wf7 });

    const city = await trend(cityAdmin);
    expect(city).toMatchObject({ scopeType: 'city', scopeId: null });
    const [{ all }] = await ctx.query<{ all: number }>(
      `select count(*)::int as "all" from students s join classes c on c.id = s.class_id join school_years y on y.id = c.school_year_id where y.name = '${places.schoolYear}'`,
    );
    expect(last(city).households).toBe(all);
    expect(await trend(cityAdmin, `?districtId=${places.weicheng}`)).toMatchObject({ scopeType: 'district', scopeId: places.weicheng });

    expect(
      (await ctx.admin().get(`/reports/course-hours/trend?schoolId=${places.guangwen}`).set(auth(teacher)).expect(403)).body.code,
    ).toBe('FORBIDDEN');
    expect(
      (await ctx.admin().get(`/reports/course-hours/trend?districtId=${places.weicheng}`).set(auth(districtAdmin)).expect(403)).body.code,
    ).toBe('FORBIDDEN');
    expect(
      (await ctx.admin().get(`/reports/course-hours/trend?schoolId=${places.beichen}`).set(auth(coordinator)).expect(403)).body.code,
    ).toBe('FORBIDDEN');
    expect((await ctx.admin().get('/reports/course-hours/trend?schoolYear=1999-2000').set(auth(coordinator)).expect(404)).body.code).toBe(
      'SCHOOL_YEAR_NOT_FOUND',
    );
  });
});
