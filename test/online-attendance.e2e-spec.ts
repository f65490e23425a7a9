import { Queue } from 'bullmq';
import { Principal, QUEUES } from '@jiaxiao/common';
import { WatchTimeService } from '@jiaxiao/courses';
import { createTestContext, TestContext } from './support/harness';
import { RealtimeClient } from './support/realtime-client';
import { auth, createLecture, DemoPlaces, demoPlaces, eventually, Guardian, MINUTE, newFamily, setTimes } from './support/courses';

describe('online attendance: lecture:heartbeat through the gateway, flushed by the worker', () => {
  let ctx: TestContext;
  let places: DemoPlaces;
  let coordinator: string;
  let watch: WatchTimeService;
  let queue: Queue;
  const clients: RealtimeClient[] = [];

  /** A live lecture of 潍坊七中 that started a minute ago and lasts `minutes` (10 by default). */
  async function live(minutes = 10, extra: { replayUrl?: string } = {}): Promise<string> {
    const startsAt = new Date(Date.now() + 60 * MINUTE);
    const lecture = await createLecture(ctx, coordinator, places.wf7, {
      mode: 'live',
      streamUrl: 'https://live.example.edu.cn/wf7',
      // Created as a full hour (credit never exceeds the session), then shortened to `minutes` so the test runs in seconds.
      startsAt,
      endsAt: new Date(startsAt.getTime() + Math.max(minutes, 60) * MINUTE),
      creditHours: 1,
      ...extra,
    });
    const started = new Date(Date.now() - MINUTE);
    await setTimes(ctx, lecture.id, started, new Date(started.getTime() + minutes * MINUTE));
    return lecture.id;
  }

  /** A guardian of a new child in 初一(1)班, as the service sees the caller. */
  async function viewer(): Promise<Guardian & { principal: Principal; studentId: string }> {
    const family = await newFamily(ctx, places.class1);
    const guardian = family.guardians[0];
    const principal: Principal = {
      userId: guardian.id,
      sessionId: '',
      name: guardian.name,
      roles: ['parent'],
      assignments: [],
      children: [],
    };
    return { ...guardian, principal, studentId: family.studentId };
  }

  async function connect(phone: string): Promise<RealtimeClient> {
    const client = await RealtimeClient.connect(ctx.urls.gateway as string, await ctx.login(phone));
    clients.push(client);
    return client;
  }

  const key = (lectureId: string, userId: string) => `watch:${lectureId}:${userId}`;
  const watched = async (lectureId: string, userId: string) =>
    (
      await ctx.query<{ s: number }>(
        `select coalesce((select watched_seconds from attendance where lecture_id = '${lectureId}' and user_id = '${userId}'), 0)::int as s`,
      )
    )[0].s;
  const credits = (lectureId: string, userId: string) =>
    ctx.query<{ source: string; hours: string }>(
      `select source, hours::text from hour_ledger where lecture_id = '${lectureId}' and guardian_id = '${userId}' and kind = 'credit'`,
    );

  beforeAll(async () => {
    ctx = await createTestContext({ apps: ['parent', 'admin', 'gateway', 'worker'] });
    places = await demoPlaces(ctx);
    coordinator = await ctx.login('13900000001', 'admin');
    watch = ctx.apps.worker?.get(WatchTimeService) as WatchTimeService;
    queue = new Queue(QUEUES.courses, { connection: { url: ctx.config.REDIS_URL }, prefix: `${ctx.config.REDIS_PREFIX}:bull` });
  });
  afterAll(async () => {
    for (const client of clients) client.close();
    await queue?.close();
    await ctx?.close();
  });

  it('counts a socket’s beats, capped at 35 s each, and not a second socket of the same user', async () => {
    const lectureId = await live();
    const who = await viewer();
    const [phone, tablet] = [await connect(who.phone), await connect(who.phone)];

    expect(await phone.emit('lecture:heartbeat', { lectureId })).toEqual({ ok: true, counted: 0 });
    // A beat long after the previous one counts 35 s, not the whole gap.
    await ctx.infra.redis.hset(key(lectureId, who.id), 'last', String(Date.now() - 100_000));
    expect(await phone.emit('lecture:heartbeat', { lectureId })).toEqual({ ok: true, counted: 35 });
    // The same user on a second screen while the first still beats: nothing more.
    expect(await tablet.emit('lecture:heartbeat', { lectureId })).toEqual({ ok: true, counted: 0 });
    await ctx.infra.redis.hset(key(lectureId, who.id), 'last', String(Date.now() - 10_000));
    expect(await tablet.emit('lecture:heartbeat', { lectureId })).toEqual({ ok: true, counted: 0 });
    // The phone is still the counting device. (The pending seconds are checked after the flush: the
    // worker's repeating flush may move them at any moment.)
    expect(await ctx.infra.redis.hget(key(lectureId, who.id), 'device')).toBe(phone.socket.id);

    await watch.flush();
    await eventually(async () => expect(await watched(lectureId, who.id)).toBe(35));
  });

  it('refuses beats for lectures that are not online, not live, or not for the caller', async () => {
    const who = await viewer();
    const client = await connect(who.phone);
    const startsAt = new Date(Date.now() + 60 * MINUTE);
    const offline = await createLecture(ctx, coordinator, places.wf7, { startsAt, endsAt: new Date(startsAt.getTime() + 60 * MINUTE) });
    expect(await client.emit('lecture:heartbeat', { lectureId: offline.id })).toMatchObject({ ok: false, code: 'NOT_AN_ONLINE_LECTURE' });

    const later = await live();
    await setTimes(ctx, later, startsAt, new Date(startsAt.getTime() + 60 * MINUTE));
    expect(await client.emit('lecture:heartbeat', { lectureId: later })).toMatchObject({
      ok: false,
      code: 'LECTURE_NOT_STARTED',
      message: '讲座尚未开始，请在开始后观看',
    });

    const elsewhere = await createLecture(ctx, await ctx.login('13900000000', 'admin'), places.guangwen, {
      startsAt,
      endsAt: new Date(startsAt.getTime() + 60 * MINUTE),
      mode: 'live',
      streamUrl: 'https://live.example.edu.cn/gw',
      audience: { scope: 'school', schoolId: places.guangwen },
    });
    await setTimes(ctx, elsewhere.id, new Date(Date.now() - MINUTE), new Date(Date.now() + 30 * MINUTE));
    expect(await client.emit('lecture:heartbeat', { lectureId: elsewhere.id })).toMatchObject({
      ok: false,
      code: 'LECTURE_NOT_IN_AUDIENCE',
    });

    expect(await client.emit('lecture:heartbeat', { lectureId: 'not-a-uuid' })).toMatchObject({ ok: false, code: 'BAD_REQUEST' });
    expect(await client.emit('lecture:heartbeat', { lectureId: '00000000-0000-4000-8000-000000000000' })).toMatchObject({
      ok: false,
      code: 'LECTURE_NOT_FOUND',
    });
  });

  it('counts the time since the previous beat, one device at a time, with rapid beats adding nothing', async () => {
    const lectureId = await live();
    const who = await viewer();
    const t0 = Date.now();
    const beat = (device: string, at: number) => watch.beat(who.principal, lectureId, device, t0 + at).then((r) => r.counted);

    expect(await beat('phone', 0)).toBe(0);
    expect(await beat('phone', 30_000)).toBe(30);
    expect(await beat('phone', 30_400)).toBe(0);
    expect(await beat('phone', 100_400)).toBe(35);
    // The tablet beats while the phone is active: it does not count.
    expect(await beat('tablet', 110_000)).toBe(0);
    expect(await beat('phone', 120_000)).toBe(19);
    // The phone went quiet for more than 35 s: the tablet takes over (its first beat counts nothing).
    expect(await beat('tablet', 160_000)).toBe(0);
    expect(await beat('phone', 165_000)).toBe(0);
    expect(await beat('tablet', 190_000)).toBe(30);
    // Five beats at once (a client retrying, or a burst) count the 30 s once.
    const burst = await Promise.all(Array.from({ length: 5 }, () => beat('tablet', 220_000)));
    expect(burst.reduce((a, b) => a + b, 0)).toBe(30);

    await watch.flush();
    await eventually(async () => expect(await watched(lectureId, who.id)).toBe(30 + 35 + 19 + 30 + 30));
    expect(await credits(lectureId, who.id)).toEqual([]);
  });

  it('credits once the watched time reaches 80% of the duration, and live and replay together credit once', async () => {
    const replayUrl = 'https://vod.example.edu.cn/wf7';
    const lectureId = await live(10, { replayUrl });
    const who = await viewer();
    const t0 = Date.now();
    await watch.beat(who.principal, lectureId, 'phone', t0);
    // 13 beats of 35 s: 455 s, short of 480 s (80% of 10 minutes).
    for (let i = 1; i <= 13; i++) expect((await watch.beat(who.principal, lectureId, 'phone', t0 + i * 35_000)).counted).toBe(35);
    await watch.flush();
    await eventually(async () => expect(await watched(lectureId, who.id)).toBe(455));
    expect(await credits(lectureId, who.id)).toEqual([]);

    expect((await watch.beat(who.principal, lectureId, 'phone', t0 + 14 * 35_000)).counted).toBe(35);
    await watch.flush();
    await eventually(async () => expect(await credits(lectureId, who.id)).toEqual([{ source: 'online', hours: '1.0' }]));
    expect(await watched(lectureId, who.id)).toBe(490);
    const hours = await ctx
      .parent()
      .get('/me/course-hours')
      .set(auth(await ctx.login(who.phone)))
      .expect(200);
    expect(hours.body.households).toEqual([
      expect.objectContaining({ studentId: who.studentId, earnedHours: 1, entries: [expect.objectContaining({ lectureId })] }),
    ]);

    // The lecture is over; watching the replay adds time but no second credit.
    await setTimes(ctx, lectureId, new Date(Date.now() - 30 * MINUTE), new Date(Date.now() - 20 * MINUTE));
    for (let i = 15; i < 30; i++) expect((await watch.beat(who.principal, lectureId, 'phone', t0 + i * 35_000)).counted).toBe(35);
    await watch.flush();
    await eventually(async () => expect(await watched(lectureId, who.id)).toBe(490 + 15 * 35));
    expect(await credits(lectureId, who.id)).toHaveLength(1);
    const [{ n }] = await ctx.query<{ n: number }>(
      `select count(*)::int as n from household_credits where student_id = '${who.studentId}'`,
    );
    expect(n).toBe(1);
  });

  it('refuses beats after a lecture without a replay has ended', async () => {
    const lectureId = await live();
    const who = await viewer();
    await setTimes(ctx, lectureId, new Date(Date.now() - 30 * MINUTE), new Date(Date.now() - 20 * MINUTE));
    await expect(watch.beat(who.principal, lectureId, 'phone')).rejects.toMatchObject({ code: 'LECTURE_ENDED' });
  });

  it('the worker runs the flush as a repeating job, and on demand', async () => {
    const scheduler = await queue.getJobScheduler('watch-flush');
    expect(scheduler).toMatchObject({ name: 'watch.flush', every: 30_000 });

    const lectureId = await live();
    const who = await viewer();
    // Seconds accrued in Redis as the gateway leaves them.
    await ctx.infra.redis
      .multi()
      .hset(key(lectureId, who.id), 'device', 'phone', 'last', String(Date.now()), 'pending', '120')
      .sadd('watch:dirty', `${lectureId}:${who.id}`)
      .exec();
    await queue.add('watch.flush', {});
    await eventually(async () => expect(await watched(lectureId, who.id)).toBe(120));
    expect(await ctx.infra.redis.hget(key(lectureId, who.id), 'pending')).toBe('0');
  });
});
