import { freshFamily } from './support/families';
import { createTestContext, TestContext } from './support/harness';

/**
 * 心理辅导 through the real parent-api and admin-api: sites of a school, a district or the city
 * and who manages each; appointing site staff; parents' private appointment requests — seen and
 * handled only by the site's staff, notified to the parent — with their validation and the limit
 * of open requests per guardian.
 */
describe('counselling: support sites, site staff, appointment requests', () => {
  let ctx: TestContext;
  const tokens: Record<string, string> = {};
  const ids: Record<string, string> = {};
  const auth = (who: string) => ({ Authorization: `Bearer ${tokens[who]}` });
  const one = async <T>(text: string) => (await ctx.query<T>(text))[0];
  const names = (body: { items: { name: string }[] }) => body.items.map((s) => s.name);
  const request = (siteId: string, extra: Record<string, unknown> = {}) => ({
    siteId,
    topic: 'emotion',
    description: '孩子最近常说不想上学，晚上睡不好。',
    preferredTimes: '工作日 17:00 以后',
    ...extra,
  });
  const inFuture = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();

  beforeAll(async () => {
    ctx = await createTestContext({ apps: ['parent', 'admin'] });
    for (const [key, table, name] of [
      ['qizhong', 'schools', '潍坊七中'],
      ['beichen', 'schools', '北辰中学'],
      ['kuiwen', 'districts', '奎文区'],
      ['weicheng', 'districts', '潍城区'],
      ['room', 'support_sites', '心语小屋'],
      ['kuiwenCentre', 'support_sites', '奎文区未成年人心理辅导中心'],
      ['hotline', 'support_sites', '潍坊市 12355 青少年心理援助热线'],
      ['chenChild', 'students', '陈小雨'],
      ['zhaoChild', 'students', '赵一鸣'],
    ]) {
      ids[key] = (await one<{ id: string }>(`select id from ${table} where name = '${name}'`)).id;
    }
    for (const [who, phone, api] of [
      ['city', '13900000000', 'admin'],
      ['district', '13900000006', 'admin'],
      ['qzCoordinator', '13900000001', 'admin'],
      ['bcCoordinator', '13900000067', 'admin'],
      ['teacher', '13900000002', 'admin'],
      ['chen', '13900000003', 'parent'],
      ['zhao', '13900000005', 'parent'],
    ] as const) {
      tokens[who] = await ctx.login(phone, api);
    }
  });
  afterAll(async () => {
    await ctx?.close();
  });

  it('sites belong to a school, a district or the city, and each level manages its own', async () => {
    const site = (body: Record<string, unknown>) => ({
      kind: 'counselling_centre',
      name: '测试中心',
      openingHours: '周一至周五 9:00–17:00',
      contact: '0536-1234567',
      ...body,
    });
    const post = (who: string, body: Record<string, unknown>) =>
      ctx.admin().post('/model-schools/support-sites').set(auth(who)).send(site(body));

    // The rows from before the change are school sites.
    expect(await one(`select scope, school_id is not null as school from support_sites where id = '${ids.room}'`)).toEqual({
      scope: 'school',
      school: true,
    });
    // A coordinator manages only their school's sites; district staff their district's; city staff the city's.
    expect((await post('qzCoordinator', { scope: 'district', districtId: ids.kuiwen }).expect(403)).body.code).toBe('FORBIDDEN');
    expect((await post('qzCoordinator', { scope: 'city' }).expect(403)).body.code).toBe('FORBIDDEN');
    expect((await post('district', { scope: 'district', districtId: ids.weicheng }).expect(403)).body.code).toBe('FORBIDDEN');
    expect((await post('district', { scope: 'city' }).expect(403)).body.code).toBe('FORBIDDEN');
    const district = await post('district', {
      scope: 'district',
      districtId: ids.kuiwen,
      name: '奎文区家庭教育指导中心',
      phone: '0536-8096000',
    }).expect(201);
    expect(district.body).toMatchObject({
      scope: 'district',
      schoolId: null,
      districtId: ids.kuiwen,
      districtName: '奎文区',
      phone: '0536-8096000',
      acceptsRequests: false,
    });
    const city = await post('city', { scope: 'city', kind: 'hotline', name: '市心理援助夜间热线', phone: '12356' }).expect(201);
    expect(city.body).toMatchObject({ scope: 'city', schoolId: null, districtId: null });
    const beichen = await post('bcCoordinator', { schoolId: ids.beichen, kind: 'counselling_room', name: '北辰心理辅导室' }).expect(201);
    expect(beichen.body).toMatchObject({ scope: 'school', schoolName: '北辰中学', districtName: '潍城区' });
    ids.beichenRoom = beichen.body.id;

    // The scope and its school or district must agree; bad fields are named.
    expect((await post('city', { scope: 'district' }).expect(400)).body.code).toBe('SUPPORT_SITE_SCOPE_INVALID');
    expect((await post('city', { scope: 'city', districtId: ids.kuiwen }).expect(400)).body.code).toBe('SUPPORT_SITE_SCOPE_INVALID');
    expect((await post('city', { schoolId: ids.qizhong, districtId: ids.kuiwen }).expect(400)).body.code).toBe(
      'SUPPORT_SITE_SCOPE_INVALID',
    );
    const bad = await post('city', { scope: 'province', kind: 'x', phone: 'call me' }).expect(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['kind', 'phone', 'scope']);

    // Parents see their children's schools, those schools' districts and the city.
    const chen = await ctx.parent().get('/support-sites').set(auth('chen')).expect(200);
    expect(names(chen.body)).toEqual(
      expect.arrayContaining([
        '心语小屋',
        '奎文区未成年人心理辅导中心',
        '奎文区家庭教育指导中心',
        '潍坊市 12355 青少年心理援助热线',
        '市心理援助夜间热线',
      ]),
    );
    expect(names(chen.body)).not.toContain('北辰心理辅导室');
    expect(chen.body.items.find((s: { name: string }) => s.name === '心语小屋')).toMatchObject({
      scope: 'school',
      schoolName: '潍坊七中',
      acceptsRequests: true,
    });
    const zhao = await ctx.parent().get('/support-sites').set(auth('zhao')).expect(200);
    expect(names(zhao.body)).toContain('奎文区家庭教育指导中心');
    expect(names(zhao.body)).not.toContain('心语小屋');
    // The public directory lists every level.
    const listed = await ctx.parent().get('/public/support-sites').expect(200);
    expect(names(listed.body)).toEqual(
      expect.arrayContaining(['心语小屋', '北辰心理辅导室', '奎文区家庭教育指导中心', '市心理援助夜间热线']),
    );

    // Deleting follows the same lines: a district admin cannot see the city's site to delete it.
    expect((await ctx.admin().delete(`/model-schools/support-sites/${city.body.id}`).set(auth('district')).expect(404)).body.code).toBe(
      'SUPPORT_SITE_NOT_FOUND',
    );
    await ctx.admin().delete(`/model-schools/support-sites/${city.body.id}`).set(auth('city')).expect(204);
    expect(names((await ctx.parent().get('/public/support-sites').expect(200)).body)).not.toContain('市心理援助夜间热线');
  });

  it('managers appoint existing staff accounts to a site; the console lists what each caller manages or staffs', async () => {
    const appoint = (who: string, siteId: string, phone: string) =>
      ctx.admin().post(`/counselling/sites/${siteId}/staff`).set(auth(who)).send({ phone });
    expect((await appoint('qzCoordinator', ids.kuiwenCentre, '13900000002').expect(404)).body.code).toBe('SUPPORT_SITE_NOT_FOUND');
    expect((await appoint('district', ids.kuiwenCentre, '13900000005').expect(404)).body.code).toBe('STAFF_ACCOUNT_NOT_FOUND');
    expect((await appoint('district', ids.kuiwenCentre, '12345').expect(400)).body.code).toBe('VALIDATION_FAILED');
    const appointed = await appoint('district', ids.kuiwenCentre, '13900000002').expect(201);
    expect(appointed.body).toMatchObject({
      id: ids.kuiwenCentre,
      manageable: true,
      staffed: false,
      acceptsRequests: true,
      staff: [expect.objectContaining({ name: '张丽华', phone: '13900000002' })],
    });
    await appoint('district', ids.kuiwenCentre, '13900000002').expect(201);

    // The teacher now staffs the centre but does not manage it.
    const teacher = await ctx.admin().get('/counselling/sites').set(auth('teacher')).expect(200);
    expect(teacher.body.items).toEqual([expect.objectContaining({ id: ids.kuiwenCentre, manageable: false, staffed: true })]);
    // The coordinator of 潍坊七中 manages her room (and staffs it), not the district's centre.
    const coordinator = await ctx.admin().get('/counselling/sites').set(auth('qzCoordinator')).expect(200);
    expect(
      coordinator.body.items.map((s: { id: string; manageable: boolean; staffed: boolean }) => [s.id, s.manageable, s.staffed]),
    ).toEqual([[ids.room, true, true]]);
    const district = await ctx.admin().get('/counselling/sites').set(auth('district')).expect(200);
    expect(district.body.items.map((s: { id: string }) => s.id)).toEqual(expect.arrayContaining([ids.room, ids.kuiwenCentre]));
    expect(district.body.items.map((s: { id: string }) => s.id)).not.toContain(ids.hotline);

    expect(
      (await ctx.admin().delete(`/counselling/sites/${ids.kuiwenCentre}/staff?userId=${ids.room}`).set(auth('district')).expect(404)).body
        .code,
    ).toBe('SUPPORT_SITE_STAFF_NOT_FOUND');
  });

  it('a parent asks a site privately: only its staff read and handle it, the parent follows it and is notified', async () => {
    // Bad input is named; sites a parent cannot see, unstaffed sites and other families' children are refused.
    const bad = await ctx
      .parent()
      .post('/counselling/requests')
      .set(auth('chen'))
      .send({ siteId: 'x', topic: 'gossip', description: '短', preferredTimes: '', contactPhone: '110' })
      .expect(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'contactPhone',
      'description',
      'preferredTimes',
      'siteId',
      'topic',
    ]);
    expect((await ctx.parent().post('/counselling/requests').set(auth('chen')).send(request(ids.beichenRoom)).expect(404)).body.code).toBe(
      'SUPPORT_SITE_NOT_FOUND',
    );
    expect((await ctx.parent().post('/counselling/requests').set(auth('chen')).send(request(ids.hotline)).expect(409)).body.code).toBe(
      'COUNSELLING_SITE_UNSTAFFED',
    );
    expect(
      (
        await ctx
          .parent()
          .post('/counselling/requests')
          .set(auth('chen'))
          .send(request(ids.room, { studentId: ids.zhaoChild }))
          .expect(404)
      ).body.code,
    ).toBe('STUDENT_NOT_FOUND');

    const created = await ctx
      .parent()
      .post('/counselling/requests')
      .set(auth('chen'))
      .send(request(ids.room, { studentId: ids.chenChild, topic: 'study' }))
      .expect(201);
    expect(created.body).toMatchObject({
      siteName: '心语小屋',
      topic: 'study',
      status: 'open',
      contactPhone: '13900000003',
      studentName: '陈小雨',
      scheduledAt: null,
      reply: null,
    });
    const id = created.body.id as string;
    const staffNote = await one<{ body: string }>(
      `select n.body from notifications n join users u on u.id = n.user_id where u.phone = '13900000001' and n.kind = 'counselling.new'`,
    );
    expect(staffNote.body).not.toContain('不想上学');

    // Privacy: the child's class teacher, the district, the city and other coordinators are not the room's staff.
    for (const who of ['teacher', 'district', 'city', 'bcCoordinator']) {
      expect((await ctx.admin().get(`/counselling/requests/${id}`).set(auth(who)).expect(404)).body.code).toBe(
        'COUNSELLING_REQUEST_NOT_FOUND',
      );
      expect((await ctx.admin().get('/counselling/requests').set(auth(who)).expect(200)).body.items).toEqual([]);
      expect(
        (await ctx.admin().post(`/counselling/requests/${id}/reply`).set(auth(who)).send({ reply: '看看' }).expect(404)).body.code,
      ).toBe('COUNSELLING_REQUEST_NOT_FOUND');
    }
    // Another parent cannot read or withdraw it.
    expect((await ctx.parent().get(`/counselling/requests/${id}`).set(auth('zhao')).expect(404)).body.code).toBe(
      'COUNSELLING_REQUEST_NOT_FOUND',
    );
    expect((await ctx.parent().post(`/counselling/requests/${id}/withdraw`).set(auth('zhao')).expect(404)).body.code).toBe(
      'COUNSELLING_REQUEST_NOT_FOUND',
    );
    expect((await ctx.parent().get('/counselling/requests').set(auth('zhao')).expect(200)).body.items).toEqual([]);
    await ctx.parent().get('/counselling/requests/not-a-uuid').set(auth('chen')).expect(404);

    // The room's staff (its coordinator) sees it and accepts it with a time in the future.
    const inbox = await ctx.admin().get('/counselling/requests?status=open').set(auth('qzCoordinator')).expect(200);
    expect(inbox.body.items).toEqual([
      expect.objectContaining({ id, guardianName: '陈志强', description: '孩子最近常说不想上学，晚上睡不好。' }),
    ]);
    expect((await ctx.admin().get('/counselling/requests?status=maybe').set(auth('qzCoordinator')).expect(400)).body.code).toBe(
      'VALIDATION_FAILED',
    );
    expect((await ctx.admin().post(`/counselling/requests/${id}/accept`).set(auth('qzCoordinator')).send({}).expect(400)).body.code).toBe(
      'VALIDATION_FAILED',
    );
    expect(
      (
        await ctx
          .admin()
          .post(`/counselling/requests/${id}/accept`)
          .set(auth('qzCoordinator'))
          .send({ scheduledAt: '2020-01-01T09:00:00+08:00' })
          .expect(400)
      ).body.code,
    ).toBe('COUNSELLING_TIME_INVALID');
    const at = inFuture(3);
    const accepted = await ctx
      .admin()
      .post(`/counselling/requests/${id}/accept`)
      .set(auth('qzCoordinator'))
      .send({ scheduledAt: at, reply: '请到行政楼三楼 302。' })
      .expect(200);
    expect(accepted.body).toMatchObject({ status: 'accepted', scheduledAt: at, reply: '请到行政楼三楼 302。' });

    const mine = await ctx.parent().get(`/counselling/requests/${id}`).set(auth('chen')).expect(200);
    expect(mine.body).toMatchObject({ status: 'accepted', scheduledAt: at });
    const inApp = await ctx.parent().get('/notifications').set(auth('chen')).expect(200);
    const note = inApp.body.items.find((n: { kind: string }) => n.kind === 'counselling.updated');
    expect(note).toMatchObject({ title: '【心理辅导】您的预约有新进展', data: { counsellingRequestId: id } });
    expect(note.body).toContain('心语小屋”已接受您的预约');

    await ctx
      .admin()
      .post(`/counselling/requests/${id}/reply`)
      .set(auth('qzCoordinator'))
      .send({ reply: '记得带上孩子的作息记录。' })
      .expect(200);
    const closed = await ctx
      .admin()
      .post(`/counselling/requests/${id}/close`)
      .set(auth('qzCoordinator'))
      .send({ reply: '已完成首次辅导。' })
      .expect(200);
    expect(closed.body).toMatchObject({ status: 'closed', reply: '已完成首次辅导。', scheduledAt: at });
    expect(
      (await ctx.admin().post(`/counselling/requests/${id}/reply`).set(auth('qzCoordinator')).send({ reply: '再补充' }).expect(409)).body
        .code,
    ).toBe('COUNSELLING_REQUEST_CLOSED');
    const [{ n }] = await ctx.query<{ n: number }>(
      `select count(*)::int as n from notifications n join users u on u.id = n.user_id where u.phone = '13900000003' and n.kind = 'counselling.updated'`,
    );
    expect(n).toBe(3);
  });

  it('a coordinator who is not on a site’s staff never sees its requests', async () => {
    const created = await ctx
      .parent()
      .post('/counselling/requests')
      .set(auth('chen'))
      .send(request(ids.kuiwenCentre, { contactPhone: '13812345678' }))
      .expect(201);
    expect(created.body.contactPhone).toBe('13812345678');
    expect((await ctx.admin().get(`/counselling/requests/${created.body.id}`).set(auth('qzCoordinator')).expect(404)).body.code).toBe(
      'COUNSELLING_REQUEST_NOT_FOUND',
    );
    expect(
      (await ctx.admin().get('/counselling/requests').set(auth('qzCoordinator')).expect(200)).body.items.map((r: { id: string }) => r.id),
    ).not.toContain(created.body.id);
    expect((await ctx.admin().get(`/counselling/requests/${created.body.id}`).set(auth('teacher')).expect(200)).body.siteName).toBe(
      '奎文区未成年人心理辅导中心',
    );
    // Dismissed staff lose the requests with the site.
    const teacherId = (await one<{ id: string }>(`select id from users where phone = '13900000002'`)).id;
    await ctx.admin().delete(`/counselling/sites/${ids.kuiwenCentre}/staff?userId=${teacherId}`).set(auth('district')).expect(204);
    await ctx.admin().get(`/counselling/requests/${created.body.id}`).set(auth('teacher')).expect(404);
    await ctx.parent().post(`/counselling/requests/${created.body.id}/withdraw`).set(auth('chen')).expect(200);
  });

  it(`a guardian has at most 3 requests in progress, even when sending many at once`, async () => {
    // A family of 潍坊七中 of its own, with no request before this test.
    tokens.liu = (await freshFamily(ctx)).token;
    const sent = await Promise.all(
      Array.from({ length: 6 }, () => ctx.parent().post('/counselling/requests').set(auth('liu')).send(request(ids.room))),
    );
    expect(sent.map((r) => r.status).sort()).toEqual([201, 201, 201, 409, 409, 409]);
    expect(sent.find((r) => r.status === 409)?.body).toMatchObject({
      code: 'COUNSELLING_OPEN_LIMIT',
      message: expect.stringContaining('3 个未结束的预约'),
    });
    const withdrawn = await ctx
      .parent()
      .post(`/counselling/requests/${sent.find((r) => r.status === 201)?.body.id}/withdraw`)
      .set(auth('liu'))
      .expect(200);
    expect(withdrawn.body.status).toBe('closed');
    await ctx.parent().post('/counselling/requests').set(auth('liu')).send(request(ids.room)).expect(201);
    expect((await ctx.parent().get('/counselling/requests').set(auth('liu')).expect(200)).body.items).toHaveLength(4);
  });
});
