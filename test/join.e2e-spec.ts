import { freshFamily } from './support/families';
import { createTestContext, TestContext } from './support/harness';

async function until<T>(probe: () => Promise<T | undefined>, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('joining a class by its link, approved by the class teacher (parent-api, admin-api, worker)', () => {
  let ctx: TestContext;
  let class1: string;
  let xiaoyu: string;
  let zhaoyiming: string;
  const tokens: Record<string, string> = {};
  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
  const auth = (who: string) => bearer(tokens[who]);

  beforeAll(async () => {
    ctx = await createTestContext({ apps: ['parent', 'admin', 'worker'], env: { JOIN_MAX_PENDING_PER_USER: '1' } });
    [{ id: class1 }] = await ctx.query<{ id: string }>(
      `select c.id from classes c join schools s on s.id = c.school_id where s.name = '潍坊七中' and c.name = '初一(1)班'`,
    );
    [{ id: xiaoyu }] = await ctx.query<{ id: string }>(`select id from students where name = '陈小雨'`);
    [{ id: zhaoyiming }] = await ctx.query<{ id: string }>(`select id from students where name = '赵一鸣'`);
    tokens.teacher = await ctx.login('13900000002', 'admin');
    tokens.zhao = await ctx.login('13900000005');
    tokens.beichen = await ctx.login('13900000067', 'admin');
  });
  afterAll(() => ctx?.close());

  /** The class's join link as its teacher gets it (the same link every time). */
  const joinLink = async (): Promise<{ url: string; qr: string; token: string }> =>
    (await ctx.admin().get(`/classes/${class1}/join-link`).set(auth('teacher')).expect(200)).body;

  it('the class teacher gets the class’s link under PUBLIC_BASE_URL and its QR code; staff of another school do not', async () => {
    const link = await joinLink();
    expect(link.url).toBe(`http://127.0.0.1:3000/h5/join/${link.token}`);
    expect(link.qr).toMatch(/^data:image\/png;base64,/);
    expect((await ctx.admin().get(`/classes/${class1}/join-link`).set(auth('teacher')).expect(200)).body.token).toBe(link.token);
    expect((await ctx.admin().get(`/classes/${class1}/join-link`).set(auth('beichen'))).status).toBe(403);
  });

  it('a signed-in parent names a pupil of the class; the teacher approves; guardianship and class group follow', async () => {
    const link = await joinLink();
    const place = await ctx.parent().get(`/join?token=${link.token}`).set(auth('zhao')).expect(200);
    expect(place.body).toEqual({ classId: class1, schoolName: '潍坊七中', className: '初一(1)班' });
    const invalid = await ctx
      .parent()
      .post('/join-requests')
      .set(auth('zhao'))
      .send({ token: 'x'.repeat(32), studentName: '陈小雨', relation: '母亲' })
      .expect(404);
    expect(invalid.body.code).toBe('JOIN_LINK_INVALID');
    const unknown = await ctx
      .parent()
      .post('/join-requests')
      .set(auth('zhao'))
      .send({ token: link.token, studentName: '不存在', relation: '母亲' })
      .expect(404);
    expect(unknown.body).toMatchObject({ code: 'JOIN_STUDENT_NOT_FOUND', message: expect.stringContaining('不存在') });

    const created = await ctx
      .parent()
      .post('/join-requests')
      .set(auth('zhao'))
      .send({ token: link.token, studentName: '陈小雨', relation: '母亲' })
      .expect(201);
    expect(created.body).toMatchObject({ status: 'pending', studentName: '陈小雨', className: '初一(1)班' });
    const twice = await ctx
      .parent()
      .post('/join-requests')
      .set(auth('zhao'))
      .send({ token: link.token, studentName: '陈小雨', relation: '母亲' });
    expect([409, 429]).toContain(twice.status);
    // One pending request at a time here (JOIN_MAX_PENDING_PER_USER=1).
    const more = await ctx
      .parent()
      .post('/join-requests')
      .set(auth('zhao'))
      .send({ token: link.token, studentName: '刘子涵', relation: '母亲' })
      .expect(429);
    expect(more.body.code).toBe('JOIN_REQUEST_LIMIT');
    // Not a child of theirs yet.
    await ctx.parent().get(`/students/${xiaoyu}`).set(auth('zhao')).expect(403);

    const queue = await ctx.admin().get(`/classes/${class1}/join-requests`).set(auth('teacher')).expect(200);
    const request = queue.body.items.find((r: { id: string }) => r.id === created.body.id);
    expect(request).toMatchObject({
      studentId: xiaoyu,
      studentName: '陈小雨',
      name: '赵敏',
      phone: '13900000005',
      relation: '母亲',
      status: 'pending',
      invitedBy: null,
    });
    expect((await ctx.admin().post(`/join-requests/${created.body.id}/approve`).set(auth('beichen'))).status).toBe(403);
    await ctx.admin().post(`/join-requests/${created.body.id}/approve`).set(auth('teacher')).expect(204);
    const again = await ctx.admin().post(`/join-requests/${created.body.id}/approve`).set(auth('teacher')).expect(409);
    expect(again.body.code).toBe('JOIN_REQUEST_DECIDED');

    await ctx.parent().get(`/students/${xiaoyu}`).set(auth('zhao')).expect(200);
    const titles = await until(async () => {
      const items = (await ctx.parent().get('/conversations').set(auth('zhao')).expect(200)).body.items as { title: string }[];
      return items.some((c) => c.title === '潍坊七中 初一(1)班') ? items.map((c) => c.title) : undefined;
    });
    expect(titles).toContain('潍坊七中 初一(1)班');
    const already = await ctx
      .parent()
      .post('/join-requests')
      .set(auth('zhao'))
      .send({ token: link.token, studentName: '陈小雨', relation: '母亲' })
      .expect(409);
    expect(already.body.code).toBe('ALREADY_GUARDIAN');
    const audit = await ctx.query<{ action: string }>(
      `select action from audit_log where target_id = '${created.body.id}' order by created_at`,
    );
    expect(audit.map((a) => a.action)).toEqual(['join_request.created', 'join_request.approved']);
  });

  it('a guardian invites a grandparent, who gets an invited account; the teacher may reject it', async () => {
    // A family of its own in 初一(1)班: the invitation changes no demo family.
    const family = await freshFamily(ctx, { classId: class1 });
    const child = family.studentId;
    const foreign = await ctx
      .parent()
      .post(`/students/${zhaoyiming}/guardian-invites`)
      .set(bearer(family.token))
      .send({ phone: '13812340001', name: '陈爷爷', relation: '祖父母' });
    expect(foreign.status).toBe(403);
    const invited = await ctx
      .parent()
      .post(`/students/${child}/guardian-invites`)
      .set(bearer(family.token))
      .send({ phone: '13812340001', name: '陈爷爷', relation: '祖父母' })
      .expect(201);
    const [account] = await ctx.query<{ id: string; status: string }>(`select id, status from users where phone = '13812340001'`);
    expect(account.status).toBe('invited');
    const queue = await ctx.admin().get(`/classes/${class1}/join-requests`).set(auth('teacher')).expect(200);
    expect(queue.body.items.find((r: { id: string }) => r.id === invited.body.id)).toMatchObject({
      name: '陈爷爷',
      relation: '祖父母',
      userId: account.id,
      invitedBy: expect.any(String),
    });
    await ctx.admin().post(`/join-requests/${invited.body.id}/reject`).set(auth('teacher')).expect(204);
    const guardians = await ctx.query<{ n: number }>(`select count(*)::int as n from guardianships where user_id = '${account.id}'`);
    expect(guardians[0].n).toBe(0);
    const rejected = await ctx.admin().get(`/classes/${class1}/join-requests?status=rejected`).set(auth('teacher')).expect(200);
    expect(rejected.body.items.map((r: { id: string }) => r.id)).toContain(invited.body.id);
  });

  it('a guardian who joins the class group after a message counts as having read it from the join, with that time', async () => {
    const household = await freshFamily(ctx, { classId: class1, classGroup: true });
    const child = household.studentId;
    const teacher = await ctx.login('13900000002');
    const [group] = await ctx.query<{ id: string }>(
      `select id::text from conversations where kind = 'class_group' and class_id = '${class1}'`,
    );
    const sent = await ctx
      .parent()
      .post(`/conversations/${group.id}/messages`)
      .set({ Authorization: `Bearer ${teacher}` })
      .send({ clientMsgId: `join-${Date.now()}`, type: 'text', text: '欢迎新家长' })
      .expect(201);
    const before = await ctx
      .parent()
      .get(`/messages/${sent.body.message.id}/reads`)
      .set({ Authorization: `Bearer ${teacher}` })
      .expect(200);
    expect(before.body.unread.map((f: { studentId: string }) => f.studentId)).toContain(child);

    const invited = await ctx
      .parent()
      .post(`/students/${child}/guardian-invites`)
      .set(bearer(household.token))
      .send({ phone: '13812340002', name: '陈奶奶', relation: '祖父母' })
      .expect(201);
    const approvedAt = Date.now();
    await ctx.admin().post(`/join-requests/${invited.body.id}/approve`).set(auth('teacher')).expect(204);
    await until(async () => {
      const rows = await ctx.query<{ n: number }>(
        `select count(*)::int as n from conversation_members m join users u on u.id = m.user_id where m.conversation_id = '${group.id}' and u.phone = '13812340002'`,
      );
      return rows[0].n > 0 ? true : undefined;
    });
    const after = await ctx
      .parent()
      .get(`/messages/${sent.body.message.id}/reads`)
      .set({ Authorization: `Bearer ${teacher}` })
      .expect(200);
    const family = after.body.read.find((f: { studentId: string }) => f.studentId === child);
    expect(family.guardians.map((g: { name: string }) => g.name)).toContain('陈奶奶（祖父母）');
    const at = new Date(family.at).getTime();
    expect(at).toBeGreaterThanOrEqual(approvedAt - 1000);
    expect(at).toBeLessThanOrEqual(Date.now() + 1000);
  });
});
