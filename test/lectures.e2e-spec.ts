import { Queue } from 'bullmq';
import { JobPayloads, QUEUES } from '@jiaxiao/common';
import { LectureRegistrationService } from '@jiaxiao/courses';
import { createTestContext, TestContext } from './support/harness';
import {
  auth,
  createLecture,
  DemoPlaces,
  demoPlaces,
  eventually,
  HOUR,
  LectureBody,
  minutesFromNow,
  newCoordinator,
  newFamily,
} from './support/courses';

const SEED_TITLE = '父母大讲堂：做孩子成长路上的引路人';
const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const DAY = 24 * HOUR;

describe('lectures: audience, registration and waitlist, reminders, course plans (parent-api + admin-api + worker)', () => {
  let ctx: TestContext;
  let places: DemoPlaces;
  let coordinator: string;
  let cityAdmin: string;
  let p3: string;
  let p4: string;
  let p5: string;
  let ids: Record<'p3' | 'p4' | 'p5', string>;
  let otherCoordinator: string;
  let queue: Queue;

  /** A lecture of 潍坊七中 (its coordinator's), published, starting in `days` days for two hours. */
  const upcoming = (input: { days?: number; capacity?: number; registrationCutoff?: Date } = {}) => {
    const startsAt = minutesFromNow((input.days ?? 2) * 24 * 60);
    return createLecture(ctx, coordinator, places.wf7, {
      startsAt,
      endsAt: new Date(startsAt.getTime() + 2 * HOUR),
      capacity: input.capacity,
      registrationCutoff: input.registrationCutoff,
    });
  };

  const register = (token: string, lectureId: string) => ctx.parent().post(`/lectures/${lectureId}/registrations`).set(auth(token));

  const notified = (kind: string, lectureId: string) =>
    ctx.query<{ user_id: string; title: string }>(
      `select user_id::text, title from notifications where kind = '${kind}' and data ->> 'lectureId' = '${lectureId}' order by user_id`,
    );

  const reminderIds = (lecture: { id: string }, startsAt: Date) => [
    `lecture-remind-${lecture.id}-24h-${startsAt.getTime()}`,
    `lecture-remind-${lecture.id}-1h-${startsAt.getTime()}`,
  ];

  beforeAll(async () => {
    ctx = await createTestContext({ apps: ['parent', 'admin', 'worker'] });
    places = await demoPlaces(ctx);
    [coordinator, cityAdmin] = await Promise.all([ctx.login('13900000001', 'admin'), ctx.login('13900000000', 'admin')]);
    [p3, p4, p5] = await Promise.all(['13900000003', '13900000004', '13900000005'].map((phone) => ctx.login(phone)));
    const users = await ctx.query<{ id: string; phone: string }>(
      "select id::text, phone from users where phone in ('13900000003', '13900000004', '13900000005')",
    );
    const idOf = (phone: string) => users.find((u) => u.phone === phone)?.id as string;
    ids = { p3: idOf('13900000003'), p4: idOf('13900000004'), p5: idOf('13900000005') };
    otherCoordinator = await ctx.login((await newCoordinator(ctx, places.guangwen)).phone, 'admin');
    queue = new Queue(QUEUES.courses, { connection: { url: ctx.config.REDIS_URL }, prefix: `${ctx.config.REDIS_PREFIX}:bull` });
  });
  afterAll(async () => {
    await queue?.close();
    await ctx?.close();
  });

  describe('listing and audience', () => {
    it('GET /lectures lists the lectures open to the caller’s children as {items, nextCursor}, times in ISO 8601', async () => {
      const res = await ctx.parent().get('/lectures').set(auth(p3)).expect(200);
      expect(res.body.nextCursor).toBeNull();
      const [row] = await ctx.query<{ id: string; starts: string; ends: string }>(
        `select id::text, floor(extract(epoch from starts_at))::bigint::text as starts, floor(extract(epoch from ends_at))::bigint::text as ends from lectures where title = '${SEED_TITLE}'`,
      );
      const seed = (res.body.items as LectureBody[]).find((l) => l.id === row.id);
      expect(seed).toMatchObject({
        id: row.id,
        title: SEED_TITLE,
        series: 'parents_forum',
        mode: 'offline',
        creditHours: 2,
        status: 'published',
      });
      for (const item of res.body.items as LectureBody[]) {
        expect(Object.keys(item)).toEqual(
          expect.arrayContaining(['id', 'title', 'series', 'mode', 'startsAt', 'endsAt', 'creditHours', 'status']),
        );
        expect(item.startsAt).toMatch(ISO_8601);
        expect(item.endsAt).toMatch(ISO_8601);
        expect(['published', 'finished']).toContain(item.status);
      }
      expect(Math.floor(Date.parse(seed?.startsAt as string) / 1000)).toBe(Number(row.starts));
      expect(Math.floor(Date.parse(seed?.endsAt as string) / 1000)).toBe(Number(row.ends));
      // The sessions of the school's course plan are open to the school's families too.
      const [plan] = await ctx.query<{ id: string }>(`select id::text from course_plans where school_id = '${places.wf7}'`);
      expect((res.body.items as LectureBody[]).filter((l) => l.planId === plan.id).length).toBeGreaterThanOrEqual(3);
    });

    it('hides a school’s lecture from families of other schools: not listed, and 404 by id', async () => {
      const [seed] = await ctx.query<{ id: string }>(`select id::text from lectures where title = '${SEED_TITLE}'`);
      const list = await ctx.parent().get('/lectures').set(auth(p5)).expect(200);
      expect((list.body.items as LectureBody[]).map((l) => l.id)).not.toContain(seed.id);
      const one = await ctx.parent().get(`/lectures/${seed.id}`).set(auth(p5)).expect(404);
      expect(one.body).toMatchObject({ statusCode: 404, code: 'LECTURE_NOT_FOUND' });
      await register(p5, seed.id).expect(404);
      await ctx.parent().post(`/lectures/${seed.id}/check-in`).set(auth(p5)).send({ token: '1.0000000000000000' }).expect(404);
      // The family of the school reads it.
      const mine = await ctx.parent().get(`/lectures/${seed.id}`).set(auth(p3)).expect(200);
      expect(mine.body).toMatchObject({ id: seed.id, title: SEED_TITLE });
    });

    it('opens lectures by school, class and city scope; drafts stay hidden', async () => {
      const startsAt = minutesFromNow(2 * 24 * 60);
      const endsAt = new Date(startsAt.getTime() + HOUR);
      const shiyan = await createLecture(ctx, cityAdmin, places.shiyan, {
        startsAt,
        endsAt,
        audience: { scope: 'school', schoolId: places.shiyan },
      });
      const city = await createLecture(ctx, cityAdmin, places.wf7, {
        startsAt,
        endsAt,
        audience: { scope: 'city' },
        mode: 'live',
        streamUrl: 'https://live.example.edu.cn/city',
      });
      const class1 = await createLecture(ctx, coordinator, places.wf7, {
        startsAt,
        endsAt,
        audience: { scope: 'classes', schoolId: places.wf7, classIds: [places.class1] },
      });
      const draft = await createLecture(ctx, coordinator, places.wf7, { startsAt, endsAt }, false);
      expect(draft.status).toBe('draft');

      const listed = async (token: string) =>
        ((await ctx.parent().get('/lectures').set(auth(token)).expect(200)).body.items as LectureBody[]).map((l) => l.id);
      const [of3, of4, of5] = await Promise.all([listed(p3), listed(p4), listed(p5)]);
      // 13900000003 has a child at 潍坊实验学校 as well; 13900000004 does not.
      expect(of3).toEqual(expect.arrayContaining([shiyan.id, city.id, class1.id]));
      expect(of4).toEqual(expect.arrayContaining([city.id, class1.id]));
      expect(of4).not.toContain(shiyan.id);
      expect(of5).toContain(city.id);
      expect(of5).not.toContain(class1.id);
      for (const list of [of3, of4, of5]) expect(list).not.toContain(draft.id);
      await ctx.parent().get(`/lectures/${shiyan.id}`).set(auth(p4)).expect(404);
      await ctx.parent().get(`/lectures/${draft.id}`).set(auth(p3)).expect(404);
      await ctx.parent().get(`/lectures/${city.id}`).set(auth(p5)).expect(200);
    });

    it('keeps a draft, and its stream link, with the staff of the area that organises it', async () => {
      const startsAt = minutesFromNow(3 * 24 * 60);
      const input = {
        startsAt,
        endsAt: new Date(startsAt.getTime() + HOUR),
        mode: 'live' as const,
        streamUrl: 'https://live.example.cn/draft-room',
        audience: { scope: 'city' },
      };
      const cityDraft = await createLecture(ctx, cityAdmin, places.wf7, input, false);
      const schoolDraft = await createLecture(
        ctx,
        coordinator,
        places.wf7,
        { ...input, audience: { scope: 'school', schoolId: places.wf7 } },
        false,
      );
      const listed = async (token: string) =>
        ((await ctx.admin().get('/lectures').set(auth(token)).expect(200)).body.items as { id: string }[]).map((l) => l.id);

      // Staff elsewhere neither see the drafts listed nor read them by id.
      expect(await listed(otherCoordinator)).not.toEqual(expect.arrayContaining([cityDraft.id]));
      expect(await listed(otherCoordinator)).not.toEqual(expect.arrayContaining([schoolDraft.id]));
      expect(await listed(coordinator)).not.toEqual(expect.arrayContaining([cityDraft.id]));
      for (const id of [cityDraft.id, schoolDraft.id]) await ctx.admin().get(`/lectures/${id}`).set(auth(otherCoordinator)).expect(404);
      await ctx.admin().get(`/lectures/${cityDraft.id}`).set(auth(coordinator)).expect(404);
      // The organisers do, stream link included.
      expect((await ctx.admin().get(`/lectures/${schoolDraft.id}`).set(auth(coordinator)).expect(200)).body.streamUrl).toBe(
        input.streamUrl,
      );
      expect(await listed(cityAdmin)).toEqual(expect.arrayContaining([cityDraft.id, schoolDraft.id]));
      // Once published, a city-wide lecture is readable by staff anywhere.
      await ctx.admin().post(`/lectures/${cityDraft.id}/publish`).set(auth(cityAdmin)).expect(200);
      await ctx.admin().get(`/lectures/${cityDraft.id}`).set(auth(otherCoordinator)).expect(200);
    });

    it('lets staff organise only within their area', async () => {
      const startsAt = minutesFromNow(2 * 24 * 60);
      const body = {
        series: 'parents_forum',
        title: '越权讲座',
        mode: 'offline',
        startsAt: startsAt.toISOString(),
        endsAt: new Date(startsAt.getTime() + HOUR).toISOString(),
        creditHours: 1,
      };
      const city = await ctx
        .admin()
        .post('/lectures')
        .set(auth(coordinator))
        .send({ ...body, audience: { scope: 'city' } })
        .expect(403);
      expect(city.body.code).toBe('AUDIENCE_OUT_OF_SCOPE');
      await ctx
        .admin()
        .post('/lectures')
        .set(auth(coordinator))
        .send({ ...body, audience: { scope: 'school', schoolId: places.guangwen } })
        .expect(403);
      const half = await ctx
        .admin()
        .post('/lectures')
        .set(auth(coordinator))
        .send({ ...body, creditHours: 1.2, audience: { scope: 'school', schoolId: places.wf7 } })
        .expect(400);
      expect(half.body.code).toBe('VALIDATION_FAILED');

      // Another school's coordinator cannot touch 潍坊七中's lecture.
      const lecture = await upcoming();
      await ctx.admin().patch(`/lectures/${lecture.id}`).set(auth(otherCoordinator)).send({ title: '改个名字' }).expect(403);
      await ctx.admin().post(`/lectures/${lecture.id}/cancel`).set(auth(otherCoordinator)).expect(403);
      await ctx.admin().get(`/lectures/${lecture.id}/check-in-code`).set(auth(otherCoordinator)).expect(403);
      await ctx.admin().get(`/lectures/${lecture.id}/registrations`).set(auth(otherCoordinator)).expect(403);
    });
  });

  describe('registration', () => {
    it('seats up to the capacity, waitlists the rest, and promotes the first waiting when a seat frees', async () => {
      const lecture = await upcoming({ capacity: 1 });
      expect((await register(p3, lecture.id).expect(200)).body).toEqual({ lectureId: lecture.id, status: 'registered' });
      expect((await register(p4, lecture.id).expect(200)).body).toEqual({ lectureId: lecture.id, status: 'waitlisted' });
      // Registering again changes nothing.
      expect((await register(p4, lecture.id).expect(200)).body.status).toBe('waitlisted');
      const mine = (
        (await ctx.parent().get('/lectures').set(auth(p4)).expect(200)).body.items as (LectureBody & { myRegistration: string })[]
      ).find((l) => l.id === lecture.id);
      expect(mine).toMatchObject({ capacity: 1, registered: 1, myRegistration: 'waitlisted' });

      expect((await ctx.parent().delete(`/lectures/${lecture.id}/registrations`).set(auth(p3)).expect(200)).body).toEqual({
        lectureId: lecture.id,
        status: 'cancelled',
      });
      const rows = (await ctx.admin().get(`/lectures/${lecture.id}/registrations`).set(auth(coordinator)).expect(200)).body as {
        userId: string;
        status: string;
      }[];
      expect(Object.fromEntries(rows.map((r) => [r.userId, r.status]))).toEqual({ [ids.p3]: 'cancelled', [ids.p4]: 'registered' });

      const inbox = await ctx.parent().get('/notifications').set(auth(p4)).expect(200);
      const promoted = (inbox.body.items as { kind: string; data: { lectureId?: string } }[]).filter(
        (n) => n.kind === 'lecture.promoted' && n.data.lectureId === lecture.id,
      );
      expect(promoted).toHaveLength(1);
      expect(await notified('lecture.promoted', lecture.id)).toEqual([{ user_id: ids.p4, title: expect.stringContaining('报名成功') }]);

      // Coming back after cancelling joins the end of the waitlist; cancelling twice is refused.
      expect((await register(p3, lecture.id).expect(200)).body.status).toBe('waitlisted');
      await ctx.parent().delete(`/lectures/${lecture.id}/registrations`).set(auth(p3)).expect(200);
      const again = await ctx.parent().delete(`/lectures/${lecture.id}/registrations`).set(auth(p3)).expect(404);
      expect(again.body.code).toBe('REGISTRATION_NOT_FOUND');
      // A waitlisted guardian leaving frees no seat: nobody else is promoted.
      expect(await notified('lecture.promoted', lecture.id)).toHaveLength(1);
    });

    it('raising the capacity seats the waitlist in order before anyone new', async () => {
      const lecture = await upcoming({ capacity: 1 });
      await register(p3, lecture.id).expect(200);
      expect((await register(p4, lecture.id).expect(200)).body.status).toBe('waitlisted');
      await ctx.admin().patch(`/lectures/${lecture.id}`).set(auth(coordinator)).send({ capacity: 2 }).expect(200);
      const late = await newFamily(ctx, places.class1);
      expect((await register(await ctx.login(late.guardians[0].phone), lecture.id).expect(200)).body.status).toBe('waitlisted');
      const rows = (await ctx.admin().get(`/lectures/${lecture.id}/registrations`).set(auth(coordinator)).expect(200)).body as {
        userId: string;
        status: string;
      }[];
      expect(Object.fromEntries(rows.map((r) => [r.userId, r.status]))).toEqual({
        [ids.p3]: 'registered',
        [ids.p4]: 'registered',
        [late.guardians[0].id]: 'waitlisted',
      });
      expect(await notified('lecture.promoted', lecture.id)).toEqual([{ user_id: ids.p4, title: expect.stringContaining('报名成功') }]);
    });

    it('never seats more than the capacity when many register at once, and retries change nothing', async () => {
      const lecture = await upcoming({ capacity: 2 });
      const families = await Promise.all(Array.from({ length: 5 }, () => newFamily(ctx, places.class1)));
      const tokens = await Promise.all(families.map((f) => ctx.login(f.guardians[0].phone)));
      const first = await Promise.all(tokens.map((token) => register(token, lecture.id)));
      expect(first.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
      const statuses = first.map((r) => r.body.status as string);
      expect(statuses.filter((s) => s === 'registered')).toHaveLength(2);
      expect(statuses.filter((s) => s === 'waitlisted')).toHaveLength(3);

      const retried = await Promise.all(tokens.map((token) => register(token, lecture.id)));
      expect(retried.map((r) => r.body.status)).toEqual(statuses);
      const [count] = await ctx.query<{ registered: number; total: number }>(
        `select count(*) filter (where status = 'registered')::int as registered, count(*)::int as total from registrations where lecture_id = '${lecture.id}'`,
      );
      expect(count).toEqual({ registered: 2, total: 5 });
      expect((await ctx.admin().get(`/lectures/${lecture.id}`).set(auth(coordinator)).expect(200)).body.registered).toBe(2);
    });

    it('refuses registration after the cutoff (by default the start) with REGISTRATION_CLOSED', async () => {
      const closed = await upcoming({ registrationCutoff: minutesFromNow(-1) });
      const res = await register(p3, closed.id).expect(409);
      expect(res.body).toMatchObject({ statusCode: 409, code: 'REGISTRATION_CLOSED' });

      // Without a cutoff, registration closes at the start.
      const started = await upcoming();
      await ctx.query(`update lectures set starts_at = now() - interval '1 minute' where id = '${started.id}'`);
      expect((await register(p3, started.id).expect(409)).body.code).toBe('REGISTRATION_CLOSED');

      // A cutoff still ahead lets families in.
      const open = await upcoming({ registrationCutoff: minutesFromNow(60) });
      expect((await register(p3, open.id).expect(200)).body.status).toBe('registered');
    });

    it('cancelling a lecture tells everyone registered or waiting, drops its reminders and closes it', async () => {
      const lecture = await upcoming({ capacity: 1 });
      await register(p3, lecture.id).expect(200);
      await register(p4, lecture.id).expect(200);
      const startsAt = new Date(lecture.startsAt);
      expect(await Promise.all(reminderIds(lecture, startsAt).map((id) => queue.getJob(id).then(Boolean)))).toEqual([true, true]);

      const res = await ctx.admin().post(`/lectures/${lecture.id}/cancel`).set(auth(coordinator)).expect(200);
      expect(res.body.status).toBe('cancelled');
      expect((await notified('lecture.cancelled', lecture.id)).map((n) => n.user_id)).toEqual([ids.p3, ids.p4].sort());
      expect(await Promise.all(reminderIds(lecture, startsAt).map((id) => queue.getJob(id).then(Boolean)))).toEqual([false, false]);
      const [audit] = await ctx.query<{ detail: { notified: number } }>(
        `select detail from audit_log where action = 'lecture.cancelled' and target_id = '${lecture.id}'`,
      );
      expect(audit.detail.notified).toBe(2);

      // Leaving a cancelled lecture frees no seat: the waiting guardian is not told they got one.
      await ctx.parent().delete(`/lectures/${lecture.id}/registrations`).set(auth(p3)).expect(200);
      expect(await notified('lecture.promoted', lecture.id)).toEqual([]);
      const late = await register(p3, lecture.id).expect(409);
      expect(late.body.code).toBe('LECTURE_NOT_OPEN');
      expect((await ctx.admin().post(`/lectures/${lecture.id}/cancel`).set(auth(coordinator)).expect(409)).body.code).toBe(
        'LECTURE_NOT_EDITABLE',
      );
    });
  });

  describe('reminders', () => {
    it('schedules delayed jobs 24 h and 1 h before, with deterministic ids, and moves them with the lecture', async () => {
      const lecture = await upcoming({ days: 3 });
      await register(p3, lecture.id).expect(200);
      const startsAt = new Date(lecture.startsAt);
      const [day, hour] = await Promise.all(reminderIds(lecture, startsAt).map((id) => queue.getJob(id)));
      expect(day?.name).toBe('lecture.remind');
      expect(day?.data).toEqual({ lectureId: lecture.id, window: '24h', startsAt: startsAt.toISOString() });
      expect(hour?.data).toEqual({ lectureId: lecture.id, window: '1h', startsAt: startsAt.toISOString() });
      expect(await day?.getState()).toBe('delayed');
      // Due at the start minus 24 h and minus 1 h (to the millisecond the job was added).
      expect(Math.abs((day?.timestamp ?? 0) + (day?.delay ?? 0) - (startsAt.getTime() - DAY))).toBeLessThan(1000);
      expect(Math.abs((hour?.timestamp ?? 0) + (hour?.delay ?? 0) - (startsAt.getTime() - HOUR))).toBeLessThan(1000);

      // A change that keeps the time keeps the jobs.
      await ctx.admin().patch(`/lectures/${lecture.id}`).set(auth(coordinator)).send({ venue: '体育馆' }).expect(200);
      expect(await Promise.all(reminderIds(lecture, startsAt).map((id) => queue.getJob(id).then(Boolean)))).toEqual([true, true]);

      const moved = new Date(startsAt.getTime() + DAY);
      const res = await ctx
        .admin()
        .patch(`/lectures/${lecture.id}`)
        .set(auth(coordinator))
        .send({ startsAt: moved.toISOString(), endsAt: new Date(moved.getTime() + 2 * HOUR).toISOString() })
        .expect(200);
      expect(Date.parse(res.body.startsAt)).toBe(moved.getTime());
      expect(await Promise.all(reminderIds(lecture, startsAt).map((id) => queue.getJob(id).then(Boolean)))).toEqual([false, false]);
      const next = await Promise.all(reminderIds(lecture, moved).map((id) => queue.getJob(id)));
      expect(next.map((job) => job?.data.startsAt)).toEqual([moved.toISOString(), moved.toISOString()]);
      expect(await notified('lecture.moved', lecture.id)).toEqual([{ user_id: ids.p3, title: expect.stringContaining('时间调整') }]);
    });

    it('skips the reminder a lecture closer than 24 h has no time for', async () => {
      const startsAt = minutesFromNow(3 * 60);
      const lecture = await createLecture(ctx, coordinator, places.wf7, { startsAt, endsAt: new Date(startsAt.getTime() + HOUR) });
      expect(await Promise.all(reminderIds(lecture, startsAt).map((id) => queue.getJob(id).then(Boolean)))).toEqual([false, true]);
    });

    it('reminds only those still registered, once, and not for a time the lecture has left', async () => {
      const lecture = await upcoming({ days: 3 });
      await register(p3, lecture.id).expect(200);
      await register(p4, lecture.id).expect(200);
      await ctx.parent().delete(`/lectures/${lecture.id}/registrations`).set(auth(p4)).expect(200);
      const startsAt = new Date(lecture.startsAt).toISOString();
      const lectures = ctx.apps.worker?.get(LectureRegistrationService) as LectureRegistrationService;

      const payload: JobPayloads['lecture.remind'] = { lectureId: lecture.id, window: '24h', startsAt };
      await lectures.remind(payload);
      await lectures.remind(payload);
      expect(await notified('lecture.remind', lecture.id)).toEqual([{ user_id: ids.p3, title: expect.stringContaining('讲座提醒') }]);
      // A job planned for an earlier time of a moved lecture sends nothing.
      await lectures.remind({ lectureId: lecture.id, window: '1h', startsAt: new Date(Date.parse(startsAt) - DAY).toISOString() });
      expect(await notified('lecture.remind', lecture.id)).toHaveLength(1);

      // The real job, run by the worker now instead of in three days.
      const job = await queue.getJob(`lecture-remind-${lecture.id}-1h-${Date.parse(startsAt)}`);
      await job?.promote();
      await eventually(async () => expect(await notified('lecture.remind', lecture.id)).toHaveLength(2));
      expect((await notified('lecture.remind', lecture.id)).map((n) => n.user_id)).toEqual([ids.p3, ids.p3]);
    });
  });

  describe('course plans', () => {
    it('shows the plan’s sessions and flags a plan that falls short once a session is cancelled', async () => {
      const plan = await ctx.admin().get(`/schools/${places.wf7}/course-plan`).set(auth(coordinator)).expect(200);
      expect(plan.body).toMatchObject({
        schoolId: places.wf7,
        schoolYear: places.schoolYear,
        requiredHours: 8,
        plannedHours: 8,
        meetsRequirement: true,
      });
      const sessions = plan.body.sessions as (LectureBody & { curriculumLabel: string })[];
      expect(sessions).toHaveLength(4);
      expect(sessions.every((s) => s.curriculumLabel.startsWith('《牵手两代》') && s.creditHours === 2 && s.planId === plan.body.id)).toBe(
        true,
      );
      // The class teacher reads the plan; another school's coordinator does not.
      await ctx
        .admin()
        .get(`/schools/${places.wf7}/course-plan`)
        .set(auth(await ctx.login('13900000002', 'admin')))
        .expect(200);
      await ctx.admin().get(`/schools/${places.wf7}/course-plan`).set(auth(otherCoordinator)).expect(403);
      expect((await ctx.admin().get(`/schools/${places.guangwen}/course-plan`).set(auth(cityAdmin)).expect(404)).body.code).toBe(
        'PLAN_NOT_FOUND',
      );
      expect((await ctx.admin().post(`/schools/${places.wf7}/course-plan`).set(auth(coordinator)).send({}).expect(409)).body.code).toBe(
        'PLAN_EXISTS',
      );

      await ctx.admin().post(`/lectures/${sessions[3].id}/cancel`).set(auth(coordinator)).expect(200);
      const short = await ctx.admin().get(`/schools/${places.wf7}/course-plan`).set(auth(coordinator)).expect(200);
      expect(short.body).toMatchObject({ plannedHours: 6, meetsRequirement: false });
      expect((short.body.sessions as LectureBody[]).find((s) => s.id === sessions[3].id)?.status).toBe('cancelled');

      // A make-up session (补课) repeats one: it adds no hours. A new session does.
      const startsAt = minutesFromNow(30 * 24 * 60);
      const endsAt = new Date(startsAt.getTime() + 2 * HOUR);
      await createLecture(ctx, coordinator, places.wf7, {
        startsAt,
        endsAt,
        planId: plan.body.id,
        makeupOf: sessions[0].id,
        series: 'school_course',
      });
      expect((await ctx.admin().get(`/schools/${places.wf7}/course-plan`).set(auth(coordinator)).expect(200)).body).toMatchObject({
        plannedHours: 6,
        meetsRequirement: false,
      });
      await createLecture(ctx, coordinator, places.wf7, { startsAt, endsAt, planId: plan.body.id, series: 'school_course' });
      const restored = await ctx.admin().get(`/schools/${places.wf7}/course-plan`).set(auth(coordinator)).expect(200);
      expect(restored.body).toMatchObject({ plannedHours: 8, meetsRequirement: true });
      expect(restored.body.sessions).toHaveLength(6);
    });

    it('keeps a school’s plan to those who manage the school', async () => {
      const [plan] = await ctx.query<{ id: string }>(`select id::text from course_plans where school_id = '${places.wf7}'`);
      const startsAt = minutesFromNow(30 * 24 * 60);
      const res = await ctx
        .admin()
        .post('/lectures')
        .set(auth(otherCoordinator))
        .send({
          series: 'school_course',
          title: '挂到别校计划',
          audience: { scope: 'school', schoolId: places.guangwen },
          mode: 'offline',
          startsAt: startsAt.toISOString(),
          endsAt: new Date(startsAt.getTime() + 2 * HOUR).toISOString(),
          creditHours: 2,
          planId: plan.id,
        })
        .expect(403);
      expect(res.body.code).toBe('FORBIDDEN');
      const [{ n }] = await ctx.query<{ n: number }>("select count(*)::int as n from lectures where title = '挂到别校计划'");
      expect(n).toBe(0);
    });
  });
});
