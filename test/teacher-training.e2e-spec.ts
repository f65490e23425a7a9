import { createTestContext, TestContext } from './support/harness';
import { auth, createLecture, DemoPlaces, demoPlaces, HOUR, MINUTE, minutesFromNow, newFamily, newUser, setTimes } from './support/courses';

/** 提升每位教师与家长的沟通能力: teacher_training for teachers, with their own hour ledger and a coordinator report. */
describe('teachers’ communication training', () => {
  let ctx: TestContext;
  let places: DemoPlaces;
  let coordinator: string;

  beforeAll(async () => {
    ctx = await createTestContext({ apps: ['parent', 'admin'] });
    places = await demoPlaces(ctx);
    coordinator = await ctx.login('13900000001', 'admin');
  });
  afterAll(async () => {
    await ctx?.close();
  });

  it('is for a teachers audience only, and a teachers audience only for it', async () => {
    const startsAt = minutesFromNow(24 * 60);
    const base = {
      title: '与家长沟通的技巧',
      mode: 'offline',
      startsAt: startsAt.toISOString(),
      endsAt: new Date(startsAt.getTime() + HOUR).toISOString(),
      creditHours: 1,
      venue: '会议室',
    };
    const wrong = await ctx
      .admin()
      .post('/lectures')
      .set(auth(coordinator))
      .send({ ...base, series: 'teacher_training', audience: { scope: 'school', schoolId: places.wf7 } })
      .expect(400);
    expect(wrong.body.errors).toEqual([{ field: 'audience.scope', message: expect.stringContaining('教师培训') }]);
    await ctx
      .admin()
      .post('/lectures')
      .set(auth(coordinator))
      .send({ ...base, series: 'parents_forum', audience: { scope: 'teachers', schoolId: places.wf7 } })
      .expect(400);
    // A coordinator cannot train another school's teachers.
    const other = await ctx
      .admin()
      .post('/lectures')
      .set(auth(coordinator))
      .send({ ...base, series: 'teacher_training', audience: { scope: 'teachers', schoolId: places.guangwen } })
      .expect(403);
    expect(other.body.code).toBe('AUDIENCE_OUT_OF_SCOPE');
  });

  it('teachers register and attend; credits go to their own ledger, never to a household; the coordinator sees hours per teacher', async () => {
    // A class teacher of 初一(1)班 who is also the parent of a child there.
    const family = await newFamily(ctx, places.class1);
    const teacher = family.guardians[0];
    await ctx.query(
      `insert into role_assignments (user_id, role, scope_type, scope_id, title) values ('${teacher.id}', 'teacher', 'class', '${places.class1}', '语文老师')`,
    );
    const colleague = await newUser(ctx, '测试同事');
    await ctx.query(
      `insert into role_assignments (user_id, role, scope_type, scope_id) values ('${colleague.id}', 'teacher', 'class', '${places.class1}')`,
    );

    const startsAt = minutesFromNow(24 * 60);
    const lecture = await createLecture(ctx, coordinator, places.wf7, {
      title: '与家长沟通的技巧',
      series: 'teacher_training',
      audience: { scope: 'teachers', schoolId: places.wf7 },
      startsAt,
      endsAt: new Date(startsAt.getTime() + HOUR),
      creditHours: 1,
    });
    const token = await ctx.login(teacher.phone);
    const mine = await ctx.parent().get('/me/teacher-training').set(auth(token)).expect(200);
    expect(mine.body).toMatchObject({ earnedHours: 0, entries: [] });
    expect(mine.body.lectures.map((l: { id: string }) => l.id)).toContain(lecture.id);
    expect((await ctx.parent().post(`/lectures/${lecture.id}/registrations`).set(auth(token)).expect(200)).body.status).toBe('registered');

    // Parents are not the audience; a teacher training is not on their list.
    const parent = await ctx.login('13900000004');
    expect((await ctx.parent().post(`/lectures/${lecture.id}/registrations`).set(auth(parent)).expect(404)).body.code).toBe(
      'LECTURE_NOT_FOUND',
    );
    expect((await ctx.parent().get('/lectures').set(auth(parent)).expect(200)).body.items.map((l: { id: string }) => l.id)).not.toContain(
      lecture.id,
    );
    expect((await ctx.parent().get('/me/teacher-training').set(auth(parent)).expect(200)).body.lectures).toEqual([]);

    // The session runs now; the teacher scans in and out.
    await setTimes(ctx, lecture.id, new Date(Date.now() - 55 * MINUTE), new Date(Date.now() + 5 * MINUTE));
    const code = (await ctx.admin().get(`/lectures/${lecture.id}/check-in-code`).set(auth(coordinator)).expect(200)).body.token as string;
    await ctx.parent().post(`/lectures/${lecture.id}/check-in`).set(auth(token)).send({ token: code }).expect(200);
    const out = await ctx.parent().post(`/lectures/${lecture.id}/check-out`).set(auth(token)).send({ token: code }).expect(200);
    expect(out.body.credited).toBe(1);

    const after = await ctx.parent().get('/me/teacher-training').set(auth(token)).expect(200);
    expect(after.body).toMatchObject({
      earnedHours: 1,
      entries: [expect.objectContaining({ lectureId: lecture.id, kind: 'credit', hours: 1, source: 'offline', title: '与家长沟通的技巧' })],
    });
    // Separate from the parents' 8 hours: the teacher's own child earned nothing from it.
    const household = await ctx.parent().get('/me/course-hours').set(auth(token)).expect(200);
    expect(household.body.households).toEqual([expect.objectContaining({ studentId: family.studentId, earnedHours: 0 })]);

    const report = await ctx.admin().get('/reports/teacher-training').set(auth(coordinator)).expect(200);
    expect(report.body).toMatchObject({ schoolId: places.wf7, schoolName: '潍坊七中' });
    expect(report.body.items).toContainEqual({ userId: teacher.id, name: teacher.name, roles: ['teacher'], earnedHours: 1, sessions: 1 });
    expect(report.body.items).toContainEqual({ userId: colleague.id, name: '测试同事', roles: ['teacher'], earnedHours: 0, sessions: 0 });
    expect(report.body.teachers).toBeGreaterThanOrEqual(3);
    expect(report.body.trained).toBeGreaterThanOrEqual(1);

    // Another school's coordinator, a class teacher, a parent: refused; a bad id is named.
    const beichen = await ctx.login('13900000067', 'admin');
    expect((await ctx.admin().get(`/reports/teacher-training?schoolId=${places.wf7}`).set(auth(beichen)).expect(403)).body.code).toBe(
      'FORBIDDEN',
    );
    expect((await ctx.admin().get('/reports/teacher-training?schoolId=x').set(auth(coordinator)).expect(400)).body.errors[0].field).toBe(
      'schoolId',
    );
    expect((await ctx.admin().get('/reports/teacher-training').set(auth(parent)).expect(403)).body.code).toBe('ADMIN_ROLE_REQUIRED');
    const city = await ctx.login('13900000000', 'admin');
    expect((await ctx.admin().get('/reports/teacher-training').set(auth(city)).expect(400)).body.errors[0].field).toBe('schoolId');
    expect(
      (await ctx.admin().get(`/reports/teacher-training?schoolId=${places.wf7}`).set(auth(city)).expect(200)).body.items,
    ).toContainEqual(expect.objectContaining({ userId: teacher.id, earnedHours: 1 }));
  });
});
