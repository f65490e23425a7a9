import { createTestContext, TestContext } from './support/harness';
import { auth, DemoPlaces, demoPlaces, minutesFromNow } from './support/courses';

/** A coordinator instantiates a course plan's sessions from one template with their dates. */
describe('course plan sessions from a template', () => {
  let ctx: TestContext;
  let places: DemoPlaces;
  let coordinator: string;

  beforeAll(async () => {
    ctx = await createTestContext({ apps: ['admin'] });
    places = await demoPlaces(ctx);
    coordinator = await ctx.login('13900000001', 'admin');
    const created = await ctx
      .admin()
      .post(`/schools/${places.wf7}/course-plan`)
      .set(auth(coordinator))
      .send({ schoolYear: places.schoolYear });
    expect([201, 409]).toContain(created.status);
  });
  afterAll(async () => {
    await ctx?.close();
  });

  const template = { mode: 'offline', durationMinutes: 90, creditHours: 1.5, venue: '潍坊七中报告厅', speaker: '王老师' };

  it('creates every session as a draft of the plan, with the template and its own title and date, in one go', async () => {
    const first = minutesFromNow(7 * 24 * 60);
    const second = minutesFromNow(14 * 24 * 60);
    const before = (await ctx.admin().get(`/schools/${places.wf7}/course-plan`).set(auth(coordinator)).expect(200)).body;
    const res = await ctx
      .admin()
      .post(`/schools/${places.wf7}/course-plan/sessions`)
      .set(auth(coordinator))
      .send({
        template,
        sessions: [
          { title: '第一讲 读懂青春期', startsAt: first.toISOString(), curriculumLabel: '《牵手两代》第一单元' },
          { title: '第二讲 亲子沟通', startsAt: second.toISOString() },
        ],
      })
      .expect(201);
    const added = res.body.sessions.filter((s: { title: string }) => s.title === '第一讲 读懂青春期' || s.title === '第二讲 亲子沟通');
    expect(added).toHaveLength(2);
    for (const session of added) {
      expect(session).toMatchObject({
        series: 'school_course',
        mode: 'offline',
        creditHours: 1.5,
        venue: '潍坊七中报告厅',
        speaker: '王老师',
        status: 'draft',
        planId: res.body.id,
      });
      expect(new Date(session.endsAt).getTime() - new Date(session.startsAt).getTime()).toBe(90 * 60_000);
    }
    expect(new Date(added.find((s: { title: string }) => s.title === '第一讲 读懂青春期').startsAt).getTime()).toBe(first.getTime());
    expect(new Date(added.find((s: { title: string }) => s.title === '第二讲 亲子沟通').startsAt).getTime()).toBe(second.getTime());
    // Drafts do not count until published.
    expect(res.body.plannedHours).toBe(before.plannedHours);
  });

  it('refuses a bad template or session by field, and writes none of the sessions', async () => {
    const count = async () => (await ctx.query<{ n: number }>(`select count(*)::int as n from lectures where title like '模板%'`))[0].n;
    const ok = { title: '模板正常场次', startsAt: minutesFromNow(7 * 24 * 60).toISOString() };
    const tooMany = await ctx
      .admin()
      .post(`/schools/${places.wf7}/course-plan/sessions`)
      .set(auth(coordinator))
      .send({ template: { ...template, creditHours: 2 }, sessions: [ok] })
      .expect(400);
    expect(tooMany.body.errors).toEqual([expect.objectContaining({ field: 'sessions.0.creditHours' })]);
    const otherYear = await ctx
      .admin()
      .post(`/schools/${places.wf7}/course-plan/sessions`)
      .set(auth(coordinator))
      .send({ template, sessions: [ok, { title: '模板明年场次', startsAt: minutesFromNow(400 * 24 * 60).toISOString() }] })
      .expect(400);
    expect(otherYear.body.errors).toEqual([{ field: 'sessions.1.startsAt', message: '须在课程计划的学年内' }]);
    const bad = await ctx
      .admin()
      .post(`/schools/${places.wf7}/course-plan/sessions`)
      .set(auth(coordinator))
      .send({ template: { mode: 'online', durationMinutes: 5, creditHours: 1 }, sessions: [] })
      .expect(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'sessions',
      'template.durationMinutes',
      'template.mode',
    ]);
    expect(await count()).toBe(0);
    // Another school's plan is not this coordinator's; a school without a plan has none to fill.
    expect(
      (
        await ctx
          .admin()
          .post(`/schools/${places.guangwen}/course-plan/sessions`)
          .set(auth(coordinator))
          .send({ template, sessions: [ok] })
          .expect(403)
      ).body.code,
    ).toBe('FORBIDDEN');
    const city = await ctx.login('13900000000', 'admin');
    expect(
      (
        await ctx
          .admin()
          .post(`/schools/${places.beichen}/course-plan/sessions`)
          .set(auth(city))
          .send({ template, sessions: [ok] })
          .expect(404)
      ).body.code,
    ).toBe('PLAN_NOT_FOUND');
  });
});
