import { setTimeout as sleep } from 'node:timers/promises';
import { schoolYearOf } from '@jiaxiao/common';
import { freshFamily } from './support/families';
import { createTestContext, TestContext } from './support/harness';

interface ImportStatus {
  id: string;
  classId: string | null;
  schoolId: string | null;
  status: string;
  stats: {
    studentsCreated: number;
    guardiansCreated: number;
    guardianshipsCreated: number;
    unchanged: number;
    classesCreated?: number;
  } | null;
  errors: { row: number; field: string | null; message: string }[];
}

/**
 * Setting a school up through the real apps: one roster sheet for the whole school, the
 * school-year rollover (升级), 分班 and students leaving.
 */
describe('setting up a school (admin-api, parent-api, worker)', () => {
  let ctx: TestContext;
  const tokens = new Map<string, string>();
  const ids = {} as { qz: string; gwClass: string; class1: string; class2: string; kuiwen: string };
  const current = schoolYearOf(new Date());
  const start = Number(current.slice(0, 4));
  const next = `${start + 1}-${start + 2}`;

  async function auth(phone: string, api: 'parent' | 'admin' = 'admin') {
    const key = `${api}:${phone}`;
    if (!tokens.has(key)) tokens.set(key, await ctx.login(phone, api));
    return { Authorization: `Bearer ${tokens.get(key)}` };
  }

  async function eventually<T>(text: string): Promise<T[]> {
    for (;;) {
      const rows = await ctx.query<T>(text);
      if (rows.length > 0) return rows;
      await sleep(50);
    }
  }

  async function importSheet(schoolId: string, csv: string, phone = '13900000006'): Promise<ImportStatus> {
    const res = await ctx
      .admin()
      .post(`/schools/${schoolId}/roster-imports`)
      .set(await auth(phone))
      .attach('file', Buffer.from(csv), 'school.csv');
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ classId: null, schoolId });
    for (;;) {
      const status = await ctx
        .admin()
        .get(`/imports/${res.body.id}`)
        .set(await auth(phone))
        .expect(200);
      if (status.body.status === 'succeeded' || status.body.status === 'failed') return status.body as ImportStatus;
      await sleep(100);
    }
  }

  /** A new junior school of 奎文区 with a whole-school sheet: two families in 初一(1)班, one in 初二(2)班, one in 初三(1)班. */
  async function newSchool(name: string): Promise<string> {
    const school = await ctx
      .admin()
      .post(`/districts/${ids.kuiwen}/schools`)
      .set(await auth('13900000006'))
      .send({ name, type: 'junior' })
      .expect(201);
    const sheet = [
      '班级,学生姓名,家长姓名,家长手机号,关系',
      '初一(1)班,王一,王父,13600000101,父亲',
      '初一(1)班,王一,王母,13600000102,妈妈',
      '初一(1)班,李二,李母,13600000103,母亲',
      '初二(2)班,张三,张父,13600000104,爸爸',
      '初三(1)班,赵四,赵母,13600000105,母亲',
      '实验班,钱五,钱父,13600000106,父亲',
      '初一(1)班,孙六,孙父,1360000,父亲',
    ].join('\n');
    const imported = await importSheet(school.body.id, sheet);
    expect(imported.status).toBe('succeeded');
    return school.body.id as string;
  }

  beforeAll(async () => {
    ctx = await createTestContext({ apps: ['parent', 'admin', 'worker'] });
    const rows = await ctx.query<{ school: string; class: string; id: string; school_id: string; district_id: string }>(
      'select s.name as school, c.name as class, c.id::text, s.id::text as school_id, s.district_id::text from classes c join schools s on s.id = c.school_id',
    );
    const place = (school: string, name: string) => rows.find((c) => c.school === school && c.class === name) as (typeof rows)[number];
    Object.assign(ids, {
      qz: place('潍坊七中', '初一(1)班').school_id,
      kuiwen: place('潍坊七中', '初一(1)班').district_id,
      class1: place('潍坊七中', '初一(1)班').id,
      class2: place('潍坊七中', '初一(2)班').id,
      gwClass: place('广文中学', '初一(1)班').id,
    });
  });
  afterAll(() => ctx.close());

  describe('one roster sheet for the whole school', () => {
    it('creates the missing classes from the 班级 column and reports rows it cannot place; the same sheet again changes nothing', async () => {
      const school = await ctx
        .admin()
        .post(`/districts/${ids.kuiwen}/schools`)
        .set(await auth('13900000006'))
        .send({ name: '奎文实验初中', type: 'junior' })
        .expect(201);
      const sheet = [
        '班级,学生姓名,家长姓名,家长手机号,关系',
        '初一(1)班,周一,周父,13600000201,父亲',
        '七年级2班,吴二,吴母,13600000202,母亲',
        '实验班,郑三,郑父,13600000203,父亲',
        ',冯四,冯父,13600000204,父亲',
      ].join('\n');
      const first = await importSheet(school.body.id, sheet);
      expect(first.status).toBe('succeeded');
      expect(first.stats).toEqual({ studentsCreated: 2, guardiansCreated: 2, guardianshipsCreated: 2, unchanged: 0, classesCreated: 2 });
      expect(first.errors).toEqual([
        expect.objectContaining({ row: 4, field: '班级', message: expect.stringContaining('无法从名称识别年级') }),
        { row: 5, field: '班级', message: '班级不能为空' },
      ]);
      const classes = await ctx
        .admin()
        .get(`/schools/${school.body.id}/classes`)
        .set(await auth('13900000006'))
        .expect(200);
      expect(classes.body.map((c: { name: string; grade: number; studentCount: number }) => [c.name, c.grade, c.studentCount])).toEqual([
        ['七年级2班', 7, 1],
        ['初一(1)班', 7, 1],
      ]);
      const audit = await ctx.query(`select 1 from audit_log where action = 'class.created' and detail->>'importId' = '${first.id}'`);
      expect(audit).toHaveLength(2);

      const again = await importSheet(school.body.id, sheet);
      expect(again.stats).toEqual({ studentsCreated: 0, guardiansCreated: 0, guardianshipsCreated: 0, unchanged: 2, classesCreated: 0 });
    });

    it('refuses a sheet without a 班级 column, naming it', async () => {
      const res = await importSheet(ids.qz, '学生姓名,家长姓名,家长手机号,关系\n新生,新父,13600000301,父亲\n', '13900000001');
      expect(res.status).toBe('failed');
      expect((res as unknown as { failureReason: string }).failureReason).toContain('班级');
    });
  });

  describe('the school-year rollover (升级)', () => {
    let schoolId: string;

    beforeAll(async () => {
      await ctx
        .admin()
        .post('/school-years')
        .set(await auth('13900000000'))
        .send({ name: next })
        .expect(201);
      schoolId = await newSchool('奎文升级中学');
    });

    it('previews without changing anything, then moves classes up a grade with their students and group, archives graduates, once', async () => {
      const [old] = await ctx.query<{ id: string }>(
        `select c.id::text from classes c where c.school_id = '${schoolId}' and c.name = '初一(1)班'`,
      );
      const [group] = await eventually<{ id: string }>(
        `select id::text from conversations where kind = 'class_group' and class_id = '${old.id}'`,
      );
      const studentsBefore = await ctx.query<{ id: string }>(`select id::text from students where class_id = '${old.id}' order by 1`);

      const preview = await ctx
        .admin()
        .get(`/schools/${schoolId}/rollover`)
        .set(await auth('13900000006'))
        .expect(200);
      expect(preview.body).toMatchObject({ fromYear: current, toYear: next, committed: false, alreadyDone: false });
      expect(preview.body.promoted).toEqual([
        { fromClassId: old.id, toClassId: null, from: '初一(1)班', to: '初二(1)班', students: 2 },
        expect.objectContaining({ from: '初二(2)班', to: '初三(2)班', students: 1 }),
      ]);
      expect(preview.body.archived).toEqual([expect.objectContaining({ name: '初三(1)班', students: 1 })]);
      expect(
        await ctx.query(
          `select 1 from classes c join school_years y on y.id = c.school_year_id where c.school_id = '${schoolId}' and y.name = '${next}'`,
        ),
      ).toEqual([]);

      const done = await ctx
        .admin()
        .post(`/schools/${schoolId}/rollover`)
        .set(await auth('13900000006'))
        .send({})
        .expect(200);
      expect(done.body).toMatchObject({ committed: true, alreadyDone: false });
      const moved = done.body.promoted.find((p: { from: string }) => p.from === '初一(1)班');
      expect(moved).toMatchObject({ to: '初二(1)班', students: 2 });
      const [target] = await ctx.query<{ grade: number; year: string }>(
        `select c.grade, y.name as year from classes c join school_years y on y.id = c.school_year_id where c.id = '${moved.toClassId}'`,
      );
      expect(target).toEqual({ grade: 8, year: next });
      expect(await ctx.query<{ id: string }>(`select id::text from students where class_id = '${moved.toClassId}' order by 1`)).toEqual(
        studentsBefore,
      );
      const [archived] = await ctx.query<{ archived: boolean; students: number }>(
        `select archived_at is not null as archived, (select count(*)::int from students s where s.class_id = c.id) as students from classes c where c.school_id = '${schoolId}' and c.name = '初三(1)班'`,
      );
      expect(archived).toEqual({ archived: true, students: 1 });
      expect(await ctx.query(`select 1 from audit_log where action = 'school.rolled_over' and target_id = '${schoolId}'`)).toHaveLength(1);
      // The class group, with its history, is the new class's group.
      await eventually(`select 1 from conversations where id = '${group.id}' and class_id = '${moved.toClassId}'`);

      const again = await ctx
        .admin()
        .post(`/schools/${schoolId}/rollover`)
        .set(await auth('13900000006'))
        .send({ fromYear: current, toYear: next })
        .expect(200);
      expect(again.body).toMatchObject({ committed: true, alreadyDone: true, promoted: done.body.promoted, archived: done.body.archived });
      const [{ n }] = await ctx.query<{ n: number }>(`select count(*)::int as n from classes where school_id = '${schoolId}'`);
      expect(n).toBe(5);
    });

    it('refuses bad years with a clear 4xx', async () => {
      const h = await auth('13900000006');
      const cases: [Record<string, string>, number, string][] = [
        [{ fromYear: current, toYear: `${start + 2}-${start + 3}` }, 400, 'ROLLOVER_YEAR_INVALID'],
        [{ fromYear: '2001-2002' }, 404, 'SCHOOL_YEAR_NOT_FOUND'],
        [{ fromYear: '2001-2005' }, 400, 'VALIDATION_FAILED'],
        [{ fromYear: 'last year' }, 400, 'VALIDATION_FAILED'],
      ];
      for (const [body, status, code] of cases) {
        const res = await ctx.admin().post(`/schools/${schoolId}/rollover`).set(h).send(body);
        expect({ body, status: res.status, code: res.body.code }).toEqual({ body, status, code });
      }
    });
  });

  describe('分班 and leaving', () => {
    const coordinator = '13900000001';

    it('a student moved to another class stays one child for the parent; guardians, hours and the class groups follow', async () => {
      // A family of its own in 初一(1)班 and its class group, so the move is seen by no other test.
      const family = await freshFamily(ctx, { classId: ids.class1, classGroup: true });
      const xiaoyu = { id: family.studentId };
      const chen = { id: family.userId };
      await ctx.query(
        `insert into household_progress (student_id, school_year_id, earned_hours) select '${xiaoyu.id}', id, 2 from school_years where name = '${current}'`,
      );
      const guardiansBefore = await ctx.query<{ user_id: string }>(
        `select user_id::text from guardianships where student_id = '${xiaoyu.id}' order by 1`,
      );

      const res = await ctx
        .admin()
        .post(`/students/${xiaoyu.id}/transfer`)
        .set(await auth(coordinator))
        .send({ classId: ids.class2 })
        .expect(200);
      expect(res.body).toEqual({
        id: xiaoyu.id,
        name: family.studentName,
        classId: ids.class2,
        className: '初一(2)班',
        leftAt: null,
        guardians: guardiansBefore.length,
      });

      const children = await ctx
        .parent()
        .get('/me/children')
        .set({ Authorization: `Bearer ${family.token}` })
        .expect(200);
      const named = children.body.filter((c: { name: string }) => c.name === family.studentName);
      expect(named).toEqual([expect.objectContaining({ id: xiaoyu.id, classId: ids.class2, className: '初一(2)班' })]);
      expect(await ctx.query(`select user_id::text from guardianships where student_id = '${xiaoyu.id}' order by 1`)).toEqual(
        guardiansBefore,
      );
      expect(await ctx.query(`select earned_hours::float as h from household_progress where student_id = '${xiaoyu.id}'`)).toEqual([
        { h: 2 },
      ]);
      expect(await ctx.query(`select 1 from audit_log where action = 'student.transferred' and target_id = '${xiaoyu.id}'`)).toHaveLength(
        1,
      );

      const inGroup = (classId: string) =>
        `select 1 from conversation_members m join conversations c on c.id = m.conversation_id where c.kind = 'class_group' and c.class_id = '${classId}' and m.user_id = '${chen.id}'`;
      await eventually(inGroup(ids.class2));
      for (;;) {
        if ((await ctx.query(inGroup(ids.class1))).length === 0) break;
        await sleep(50);
      }
    });

    it('refuses a move out of the school, into an unknown class or onto a namesake', async () => {
      const h = await auth(coordinator);
      await ctx.query(`insert into students (class_id, name) values ('${ids.class1}', '同名生'), ('${ids.class2}', '同名生')`);
      const [namesake] = await ctx.query<{ id: string }>(
        `select id::text from students where class_id = '${ids.class1}' and name = '同名生'`,
      );
      const cases: [Record<string, string>, number, string][] = [
        [{ classId: ids.gwClass }, 409, 'TRANSFER_NOT_ALLOWED'],
        [{ classId: '00000000-0000-4000-8000-000000000000' }, 404, 'CLASS_NOT_FOUND'],
        [{ classId: '初一(2)班' }, 400, 'VALIDATION_FAILED'],
        [{ classId: ids.class2 }, 409, 'STUDENT_NAME_TAKEN'],
      ];
      for (const [body, status, code] of cases) {
        const res = await ctx.admin().post(`/students/${namesake.id}/transfer`).set(h).send(body);
        expect({ body, status: res.status, code: res.body.code }).toEqual({ body, status, code });
      }
      expect(await ctx.query(`select class_id::text from students where id = '${namesake.id}'`)).toEqual([{ class_id: ids.class1 }]);
    });

    it('a student who leaves: guardianships end, the parent leaves the class group, hours and messages stay', async () => {
      const family = await freshFamily(ctx, { classId: ids.class1, classGroup: true });
      const zihan = { id: family.studentId };
      const liu = { id: family.userId };
      const ledger = `select count(*)::int as n from hour_ledger where guardian_id = '${liu.id}'`;
      const messages = `select count(*)::int as n from messages where sender_id = '${liu.id}'`;
      const [ledgerBefore, messagesBefore] = [await ctx.query(ledger), await ctx.query(messages)];

      const res = await ctx
        .admin()
        .post(`/students/${zihan.id}/leave`)
        .set(await auth(coordinator))
        .send({ reason: '转学' })
        .expect(200);
      expect(res.body).toMatchObject({ id: zihan.id, name: family.studentName, classId: ids.class1, guardians: 0 });
      expect(res.body.leftAt).not.toBeNull();

      const children = await ctx
        .parent()
        .get('/me/children')
        .set({ Authorization: `Bearer ${family.token}` })
        .expect(200);
      expect(children.body.map((c: { name: string }) => c.name)).not.toContain(family.studentName);
      const roster = await ctx
        .admin()
        .get(`/classes/${ids.class1}/students`)
        .set(await auth(coordinator))
        .expect(200);
      expect(roster.body.students.map((s: { name: string }) => s.name)).not.toContain(family.studentName);
      const [audit] = await ctx.query<{ detail: { reason: string; guardianships: { userId: string }[] } }>(
        `select detail from audit_log where action = 'student.left' and target_id = '${zihan.id}'`,
      );
      expect(audit.detail).toMatchObject({
        reason: '转学',
        guardianships: expect.arrayContaining([expect.objectContaining({ userId: liu.id })]),
      });
      for (;;) {
        const member = await ctx.query(
          `select 1 from conversation_members m join conversations c on c.id = m.conversation_id where c.kind = 'class_group' and c.class_id = '${ids.class1}' and m.user_id = '${liu.id}'`,
        );
        if (member.length === 0) break;
        await sleep(50);
      }
      expect(await ctx.query(ledger)).toEqual(ledgerBefore);
      expect(await ctx.query(messages)).toEqual(messagesBefore);
      expect(await ctx.query(`select 1 from students where id = '${zihan.id}'`)).toHaveLength(1);

      const again = await ctx
        .admin()
        .post(`/students/${zihan.id}/leave`)
        .set(await auth(coordinator))
        .send({});
      expect({ status: again.status, code: again.body.code }).toEqual({ status: 409, code: 'STUDENT_ALREADY_LEFT' });
      const move = await ctx
        .admin()
        .post(`/students/${zihan.id}/transfer`)
        .set(await auth(coordinator))
        .send({ classId: ids.class2 });
      expect({ status: move.status, code: move.body.code }).toEqual({ status: 409, code: 'STUDENT_ALREADY_LEFT' });
      const long = await ctx
        .admin()
        .post(`/students/${zihan.id}/leave`)
        .set(await auth(coordinator))
        .send({ reason: 'x'.repeat(101) });
      expect({ status: long.status, code: long.body.code }).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
    });
  });
});
