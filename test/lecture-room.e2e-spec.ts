import { WatchTimeService } from '@jiaxiao/courses';
import { Principal } from '@jiaxiao/common';
import { createTestContext, TestContext } from './support/harness';
import { RealtimeClient } from './support/realtime-client';
import {
  auth,
  createLecture,
  DemoPlaces,
  demoPlaces,
  eventually,
  HOUR,
  MINUTE,
  minutesFromNow,
  newFamily,
  setTimes,
} from './support/courses';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n', 'latin1');

describe('lectures: Q&A room, materials, replays credited like live', () => {
  let ctx: TestContext;
  let places: DemoPlaces;
  let coordinator: string;
  const clients: RealtimeClient[] = [];

  async function connect(token: string): Promise<RealtimeClient> {
    const client = await RealtimeClient.connect(ctx.urls.gateway as string, token);
    clients.push(client);
    return client;
  }

  async function parentOfClass1(): Promise<{ id: string; token: string }> {
    const family = await newFamily(ctx, places.class1);
    return { id: family.guardians[0].id, token: await ctx.login(family.guardians[0].phone) };
  }

  beforeAll(async () => {
    ctx = await createTestContext({ apps: ['parent', 'admin', 'gateway', 'worker'] });
    places = await demoPlaces(ctx);
    coordinator = await ctx.login('13900000001', 'admin');
  });
  afterAll(async () => {
    for (const client of clients) client.close();
    await ctx?.close();
  });

  it('publishing opens the lecture_room; registered parents ask through the gateway and the coordinator answers', async () => {
    const startsAt = minutesFromNow(24 * 60);
    const lecture = await createLecture(ctx, coordinator, places.wf7, {
      title: '青春期沟通答疑讲座',
      startsAt,
      endsAt: new Date(startsAt.getTime() + HOUR),
      creditHours: 1,
    });
    const [room] = await ctx.query<{ id: string; title: string; staff: string }>(
      `select c.id::text, c.title, (select string_agg(u.phone, ',') from conversation_members m join users u on u.id = m.user_id where m.conversation_id = c.id and m.role = 'staff') as staff
       from conversations c where c.kind = 'lecture_room' and c.ref_id = '${lecture.id}'`,
    );
    expect(room).toMatchObject({ title: '讲座答疑：青春期沟通答疑讲座', staff: '13900000001' });

    const parent = await parentOfClass1();
    await ctx.parent().post(`/lectures/${lecture.id}/registrations`).set(auth(parent.token)).expect(200);
    const list = await ctx.parent().get('/conversations').set(auth(parent.token)).expect(200);
    expect(list.body.items).toContainEqual(
      expect.objectContaining({ id: room.id, kind: 'lecture_room', title: '讲座答疑：青春期沟通答疑讲座' }),
    );

    const coordinatorParentToken = await ctx.login('13900000001');
    const answerer = await connect(coordinatorParentToken);
    const asker = await connect(parent.token);
    const question = await asker.emit<{ message: { seq: number } }>('message:send', {
      conversationId: room.id,
      clientMsgId: 'q-1',
      type: 'text',
      text: '孩子不愿沟通怎么办？',
    });
    expect(question).toMatchObject({ ok: true, message: { seq: 1 } });
    await answerer.next(
      'message:new',
      (m: { conversationId: string; text: string }) => m.conversationId === room.id && m.text === '孩子不愿沟通怎么办？',
    );
    const answer = await answerer.emit('message:send', {
      conversationId: room.id,
      clientMsgId: 'a-1',
      type: 'text',
      text: '先倾听，少说教。',
    });
    expect(answer).toMatchObject({ ok: true });
    await asker.next(
      'message:new',
      (m: { conversationId: string; text: string }) => m.conversationId === room.id && m.text === '先倾听，少说教。',
    );

    // A parent of another school is not in the audience: no room, and no posting into it.
    const outsider = await ctx.login('13900000005');
    const refused = await ctx.parent().post(`/lectures/${lecture.id}/room`).set(auth(outsider)).expect(404);
    expect(refused.body.code).toBe('LECTURE_NOT_FOUND');
    const stranger = await connect(outsider);
    expect(await stranger.emit('message:send', { conversationId: room.id, clientMsgId: 'x-1', type: 'text', text: '打扰' })).toMatchObject({
      ok: false,
      code: 'FORBIDDEN',
    });
  });

  it('the audience enters without registering, after the lecture too; staff bring the speaker in; drafts have no room', async () => {
    const startsAt = minutesFromNow(-3 * 60);
    const lecture = await createLecture(ctx, coordinator, places.wf7, {
      startsAt,
      endsAt: new Date(startsAt.getTime() + HOUR),
      creditHours: 1,
    });
    const parent = await parentOfClass1();
    const entered = await ctx.parent().post(`/lectures/${lecture.id}/room`).set(auth(parent.token)).expect(201);
    expect(entered.body).toMatchObject({ lectureId: lecture.id, role: 'member' });
    const again = await ctx.parent().post(`/lectures/${lecture.id}/room`).set(auth(parent.token)).expect(201);
    expect(again.body.conversationId).toBe(entered.body.conversationId);
    const messages = await ctx
      .parent()
      .post(`/conversations/${entered.body.conversationId}/messages`)
      .set(auth(parent.token))
      .send({ clientMsgId: 'late-q', type: 'text', text: '讲座结束后还能提问吗？' });
    expect(messages.status).toBe(201);

    const staff = await ctx
      .admin()
      .post(`/lectures/${lecture.id}/room`)
      .set(auth(coordinator))
      .send({ speakerPhone: '13900000066' })
      .expect(201);
    expect(staff.body).toEqual({ lectureId: lecture.id, conversationId: entered.body.conversationId, role: 'staff' });
    const [speaker] = await ctx.query<{ role: string }>(
      `select m.role from conversation_members m join users u on u.id = m.user_id where m.conversation_id = '${staff.body.conversationId}' and u.phone = '13900000066'`,
    );
    expect(speaker.role).toBe('staff');

    expect(
      (await ctx.admin().post(`/lectures/${lecture.id}/room`).set(auth(coordinator)).send({ speakerPhone: '12345' }).expect(400)).body
        .errors[0].field,
    ).toBe('speakerPhone');
    expect(
      (await ctx.admin().post(`/lectures/${lecture.id}/room`).set(auth(coordinator)).send({ speakerPhone: '13911112222' }).expect(404)).body
        .code,
    ).toBe('USER_NOT_FOUND');
    const draft = await createLecture(
      ctx,
      coordinator,
      places.wf7,
      { startsAt: minutesFromNow(48 * 60), endsAt: minutesFromNow(49 * 60), creditHours: 1 },
      false,
    );
    expect((await ctx.admin().post(`/lectures/${draft.id}/room`).set(auth(coordinator)).send({}).expect(409)).body.code).toBe(
      'LECTURE_ROOM_NOT_OPEN',
    );
    const [{ n }] = await ctx.query<{ n: number }>(`select count(*)::int as n from conversations where ref_id = '${draft.id}'`);
    expect(n).toBe(0);
  });

  it('materials: staff attach their uploads; the audience lists and downloads them, others cannot', async () => {
    const startsAt = minutesFromNow(24 * 60);
    const lecture = await createLecture(ctx, coordinator, places.wf7, {
      startsAt,
      endsAt: new Date(startsAt.getTime() + HOUR),
      creditHours: 1,
    });
    const coordinatorParentToken = await ctx.login('13900000001');
    const upload = await ctx.parent().post('/uploads').set(auth(coordinatorParentToken)).attach('file', PDF, '第三讲课件.pdf').expect(201);
    const added = await ctx
      .admin()
      .post(`/lectures/${lecture.id}/materials`)
      .set(auth(coordinator))
      .send({ fileId: upload.body.id, title: '第三讲课件', kind: 'slides' })
      .expect(201);
    expect(added.body).toMatchObject({
      title: '第三讲课件',
      kind: 'slides',
      fileId: upload.body.id,
      name: '第三讲课件.pdf',
      mime: 'application/pdf',
    });
    expect(
      (
        await ctx
          .admin()
          .post(`/lectures/${lecture.id}/materials`)
          .set(auth(coordinator))
          .send({ fileId: upload.body.id, title: '再传一次', kind: 'slides' })
          .expect(409)
      ).body.code,
    ).toBe('MATERIAL_EXISTS');

    const parent = await parentOfClass1();
    const listed = await ctx.parent().get(`/lectures/${lecture.id}/materials`).set(auth(parent.token)).expect(200);
    expect(listed.body).toEqual({ items: [expect.objectContaining({ id: added.body.id, fileId: upload.body.id })], nextCursor: null });
    const file = await ctx.parent().get(`/files/${upload.body.id}`).set(auth(parent.token)).expect(200);
    expect(
      Buffer.from(file.body as Buffer)
        .subarray(0, 5)
        .toString('latin1'),
    ).toBe('%PDF-');

    const outsider = await ctx.login('13900000005');
    await ctx.parent().get(`/lectures/${lecture.id}/materials`).set(auth(outsider)).expect(404);
    expect((await ctx.parent().get(`/files/${upload.body.id}`).set(auth(outsider)).expect(403)).body.code).toBe('FORBIDDEN');

    // A file someone else uploaded cannot be attached (attaching shares it); bad fields are named.
    const parentsFile = await ctx.parent().post('/uploads').set(auth(parent.token)).attach('file', PDF, 'mine.pdf').expect(201);
    expect(
      (
        await ctx
          .admin()
          .post(`/lectures/${lecture.id}/materials`)
          .set(auth(coordinator))
          .send({ fileId: parentsFile.body.id, title: '别人的文件', kind: 'handout' })
          .expect(404)
      ).body.code,
    ).toBe('FILE_NOT_FOUND');
    const bad = await ctx
      .admin()
      .post(`/lectures/${lecture.id}/materials`)
      .set(auth(coordinator))
      .send({ fileId: 'nope', title: '', kind: 'video' })
      .expect(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['fileId', 'kind', 'title']);
    // Parents do not manage lectures.
    const parentOnAdmin = await ctx
      .admin()
      .post(`/lectures/${lecture.id}/materials`)
      .set(auth(parent.token))
      .send({ fileId: parentsFile.body.id, title: 'x', kind: 'other' })
      .expect(403);
    expect(parentOnAdmin.body.code).toBe('ADMIN_ROLE_REQUIRED');
  });

  it('deleting a material: its managers only; afterwards the list leaves it out and the audience no longer gets the file', async () => {
    const startsAt = minutesFromNow(24 * 60);
    const lecture = await createLecture(ctx, coordinator, places.wf7, {
      startsAt,
      endsAt: new Date(startsAt.getTime() + HOUR),
      creditHours: 1,
    });
    const upload = await ctx
      .parent()
      .post('/uploads')
      .set(auth(await ctx.login('13900000001')))
      .attach('file', PDF, '讲义.pdf')
      .expect(201);
    const added = await ctx
      .admin()
      .post(`/lectures/${lecture.id}/materials`)
      .set(auth(coordinator))
      .send({ fileId: upload.body.id, title: '讲义', kind: 'handout' })
      .expect(201);
    const parent = await parentOfClass1();
    await ctx.parent().get(`/files/${upload.body.id}`).set(auth(parent.token)).expect(200);

    // Neither the class teacher nor another school's coordinator manages 潍坊七中's lecture.
    for (const phone of ['13900000002', '13900000067']) {
      const staff = await ctx.login(phone, 'admin');
      expect((await ctx.admin().delete(`/lecture-materials/${added.body.id}`).set(auth(staff)).expect(403)).body.code).toBe('FORBIDDEN');
    }
    await ctx.parent().get(`/files/${upload.body.id}`).set(auth(parent.token)).expect(200);

    await ctx.admin().delete(`/lecture-materials/${added.body.id}`).set(auth(coordinator)).expect(204);
    expect((await ctx.parent().get(`/lectures/${lecture.id}/materials`).set(auth(parent.token)).expect(200)).body.items).toEqual([]);
    expect((await ctx.admin().get(`/lectures/${lecture.id}/materials`).set(auth(coordinator)).expect(200)).body.items).toEqual([]);
    expect((await ctx.parent().get(`/files/${upload.body.id}`).set(auth(parent.token)).expect(403)).body.code).toBe('FORBIDDEN');
    expect((await ctx.admin().delete(`/lecture-materials/${added.body.id}`).set(auth(coordinator)).expect(404)).body.code).toBe(
      'MATERIAL_NOT_FOUND',
    );
    expect((await ctx.admin().delete('/lecture-materials/not-a-uuid').set(auth(coordinator)).expect(404)).body.code).toBe(
      'MATERIAL_NOT_FOUND',
    );
    const [audit] = await ctx.query<{ n: number }>(
      `select count(*)::int as n from audit_log where action = 'lecture.material_removed' and target_id = '${lecture.id}'`,
    );
    expect(audit.n).toBe(1);
  });

  it('a parent who only watches the replay, after the lecture, is credited as if live', async () => {
    const startsAt = minutesFromNow(60);
    const lecture = await createLecture(ctx, coordinator, places.wf7, {
      mode: 'live',
      streamUrl: 'https://live.example.edu.cn/wf7-replay',
      replayUrl: 'https://vod.example.edu.cn/wf7-replay',
      startsAt,
      endsAt: new Date(startsAt.getTime() + HOUR),
      creditHours: 1,
    });
    // The lecture ran yesterday for 10 minutes; this parent never watched it live.
    await setTimes(ctx, lecture.id, new Date(Date.now() - 24 * HOUR), new Date(Date.now() - 24 * HOUR + 10 * MINUTE));
    const family = await newFamily(ctx, places.class1);
    const guardian = family.guardians[0];
    const client = await connect(await ctx.login(guardian.phone));
    expect(await client.emit('lecture:heartbeat', { lectureId: lecture.id })).toEqual({ ok: true, counted: 0 });

    const watch = ctx.apps.worker?.get(WatchTimeService) as WatchTimeService;
    const principal: Principal = {
      userId: guardian.id,
      sessionId: '',
      name: guardian.name,
      roles: ['parent'],
      assignments: [],
      children: [],
    };
    // The same socket goes on beating; its next beats are handed to the service with chosen times
    // (35 s apart, as the client sends them): 15 × 35 s ≥ 80% of the 10 minutes.
    const device = client.socket.id as string;
    const t0 = Date.now() + 35_000;
    for (let i = 0; i < 15; i++) expect((await watch.beat(principal, lecture.id, device, t0 + i * 35_000)).counted).toBe(35);
    await watch.flush();
    await eventually(async () =>
      expect(
        await ctx.query(
          `select source, hours::text from hour_ledger where lecture_id = '${lecture.id}' and guardian_id = '${guardian.id}'`,
        ),
      ).toEqual([{ source: 'online', hours: '1.0' }]),
    );
    const hours = await ctx
      .parent()
      .get('/me/course-hours')
      .set(auth(await ctx.login(guardian.phone)))
      .expect(200);
    expect(hours.body.households).toEqual([expect.objectContaining({ studentId: family.studentId, earnedHours: 1 })]);
  });
});
