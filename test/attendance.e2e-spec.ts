import ExcelJS from 'exceljs';
import { issueToken } from '@jiaxiao/courses';
import { createTestContext, TestContext } from './support/harness';
import {
  addGuardian,
  auth,
  createLecture,
  DemoPlaces,
  demoPlaces,
  Guardian,
  HOUR,
  MINUTE,
  newCoordinator,
  newFamily,
  newStudent,
  newUser,
  setTimes,
} from './support/courses';

const SEED_TITLE = '父母大讲堂：做孩子成长路上的引路人';
const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

interface CodeBody {
  token: string;
  expiresAt: string;
  qr: string;
}

interface AttendanceBody {
  lectureId: string;
  checkedInAt: string | null;
  checkedOutAt: string | null;
  credited: number;
}

interface Household {
  studentId: string;
  studentName: string;
  requiredHours: number;
  earnedHours: number;
  compliant: boolean;
  entries: { lectureId: string; hours: number }[];
}

describe('offline attendance and the hour ledger (parent-api + admin-api)', () => {
  let ctx: TestContext;
  let places: DemoPlaces;
  let coordinator: string;
  let coordinatorId: string;
  let otherCoordinator: string;
  let seedId: string;

  const code = async (lectureId: string): Promise<CodeBody> =>
    (await ctx.admin().get(`/lectures/${lectureId}/check-in-code`).set(auth(coordinator)).expect(200)).body as CodeBody;
  const checkIn = (token: string, lectureId: string, venueToken: string) =>
    ctx.parent().post(`/lectures/${lectureId}/check-in`).set(auth(token)).send({ token: venueToken });
  const checkOut = (token: string, lectureId: string, venueToken: string) =>
    ctx.parent().post(`/lectures/${lectureId}/check-out`).set(auth(token)).send({ token: venueToken });
  const byHand = (lectureId: string, phone: string, token = coordinator) =>
    ctx.admin().post(`/lectures/${lectureId}/attendance`).set(auth(token)).send({ phone, reason: '家长无智能手机，现场签到表已核对' });
  const courseHours = async (token: string): Promise<Household[]> =>
    (await ctx.parent().get('/me/course-hours').set(auth(token)).expect(200)).body.households as Household[];
  const secretOf = async (lectureId: string) =>
    (await ctx.query<{ secret: string }>(`select checkin_secret as secret from lectures where id = '${lectureId}'`))[0].secret;
  /**
   * The code the venue screen shows now. GET /lectures/:id/check-in-code returns exactly this (an HMAC of
   * the window) and is tested on its own; its QR PNG takes seconds under Jest, so the other tests derive it.
   */
  const venue = async (lectureId: string) => issueToken(await secretOf(lectureId), lectureId, new Date()).token;

  /** A 2-hour offline lecture of 潍坊七中 running now: it started `startedMinutesAgo` minutes ago. */
  async function running(startedMinutesAgo = 60): Promise<string> {
    const startsAt = new Date(Date.now() - startedMinutesAgo * MINUTE);
    const lecture = await createLecture(ctx, coordinator, places.wf7, {
      startsAt: new Date(Date.now() + HOUR),
      endsAt: new Date(Date.now() + 3 * HOUR),
    });
    await setTimes(ctx, lecture.id, startsAt, new Date(startsAt.getTime() + 2 * HOUR));
    return lecture.id;
  }

  /** Ends the lecture `minutes` from now (negative: that long ago), keeping its two hours. */
  const endIn = (lectureId: string, minutes: number) => {
    const endsAt = new Date(Date.now() + minutes * MINUTE);
    return setTimes(ctx, lectureId, new Date(endsAt.getTime() - 2 * HOUR), endsAt);
  };

  /** A guardian of a new child in 初一(1)班, logged in. */
  async function parent(): Promise<Guardian & { token: string; studentId: string }> {
    const family = await newFamily(ctx, places.class1);
    return { ...family.guardians[0], studentId: family.studentId, token: await ctx.login(family.guardians[0].phone) };
  }

  const ledger = (lectureId: string, guardianId: string) =>
    ctx.query<{ id: string; kind: string; hours: string; source: string; reason: string | null; recorded_by: string | null }>(
      `select id::text, kind, hours::text, source, reason, recorded_by::text from hour_ledger where lecture_id = '${lectureId}' and guardian_id = '${guardianId}' order by created_at`,
    );
  const householdCredits = (studentId: string) =>
    ctx.query<{ lecture_id: string }>(`select lecture_id::text from household_credits where student_id = '${studentId}'`);
  const earned = async (studentId: string) =>
    Number(
      (
        await ctx.query<{ hours: string }>(
          `select coalesce((select earned_hours::text from household_progress where student_id = '${studentId}'), '0') as hours`,
        )
      )[0].hours,
    );

  beforeAll(async () => {
    ctx = await createTestContext({ apps: ['parent', 'admin'] });
    places = await demoPlaces(ctx);
    coordinator = await ctx.login('13900000001', 'admin');
    [{ id: coordinatorId }] = await ctx.query<{ id: string }>("select id::text from users where phone = '13900000001'");
    otherCoordinator = await ctx.login((await newCoordinator(ctx, places.guangwen)).phone, 'admin');
    [{ id: seedId }] = await ctx.query<{ id: string }>(`select id::text from lectures where title = '${SEED_TITLE}'`);
    // The template may have been seeded hours ago: put the seeded lecture back to "running now".
    await setTimes(ctx, seedId, new Date(Date.now() - 30 * MINUTE), new Date(Date.now() + 90 * MINUTE));
  });
  afterAll(() => ctx?.close());

  it('a parent attends the seeded lecture with the venue code and sees 2 of 8 hours in both households', async () => {
    const p3 = await ctx.login('13900000003');
    const screen = await code(seedId);
    expect(screen.token).toMatch(/^\d+\.[0-9a-f]{16}$/);
    expect(screen.expiresAt).toMatch(ISO_8601);
    expect(Date.parse(screen.expiresAt) - Date.now()).toBeLessThanOrEqual(30_000);
    expect(screen.qr.startsWith('data:image/png;base64,')).toBe(true);
    const png = Buffer.from(screen.qr.slice('data:image/png;base64,'.length), 'base64');
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));

    const first = await checkIn(p3, seedId, screen.token).expect(200);
    expect(first.body).toMatchObject({ lectureId: seedId, checkedOutAt: null, credited: 0 });
    expect(first.body.checkedInAt).toMatch(ISO_8601);
    // Scanning again is harmless: the first check-in time stays.
    const again = await checkIn(p3, seedId, await venue(seedId)).expect(200);
    expect(again.body.checkedInAt).toBe(first.body.checkedInAt);
    // Too early to leave with credit: the lecture runs for another 90 minutes.
    expect((await checkOut(p3, seedId, await venue(seedId)).expect(409)).body.code).toBe('CHECKOUT_NOT_OPEN');

    await setTimes(ctx, seedId, new Date(Date.now() - 115 * MINUTE), new Date(Date.now() + 5 * MINUTE));
    const out = await checkOut(p3, seedId, (await code(seedId)).token).expect(200);
    expect(out.body).toMatchObject({ lectureId: seedId, checkedInAt: first.body.checkedInAt, credited: 2 });
    const repeat = await checkOut(p3, seedId, await venue(seedId)).expect(200);
    expect(repeat.body).toMatchObject({ credited: 0, checkedOutAt: out.body.checkedOutAt });

    const hours = await ctx.parent().get('/me/course-hours').set(auth(p3)).expect(200);
    expect(hours.body.schoolYear).toBe(places.schoolYear);
    const households = hours.body.households as Household[];
    expect(households.map((h) => h.studentName).sort()).toEqual(['陈小阳', '陈小雨']);
    for (const h of households) {
      expect(h).toMatchObject({ requiredHours: 8, earnedHours: 2, compliant: false });
      expect(h.entries).toEqual([expect.objectContaining({ lectureId: seedId, hours: 2 })]);
    }
    const [p3Id] = await ctx.query<{ id: string }>("select id::text from users where phone = '13900000003'");
    expect(await ledger(seedId, p3Id.id)).toEqual([expect.objectContaining({ kind: 'credit', hours: '2.0', source: 'offline' })]);
  });

  describe('the venue code', () => {
    it('refuses forged, foreign and malformed codes with CHECKIN_TOKEN_INVALID', async () => {
      const lectureId = await running();
      const other = await running();
      const who = await parent();
      const { token } = await code(lectureId);
      const [window] = token.split('.');
      const mac = token.slice(window.length + 1);
      const forged = `${window}.${mac[0] === '0' ? '1' : '0'}${mac.slice(1)}`;
      const future = issueToken(await secretOf(lectureId), lectureId, new Date(Date.now() + 5 * MINUTE)).token;
      for (const bad of [forged, `${window}.0123456789abcdef`, await venue(other), future, 'not-a-code']) {
        const res = await checkIn(who.token, lectureId, bad).expect(400);
        expect(res.body).toMatchObject({ statusCode: 400, code: 'CHECKIN_TOKEN_INVALID' });
      }
      await checkIn(who.token, lectureId, token).expect(200);
    });

    it('refuses a code older than the previous window with CHECKIN_TOKEN_EXPIRED', async () => {
      const lectureId = await running();
      const who = await parent();
      const old = issueToken(await secretOf(lectureId), lectureId, new Date(Date.now() - 90_000));
      const res = await checkIn(who.token, lectureId, old.token).expect(400);
      expect(res.body.code).toBe('CHECKIN_TOKEN_EXPIRED');
      // Also on the way out.
      await endIn(lectureId, 5);
      expect((await checkOut(who.token, lectureId, old.token).expect(400)).body.code).toBe('CHECKIN_TOKEN_EXPIRED');
    });

    it('is only for lectures with a venue', async () => {
      const startsAt = new Date(Date.now() + HOUR);
      const online = await createLecture(ctx, coordinator, places.wf7, {
        startsAt,
        endsAt: new Date(startsAt.getTime() + HOUR),
        mode: 'live',
        streamUrl: 'https://live.example.edu.cn/x',
      });
      expect((await ctx.admin().get(`/lectures/${online.id}/check-in-code`).set(auth(coordinator)).expect(409)).body.code).toBe(
        'NOT_AN_OFFLINE_LECTURE',
      );
    });
  });

  describe('check-in and check-out windows', () => {
    it('opens check-in 30 minutes before the start and closes it at the end', async () => {
      const lectureId = await running();
      const who = await parent();
      const startsAt = (minutes: number) => {
        const start = new Date(Date.now() + minutes * MINUTE);
        return setTimes(ctx, lectureId, start, new Date(start.getTime() + 2 * HOUR));
      };
      await startsAt(31);
      expect((await checkIn(who.token, lectureId, await venue(lectureId)).expect(409)).body.code).toBe('CHECKIN_NOT_OPEN');
      await endIn(lectureId, -1);
      expect((await checkIn(who.token, lectureId, await venue(lectureId)).expect(409)).body.code).toBe('CHECKIN_NOT_OPEN');
      await startsAt(29);
      expect((await checkIn(who.token, lectureId, await venue(lectureId)).expect(200)).body.checkedInAt).toMatch(ISO_8601);
    });

    it('opens check-out 10 minutes before the end until 30 minutes after, and credits once', async () => {
      const lectureId = await running();
      const who = await parent();
      await checkIn(who.token, lectureId, await venue(lectureId)).expect(200);
      await endIn(lectureId, 11);
      expect((await checkOut(who.token, lectureId, await venue(lectureId)).expect(409)).body.code).toBe('CHECKOUT_NOT_OPEN');
      await endIn(lectureId, -31);
      expect((await checkOut(who.token, lectureId, await venue(lectureId)).expect(409)).body.code).toBe('CHECKOUT_NOT_OPEN');
      expect(await ledger(lectureId, who.id)).toEqual([]);

      await endIn(lectureId, -29);
      const out = await checkOut(who.token, lectureId, await venue(lectureId)).expect(200);
      expect(out.body.credited).toBe(2);
      expect(out.body.checkedOutAt).toMatch(ISO_8601);
      await endIn(lectureId, 9);
      const again = await checkOut(who.token, lectureId, await venue(lectureId)).expect(200);
      expect(again.body).toMatchObject({ credited: 0, checkedOutAt: out.body.checkedOutAt });
      expect(await ledger(lectureId, who.id)).toHaveLength(1);
      expect(await earned(who.studentId)).toBe(2);
    });

    it('refuses check-out without check-in with NOT_CHECKED_IN', async () => {
      const lectureId = await running();
      const who = await parent();
      await endIn(lectureId, 5);
      const res = await checkOut(who.token, lectureId, await venue(lectureId)).expect(409);
      expect(res.body).toMatchObject({ statusCode: 409, code: 'NOT_CHECKED_IN' });
      expect(await ledger(lectureId, who.id)).toEqual([]);
    });

    it('never credits twice when check-out is retried concurrently', async () => {
      const lectureId = await running();
      const who = await parent();
      await checkIn(who.token, lectureId, await venue(lectureId)).expect(200);
      await endIn(lectureId, 5);
      const token = await venue(lectureId);
      const results = await Promise.all(Array.from({ length: 8 }, () => checkOut(who.token, lectureId, token)));
      expect(results.map((r) => r.status)).toEqual(Array(8).fill(200));
      expect(results.reduce((sum, r) => sum + (r.body as AttendanceBody).credited, 0)).toBe(2);
      expect(await ledger(lectureId, who.id)).toHaveLength(1);
      expect(await earned(who.studentId)).toBe(2);
    });
  });

  describe('households', () => {
    it('counts a lecture once for the household when both parents attend', async () => {
      const lectureId = await running();
      const family = await newFamily(ctx, places.class1, 2);
      const tokens = await Promise.all(family.guardians.map((g) => ctx.login(g.phone)));
      for (const token of tokens) await checkIn(token, lectureId, await venue(lectureId)).expect(200);
      await endIn(lectureId, 5);
      const token = await venue(lectureId);
      const outs = await Promise.all(tokens.map((t) => checkOut(t, lectureId, token)));
      // Each guardian's own ledger is credited; the household counts the lecture once.
      expect(outs.map((r) => [r.status, r.body.credited])).toEqual([
        [200, 2],
        [200, 2],
      ]);
      expect(await householdCredits(family.studentId)).toEqual([{ lecture_id: lectureId }]);
      expect(await earned(family.studentId)).toBe(2);
      for (const t of tokens) {
        const [household] = await courseHours(t);
        expect(household).toMatchObject({ studentId: family.studentId, earnedHours: 2, entries: [expect.objectContaining({ lectureId })] });
      }
    });

    it('credits every household of a guardian with two children', async () => {
      const lectureId = await running();
      const guardian = await newUser(ctx, '两个孩子的家长');
      const elder = await newStudent(ctx, places.class1, '大宝');
      const younger = await newStudent(ctx, places.shiyanClass, '二宝');
      await addGuardian(ctx, elder, guardian.id, '父亲');
      await addGuardian(ctx, younger, guardian.id, '父亲');
      const token = await ctx.login(guardian.phone);
      await checkIn(token, lectureId, await venue(lectureId)).expect(200);
      await endIn(lectureId, 5);
      expect((await checkOut(token, lectureId, await venue(lectureId)).expect(200)).body.credited).toBe(2);
      const households = await courseHours(token);
      expect(households.map((h) => [h.studentId, h.earnedHours]).sort()).toEqual(
        [
          [elder, 2],
          [younger, 2],
        ].sort(),
      );
    });

    it('lets both parents of two siblings check out at the same moment, lecture after lecture', async () => {
      const [father, mother] = [await newUser(ctx, '兄妹的父亲'), await newUser(ctx, '兄妹的母亲')];
      const [brother, sister] = [await newStudent(ctx, places.class1, '哥哥'), await newStudent(ctx, places.class1, '妹妹')];
      // Linked in opposite orders, as two roster imports may leave them.
      await addGuardian(ctx, brother, father.id, '父亲');
      await addGuardian(ctx, sister, father.id, '父亲');
      await addGuardian(ctx, sister, mother.id, '母亲');
      await addGuardian(ctx, brother, mother.id, '母亲');
      const tokens = [await ctx.login(father.phone), await ctx.login(mother.phone)];
      const lectures = await Promise.all(Array.from({ length: 6 }, () => running()));
      for (const lectureId of lectures) {
        for (const token of tokens) await checkIn(token, lectureId, await venue(lectureId)).expect(200);
        await endIn(lectureId, 5);
      }
      for (const lectureId of lectures) {
        const token = await venue(lectureId);
        const outs = await Promise.all(tokens.map((t) => checkOut(t, lectureId, token)));
        expect(outs.map((r) => r.status)).toEqual([200, 200]);
      }
      expect(await earned(brother)).toBe(12);
      expect(await earned(sister)).toBe(12);
    });
  });

  describe('corrections', () => {
    it('revokes a credit with a revocation entry, keeps the household’s lecture while the other parent’s credit stands, and audits', async () => {
      const lectureId = await running();
      const family = await newFamily(ctx, places.class1, 2);
      const [a, b] = family.guardians;
      for (const g of [a, b]) expect((await byHand(lectureId, g.phone).expect(200)).body.credited).toBe(2);
      const [creditA] = await ledger(lectureId, a.id);
      const [creditB] = await ledger(lectureId, b.id);

      await ctx.admin().post(`/ledger/${creditA.id}/revoke`).set(auth(otherCoordinator)).send({ reason: '越权撤销' }).expect(403);
      const missing = await ctx.admin().post(`/ledger/${creditA.id}/revoke`).set(auth(coordinator)).send({}).expect(400);
      expect(missing.body.errors).toEqual([expect.objectContaining({ field: 'reason' })]);

      await ctx.admin().post(`/ledger/${creditA.id}/revoke`).set(auth(coordinator)).send({ reason: '重复录入' }).expect(204);
      expect(await ledger(lectureId, a.id)).toEqual([
        expect.objectContaining({ id: creditA.id, kind: 'credit', hours: '2.0' }),
        expect.objectContaining({ kind: 'revocation', hours: '-2.0', reason: '重复录入', recorded_by: coordinatorId }),
      ]);
      expect(await householdCredits(family.studentId)).toEqual([{ lecture_id: lectureId }]);
      expect(await earned(family.studentId)).toBe(2);
      const [audit] = await ctx.query<{ actor_id: string; target_id: string; detail: Record<string, unknown> }>(
        `select actor_id::text, target_id::text, detail from audit_log where action = 'hours.revoked' and detail ->> 'ledgerId' = '${creditA.id}'`,
      );
      expect(audit).toEqual({
        actor_id: coordinatorId,
        target_id: a.id,
        detail: expect.objectContaining({ lectureId, hours: 2, reason: '重复录入' }),
      });

      expect(
        (await ctx.admin().post(`/ledger/${creditA.id}/revoke`).set(auth(coordinator)).send({ reason: '再撤一次' }).expect(409)).body.code,
      ).toBe('ALREADY_REVOKED');
      const [revocation] = (await ledger(lectureId, a.id)).filter((e) => e.kind === 'revocation');
      expect(
        (await ctx.admin().post(`/ledger/${revocation.id}/revoke`).set(auth(coordinator)).send({ reason: '撤销撤销' }).expect(404)).body
          .code,
      ).toBe('LEDGER_ENTRY_NOT_FOUND');

      await ctx.admin().post(`/ledger/${creditB.id}/revoke`).set(auth(coordinator)).send({ reason: '未实际到场' }).expect(204);
      expect(await householdCredits(family.studentId)).toEqual([]);
      expect(await earned(family.studentId)).toBe(0);
      const [household] = await courseHours(await ctx.login(b.phone));
      expect(household).toMatchObject({ earnedHours: 0, entries: [] });
      // Append-only: the two credits are still there, each with its revocation.
      const [{ n }] = await ctx.query<{ n: number }>(`select count(*)::int as n from hour_ledger where lecture_id = '${lectureId}'`);
      expect(n).toBe(4);
    });

    it('records attendance by hand for the lecture’s managers only, with a reason, audited', async () => {
      const lectureId = await running();
      const who = await parent();
      const [lecture] = await ctx.query<{ starts: string }>(
        `select (extract(epoch from starts_at) * 1000)::bigint::text as starts from lectures where id = '${lectureId}'`,
      );

      await byHand(lectureId, who.phone, otherCoordinator).expect(403);
      await byHand(lectureId, who.phone, await ctx.login('13900000002', 'admin')).expect(403);
      const noReason = await ctx
        .admin()
        .post(`/lectures/${lectureId}/attendance`)
        .set(auth(coordinator))
        .send({ phone: who.phone })
        .expect(400);
      expect(noReason.body.errors).toEqual([expect.objectContaining({ field: 'reason' })]);
      expect((await byHand(lectureId, '13312345678').expect(404)).body.code).toBe('USER_NOT_FOUND');
      // A parent whose children the lecture is not for gets no hours from it.
      expect((await byHand(lectureId, '13900000005').expect(409)).body.code).toBe('GUARDIAN_NOT_IN_AUDIENCE');

      const res = await byHand(lectureId, who.phone).expect(200);
      expect(res.body).toMatchObject({ lectureId, credited: 2, checkedOutAt: null });
      expect(Date.parse(res.body.checkedInAt)).toBe(Number(lecture.starts));
      expect((await byHand(lectureId, who.phone).expect(200)).body.credited).toBe(0);

      expect(await ledger(lectureId, who.id)).toEqual([
        expect.objectContaining({
          kind: 'credit',
          source: 'manual',
          reason: '家长无智能手机，现场签到表已核对',
          recorded_by: coordinatorId,
        }),
      ]);
      const audits = await ctx.query<{ actor_id: string; detail: Record<string, unknown> }>(
        `select actor_id::text, detail from audit_log where action = 'attendance.recorded' and target_id = '${who.id}'`,
      );
      expect(audits).toEqual([{ actor_id: coordinatorId, detail: { lectureId, reason: '家长无智能手机，现场签到表已核对', hours: 2 } }]);
      expect(await earned(who.studentId)).toBe(2);
    });

    it('imports a paper sign-in sheet: credits known phones, reports the others row by row', async () => {
      const lectureId = await running();
      const [a, b] = [await parent(), await parent()];
      const workbook = new ExcelJS.Workbook();
      const sheet = workbook.addWorksheet('签到表');
      sheet.addRow(['序号', '家长姓名', '家长手机号']);
      sheet.addRow([1, '甲', a.phone]);
      sheet.addRow([2, '甲', a.phone]);
      sheet.addRow([3, '丙', '13312345678']);
      sheet.addRow([4, '丁', '电话忘带']);
      sheet.addRow([5, '乙', Number(b.phone)]);
      sheet.addRow([6, '赵', '13900000005']);
      sheet.addRow([7, '空', '']);
      const content = Buffer.from(await workbook.xlsx.writeBuffer());

      const upload = (token: string, file: Buffer) =>
        ctx.admin().post(`/lectures/${lectureId}/attendance-sheets`).set(auth(token)).attach('file', file, 'sheet.xlsx');
      await upload(otherCoordinator, content).expect(403);
      const res = await upload(coordinator, content).expect(200);
      expect(res.body.rows).toEqual([
        { row: 2, phone: a.phone, status: 'credited' },
        { row: 3, phone: a.phone, status: 'already_credited' },
        { row: 4, phone: '13312345678', status: 'error', message: expect.any(String) },
        { row: 5, phone: '电话忘带', status: 'error', message: expect.stringContaining('电话忘带') },
        { row: 6, phone: b.phone, status: 'credited' },
        { row: 7, phone: '13900000005', status: 'error', message: '该家长的孩子不在本讲座面向的范围内' },
      ]);
      for (const who of [a, b]) {
        expect(await ledger(lectureId, who.id)).toEqual([
          expect.objectContaining({ kind: 'credit', source: 'manual', reason: '签到表导入：sheet.xlsx' }),
        ]);
        expect(await earned(who.studentId)).toBe(2);
      }
      const [p5] = await ctx.query<{ id: string }>("select id::text from users where phone = '13900000005'");
      expect(await ledger(lectureId, p5.id)).toEqual([]);

      // Importing the same sheet again credits nobody twice.
      const again = await upload(coordinator, content).expect(200);
      expect((again.body.rows as { status: string }[]).filter((r) => r.status === 'credited')).toEqual([]);

      const noColumn = new ExcelJS.Workbook();
      noColumn.addWorksheet('x').addRow(['姓名', '电话号']);
      const bad = await upload(coordinator, Buffer.from(await noColumn.xlsx.writeBuffer())).expect(400);
      expect(bad.body.code).toBe('FILE_UNREADABLE');
      expect(
        (await ctx.admin().post(`/lectures/${lectureId}/attendance-sheets`).set(auth(coordinator)).send({}).expect(400)).body.code,
      ).toBe('FILE_REQUIRED');
    });
  });
});
