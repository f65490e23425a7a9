import { Queue } from 'bullmq';
import ExcelJS from 'exceljs';
import { maskPhone, QUEUES } from '@jiaxiao/common';
import { createTestContext, TestContext } from './support/harness';
import {
  auth,
  binary,
  createLecture,
  DemoPlaces,
  demoPlaces,
  eventually,
  Guardian,
  HOUR,
  LectureBody,
  minutesFromNow,
  newCoordinator,
  newFamily,
  newUser,
} from './support/courses';

interface ClassRow {
  classId: string;
  className: string;
  grade: number;
  households: number;
  compliant: number;
  rate: number;
  averageHours: number;
}

interface SchoolRow {
  schoolId: string;
  schoolName: string;
  districtId: string;
  districtName: string;
  households: number;
  compliant: number;
  rate: number;
}

interface Household {
  studentId: string;
  studentName: string;
  requiredHours: number;
  earnedHours: number;
  compliant: boolean;
  entries: { lectureId: string; hours: number }[];
  nextSessions: LectureBody[];
}

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/**
 * Compliance reports, progress and certificates. The fixture is a class of its own at 潍坊七中
 * with three households — 8 h (both parents, one attended), 4 h, nothing — so the numbers are
 * hand-computed: 3 households, 1 compliant (rate 0.3333), 4 hours on average.
 */
