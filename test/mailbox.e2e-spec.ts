import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { QUEUES } from '@jiaxiao/common';
import { createTestContext, TestContext } from './support/harness';
import { auth, DemoPlaces, demoPlaces, eventually, newCoordinator, newFamily, newUser } from './support/courses';

interface Item {
  id: string;
  schoolId: string;
  anonymous: boolean;
  author: { userId: string; name: string; phone: string } | null;
  status: string;
  level: string;
  dueAt: string;
  overdue: boolean;
  escalatedAt: string | null;
  answer: string | null;
  answeredLevel: string | null;
}

/** 校长信箱: parents write to their child's school; unanswered items move up to the district, then the city. */
describe('the principal’s mailbox (parent-api + admin-api + worker)', () => {
  let ctx: TestContext;
  let places: DemoPlaces;
  let tokens: Record<'city' | 'district' | 'coordinator' | 'otherCoordinator' | 'teacher' | 'weichengAdmin', string>;

  async function parent() {
    const family = await newFamily(ctx, places.class1);
    return { ...family.guardians[0], token: await ctx.login(family.guardians[0].phone) };
  }
  const write = (token: string, body: Record<string, unknown>) =>
    ctx
      .parent()
      .post('/mailbox')
      .set(auth(token))
      .send({ schoolId: places.wf7, kind: 'complaint', subject: '反映问题', body: '这里是家长反映的具体情况。', ...body });
  const answer = (token: string, id: string, text = '已核实并处理，感谢您的反映。') =>
    ctx.admin().post(`/mailbox/${id}/answer`).set(auth(token)).send({ answer: text });
  const staffList = async (token: string): Promise<Item[]> =>
    (await ctx.admin().get('/mailbox').set(auth(token)).expect(200)).body.items as Item[];

  /** Runs the worker's escalation job once, as its schedule would. */
  async function escalate(): Promise<void> {
    const queue = ctx.apps.worker!.get<Queue>(getQueueToken(QUEUES.mailbox), { strict: false });
    const job = await queue.add('mailbox.escalate', {});
    await eventually(async () => expect(await job.isCompleted()).toBe(true));
  }
  const pastDue = (id: string) => ctx.query(`update mailbox_items set due_at = now() - interval '1 minute' where id = '${id}'`);

  beforeAll(async () => {
    ctx = await createTestContext({ apps: ['parent', 'admin', 'worker'] });
    places = await demoPlaces(ctx);
    const weichengAdmin = await newUser(ctx, '潍城区管理员');
    await ctx.query(
      `insert into role_assignments (user_id, role, scope_type, scope_id) values ('${weichengAdmin.id}', 'district_admin', 'district', '${places.weicheng}')`,
    );
    tokens = {
      city: await ctx.login('13900000000', 'admin'),
      district: await ctx.login('13900000006', 'admin'),
      coordinator: await ctx.login('13900000001', 'admin'),
      otherCoordinator: await ctx.login((await newCoordinator(ctx, places.guangwen)).phone, 'admin'),
      teacher: await ctx.login('13900000002', 'admin'),
      weichengAdmin: await ctx.login(weichengAdmin.phone, 'admin'),
    };
  });
  afterAll(() => ctx?.close());

  it('takes an anonymous report of paid tutoring: hidden from the school, visible (and audited) for the bureau', async () => {
    const writer = await parent();
    const created = await write(writer.token, {
      kind: 'report',
      topic: 'paid_tutoring',
      subject: '教师有偿补课',
      body: '某老师周末在校外组织有偿补课。',
      anonymous: true,
    }).expect(201);
    const item = created.body as Item;
    expect(item).toMatchObject({
      schoolId: places.wf7,
      anonymous: true,
      status: 'open',
      level: 'school',
      overdue: false,
      author: { userId: writer.id },
    });
    const days = (Date.parse(item.dueAt) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(4.9);
    expect(days).toBeLessThanOrEqual(5);

    const seenBySchool = (await staffList(tokens.coordinator)).find((i) => i.id === item.id);
    expect(seenBySchool).toMatchObject({ anonymous: true, author: null });
    expect((await ctx.admin().get(`/mailbox/${item.id}`).set(auth(tokens.coordinator)).expect(200)).body.author).toBeNull();
    const audits = async () =>
      (
        await ctx.query<{ n: number }>(
          `select count(*)::int as n from audit_log where action = 'mailbox.identity_viewed' and target_id = '${item.id}'`,
        )
      )[0].n;
    expect(await audits()).toBe(0);
    const byDistrict = await ctx.admin().get(`/mailbox/${item.id}`).set(auth(tokens.district)).expect(200);
    expect(byDistrict.body.author).toMatchObject({
      userId: writer.id,
      name: writer.name,
      phone: expect.stringMatching(/^\d{3}\*{4}\d{4}$/),
    });
    expect(await audits()).toBe(1);

    // Nobody else reads it: another school, another district, a class teacher, another parent.
    expect((await staffList(tokens.otherCoordinator)).map((i) => i.id)).not.toContain(item.id);
    await ctx.admin().get(`/mailbox/${item.id}`).set(auth(tokens.otherCoordinator)).expect(404);
    await ctx.admin().get(`/mailbox/${item.id}`).set(auth(tokens.weichengAdmin)).expect(404);
    expect((await ctx.admin().get('/mailbox').set(auth(tokens.teacher)).expect(403)).body.code).toBe('FORBIDDEN');
    const stranger = await parent();
    await ctx.parent().get(`/mailbox/${item.id}`).set(auth(stranger.token)).expect(404);
    expect((await ctx.parent().get('/mailbox').set(auth(writer.token)).expect(200)).body.items.map((i: Item) => i.id)).toEqual([item.id]);
  });

  it('refuses bad input and schools the writer has no child at', async () => {
    const writer = await parent();
    expect((await write(writer.token, { schoolId: places.guangwen }).expect(403)).body.code).toBe('MAILBOX_NOT_YOUR_SCHOOL');
    const bad = await write(writer.token, { kind: 'rant', topic: 'gossip', subject: '' }).expect(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['kind', 'subject', 'topic']);
    await write(writer.token, { anonymous: 'yes' }).expect(400);
    await write(writer.token, { schoolId: 'not-a-uuid' }).expect(400);
    await ctx.admin().get('/mailbox?status=closed').set(auth(tokens.coordinator)).expect(400);
  });

  it('the school answers in time; the writer sees the answer and is notified; an answer is given once', async () => {
    const writer = await parent();
    const item = (await write(writer.token, { kind: 'suggestion', subject: '建议延长图书馆开放时间' }).expect(201)).body as Item;
    expect((await answer(tokens.coordinator, item.id, '短').expect(400)).body.errors[0].field).toBe('answer');
    const answered = await answer(tokens.coordinator, item.id).expect(201);
    expect(answered.body).toMatchObject({ status: 'answered', answeredLevel: 'school', author: { userId: writer.id } });
    expect((await answer(tokens.district, item.id).expect(409)).body.code).toBe('MAILBOX_ALREADY_ANSWERED');
    const mine = await ctx.parent().get(`/mailbox/${item.id}`).set(auth(writer.token)).expect(200);
    expect(mine.body).toMatchObject({ status: 'answered', answer: '已核实并处理，感谢您的反映。' });
    const [note] = await ctx.query<{ n: number }>(
      `select count(*)::int as n from notifications where user_id = '${writer.id}' and kind = 'mailbox.answered'`,
    );
    expect(note.n).toBe(1);
    await answer(tokens.otherCoordinator, item.id).expect(404);
  });

  it('moves an unanswered item to the district, then the city, through the worker; the school can no longer answer', async () => {
    const writer = await parent();
    const item = (await write(writer.token, { subject: '食堂饭菜问题' }).expect(201)).body as Item;
    await escalate();
    expect((await ctx.parent().get(`/mailbox/${item.id}`).set(auth(writer.token)).expect(200)).body.level).toBe('school');

    await pastDue(item.id);
    expect((await ctx.admin().get(`/mailbox/${item.id}`).set(auth(tokens.coordinator)).expect(200)).body).toMatchObject({
      overdue: true,
      level: 'school',
    });
    await escalate();
    const atDistrict = (await ctx.admin().get(`/mailbox/${item.id}`).set(auth(tokens.district)).expect(200)).body as Item;
    expect(atDistrict).toMatchObject({ level: 'district', overdue: false });
    expect(atDistrict.escalatedAt).not.toBeNull();
    expect(Date.parse(atDistrict.dueAt) - Date.now()).toBeGreaterThan(4.9 * 86_400_000);
    expect((await answer(tokens.coordinator, item.id).expect(403)).body.code).toBe('MAILBOX_NOT_YOUR_LEVEL');
    // The console's 逾期转交 list: only items moved up; the school's own list leaves them out.
    const listed = async (token: string, query: string) =>
      ((await ctx.admin().get(`/mailbox?${query}`).set(auth(token)).expect(200)).body.items as Item[]).map((i) => i.id);
    expect(await listed(tokens.district, 'escalated=true')).toContain(item.id);
    expect(await listed(tokens.district, 'escalated=false')).not.toContain(item.id);
    expect((await listed(tokens.district, 'escalated=true')).length).toBeLessThan((await listed(tokens.district, '')).length);
    expect((await ctx.admin().get('/mailbox?escalated=maybe').set(auth(tokens.district)).expect(400)).body.code).toBe('VALIDATION_FAILED');

    await pastDue(item.id);
    await escalate();
    expect((await ctx.admin().get(`/mailbox/${item.id}`).set(auth(tokens.city)).expect(200)).body.level).toBe('city');
    expect((await answer(tokens.district, item.id).expect(403)).body.code).toBe('MAILBOX_NOT_YOUR_LEVEL');
    // Overdue at the city it stays there.
    await pastDue(item.id);
    await escalate();
    const [row] = await ctx.query<{ level: string }>(`select level from mailbox_items where id = '${item.id}'`);
    expect(row.level).toBe('city');
    expect((await answer(tokens.city, item.id).expect(201)).body).toMatchObject({ status: 'answered', answeredLevel: 'city' });
  });

  it('counts per school on the dashboard, scoped to the caller', async () => {
    const writer = await parent();
    const overdue = (await write(writer.token, { subject: '逾期未复的来信' }).expect(201)).body as Item;
    await pastDue(overdue.id);
    type Counts = { schoolId: string; open: number; answered: number; overdue: number; escalated: number; paidTutoring: number };
    const report = async (token: string, query = '') =>
      (await ctx.admin().get(`/reports/mailbox${query}`).set(auth(token)).expect(200)).body.schools as Counts[];

    const district = await report(tokens.district);
    // Earlier tests here: an open anonymous report, one answered by the school, one escalated twice and answered by the city.
    expect(district.find((s) => s.schoolId === places.wf7)).toEqual(
      expect.objectContaining({ open: 2, answered: 2, overdue: 1, escalated: 1, paidTutoring: 1 }),
    );
    expect(district.find((s) => s.schoolId === places.guangwen)).toEqual(
      expect.objectContaining({ open: 0, answered: 0, overdue: 0, escalated: 0 }),
    );
    expect(district.some((s) => s.schoolId === places.shiyan)).toBe(false);

    expect((await report(tokens.coordinator)).map((s) => s.schoolId)).toEqual([places.wf7]);
    expect((await report(tokens.city, `?districtId=${places.weicheng}`)).some((s) => s.schoolId === places.wf7)).toBe(false);
    expect((await report(tokens.city)).some((s) => s.schoolId === places.wf7)).toBe(true);
    expect((await ctx.admin().get(`/reports/mailbox?districtId=${places.weicheng}`).set(auth(tokens.district)).expect(403)).body.code).toBe(
      'FORBIDDEN',
    );
    await ctx.admin().get('/reports/mailbox?districtId=x').set(auth(tokens.city)).expect(400);
  });
});
