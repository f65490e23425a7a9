import type { Response, Test } from 'supertest';
import { createTestContext, TestContext } from './support/harness';

/**
 * Object-level authorization over the demo seed: every id a caller sends is checked against
 * their scope (parent → own children, teacher → own class, coordinator → own school,
 * district/city staff → their area), and guardians' phone numbers show only to staff of the
 * child's school.
 */
describe('policy: who may read and change what (demo seed)', () => {
  let ctx: TestContext;
  const tokens = new Map<string, string>();

  /** A demo account's access token, logged in once per file on the API it is meant for. */
  async function tokenOf(phone: string, api: 'parent' | 'admin' = 'admin'): Promise<string> {
    const key = `${api}:${phone}`;
    if (!tokens.has(key)) tokens.set(key, await ctx.login(phone, api));
    return tokens.get(key) as string;
  }

  /** Sends the request as that demo account. */
  const as = async (phone: string, req: Test, api: 'parent' | 'admin' = 'admin'): Promise<Response> =>
    req.set('Authorization', `Bearer ${await tokenOf(phone, api)}`);

  const ids = {} as {
    qz: string; // 潍坊七中
    gw: string; // 广文中学
    cl: string; // 昌乐二中
    kuiwen: string;
    class1: string; // 潍坊七中 初一(1)班
    class2: string; // 潍坊七中 初一(2)班
    gwClass: string; // 广文中学 初一(1)班
    xiaoyu: string; // 陈小雨, 13900000003's child in 初一(1)班
    zihan: string; // 刘子涵, 13900000004's child in 初一(1)班
    yiming: string; // 赵一鸣, 13900000005's child in 广文中学
  };

  beforeAll(async () => {
    ctx = await createTestContext({ apps: ['parent', 'admin'] });
    const classes = await ctx.query<{ school: string; class: string; id: string; school_id: string; district_id: string }>(
      'select s.name as school, c.name as class, c.id, s.id as school_id, s.district_id from classes c join schools s on s.id = c.school_id',
    );
    const place = (school: string, name: string) => {
      const row = classes.find((c) => c.school === school && c.class === name);
      if (!row) throw new Error(`seed has no ${school} ${name}`);
      return row;
    };
    const students = await ctx.query<{ name: string; id: string }>(
      "select name, id from students where name in ('陈小雨', '刘子涵', '赵一鸣')",
    );
    const student = (name: string) => students.find((s) => s.name === name)?.id as string;
    Object.assign(ids, {
      qz: place('潍坊七中', '初一(1)班').school_id,
      gw: place('广文中学', '初一(1)班').school_id,
      cl: place('昌乐二中', '高一(1)班').school_id,
      kuiwen: place('潍坊七中', '初一(1)班').district_id,
      class1: place('潍坊七中', '初一(1)班').id,
      class2: place('潍坊七中', '初一(2)班').id,
      gwClass: place('广文中学', '初一(1)班').id,
      xiaoyu: student('陈小雨'),
      zihan: student('刘子涵'),
      yiming: student('赵一鸣'),
    });
    // 陈小雨 gets a second guardian, so what a parent sees of another adult's number can be checked.
    await ctx.query(
      `with u as (insert into users (phone, name, status) values ('13812300001', '林秀梅', 'invited') returning id)
       insert into guardianships (student_id, user_id, relation) select '${ids.xiaoyu}', id, '母亲' from u`,
    );
  });
  afterAll(() => ctx.close());

  describe('parents (parent-api)', () => {
    const parent = '13900000003';

    it('read their own child and the child’s class', async () => {
      const student = await as(parent, ctx.parent().get(`/students/${ids.xiaoyu}`), 'parent');
      expect(student.status).toBe(200);
      expect(student.body).toMatchObject({
        id: ids.xiaoyu,
        name: '陈小雨',
        classId: ids.class1,
        className: '初一(1)班',
        schoolName: '潍坊七中',
      });

      const klass = await as(parent, ctx.parent().get(`/classes/${ids.class1}`), 'parent');
      expect(klass.status).toBe(200);
      expect(klass.body).toMatchObject({ id: ids.class1, name: '初一(1)班', schoolId: ids.qz, schoolName: '潍坊七中' });
      expect(klass.body.teachers).toEqual([expect.objectContaining({ name: '张丽华', title: '班主任' })]);
    });

    it('are refused another family’s child, even a classmate, and another class: 403 FORBIDDEN', async () => {
      for (const url of [`/students/${ids.yiming}`, `/students/${ids.zihan}`, `/classes/${ids.gwClass}`, `/classes/${ids.class2}`]) {
        const res = await as(parent, ctx.parent().get(url), 'parent');
        expect({ url, status: res.status, body: res.body }).toEqual({
          url,
          status: 403,
          body: { statusCode: 403, code: 'FORBIDDEN', message: '没有权限执行此操作' },
        });
      }
      // And the other way round: 赵一鸣's mother cannot read 初一(1)班 or 陈小雨.
      for (const url of [`/students/${ids.xiaoyu}`, `/classes/${ids.class1}`]) {
        expect((await as('13900000005', ctx.parent().get(url), 'parent')).status).toBe(403);
      }
      // A well-formed id of nothing is 404.
      const missing = await as(parent, ctx.parent().get('/students/00000000-0000-4000-8000-000000000000'), 'parent');
      expect(missing.body.code).toBe('STUDENT_NOT_FOUND');
    });

    it('see their own number but other guardians’ numbers masked', async () => {
      const res = await as(parent, ctx.parent().get(`/students/${ids.xiaoyu}`), 'parent');
      const phones = Object.fromEntries((res.body.guardians as { name: string; phone: string }[]).map((g) => [g.name, g.phone]));
      expect(phones).toEqual({ 陈志强: '13900000003', 林秀梅: '138****0001' });
    });

    it('are refused by admin-api on every route with 403 ADMIN_ROLE_REQUIRED', async () => {
      const token = await tokenOf(parent, 'parent');
      const docs = await ctx.admin().get('/docs-json').expect(200);
      const open = [
        '/auth/login',
        '/auth/refresh',
        '/auth/sms-codes',
        '/auth/login/sms',
        '/auth/password/reset',
        '/privacy-notice',
        '/health',
      ];
      let checked = 0;
      for (const [path, operations] of Object.entries(docs.body.paths as Record<string, Record<string, unknown>>)) {
        if (open.includes(path)) continue;
        for (const method of Object.keys(operations)) {
          const url = path.replace(/\{[^}]+\}/g, ids.class1);
          const agent = ctx.admin() as unknown as Record<string, (url: string) => Test>;
          const res = await agent[method](url).set('Authorization', `Bearer ${token}`);
          expect({ route: `${method} ${path}`, status: res.status, code: res.body.code }).toEqual({
            route: `${method} ${path}`,
            status: 403,
            code: 'ADMIN_ROLE_REQUIRED',
          });
          checked++;
        }
      }
      expect(checked).toBeGreaterThanOrEqual(15);
    });
  });

  describe('guardians’ phone numbers in a class roster (admin-api GET /classes/:id/students)', () => {
    async function guardianPhones(phone: string): Promise<Record<string, string>> {
      const res = await as(phone, ctx.admin().get(`/classes/${ids.class1}/students`));
      expect(res.status).toBe(200);
      const students = res.body.students as { name: string; guardians: { name: string; phone: string }[] }[];
      expect(students.length).toBeGreaterThanOrEqual(12);
      const xiaoyu = students.find((s) => s.name === '陈小雨');
      return Object.fromEntries((xiaoyu?.guardians ?? []).map((g) => [g.name, g.phone]));
    }

    it('are in full for the class teacher and the school’s coordinator', async () => {
      const full = { 陈志强: '13900000003', 林秀梅: '13812300001' };
      expect(await guardianPhones('13900000002')).toEqual(full);
      expect(await guardianPhones('13900000001')).toEqual(full);
    });

    it('are masked for district and city staff', async () => {
      const masked = { 陈志强: '139****0003', 林秀梅: '138****0001' };
      expect(await guardianPhones('13900000006')).toEqual(masked);
      expect(await guardianPhones('13900000000')).toEqual(masked);
      // The same on parent-api, where staff may look a child up too.
      const res = await as('13900000006', ctx.parent().get(`/students/${ids.zihan}`), 'parent');
      expect(res.body.guardians.map((g: { phone: string }) => g.phone)).toEqual(['139****0004']);
    });
  });

  describe('a coordinator (13900000001, 潍坊七中)', () => {
    const coordinator = '13900000001';

    it('reads and changes their own school', async () => {
      const classes = await as(coordinator, ctx.admin().get(`/schools/${ids.qz}/classes`));
      expect(classes.status).toBe(200);
      expect(classes.body).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ id: ids.class1, name: '初一(1)班', grade: 7, studentCount: 12 }),
          expect.objectContaining({ id: ids.class2, name: '初一(2)班', grade: 7, studentCount: 6 }),
          expect.objectContaining({ name: '初二(1)班', grade: 8 }),
        ]),
      );
      const created = await as(coordinator, ctx.admin().post(`/schools/${ids.qz}/classes`).send({ grade: 8, name: '初二(9)班' }));
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ name: '初二(9)班', grade: 8, schoolId: ids.qz, schoolName: '潍坊七中' });
      const again = await as(coordinator, ctx.admin().post(`/schools/${ids.qz}/classes`).send({ grade: 8, name: '初二(9)班' }));
      expect(again.body.code).toBe('CLASS_EXISTS');

      const staff = await as(coordinator, ctx.admin().get(`/schools/${ids.qz}/staff`));
      expect(staff.status).toBe(200);
      expect(staff.body).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ name: '王秀英', role: 'coordinator', scopeId: ids.qz }),
          expect.objectContaining({ name: '张丽华', role: 'teacher', scopeId: ids.class1, title: '班主任' }),
        ]),
      );
      expect((await as(coordinator, ctx.admin().get(`/classes/${ids.class1}/students`))).status).toBe(200);
    });

    it('cannot read or change another school (广文中学): 403 on every route', async () => {
      const attempts: [string, Test][] = [
        ['GET school', ctx.admin().get(`/schools/${ids.gw}`)],
        ['GET classes', ctx.admin().get(`/schools/${ids.gw}/classes`)],
        ['POST classes', ctx.admin().post(`/schools/${ids.gw}/classes`).send({ grade: 7, name: '初一(9)班' })],
        ['GET staff', ctx.admin().get(`/schools/${ids.gw}/staff`)],
        ['POST staff', ctx.admin().post(`/schools/${ids.gw}/staff`).send({ phone: '13812300002', name: '冒名', role: 'coordinator' })],
        ['GET class', ctx.admin().get(`/classes/${ids.gwClass}`)],
        ['GET students', ctx.admin().get(`/classes/${ids.gwClass}/students`)],
        ['GET roster.xlsx', ctx.admin().get(`/classes/${ids.gwClass}/roster.xlsx`)],
        [
          'POST roster-imports',
          ctx.admin().post(`/classes/${ids.gwClass}/roster-imports`).attach('file', Buffer.from('学生姓名,家长姓名,家长手机号\n'), 'r.csv'),
        ],
        ['POST districts schools', ctx.admin().post(`/districts/${ids.kuiwen}/schools`).send({ name: '新学校', type: 'junior' })],
        [
          'POST school roster-imports',
          ctx.admin().post(`/schools/${ids.gw}/roster-imports`).attach('file', Buffer.from('班级,学生姓名,家长姓名,家长手机号\n'), 'r.csv'),
        ],
        ['GET rollover', ctx.admin().get(`/schools/${ids.gw}/rollover`)],
        ['POST rollover', ctx.admin().post(`/schools/${ids.gw}/rollover`).send({})],
        ['POST transfer', ctx.admin().post(`/students/${ids.yiming}/transfer`).send({ classId: ids.gwClass })],
        ['POST leave', ctx.admin().post(`/students/${ids.yiming}/leave`).send({})],
      ];
      for (const [what, req] of attempts) {
        const res = await as(coordinator, req);
        expect({ what, status: res.status, code: res.body.code }).toEqual({ what, status: 403, code: 'FORBIDDEN' });
      }
      const [{ n }] = await ctx.query<{ n: number }>(
        `select (select count(*) from classes where school_id = '${ids.gw}' and name = '初一(9)班')
              + (select count(*) from users where phone = '13812300002')
              + (select count(*) from schools where name = '新学校') as n`,
      );
      expect(Number(n)).toBe(0);
    });

    it('cannot appoint a teacher to another school’s class through their own school', async () => {
      const res = await as(
        coordinator,
        ctx.admin().post(`/schools/${ids.qz}/staff`).send({ phone: '13812300003', name: '越界', role: 'teacher', classId: ids.gwClass }),
      );
      expect(res.body.code).toBe('CLASS_NOT_FOUND');
    });
  });

  describe('a teacher (13900000002, 潍坊七中 初一(1)班)', () => {
    const teacher = '13900000002';

    it('sees only their own class of the school', async () => {
      const res = await as(teacher, ctx.admin().get(`/schools/${ids.qz}/classes`));
      expect(res.status).toBe(200);
      expect(res.body).toEqual([{ id: ids.class1, name: '初一(1)班', grade: 7, studentCount: 12 }]);
    });

    it('cannot create classes, appoint staff, import rosters or read other classes', async () => {
      const attempts: [string, Test][] = [
        ['POST classes', ctx.admin().post(`/schools/${ids.qz}/classes`).send({ grade: 7, name: '初一(8)班' })],
        [
          'POST staff',
          ctx.admin().post(`/schools/${ids.qz}/staff`).send({ phone: '13812300004', name: '新人', role: 'teacher', classId: ids.class1 }),
        ],
        [
          'POST roster-imports',
          ctx.admin().post(`/classes/${ids.class1}/roster-imports`).attach('file', Buffer.from('学生姓名,家长姓名,家长手机号\n'), 'r.csv'),
        ],
        ['GET other class', ctx.admin().get(`/classes/${ids.class2}/students`)],
        ['GET other school', ctx.admin().get(`/schools/${ids.gw}/classes`)],
        [
          'POST school roster-imports',
          ctx.admin().post(`/schools/${ids.qz}/roster-imports`).attach('file', Buffer.from('班级,学生姓名,家长姓名,家长手机号\n'), 'r.csv'),
        ],
        ['POST rollover', ctx.admin().post(`/schools/${ids.qz}/rollover`).send({})],
        ['POST transfer', ctx.admin().post(`/students/${ids.xiaoyu}/transfer`).send({ classId: ids.class2 })],
        ['POST leave', ctx.admin().post(`/students/${ids.xiaoyu}/leave`).send({})],
      ];
      for (const [what, req] of attempts) {
        const res = await as(teacher, req);
        expect({ what, status: res.status, code: res.body.code }).toEqual({ what, status: 403, code: 'FORBIDDEN' });
      }
    });
  });

  describe('bureau staff', () => {
    async function allSchools(phone: string): Promise<string[]> {
      const names: string[] = [];
      let cursor: string | null = null;
      do {
        const url: string = `/schools?limit=2${cursor ? `&cursor=${cursor}` : ''}`;
        const res = await as(phone, ctx.admin().get(url));
        expect(res.status).toBe(200);
        names.push(...(res.body.items as { name: string }[]).map((s) => s.name));
        cursor = res.body.nextCursor;
      } while (cursor);
      return names;
    }

    it('a district admin (奎文区) sees 潍坊七中 and 广文中学 but not 昌乐二中', async () => {
      expect((await allSchools('13900000006')).sort()).toEqual(['广文中学', '潍坊七中'].sort());
      const foreign = await as('13900000006', ctx.admin().get(`/schools/${ids.cl}/classes`));
      expect(foreign.body.code).toBe('FORBIDDEN');
      const own = await as('13900000006', ctx.admin().get(`/schools/${ids.gw}/classes`));
      expect(own.status).toBe(200);
    });

    it('the city admin sees all five schools, one page at a time without repeats', async () => {
      const names = await allSchools('13900000000');
      expect(names).toHaveLength(5);
      expect([...names].sort()).toEqual(['北辰中学', '广文中学', '昌乐二中', '潍坊七中', '潍坊实验学校'].sort());
    });
  });

  describe('school notices (校务公开): who may post to whom', () => {
    const notice = { title: '关于期末家长会的通知', body: '请各位家长准时参加。', needsAck: true };
    const post = (phone: string, body: Record<string, unknown>) =>
      as(
        phone,
        ctx
          .admin()
          .post('/school-notices')
          .send({ ...notice, ...body }),
      );

    it('a coordinator posts to the families of their own school only', async () => {
      expect((await post('13900000001', { audience: 'families', schoolId: ids.qz })).status).toBe(201);
      const other = await post('13900000001', { audience: 'families', schoolId: ids.gw });
      expect({ status: other.status, code: other.body.code }).toEqual({ status: 403, code: 'SCHOOL_NOTICE_AUDIENCE_INVALID' });
      const coordinators = await post('13900000001', { audience: 'coordinators', districtId: ids.kuiwen });
      expect({ status: coordinators.status, code: coordinators.body.code }).toEqual({
        status: 403,
        code: 'SCHOOL_NOTICE_AUDIENCE_INVALID',
      });
    });

    it('a teacher posts no school notice', async () => {
      const res = await post('13900000002', { audience: 'families', schoolId: ids.qz });
      expect({ status: res.status, code: res.body.code }).toEqual({ status: 403, code: 'SCHOOL_NOTICE_AUDIENCE_INVALID' });
    });

    it('a district admin posts to their own district’s coordinators, not another district’s or the whole city’s', async () => {
      expect((await post('13900000006', { audience: 'coordinators', districtId: ids.kuiwen })).status).toBe(201);
      const [other] = await ctx.query<{ id: string }>("select id::text from districts where name = '潍城区'");
      for (const body of [{ audience: 'coordinators', districtId: other.id }, { audience: 'coordinators' }]) {
        const res = await post('13900000006', body);
        expect({ status: res.status, code: res.body.code }).toEqual({ status: 403, code: 'SCHOOL_NOTICE_AUDIENCE_INVALID' });
      }
    });

    it('another school’s coordinator cannot see a notice’s receipts: 404', async () => {
      const posted = await post('13900000001', { audience: 'families', schoolId: ids.qz });
      const res = await as('13900000067', ctx.admin().get(`/school-notices/${posted.body.id}/rollup`));
      expect({ status: res.status, code: res.body.code }).toEqual({ status: 404, code: 'SCHOOL_NOTICE_NOT_FOUND' });
    });
  });

  describe('appointing and removing staff', () => {
    it('creates an account with a one-time initial password that logs in, and audits it', async () => {
      const res = await as(
        '13900000001',
        ctx
          .admin()
          .post(`/schools/${ids.qz}/staff`)
          .send({ phone: '13812300010', name: '李老师', role: 'teacher', classId: ids.class2, title: '数学老师' }),
      );
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        name: '李老师',
        phone: '13812300010',
        role: 'teacher',
        scopeType: 'class',
        scopeId: ids.class2,
        title: '数学老师',
      });
      expect(res.body.initialPassword).toMatch(/^[A-Za-z0-9]{10}$/);

      const login = await ctx.admin().post('/auth/login').send({ phone: '13812300010', password: res.body.initialPassword }).expect(200);
      expect(login.body.user).toMatchObject({ name: '李老师', roles: ['teacher'], passwordChangeRequired: true });
      // The one-time password must be replaced before anything else.
      const blocked = await ctx
        .admin()
        .get(`/schools/${ids.qz}/classes`)
        .set('Authorization', `Bearer ${login.body.accessToken}`)
        .expect(403);
      expect(blocked.body.code).toBe('PASSWORD_CHANGE_REQUIRED');
      await ctx
        .admin()
        .put('/me/password')
        .set('Authorization', `Bearer ${login.body.accessToken}`)
        .send({ currentPassword: res.body.initialPassword, newPassword: 'li2026teacher' })
        .expect(204);
      const mine = await ctx.admin().get(`/schools/${ids.qz}/classes`).set('Authorization', `Bearer ${login.body.accessToken}`).expect(200);
      expect(mine.body.map((c: { id: string }) => c.id)).toEqual([ids.class2]);

      const [coordinator] = await ctx.query<{ id: string }>("select id from users where phone = '13900000001'");
      const audit = await ctx.query<{ actor_id: string; detail: Record<string, unknown> }>(
        `select actor_id, detail from audit_log where action = 'role.assigned' and target_id = '${res.body.userId}'`,
      );
      expect(audit).toEqual([
        { actor_id: coordinator.id, detail: { role: 'teacher', scopeType: 'class', scopeId: ids.class2, accountCreated: true } },
      ]);

      // A second role for the same person: no new password, the old one still works.
      const second = await as(
        '13900000001',
        ctx.admin().post(`/schools/${ids.qz}/staff`).send({ phone: '13812300010', name: '李老师', role: 'coordinator' }),
      );
      expect(second.status).toBe(201);
      expect(second.body.initialPassword).toBeNull();
      const again = await ctx.admin().post('/auth/login').send({ phone: '13812300010', password: 'li2026teacher' }).expect(200);
      expect(again.body.user.passwordChangeRequired).toBe(false);
    });

    it('refuses the same appointment twice with 409 ROLE_ASSIGNMENT_EXISTS and changes nothing', async () => {
      const body = { phone: '13812300011', name: '周老师', role: 'teacher', classId: ids.class1 };
      expect((await as('13900000001', ctx.admin().post(`/schools/${ids.qz}/staff`).send(body))).status).toBe(201);
      const again = await as('13900000001', ctx.admin().post(`/schools/${ids.qz}/staff`).send(body));
      expect(again.status).toBe(409);
      expect(again.body.code).toBe('ROLE_ASSIGNMENT_EXISTS');
      const [{ n }] = await ctx.query<{ n: number }>(
        "select count(*)::int as n from role_assignments ra join users u on u.id = ra.user_id where u.phone = '13812300011'",
      );
      expect(n).toBe(1);
    });

    it('an appointment a coordinator of another school tries to remove stays: 403; its own coordinator may', async () => {
      const appointed = await as(
        '13900000000',
        ctx
          .admin()
          .post(`/schools/${ids.gw}/staff`)
          .send({ phone: '13812300012', name: '广文老师', role: 'teacher', classId: ids.gwClass }),
      );
      expect(appointed.status).toBe(201);

      const foreign = await as('13900000001', ctx.admin().delete(`/role-assignments/${appointed.body.id}`));
      expect({ status: foreign.status, code: foreign.body.code }).toEqual({ status: 403, code: 'FORBIDDEN' });
      const byTeacher = await as('13900000002', ctx.admin().delete(`/role-assignments/${appointed.body.id}`));
      expect(byTeacher.status).toBe(403);
      const [{ n }] = await ctx.query<{ n: number }>(`select count(*)::int as n from role_assignments where id = '${appointed.body.id}'`);
      expect(n).toBe(1);

      // The district admin of 奎文区 covers 广文中学.
      await as('13900000006', ctx.admin().delete(`/role-assignments/${appointed.body.id}`)).then((r) => expect(r.status).toBe(204));
      const gone = await as('13900000006', ctx.admin().delete(`/role-assignments/${appointed.body.id}`));
      expect(gone.body.code).toBe('ROLE_ASSIGNMENT_NOT_FOUND');
      const audit = await ctx.query<{ n: number }>(
        `select count(*)::int as n from audit_log where action = 'role.revoked' and target_id = '${appointed.body.userId}'`,
      );
      expect(audit[0].n).toBe(1);
    });

    it('a coordinator cannot remove the city admin’s or a district admin’s role', async () => {
      const rows = await ctx.query<{ id: string; phone: string }>(
        "select ra.id, u.phone from role_assignments ra join users u on u.id = ra.user_id where u.phone in ('13900000000', '13900000006')",
      );
      expect(rows).toHaveLength(2);
      for (const row of rows) {
        const res = await as('13900000001', ctx.admin().delete(`/role-assignments/${row.id}`));
        expect({ phone: row.phone, status: res.status }).toEqual({ phone: row.phone, status: 403 });
      }
    });
  });

  describe('GET /me lists roles with their scopes', () => {
    it.each(['parent', 'admin'] as const)('on %s-api for staff', async (api) => {
      const agent = () => (api === 'parent' ? ctx.parent() : ctx.admin());
      const coordinator = await as('13900000001', agent().get('/me'), api);
      expect(coordinator.status).toBe(200);
      expect(coordinator.body).toMatchObject({ name: '王秀英', phone: '13900000001', roles: ['coordinator'] });
      expect(coordinator.body.scopes).toEqual([
        expect.objectContaining({
          role: 'coordinator',
          scopeType: 'school',
          scopeId: ids.qz,
          scopeName: '潍坊七中',
          schoolId: ids.qz,
          districtId: ids.kuiwen,
        }),
      ]);

      const teacher = await as('13900000002', agent().get('/me'), api);
      expect(teacher.body.scopes).toEqual([
        expect.objectContaining({
          role: 'teacher',
          scopeType: 'class',
          scopeId: ids.class1,
          scopeName: '潍坊七中 初一(1)班',
          title: '班主任',
          classId: ids.class1,
          schoolId: ids.qz,
        }),
      ]);

      const district = await as('13900000006', agent().get('/me'), api);
      expect(district.body.scopes).toEqual([
        expect.objectContaining({ role: 'district_admin', scopeType: 'district', scopeId: ids.kuiwen, scopeName: '奎文区' }),
      ]);

      const city = await as('13900000000', agent().get('/me'), api);
      expect(city.body.scopes).toEqual([
        expect.objectContaining({ role: 'city_admin', scopeType: 'city', scopeId: null, scopeName: '潍坊市' }),
      ]);
    });

    it('on parent-api for a parent: one scope per child', async () => {
      const res = await as('13900000003', ctx.parent().get('/me'), 'parent');
      expect(res.body.roles).toEqual(['parent']);
      expect(res.body.scopes).toHaveLength(2);
      expect(res.body.scopes).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            role: 'parent',
            scopeType: 'class',
            scopeId: ids.class1,
            scopeName: '潍坊七中 初一(1)班',
            title: '父亲',
          }),
          expect.objectContaining({ role: 'parent', scopeType: 'class', scopeName: '潍坊实验学校 三年级(2)班', title: '父亲' }),
        ]),
      );
      expect(res.body.children.map((c: { name: string }) => c.name).sort()).toEqual(['陈小阳', '陈小雨'].sort());
    });
  });
});
