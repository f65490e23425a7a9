import { schoolYearOf } from '@jiaxiao/common';
import { createTestContext, TestContext } from './support/harness';
import { auth, createLecture, demoPlaces, DemoPlaces, Guardian, HOUR, LectureBody, minutesFromNow, newFamily } from './support/courses';

interface ClassRow {
  classId: string;
  className: string;
  households: number;
  compliant: number;
  averageHours: number;
}

type Family = { studentId: string; guardians: Guardian[] };

/**
 * Course-hour reports over a school's changes (issue #14): a student who leaves no longer counts
 * (class report, school summary, follow-up); after the rollover, last year's class report still
 * answers for last year's members, this year's for the classes they moved into, and a graduated
 * class is not followed up.
 */
describe('course-hour reports after leaving and the rollover (admin-api + parent-api)', () => {
  let ctx: TestContext;
  let places: DemoPlaces;
  let coordinator: string;
  let districtAdmin: string;
  const current = schoolYearOf(new Date());
  const next = `${Number(current.slice(0, 4)) + 1}-${Number(current.slice(0, 4)) + 2}`;

  const newLectures = async (token: string, schoolId: string, count: number): Promise<LectureBody[]> => {
    const made: LectureBody[] = [];
    for (let i = 0; i < count; i++) {
      const startsAt = minutesFromNow((i + 1) * 24 * 60);
      made.push(
        await createLecture(ctx, token, schoolId, { startsAt, endsAt: new Date(startsAt.getTime() + 2 * HOUR), series: 'school_course' }),
      );
    }
    return made;
  };
  const credit = async (token: string, lectures: LectureBody[], guardian: Guardian) => {
    for (const lecture of lectures) {
      await ctx
        .admin()
        .post(`/lectures/${lecture.id}/attendance`)
        .set(auth(token))
        .send({ phone: guardian.phone, reason: '纸质签到表补录' })
        .expect(200);
    }
  };
  const classReport = async (token: string, schoolId: string, year = current): Promise<ClassRow[]> =>
    (await ctx.admin().get(`/reports/course-hours?schoolId=${schoolId}&schoolYear=${year}`).set(auth(token)).expect(200)).body
      .classes as ClassRow[];
  const summarySchool = async (token: string, schoolId: string, year = current) =>
    (
      (await ctx.admin().get(`/reports/course-hours/summary?schoolYear=${year}`).set(auth(token)).expect(200)).body.schools as {
        schoolId: string;
        households: number;
        compliant: number;
      }[]
    ).find((s) => s.schoolId === schoolId);
  const followUp = async (token: string, classId: string, year = current) =>
    (
      (await ctx.admin().get(`/reports/course-hours/classes/${classId}?schoolYear=${year}`).set(auth(token)).expect(200)).body
        .households as { studentId: string }[]
    ).map((h) => h.studentId);

  beforeAll(async () => {
    ctx = await createTestContext({ apps: ['parent', 'admin'] });
    places = await demoPlaces(ctx);
    [coordinator, districtAdmin] = await Promise.all(['13900000001', '13900000006'].map((phone) => ctx.login(phone, 'admin')));
  });
  afterAll(() => ctx?.close());

  it('leaves a student who has left out of the class report, the school summary and the follow-up', async () => {
    const lectures = await newLectures(coordinator, places.wf7, 4);
    const created = await ctx
      .admin()
      .post(`/schools/${places.wf7}/classes`)
      .set(auth(coordinator))
      .send({ grade: 7, name: '离校测试班' })
      .expect(201);
    const classId = created.body.id as string;
    const [stays, leaves, behind] = [
      await newFamily(ctx, classId, 1, '留下'),
      await newFamily(ctx, classId, 1, '离开'),
      await newFamily(ctx, classId, 1, '未完成'),
    ];
    await credit(coordinator, lectures, stays.guardians[0]);
    await credit(coordinator, lectures.slice(0, 2), leaves.guardians[0]);
    const before = (await classReport(coordinator, places.wf7)).find((c) => c.classId === classId);
    expect(before).toMatchObject({ households: 3, compliant: 1, averageHours: 4 });
    expect((await followUp(coordinator, classId)).sort()).toEqual([leaves.studentId, behind.studentId].sort());
    const schoolBefore = await summarySchool(districtAdmin, places.wf7);

    await ctx.admin().post(`/students/${leaves.studentId}/leave`).set(auth(coordinator)).send({ reason: '转学' }).expect(200);

    expect((await classReport(coordinator, places.wf7)).find((c) => c.classId === classId)).toMatchObject({
      households: 2,
      compliant: 1,
      averageHours: 4,
    });
    expect(await followUp(coordinator, classId)).toEqual([behind.studentId]);
    expect(await summarySchool(districtAdmin, places.wf7)).toMatchObject({
      households: schoolBefore!.households - 1,
      compliant: schoolBefore!.compliant,
    });
    // The hours stay in the ledger.
    expect(await ctx.query(`select earned_hours::float as h from household_progress where student_id = '${leaves.studentId}'`)).toEqual([
      { h: 4 },
    ]);
  });

  it('answers last year’s class report for last year’s members after the rollover, and does not follow up graduates', async () => {
    await ctx
      .admin()
      .post('/school-years')
      .set(auth(await ctx.login('13900000000', 'admin')))
      .send({ name: next })
      .expect(201);
    const school = await ctx
      .admin()
      .post(`/districts/${places.kuiwen}/schools`)
      .set(auth(districtAdmin))
      .send({ name: '奎文历史中学', type: 'junior' })
      .expect(201);
    const schoolId = school.body.id as string;
    const newClass = async (grade: number, name: string) =>
      (await ctx.admin().post(`/schools/${schoolId}/classes`).set(auth(districtAdmin)).send({ grade, name }).expect(201)).body.id as string;
    const [first, last] = [await newClass(7, '初一(1)班'), await newClass(9, '初三(1)班')];
    const families: Family[] = [await newFamily(ctx, first, 1, '升级甲'), await newFamily(ctx, first, 1, '升级乙')];
    const graduate = await newFamily(ctx, last, 1, '毕业');
    const lectures = await newLectures(districtAdmin, schoolId, 4);
    await credit(districtAdmin, lectures, families[0].guardians[0]);
    await credit(districtAdmin, lectures.slice(0, 1), graduate.guardians[0]);
    const lastYear = await classReport(districtAdmin, schoolId);
    expect(lastYear.map((c) => [c.className, c.households, c.compliant, c.averageHours])).toEqual([
      ['初一(1)班', 2, 1, 4],
      ['初三(1)班', 1, 0, 2],
    ]);

    const rollover = await ctx
      .admin()
      .post(`/schools/${schoolId}/rollover`)
      .set(auth(districtAdmin))
      .send({ fromYear: current, toYear: next })
      .expect(200);
    const moved = (rollover.body.promoted as { from: string; toClassId: string }[]).find((p) => p.from === '初一(1)班')!;

    // Last year's report answers as it did: the same members, hours and rates.
    expect(await classReport(districtAdmin, schoolId)).toEqual(lastYear);
    expect(await summarySchool(districtAdmin, schoolId)).toMatchObject({ households: 3, compliant: 1 });
    expect(await followUp(districtAdmin, first)).toEqual([families[1].studentId]);
    // Graduates are not followed up.
    expect(await followUp(districtAdmin, last)).toEqual([]);
    // This year: the class they moved into, with this year's hours (none yet); the graduate is not counted.
    expect((await classReport(districtAdmin, schoolId, next)).map((c) => [c.classId, c.households, c.compliant, c.averageHours])).toEqual([
      [moved.toClassId, 2, 0, 0],
    ]);
    expect(await summarySchool(districtAdmin, schoolId, next)).toMatchObject({ households: 2, compliant: 0 });
    expect((await followUp(districtAdmin, moved.toClassId, next)).sort()).toEqual(families.map((f) => f.studentId).sort());
  });
});
