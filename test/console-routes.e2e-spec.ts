import { setTimeout as sleep } from 'node:timers/promises';
import { freshFamily } from './support/families';
import { createTestContext, TestContext } from './support/harness';
import { auth, newFamily, newUser } from './support/courses';

interface Unconfirmed {
  kind: 'class' | 'school';
  id: string;
  title: string;
  classId: string | null;
  className: string | null;
  total: number;
  confirmed: number;
  canRemind: boolean;
}

/**
 * The admin-api routes the console's dashboard and tables use: 未确认通知 by scope, the class-notice
 * reminder, a school's join requests in one page and a school's classes paged on the server.
 */
describe('console routes (admin-api, parent-api, worker)', () => {
  let ctx: TestContext;
  const ids = {} as { qz: string; bc: string; class1: string; class2: string; welcome: string };
  const tokens = new Map<string, string>();
  const as = async (phone: string, api: 'admin' | 'parent' = 'admin') => {
    const key = `${api}:${phone}`;
    if (!tokens.has(key)) tokens.set(key, await ctx.login(phone, api));
    return auth(tokens.get(key) as string);
  };
  const unconfirmed = async (phone: string): Promise<Unconfirmed[]> =>
    (
      await ctx
        .admin()
        .get('/notices/unconfirmed')
        .set(await as(phone))
        .expect(200)
    ).body.items;

  async function postNotice(phone: string, body: Record<string, unknown>): Promise<string> {
    const res = await ctx
      .admin()
      .post('/school-notices')
      .set(await as(phone))
      .send({ title: '未确认测试通知', body: '请家长确认收到本通知。', needsAck: true, audience: 'families', ...body })
      .expect(201);
    for (;;) {
      const got = await ctx
        .admin()
        .get(`/school-notices/${res.body.id}`)
        .set(await as(phone))
        .expect(200);
      if (got.body.recipientCount !== null) return res.body.id as string;
      await sleep(50);
    }
  }

  beforeAll(async () => {
    ctx = await createTestContext({ apps: ['parent', 'admin', 'worker'], env: { FAMILY_QUIET_HOURS: '00:00-00:00' } });
    const rows = await ctx.query<{ school: string; class: string; id: string; school_id: string }>(
      'select s.name as school, c.name as class, c.id::text, s.id::text as school_id from classes c join schools s on s.id = c.school_id',
    );
    const place = (school: string, name: string) => rows.find((c) => c.school === school && c.class === name) as (typeof rows)[number];
    const [welcome] = await ctx.query<{ id: string }>("select id::text from messages where client_msg_id = 'seed-welcome-notice'");
    Object.assign(ids, {
      qz: place('潍坊七中', '初一(1)班').school_id,
      bc: rows.find((r) => r.school === '北辰中学')?.school_id,
      class1: place('潍坊七中', '初一(1)班').id,
      class2: place('潍坊七中', '初一(2)班').id,
      welcome: welcome.id,
    });
  });
  afterAll(() => ctx?.close());

  describe('GET /notices/unconfirmed', () => {
    let toClass1: string;
    let toClass2: string;
    let elsewhere: string;

    beforeAll(async () => {
      toClass1 = await postNotice('13900000001', { schoolId: ids.qz, classIds: [ids.class1] });
      toClass2 = await postNotice('13900000001', { schoolId: ids.qz, classIds: [ids.class2] });
      elsewhere = await postNotice('13900000067', { schoolId: ids.bc });
    });

    it('shows a class teacher the notices of their class only, counted over its families', async () => {
      const items = await unconfirmed('13900000002');
      const seen = items.map((i) => i.id);
      expect(seen).toEqual(expect.arrayContaining([ids.welcome, toClass1]));
      expect(seen).not.toContain(toClass2);
      expect(seen).not.toContain(elsewhere);
      const [{ n: families }] = await ctx.query<{ n: number }>(
        `select count(*)::int as n from school_notice_families where notice_id = '${toClass1}' and class_id = '${ids.class1}'`,
      );
      expect(items.find((i) => i.id === toClass1)).toMatchObject({ kind: 'school', total: families, confirmed: 0, canRemind: false });
      expect(items.find((i) => i.id === ids.welcome)).toMatchObject({
        kind: 'class',
        classId: ids.class1,
        className: '初一(1)班',
        canRemind: true,
      });
    });

    it('shows a coordinator the school’s notices, of every class, and not another school’s', async () => {
      const items = await unconfirmed('13900000001');
      const seen = items.map((i) => i.id);
      expect(seen).toEqual(expect.arrayContaining([ids.welcome, toClass1, toClass2]));
      expect(seen).not.toContain(elsewhere);
      expect(items.find((i) => i.id === toClass2)).toMatchObject({ kind: 'school', canRemind: true });
      // Not a member of the class group, but its school's coordinator: they follow it up too.
      expect(items.find((i) => i.id === ids.welcome)).toMatchObject({ kind: 'class', canRemind: true });
      expect((await unconfirmed('13900000067')).map((i) => i.id)).toContain(elsewhere);
      expect((await unconfirmed('13900000067')).map((i) => i.id)).not.toContain(toClass1);
    });

    it('counts a family once it confirms, and the class teacher reminds the rest once an hour', async () => {
      // A family of its own in 初一(1)班's group confirms, so no demo family's 回执 changes.
      const family = await freshFamily(ctx, { classId: ids.class1, classGroup: true });
      const before = (await unconfirmed('13900000002')).find((i) => i.id === ids.welcome) as Unconfirmed;
      await ctx.parent().post(`/messages/${ids.welcome}/ack`).set(auth(family.token)).expect(200);
      const after = (await unconfirmed('13900000002')).find((i) => i.id === ids.welcome) as Unconfirmed;
      expect(after).toMatchObject({ total: before.total, confirmed: before.confirmed + 1 });

      const reminded = await ctx
        .admin()
        .post(`/class-notices/${ids.welcome}/remind`)
        .set(await as('13900000002'))
        .expect(200);
      expect(reminded.body).toEqual({ messageId: ids.welcome, reminded: expect.any(Number) });
      expect(reminded.body.reminded).toBeGreaterThan(0);
      const again = await ctx
        .admin()
        .post(`/class-notices/${ids.welcome}/remind`)
        .set(await as('13900000002'));
      expect({ status: again.status, code: again.body.code }).toEqual({ status: 429, code: 'NOTICE_REMIND_TOO_SOON' });
      // The coordinator shares the notice's hourly limit; another school's coordinator does not see the notice.
      const coordinator = await ctx
        .admin()
        .post(`/class-notices/${ids.welcome}/remind`)
        .set(await as('13900000001'));
      expect({ status: coordinator.status, code: coordinator.body.code }).toEqual({ status: 429, code: 'NOTICE_REMIND_TOO_SOON' });
      const stranger = await ctx
        .admin()
        .post(`/class-notices/${ids.welcome}/remind`)
        .set(await as('13900000067'));
      expect({ status: stranger.status, code: stranger.body.code }).toEqual({ status: 404, code: 'MESSAGE_NOT_FOUND' });
    });

    it('lists a class notice’s 回执 by family, with the time, to the class teacher and the school’s coordinator', async () => {
      // 陈小雨's family confirms here (a 回执 is given once, so in any order of the tests).
      await ctx
        .parent()
        .post(`/messages/${ids.welcome}/ack`)
        .set(await as('13900000003', 'parent'))
        .expect(200);
      for (const phone of ['13900000002', '13900000001']) {
        const acks = (
          await ctx
            .admin()
            .get(`/class-notices/${ids.welcome}/acks`)
            .set(await as(phone))
            .expect(200)
        ).body;
        const families = (await unconfirmed(phone)).find((i) => i.id === ids.welcome) as Unconfirmed;
        expect({ confirmed: acks.confirmed.length, total: acks.confirmed.length + acks.unconfirmed.length }).toEqual({
          confirmed: families.confirmed,
          total: families.total,
        });
        const confirmedBy = acks.confirmed.find((f: { name: string }) => f.name === '陈小雨');
        expect(confirmedBy).toMatchObject({ studentId: expect.any(String), at: expect.any(String) });
        expect(acks.unconfirmed.every((f: { at: string | null }) => f.at === null)).toBe(true);
      }
      const stranger = await ctx
        .admin()
        .get(`/class-notices/${ids.welcome}/acks`)
        .set(await as('13900000067'));
      expect({ status: stranger.status, code: stranger.body.code }).toEqual({ status: 404, code: 'MESSAGE_NOT_FOUND' });
    });

    it('lets the coordinator remind a class notice of the school, once an hour as the teacher', async () => {
      const [{ id: groupId }] = await ctx.query<{ id: string }>(
        `select id::text from conversations where kind = 'class_group' and class_id = '${ids.class1}'`,
      );
      const sent = await ctx
        .parent()
        .post(`/conversations/${groupId}/messages`)
        .set(await as('13900000002', 'parent'))
        .send({
          clientMsgId: `coordinator-remind-${Date.now()}`,
          type: 'notice',
          title: '家长会通知',
          text: '周五下午家长会，请确认。',
          needsAck: true,
        })
        .expect(201);
      const id = sent.body.message.id as string;
      expect((await unconfirmed('13900000001')).find((i) => i.id === id)).toMatchObject({
        kind: 'class',
        className: '初一(1)班',
        canRemind: true,
      });
      const reminded = await ctx
        .admin()
        .post(`/class-notices/${id}/remind`)
        .set(await as('13900000001'))
        .expect(200);
      expect(reminded.body.reminded).toBeGreaterThan(0);
      const again = await ctx
        .admin()
        .post(`/class-notices/${id}/remind`)
        .set(await as('13900000002'));
      expect({ status: again.status, code: again.body.code }).toEqual({ status: 429, code: 'NOTICE_REMIND_TOO_SOON' });
    });

    it('gives bureau staff an empty panel', async () => {
      expect(await unconfirmed('13900000000')).toEqual([]);
    });
  });

  describe('GET /schools/:id/join-requests', () => {
    it('lists the pending requests of every class in one page with the total; a teacher sees their classes only', async () => {
      const made: string[] = [];
      for (const classId of [ids.class1, ids.class1, ids.class2]) {
        const token = (
          await ctx
            .admin()
            .get(`/classes/${classId}/join-link`)
            .set(await as('13900000001'))
            .expect(200)
        ).body.token as string;
        const family = await newFamily(ctx, classId, 0, '入班');
        const [{ name }] = await ctx.query<{ name: string }>(`select name from students where id = '${family.studentId}'`);
        const parent = await newUser(ctx, '申请家长');
        const created = await ctx
          .parent()
          .post('/join-requests')
          .set(auth(await ctx.login(parent.phone, 'parent')))
          .send({ token, studentName: name, relation: '母亲' })
          .expect(201);
        made.push(created.body.id as string);
      }
      const page = async (phone: string, query: string) =>
        (
          await ctx
            .admin()
            .get(`/schools/${ids.qz}/join-requests?${query}`)
            .set(await as(phone))
            .expect(200)
        ).body;
      const all = await page('13900000001', 'pageSize=200');
      expect(all.items.map((r: { id: string }) => r.id)).toEqual(expect.arrayContaining(made));
      expect(all.total).toBe(all.items.length);
      const first = await page('13900000001', 'page=1&pageSize=1');
      expect({ total: first.total, n: first.items.length }).toEqual({ total: all.total, n: 1 });
      expect(first.items[0]).toMatchObject({ id: all.items[0].id, className: expect.stringMatching(/班$/) });
      const last = await page('13900000001', `page=${all.total}&pageSize=1`);
      expect(last.items[0].id).toBe(all.items[all.total - 1].id);
      // 张丽华 teaches 初一(1)班 only.
      const teacher = await page('13900000002', 'pageSize=200');
      expect(teacher.items.map((r: { id: string }) => r.id)).toEqual(expect.arrayContaining(made.slice(0, 2)));
      expect(teacher.items.every((r: { classId: string }) => r.classId === ids.class1)).toBe(true);
      await ctx
        .admin()
        .post(`/join-requests/${made[0]}/approve`)
        .set(await as('13900000001'))
        .expect(204);
      expect((await page('13900000001', 'status=approved')).items.map((r: { id: string }) => r.id)).toContain(made[0]);
      expect((await page('13900000001', 'pageSize=200')).total).toBe(all.total - 1);
      // Staff of another school are refused; bad paging is a 400.
      expect(
        (
          await ctx
            .admin()
            .get(`/schools/${ids.qz}/join-requests`)
            .set(await as('13900000067'))
        ).status,
      ).toBe(403);
      expect(
        (
          await ctx
            .admin()
            .get(`/schools/${ids.qz}/join-requests?page=0`)
            .set(await as('13900000001'))
        ).body.code,
      ).toBe('VALIDATION_FAILED');
    });
  });

  describe('GET /schools/:id/class-list', () => {
    interface ClassPage {
      items: { id: string; name: string; grade: number; studentCount: number }[];
      total: number;
    }
    const list = async (phone: string, query: string): Promise<ClassPage> =>
      (
        await ctx
          .admin()
          .get(`/schools/${ids.qz}/class-list?${encodeURI(query)}`)
          .set(await as(phone))
          .expect(200)
      ).body;

    it('pages, sorts and filters a school’s classes on the server, with the total', async () => {
      const every = await ctx
        .admin()
        .get(`/schools/${ids.qz}/classes`)
        .set(await as('13900000001'))
        .expect(200);
      const all = await list('13900000001', 'pageSize=200');
      expect(all.total).toBe(every.body.length);
      expect(all.items.map((c) => c.id)).toEqual(every.body.map((c: { id: string }) => c.id));
      const first = await list('13900000001', 'page=1&pageSize=2&sort=name');
      const names = [...all.items].map((c) => c.name).sort();
      expect(first.total).toBe(all.total);
      expect(first.items.map((c) => c.name)).toEqual(names.slice(0, 2));
      const bySize = (await list('13900000001', 'sort=-students&pageSize=200')).items.map((c) => c.studentCount);
      expect(bySize).toEqual([...bySize].sort((a, b) => b - a));
      const grade7 = await list('13900000001', 'grade=7&pageSize=200');
      expect(grade7.items.every((c) => c.grade === 7)).toBe(true);
      expect(grade7.total).toBe(all.items.filter((c) => c.grade === 7).length);
      expect((await list('13900000001', 'q=初一(1)')).items.map((c) => c.id)).toEqual([ids.class1]);
      expect((await list('13900000001', 'q=%')).total).toBe(0);
      // A class teacher sees the classes they teach.
      expect((await list('13900000002', '')).items.map((c) => c.id)).toEqual([ids.class1]);
      expect(
        (
          await ctx
            .admin()
            .get(`/schools/${ids.qz}/class-list?sort=age`)
            .set(await as('13900000001'))
        ).body.code,
      ).toBe('VALIDATION_FAILED');
      expect(
        (
          await ctx
            .admin()
            .get(`/schools/${ids.qz}/class-list`)
            .set(await as('13900000067'))
        ).status,
      ).toBe(403);
    });
  });
});
