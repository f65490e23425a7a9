import { issueToken } from '@jiaxiao/courses';
import { createTestContext, TestContext } from './support/harness';
import { auth, createLecture, DemoPlaces, demoPlaces, HOUR, MINUTE, minutesFromNow, newCoordinator, newFamily } from './support/courses';

interface AttendanceBody {
  credited: number;
  checkedInAt: string | null;
  checkedOutAt: string | null;
  noCreditReason: string | null;
  noCreditMessage: string | null;
}

/** Credit that can be trusted: hours within the session, drafts outside the plan total, real presence, and a report that flags proxies. */
describe('attendance that can be trusted (admin-api + parent-api)', () => {
  let ctx: TestContext;
  let places: DemoPlaces;
  let coordinator: string;
  let cityAdmin: string;

  const venue = async (lectureId: string) => {
    const [{ secret }] = await ctx.query<{ secret: string }>(`select checkin_secret as secret from lectures where id = '${lectureId}'`);
    return issueToken(secret, lectureId, new Date()).token;
  };
  /** A scan of the venue code; answers the response after checking its status. */
  const scan = async (
    kind: 'check-in' | 'check-out',
    token: string,
    lectureId: string,
    status = 200,
    extra: Record<string, string> = {},
    userAgent = 'jest',
  ) =>
    ctx
      .parent()
      .post(`/lectures/${lectureId}/${kind}`)
      .set(auth(token))
      .set('User-Agent', userAgent)
      .send({ token: await venue(lectureId), ...extra })
      .expect(status);

  /** An offline lecture of `minutes` that started `startedMinutesAgo` ago, with the platform's presence rule unless given. */
  async function lectureRunning(
    minutes: number,
    startedMinutesAgo: number,
    rule: { lateCheckinMinutes?: number | null; minPresencePercent?: number | null } = {},
  ) {
    const future = minutesFromNow(24 * 60);
    const lecture = await createLecture(ctx, coordinator, places.wf7, {
      startsAt: future,
      endsAt: new Date(future.getTime() + minutes * MINUTE),
      creditHours: Math.floor(minutes / 30) / 2,
      lateCheckinMinutes: rule.lateCheckinMinutes ?? null,
      minPresencePercent: rule.minPresencePercent ?? null,
    });
    const start = new Date(Date.now() - startedMinutesAgo * MINUTE);
    await ctx.query(
      `update lectures set starts_at = '${start.toISOString()}', ends_at = '${new Date(start.getTime() + minutes * MINUTE).toISOString()}' where id = '${lecture.id}'`,
    );
    return lecture.id;
  }

  /** The clock moves on by `minutes`: the lecture and the scans already made move back together. */
  async function passTime(lectureId: string, minutes: number) {
    const shift = `interval '${minutes} minutes'`;
    await ctx.query(`update lectures set starts_at = starts_at - ${shift}, ends_at = ends_at - ${shift} where id = '${lectureId}'`);
    await ctx.query(
      `update attendance set checked_in_at = checked_in_at - ${shift}, checked_out_at = checked_out_at - ${shift} where lecture_id = '${lectureId}'`,
    );
  }

  async function parent() {
    const family = await newFamily(ctx, places.class1);
    return { ...family.guardians[0], studentId: family.studentId, token: await ctx.login(family.guardians[0].phone) };
  }

  const ledger = async (lectureId: string, guardianId: string) =>
    ctx.query<{ hours: string }>(`select hours::text from hour_ledger where lecture_id = '${lectureId}' and guardian_id = '${guardianId}'`);

  beforeAll(async () => {
    ctx = await createTestContext({ apps: ['parent', 'admin'] });
    places = await demoPlaces(ctx);
    coordinator = await ctx.login('13900000001', 'admin');
    cityAdmin = await ctx.login('13900000000', 'admin');
  });
  afterAll(() => ctx?.close());

  describe('credit hours and the session', () => {
    it('refuses more credit hours than the session lasts, at creation and when the time is shortened', async () => {
      const startsAt = minutesFromNow(3 * 24 * 60);
      const body = {
        series: 'parents_forum',
        title: '时长校验',
        audience: { scope: 'school', schoolId: places.wf7 },
        mode: 'offline',
        startsAt: startsAt.toISOString(),
      };
      const long = await ctx
        .admin()
        .post('/lectures')
        .set(auth(coordinator))
        .send({ ...body, endsAt: new Date(startsAt.getTime() + 90 * MINUTE).toISOString(), creditHours: 2 })
        .expect(400);
      expect(long.body.code).toBe('VALIDATION_FAILED');
      expect(long.body.errors).toEqual([{ field: 'creditHours', message: expect.stringContaining('1.5') }]);
      const fits = await ctx
        .admin()
        .post('/lectures')
        .set(auth(coordinator))
        .send({ ...body, endsAt: new Date(startsAt.getTime() + 90 * MINUTE).toISOString(), creditHours: 1.5 })
        .expect(201);

      const shorter = await ctx
        .admin()
        .patch(`/lectures/${fits.body.id}`)
        .set(auth(coordinator))
        .send({ endsAt: new Date(startsAt.getTime() + HOUR).toISOString() })
        .expect(400);
      expect(shorter.body.errors).toEqual([{ field: 'creditHours', message: expect.any(String) }]);
      const [{ ends }] = await ctx.query<{ ends: string }>(`select ends_at::text as ends from lectures where id = '${fits.body.id}'`);
      expect(Date.parse(ends)).toBe(startsAt.getTime() + 90 * MINUTE);
    });

    it('refuses a presence rule out of range, by field', async () => {
      const startsAt = minutesFromNow(3 * 24 * 60);
      const res = await ctx
        .admin()
        .post('/lectures')
        .set(auth(coordinator))
        .send({
          series: 'parents_forum',
          title: '规则校验',
          audience: { scope: 'school', schoolId: places.wf7 },
          mode: 'offline',
          startsAt: startsAt.toISOString(),
          endsAt: new Date(startsAt.getTime() + 2 * HOUR).toISOString(),
          creditHours: 2,
          lateCheckinMinutes: 500,
          minPresencePercent: 101,
        })
        .expect(400);
      expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['lateCheckinMinutes', 'minPresencePercent']);
    });

    it('counts only published sessions toward a plan: a draft adds nothing until it is published', async () => {
      const plan = await ctx.admin().post(`/schools/${places.guangwen}/course-plan`).set(auth(cityAdmin)).send({}).expect(201);
      expect(plan.body.plannedHours).toBe(0);
      const startsAt = minutesFromNow(40 * 24 * 60);
      const draft = await createLecture(
        ctx,
        cityAdmin,
        places.guangwen,
        {
          startsAt,
          endsAt: new Date(startsAt.getTime() + 2 * HOUR),
          planId: plan.body.id,
          series: 'school_course',
          audience: { scope: 'school', schoolId: places.guangwen },
        },
        false,
      );
      const withDraft = await ctx.admin().get(`/schools/${places.guangwen}/course-plan`).set(auth(cityAdmin)).expect(200);
      expect(withDraft.body).toMatchObject({ plannedHours: 0, meetsRequirement: false });
      expect(withDraft.body.sessions.map((s: { id: string }) => s.id)).toEqual([draft.id]);
      await ctx.admin().post(`/lectures/${draft.id}/publish`).set(auth(cityAdmin)).expect(200);
      expect((await ctx.admin().get(`/schools/${places.guangwen}/course-plan`).set(auth(cityAdmin)).expect(200)).body.plannedHours).toBe(2);
    });
  });

  describe('offline presence (platform default: check in within 15 minutes, present for 80%)', () => {
    it('credits a parent who came on time and stayed', async () => {
      const lectureId = await lectureRunning(120, 5);
      const who = await parent();
      const checkIn = await scan('check-in', who.token, lectureId);
      expect(checkIn.body).toMatchObject({ credited: 0, noCreditReason: null });
      await passTime(lectureId, 110);
      const out = await scan('check-out', who.token, lectureId);
      expect(out.body).toMatchObject({ credited: 2, noCreditReason: null, noCreditMessage: null });
      expect(await ledger(lectureId, who.id)).toEqual([{ hours: '2.0' }]);
    });

    it('records a late check-in without credit, says so at check-in and at check-out, and a second scan changes nothing', async () => {
      const lectureId = await lectureRunning(120, 20);
      const who = await parent();
      const checkIn = (await scan('check-in', who.token, lectureId)).body as AttendanceBody;
      expect(checkIn).toMatchObject({ credited: 0, noCreditReason: 'ATTENDANCE_CHECKIN_TOO_LATE' });
      expect(checkIn.noCreditMessage).toContain('15 分钟');
      await passTime(lectureId, 95);
      const out = (await scan('check-out', who.token, lectureId)).body as AttendanceBody;
      expect(out).toMatchObject({ credited: 0, noCreditReason: 'ATTENDANCE_CHECKIN_TOO_LATE' });
      expect(out.checkedOutAt).not.toBeNull();
      const again = (await scan('check-out', who.token, lectureId)).body as AttendanceBody;
      expect(again).toMatchObject({ credited: 0, noCreditReason: 'ATTENDANCE_CHECKIN_TOO_LATE', checkedOutAt: out.checkedOutAt });
      expect(await ledger(lectureId, who.id)).toEqual([]);
    });

    it('refuses credit when the time between check-in and check-out is under 80% of the session', async () => {
      // A 1-hour session: in at minute 14 (on time), out at minute 50 — 36 of the 48 minutes needed.
      const lectureId = await lectureRunning(60, 14);
      const who = await parent();
      expect((await scan('check-in', who.token, lectureId)).body.noCreditReason).toBeNull();
      await passTime(lectureId, 36);
      const out = (await scan('check-out', who.token, lectureId)).body as AttendanceBody;
      expect(out).toMatchObject({ credited: 0, noCreditReason: 'ATTENDANCE_PRESENCE_TOO_SHORT' });
      expect(out.noCreditMessage).toContain('80%');
      expect(await ledger(lectureId, who.id)).toEqual([]);
    });

    it('follows a lecture’s own rule', async () => {
      const lectureId = await lectureRunning(120, 25, { lateCheckinMinutes: 30, minPresencePercent: 60 });
      const lecture = await ctx.admin().get(`/lectures/${lectureId}`).set(auth(coordinator)).expect(200);
      expect(lecture.body).toMatchObject({ lateCheckinMinutes: 30, minPresencePercent: 60 });
      const who = await parent();
      expect((await scan('check-in', who.token, lectureId)).body.noCreditReason).toBeNull();
      await passTime(lectureId, 90);
      expect((await scan('check-out', who.token, lectureId)).body).toMatchObject({ credited: 2, noCreditReason: null });
    });

    it('refuses a malformed device id', async () => {
      const lectureId = await lectureRunning(120, 5);
      const who = await parent();
      const res = await scan('check-in', who.token, lectureId, 400, { deviceId: 'x' });
      expect(res.body.errors).toEqual([{ field: 'deviceId', message: expect.any(String) }]);
    });
  });

  describe('the attendance report', () => {
    it('flags one device used for several families and scans seconds apart, and leaves one family’s shared phone alone', async () => {
      const lectureId = await lectureRunning(120, 5);
      // Three families scanned by one phone (a proxy), a couple sharing a phone, a parent on their own.
      const proxied = await Promise.all([parent(), parent(), parent()]);
      const couple = await newFamily(ctx, places.class1, 2);
      const coupleTokens = await Promise.all(couple.guardians.map((g) => ctx.login(g.phone)));
      const alone = await parent();
      for (const p of proxied) await scan('check-in', p.token, lectureId, 200, { deviceId: 'proxy-phone-0001' });
      for (const t of coupleTokens) await scan('check-in', t, lectureId, 200, { deviceId: 'family-phone-0002' });
      await ctx.query(
        `update attendance set checked_in_at = checked_in_at - interval '3 minutes' where lecture_id = '${lectureId}' and user_id in ('${couple.guardians[0].id}')`,
      );
      await ctx.query(
        `update attendance set checked_in_at = checked_in_at - interval '6 minutes' where lecture_id = '${lectureId}' and user_id in ('${couple.guardians[1].id}')`,
      );
      await scan('check-in', alone.token, lectureId, 200, {}, 'Mozilla/5.0 (iPhone) MicroMessenger/8.0.50');
      await ctx.query(
        `update attendance set checked_in_at = checked_in_at - interval '9 minutes' where lecture_id = '${lectureId}' and user_id = '${alone.id}'`,
      );

      const report = await ctx.admin().get(`/lectures/${lectureId}/attendance-report`).set(auth(coordinator)).expect(200);
      expect(report.body).toMatchObject({
        lectureId,
        rule: { lateCheckinMinutes: 15, minPresencePercent: 80 },
        totals: { checkedIn: 6, checkedOut: 0, credited: 0, noCredit: 0, flagged: 3 },
      });
      const shared = (report.body.anomalies as { kind: string; scan: string; userIds: string[] }[]).filter(
        (a) => a.kind === 'shared_device',
      );
      expect(shared).toHaveLength(1);
      expect(shared[0]).toMatchObject({ scan: 'check_in' });
      expect([...shared[0].userIds].sort()).toEqual(proxied.map((p) => p.id).sort());
      const series = (report.body.anomalies as { kind: string; userIds: string[] }[]).filter((a) => a.kind === 'rapid_series');
      expect(series).toEqual([]);
      const rows = report.body.rows as { userId: string; phone: string; flags: string[] }[];
      expect(rows).toHaveLength(6);
      expect(rows.find((r) => r.userId === proxied[0].id)?.flags).toEqual(['shared_device']);
      expect(rows.find((r) => r.userId === couple.guardians[0].id)?.flags).toEqual([]);
      expect(rows.every((r) => /^\d{3}\*{4}\d{4}$/.test(r.phone))).toBe(true);
    });

    it('flags a run of scans seconds apart from different devices', async () => {
      const lectureId = await lectureRunning(120, 5);
      const people = await Promise.all([parent(), parent(), parent(), parent()]);
      for (const [i, p] of people.entries()) await scan('check-in', p.token, lectureId, 200, { deviceId: `device-run-000${i}` });
      const report = await ctx.admin().get(`/lectures/${lectureId}/attendance-report`).set(auth(coordinator)).expect(200);
      const series = (report.body.anomalies as { kind: string; scan: string; userIds: string[] }[]).filter(
        (a) => a.kind === 'rapid_series',
      );
      expect(series).toHaveLength(1);
      expect(series[0]).toMatchObject({ scan: 'check_in' });
      expect(series[0].userIds).toEqual(people.map((p) => p.id));
    });

    it('is for staff who manage the lecture only', async () => {
      const lectureId = await lectureRunning(120, 5);
      const other = await ctx.login((await newCoordinator(ctx, places.guangwen)).phone, 'admin');
      await ctx.admin().get(`/lectures/${lectureId}/attendance-report`).set(auth(other)).expect(403);
      await ctx.admin().get(`/lectures/${lectureId}/attendance-report`).set(auth(cityAdmin)).expect(200);
      const guardian = await parent();
      expect((await ctx.admin().get(`/lectures/${lectureId}/attendance-report`).set(auth(guardian.token)).expect(403)).body.code).toBe(
        'ADMIN_ROLE_REQUIRED',
      );
      await ctx.admin().get('/lectures/00000000-0000-4000-8000-000000000000/attendance-report').set(auth(cityAdmin)).expect(404);
    });
  });
});
