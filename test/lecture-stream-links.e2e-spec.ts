import { createTestContext, TestContext } from './support/harness';
import { auth, createLecture, DemoPlaces, demoPlaces, HOUR, minutesFromNow, newCoordinator, newFamily } from './support/courses';

interface LectureLinks {
  id: string;
  streamUrl: string | null;
  replayUrl: string | null;
}

/**
 * An online lecture's stream and replay links go to its audience only: the families it is for and
 * the staff in scope (organised in their area, or for their district or the whole city). Staff
 * elsewhere may list a published district-level lecture, but without its links.
 */
describe('stream links of published lectures', () => {
  let ctx: TestContext;
  let places: DemoPlaces;
  let kuiwenAdmin: string;
  let wf7Coordinator: string;
  let beichenCoordinator: string;
  let cityAdmin: string;
  let kuiwenParent: string;
  let weichengParent: string;
  const links = { streamUrl: 'https://live.example.cn/room-kuiwen', replayUrl: 'https://live.example.cn/replay-kuiwen' };

  beforeAll(async () => {
    ctx = await createTestContext({ apps: ['parent', 'admin'] });
    places = await demoPlaces(ctx);
    [kuiwenAdmin, wf7Coordinator, cityAdmin] = await Promise.all([
      ctx.login('13900000006', 'admin'),
      ctx.login('13900000001', 'admin'),
      ctx.login('13900000000', 'admin'),
    ]);
    beichenCoordinator = await ctx.login((await newCoordinator(ctx, places.beichen)).phone, 'admin');
    const [beichenClass] = await ctx.query<{ id: string }>(`select id::text from classes where school_id = '${places.beichen}' limit 1`);
    const weichengFamily = await newFamily(ctx, beichenClass.id);
    [kuiwenParent, weichengParent] = await Promise.all([ctx.login('13900000005'), ctx.login(weichengFamily.guardians[0].phone)]);
  });
  afterAll(async () => {
    await ctx?.close();
  });

  const live = (audience: Record<string, unknown>) => {
    const startsAt = minutesFromNow(2 * 24 * 60);
    return { startsAt, endsAt: new Date(startsAt.getTime() + HOUR), mode: 'live' as const, audience, ...links };
  };
  const staffRead = async (token: string, id: string) =>
    (await ctx.admin().get(`/lectures/${id}`).set(auth(token)).expect(200)).body as LectureLinks;
  const staffListed = async (token: string, id: string) =>
    ((await ctx.admin().get('/lectures').set(auth(token)).expect(200)).body.items as LectureLinks[]).find((l) => l.id === id);

  it('gives a district lecture’s links to its district’s staff and families, not to another district’s staff', async () => {
    const lecture = await createLecture(ctx, kuiwenAdmin, places.wf7, live({ scope: 'district', districtId: places.kuiwen }));

    for (const token of [kuiwenAdmin, wf7Coordinator, cityAdmin]) {
      expect(await staffRead(token, lecture.id)).toMatchObject(links);
      expect(await staffListed(token, lecture.id)).toMatchObject(links);
    }
    const family = (await ctx.parent().get(`/lectures/${lecture.id}`).set(auth(kuiwenParent)).expect(200)).body as LectureLinks;
    expect(family).toMatchObject(links);

    // 北辰中学 is in 潍城区: it sees the lecture, not how to watch it.
    expect(await staffRead(beichenCoordinator, lecture.id)).toMatchObject({ id: lecture.id, streamUrl: null, replayUrl: null });
    expect(await staffListed(beichenCoordinator, lecture.id)).toMatchObject({ id: lecture.id, streamUrl: null, replayUrl: null });
    // A family of 潍城区 does not see it at all.
    await ctx.parent().get(`/lectures/${lecture.id}`).set(auth(weichengParent)).expect(404);
    const listed = (await ctx.parent().get('/lectures').set(auth(weichengParent)).expect(200)).body.items as LectureLinks[];
    expect(listed.map((l) => l.id)).not.toContain(lecture.id);
  });

  it('keeps a school lecture’s links inside the school, its district and the city', async () => {
    const lecture = await createLecture(ctx, wf7Coordinator, places.wf7, live({ scope: 'school', schoolId: places.wf7 }));
    expect(await staffRead(wf7Coordinator, lecture.id)).toMatchObject(links);
    expect(await staffRead(kuiwenAdmin, lecture.id)).toMatchObject(links);
    const other = await ctx.admin().get(`/lectures/${lecture.id}`).set(auth(beichenCoordinator)).expect(404);
    expect(JSON.stringify(other.body)).not.toContain(links.streamUrl);
    expect(await staffListed(beichenCoordinator, lecture.id)).toBeUndefined();
  });

  it('gives a city-wide lecture’s links to staff anywhere', async () => {
    const lecture = await createLecture(ctx, cityAdmin, places.wf7, live({ scope: 'city' }));
    expect(await staffRead(beichenCoordinator, lecture.id)).toMatchObject(links);
    expect((await ctx.parent().get(`/lectures/${lecture.id}`).set(auth(weichengParent)).expect(200)).body).toMatchObject(links);
  });
});