describe('course hours: progress, certificates, reports and exports (parent-api + admin-api + worker)', () => {
  let ctx: TestContext;
  let places: DemoPlaces;
  let coordinator: string;
  let cityAdmin: string;
  let districtAdmin: string;
  let teacher: string;
  let otherCoordinator: string;
  /** four published 2-hour lectures of 潍坊七中 */
  let sessions: LectureBody[];
  let fixture: {
    classId: string;
    full: { studentId: string; guardians: Guardian[] };
    half: { studentId: string; guardians: Guardian[] };
    none: { studentId: string; guardians: Guardian[] };
  };

  const credit = async (phone: string, count: number) => {
    for (const lecture of sessions.slice(0, count)) {
      await ctx
        .admin()
        .post(`/lectures/${lecture.id}/attendance`)
        .set(auth(coordinator))
        .send({ phone, reason: '纸质签到表补录' })
        .expect(200);
    }
  };
  const report = async (token: string, query = '') =>
    (await ctx.admin().get(`/reports/course-hours${query}`).set(auth(token)).expect(200)).body as { classes: ClassRow[] } & Omit<
      ClassRow,
      'classId' | 'className' | 'grade' | 'averageHours'
    > &
      Record<string, unknown>;
  const courseHours = async (phone: string, query = ''): Promise<Household[]> =>
    (
      await ctx
        .parent()
        .get(`/me/course-hours${query}`)
        .set(auth(await ctx.login(phone)))
        .expect(200)
    ).body.households as Household[];

  beforeAll(async () => {
    ctx = await createTestContext({ apps: ['parent', 'admin', 'worker'] });
    places = await demoPlaces(ctx);
    [coordinator, cityAdmin, districtAdmin, teacher] = await Promise.all(
      ['13900000001', '13900000000', '13900000006', '13900000002'].map((phone) => ctx.login(phone, 'admin')),
    );
    otherCoordinator = await ctx.login((await newCoordinator(ctx, places.guangwen)).phone, 'admin');
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
    const created = await ctx
      .admin()
      .post(`/schools/${places.wf7}/classes`)
      .set(auth(coordinator))
      .send({ grade: 7, name: '报表测试班' })
      .expect(201);
    const classId = created.body.id as string;
    fixture = {
      classId,
      full: await newFamily(ctx, classId, 2, '全勤'),
      half: await newFamily(ctx, classId, 1, '过半'),
      none: await newFamily(ctx, classId, 1, '未参加'),
    };
    await credit(fixture.full.guardians[0].phone, 4);
    await credit(fixture.half.guardians[0].phone, 2);
  });
  afterAll(() => ctx?.close());

  describe('GET /reports/course-hours', () => {
    it('defaults to the coordinator’s school and the current year, per class with households, compliant and rate', async () => {
      const body = await report(coordinator);
      expect(body).toMatchObject({ schoolId: places.wf7, schoolName: '潍坊七中', schoolYear: places.schoolYear, requiredHours: 8 });
      expect(body.classes.find((c) => c.classId === fixture.classId)).toEqual({
        classId: fixture.classId,
        className: '报表测试班',
        grade: 7,
        households: 3,
        compliant: 1,
        rate: 0.3333,
        averageHours: 4,
      });
      expect(body.households).toBe(body.classes.reduce((n, c) => n + c.households, 0));
      expect(body.compliant).toBe(body.classes.reduce((n, c) => n + c.compliant, 0));
      expect(body.rate).toBe(Math.round((body.compliant / body.households) * 10000) / 10000);
      const [{ n }] = await ctx.query<{ n: number }>(
        `select count(*)::int as n from students s join classes c on c.id = s.class_id where c.school_id = '${places.wf7}'`,
      );
      expect(body.households).toBe(n);
      expect(await report(coordinator, `?schoolId=${places.wf7}&schoolYear=${places.schoolYear}`)).toEqual(body);
    });

    it('keeps each caller to their area', async () => {
      expect(
        (await ctx.admin().get(`/reports/course-hours?schoolId=${places.guangwen}`).set(auth(coordinator)).expect(403)).body.code,
      ).toBe('FORBIDDEN');
      // The class teacher sees their own class only.
      const mine = await report(teacher);
      expect(mine.classes.map((c) => c.classId)).toEqual([places.class1]);
      // The 奎文区 bureau reads its schools, not 潍城区's.
      expect((await report(districtAdmin, `?schoolId=${places.wf7}`)).classes.map((c) => c.classId)).toContain(fixture.classId);
      await ctx.admin().get(`/reports/course-hours?schoolId=${places.beichen}`).set(auth(districtAdmin)).expect(403);
      await ctx.admin().get(`/reports/course-hours?schoolId=${places.beichen}`).set(auth(cityAdmin)).expect(200);
    });

    it('shows a teacher who is also another district’s bureau staff only their own class of this school', async () => {
      const user = await newUser(ctx, '兼任区县的老师');
      await ctx.query(
        `insert into role_assignments (user_id, role, scope_type, scope_id) values ('${user.id}', 'teacher', 'class', '${places.class1}'), ('${user.id}', 'district_admin', 'district', '${places.weicheng}')`,
      );
      const token = await ctx.login(user.phone, 'admin');
      expect((await report(token, `?schoolId=${places.wf7}`)).classes.map((c) => c.classId)).toEqual([places.class1]);
      // In the district they run, they see every class.
      expect((await report(token, `?schoolId=${places.beichen}`)).classes.length).toBeGreaterThan(0);
    });
  });

  describe('GET /reports/course-hours/summary', () => {
    it('gives the district bureau its own district, and the city bureau every district', async () => {
      const district = await ctx.admin().get('/reports/course-hours/summary').set(auth(districtAdmin)).expect(200);
      expect(district.body.districts.map((d: { districtName: string }) => d.districtName)).toEqual(['奎文区']);
      expect((district.body.schools as SchoolRow[]).map((s) => s.schoolName).sort()).toEqual(['广文中学', '潍坊七中'].sort());
      const wf7 = (district.body.schools as SchoolRow[]).find((s) => s.schoolId === places.wf7);
      const school = await report(coordinator);
      expect(wf7).toMatchObject({ households: school.households, compliant: school.compliant, rate: school.rate });
      expect(district.body.households).toBe((district.body.schools as SchoolRow[]).reduce((n, s) => n + s.households, 0));

      expect(
        (await ctx.admin().get(`/reports/course-hours/summary?districtId=${places.weicheng}`).set(auth(districtAdmin)).expect(403)).body
          .code,
      ).toBe('FORBIDDEN');
      await ctx.admin().get('/reports/course-hours/summary').set(auth(coordinator)).expect(403);

      const city = await ctx.admin().get('/reports/course-hours/summary').set(auth(cityAdmin)).expect(200);
      const names = city.body.districts.map((d: { districtName: string }) => d.districtName);
      expect(names).toEqual(expect.arrayContaining(['奎文区', '潍城区']));
      expect((city.body.schools as SchoolRow[]).find((s) => s.schoolId === places.wf7)).toEqual(wf7);
      const [{ n }] = await ctx.query<{ n: number }>('select count(*)::int as n from students');
      expect(city.body.households).toBe(n);
      expect(city.body.compliant).toBeGreaterThanOrEqual(1);
      const weicheng = await ctx
        .admin()
        .get(`/reports/course-hours/summary?districtId=${places.weicheng}`)
        .set(auth(cityAdmin))
        .expect(200);
      expect(weicheng.body.districts.map((d: { districtName: string }) => d.districtName)).toEqual(['潍城区']);
    });
  });

  describe('following up a class', () => {
    it('lists the households below the requirement with masked guardian phones', async () => {
      const res = await ctx.admin().get(`/reports/course-hours/classes/${fixture.classId}`).set(auth(coordinator)).expect(200);
      expect(res.body).toMatchObject({ classId: fixture.classId, schoolYear: places.schoolYear, requiredHours: 8 });
      const households = res.body.households as {
        studentId: string;
        earnedHours: number;
        missingHours: number;
        guardians: { userId: string; phone: string }[];
      }[];
      expect(households.map((h) => h.studentId).sort()).toEqual([fixture.half.studentId, fixture.none.studentId].sort());
      const half = households.find((h) => h.studentId === fixture.half.studentId);
      expect(half).toMatchObject({ earnedHours: 4, missingHours: 4 });
      expect(households.find((h) => h.studentId === fixture.none.studentId)).toMatchObject({ earnedHours: 0, missingHours: 8 });
      const guardian = fixture.half.guardians[0];
      expect(half?.guardians).toEqual([expect.objectContaining({ userId: guardian.id, phone: maskPhone(guardian.phone) })]);
      expect(half?.guardians[0].phone).toMatch(/^1\d{2}\*{4}\d{4}$/);
      expect(JSON.stringify(res.body)).not.toContain(guardian.phone);

      await ctx.admin().get(`/reports/course-hours/classes/${fixture.classId}`).set(auth(teacher)).expect(403);
      await ctx.admin().get(`/reports/course-hours/classes/${fixture.classId}`).set(auth(otherCoordinator)).expect(403);
      await ctx.admin().get(`/reports/course-hours/classes/${places.class1}`).set(auth(teacher)).expect(200);
    });

    it('“提醒未完成” notifies the guardians of those households, once a day', async () => {
      await ctx.admin().post(`/reports/course-hours/classes/${fixture.classId}/reminders`).set(auth(otherCoordinator)).expect(403);
      const res = await ctx.admin().post(`/reports/course-hours/classes/${fixture.classId}/reminders`).set(auth(coordinator)).expect(202);
      expect(res.body).toEqual({ reminded: 2 });
      const rows = await ctx.query<{ user_id: string }>(
        `select user_id::text from notifications where kind = 'course.remind' and data ->> 'classId' = '${fixture.classId}' order by user_id`,
      );
      expect(rows.map((r) => r.user_id)).toEqual([fixture.half.guardians[0].id, fixture.none.guardians[0].id].sort());
      const inbox = await ctx
        .parent()
        .get('/notifications')
        .set(auth(await ctx.login(fixture.none.guardians[0].phone)))
        .expect(200);
      expect(inbox.body.items).toEqual([expect.objectContaining({ kind: 'course.remind', body: expect.stringContaining('还差 8 学时') })]);

      expect(
        (await ctx.admin().post(`/reports/course-hours/classes/${fixture.classId}/reminders`).set(auth(coordinator)).expect(202)).body,
      ).toEqual({ reminded: 0 });
      const audits = await ctx.query<{ detail: { reminded: number } }>(
        `select detail from audit_log where action = 'course.reminded' and target_id = '${fixture.classId}' order by created_at`,
      );
      expect(audits.map((a) => a.detail.reminded)).toEqual([2, 0]);
    });
  });

  describe('exports', () => {
    it('builds the workbook in the worker with progress, for the one who asked', async () => {
      expect(
        (await ctx.admin().post('/reports/course-hours/exports').set(auth(coordinator)).send({ schoolId: places.guangwen }).expect(403))
          .body.code,
      ).toBe('FORBIDDEN');
      const requested = await ctx
        .admin()
        .post('/reports/course-hours/exports')
        .set(auth(coordinator))
        .send({ schoolId: places.wf7 })
        .expect(201);
      expect(['queued', 'running', 'succeeded']).toContain(requested.body.status);
      const id = requested.body.id as string;

      const done = await eventually(async () => {
        const res = await ctx.admin().get(`/reports/exports/${id}`).set(auth(coordinator)).expect(200);
        expect(res.body.status).toBe('succeeded');
        return res.body;
      });
      expect(done).toEqual({
        id,
        status: 'succeeded',
        progress: 100,
        fileName: `家庭教育课程完成情况-${places.schoolYear}.xlsx`,
        downloadUrl: `/reports/exports/${id}/file`,
      });
      await ctx.admin().get(`/reports/exports/${id}`).set(auth(cityAdmin)).expect(403);
      await ctx.admin().get(`/reports/exports/${id}/file`).set(auth(cityAdmin)).expect(403);

      const file = await ctx.admin().get(`/reports/exports/${id}/file`).set(auth(coordinator)).buffer(true).parse(binary).expect(200);
      expect(file.headers['content-type']).toBe(XLSX_TYPE);
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(file.body as unknown as ArrayBuffer);
      expect(workbook.worksheets.map((s) => s.name)).toEqual(['学校汇总', '未完成家庭']);
      const school = await report(coordinator);
      const summary = workbook.getWorksheet('学校汇总');
      expect(summary?.getRow(1).values).toEqual([undefined, '区县', '学校', '家庭数', '已完成', '完成率', '平均学时']);
      expect((summary?.getRow(2).values as unknown[]).slice(1, 6)).toEqual([
        '奎文区',
        '潍坊七中',
        school.households,
        school.compliant,
        school.rate,
      ]);
      expect(summary?.rowCount).toBe(2);

      const follow = workbook.getWorksheet('未完成家庭');
      const rows: unknown[][] = [];
      follow?.eachRow((row, index) => {
        if (index > 1) rows.push((row.values as unknown[]).slice(1));
      });
      const ofFixture = rows.filter((r) => r[1] === '报表测试班');
      expect(ofFixture.map((r) => [r[3], r[5]]).sort()).toEqual(
        [
          [4, maskPhone(fixture.half.guardians[0].phone)],
          [0, maskPhone(fixture.none.guardians[0].phone)],
        ].sort(),
      );
      expect(rows).toHaveLength(school.households - school.compliant);
      const [audit] = await ctx.query<{ actor_id: string }>(
        `select actor_id::text from audit_log where action = 'report.exported' and target_id = '${id}'`,
      );
      expect(audit).toBeDefined();
    });

    it('keeps a district bureau’s export to its district', async () => {
      const requested = await ctx.admin().post('/reports/course-hours/exports').set(auth(districtAdmin)).send({}).expect(201);
      const id = requested.body.id as string;
      await eventually(async () =>
        expect((await ctx.admin().get(`/reports/exports/${id}`).set(auth(districtAdmin)).expect(200)).body.status).toBe('succeeded'),
      );
      const file = await ctx.admin().get(`/reports/exports/${id}/file`).set(auth(districtAdmin)).buffer(true).parse(binary).expect(200);
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(file.body as unknown as ArrayBuffer);
      const districts = new Set<unknown>();
      workbook.getWorksheet('学校汇总')?.eachRow((row, index) => {
        if (index > 1) districts.add(row.getCell(1).value);
      });
      expect([...districts]).toEqual(['奎文区']);
      await ctx.admin().post('/reports/course-hours/exports').set(auth(districtAdmin)).send({ districtId: places.weicheng }).expect(403);
    });
  });

  describe('a failed export', () => {
    it('is marked failed once the worker gives up, instead of running for ever', async () => {
      const queue = new Queue(QUEUES.courses, { connection: { url: ctx.config.REDIS_URL }, prefix: `${ctx.config.REDIS_PREFIX}:bull` });
      try {
        const [{ id: requestedBy }] = await ctx.query<{ id: string }>("select id::text from users where phone = '13900000000'");
        // An export of a school year that does not exist cannot be built.
        const [{ id }] = await ctx.query<{ id: string }>(
          `insert into report_exports (requested_by, params, status) values ('${requestedBy}', '{"schoolYear": "1999-2000"}', 'queued') returning id::text`,
        );
        await queue.add('report.export', { exportId: id }, { jobId: `export-${id}`, attempts: 2 });
        const failed = await eventually(async () => {
          const res = await ctx.admin().get(`/reports/exports/${id}`).set(auth(cityAdmin)).expect(200);
          expect(res.body.status).toBe('failed');
          return res.body;
        });
        expect(failed).toMatchObject({ id, status: 'failed', downloadUrl: null });
        expect((await ctx.admin().get(`/reports/exports/${id}/file`).set(auth(cityAdmin)).expect(409)).body.code).toBe('EXPORT_NOT_READY');
      } finally {
        await queue.close();
      }
    });
  });

  describe('a family’s progress', () => {
    it('shows one household per child and issues the certificate once 8 hours are reached', async () => {
      const family = await newFamily(ctx, places.class1, 1, '证书');
      const phone = family.guardians[0].phone;
      const token = await ctx.login(phone);
      const certificate = () => ctx.parent().get(`/me/course-hours/certificate?studentId=${family.studentId}`).set(auth(token));

      const before = await ctx.parent().get('/me/course-hours').set(auth(token)).expect(200);
      expect(before.body.schoolYear).toBe(places.schoolYear);
      const [household] = before.body.households as Household[];
      expect(before.body.households).toHaveLength(1);
      expect(household).toMatchObject({ studentId: family.studentId, requiredHours: 8, earnedHours: 0, compliant: false, entries: [] });
      expect(household.nextSessions.map((l) => l.id)).toEqual(expect.arrayContaining(sessions.map((s) => s.id)));
      // Each upcoming session shows how many have registered (this guardian did for the first).
      await ctx.parent().post(`/lectures/${sessions[0].id}/registrations`).set(auth(token)).expect(200);
      const [withRegistration] = await courseHours(phone);
      expect(withRegistration.nextSessions.find((l) => l.id === sessions[0].id)?.registered).toBe(1);
      const refused = await certificate().expect(409);
      expect(refused.body).toEqual({ statusCode: 409, code: 'NOT_COMPLIANT', message: '尚未完成 8 学时，暂不能生成结业证书' });

      await credit(phone, 3);
      expect((await courseHours(phone))[0]).toMatchObject({ earnedHours: 6, compliant: false });
      await certificate().expect(409);
      await credit(phone, 4);
      const [after] = await courseHours(phone);
      expect(after).toMatchObject({ earnedHours: 8, compliant: true });
      expect(after.entries.map((e) => e.lectureId).sort()).toEqual(sessions.map((s) => s.id).sort());
      for (const session of sessions) expect(after.nextSessions.map((l) => l.id)).not.toContain(session.id);

      const pdf = await certificate().buffer(true).parse(binary).expect(200);
      expect(pdf.headers['content-type']).toBe('application/pdf');
      expect(pdf.headers['content-disposition']).toContain(encodeURIComponent('结业证书'));
      expect((pdf.body as Buffer).subarray(0, 5).toString('latin1')).toBe('%PDF-');
      expect((pdf.body as Buffer).subarray(-6).toString('latin1')).toBe('%%EOF\n');
      const png = await ctx
        .parent()
        .get(`/me/course-hours/certificate?studentId=${family.studentId}&format=png`)
        .set(auth(token))
        .buffer(true)
        .parse(binary)
        .expect(200);
      expect(png.headers['content-type']).toBe('image/png');
      expect((png.body as Buffer).subarray(1, 4).toString('latin1')).toBe('PNG');

      // Not for someone else's child, and not without a proper id.
      const [other] = await ctx.query<{ id: string }>(
        "select s.id::text from students s join guardianships g on g.student_id = s.id join users u on u.id = g.user_id where u.phone = '13900000005'",
      );
      expect((await ctx.parent().get(`/me/course-hours/certificate?studentId=${other.id}`).set(auth(token)).expect(404)).body.code).toBe(
        'STUDENT_NOT_FOUND',
      );
      expect((await ctx.parent().get('/me/course-hours/certificate?studentId=nope').set(auth(token)).expect(400)).body.code).toBe(
        'VALIDATION_FAILED',
      );
      // Another year starts from nothing.
      const [previous] = await ctx.query<{ name: string }>(
        `select name from school_years where name < '${places.schoolYear}' order by name desc limit 1`,
      );
      expect((await courseHours(phone, `?schoolYear=${previous.name}`))[0]).toMatchObject({ earnedHours: 0, compliant: false });
    });
  });

  describe('the bureau’s requirement', () => {
    it('is set city-wide by the city bureau only, and progress and reports follow it', async () => {
      expect(
        (
          await ctx
            .admin()
            .put('/course-requirements')
            .set(auth(coordinator))
            .send({ schoolYear: places.schoolYear, requiredHours: 4 })
            .expect(403)
        ).body.code,
      ).toBe('FORBIDDEN');
      await ctx
        .admin()
        .put('/course-requirements')
        .set(auth(districtAdmin))
        .send({ schoolYear: places.schoolYear, requiredHours: 4 })
        .expect(403);
      expect(
        (
          await ctx
            .admin()
            .put('/course-requirements')
            .set(auth(cityAdmin))
            .send({ schoolYear: places.schoolYear, requiredHours: 0 })
            .expect(400)
        ).body.code,
      ).toBe('VALIDATION_FAILED');
      try {
        const res = await ctx
          .admin()
          .put('/course-requirements')
          .set(auth(cityAdmin))
          .send({ schoolYear: places.schoolYear, requiredHours: 4 })
          .expect(200);
        expect(res.body).toEqual({ schoolYear: places.schoolYear, requiredHours: 4 });
        const body = await report(coordinator);
        expect(body.requiredHours).toBe(4);
        expect(body.classes.find((c) => c.classId === fixture.classId)).toMatchObject({ households: 3, compliant: 2, rate: 0.6667 });
        expect((await courseHours(fixture.half.guardians[0].phone))[0]).toMatchObject({
          requiredHours: 4,
          earnedHours: 4,
          compliant: true,
        });
        const followUp = await ctx.admin().get(`/reports/course-hours/classes/${fixture.classId}`).set(auth(coordinator)).expect(200);
        expect(followUp.body.households.map((h: { studentId: string }) => h.studentId)).toEqual([fixture.none.studentId]);
        const plan = await ctx.admin().get(`/schools/${places.wf7}/course-plan`).set(auth(coordinator)).expect(200);
        expect(plan.body).toMatchObject({ requiredHours: 4, plannedHours: 8, meetsRequirement: true });
      } finally {
        await ctx
          .admin()
          .put('/course-requirements')
          .set(auth(cityAdmin))
          .send({ schoolYear: places.schoolYear, requiredHours: 8 })
          .expect(200);
      }
      expect((await report(coordinator)).requiredHours).toBe(8);
    });
  });
});
