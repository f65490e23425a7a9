import { randomBytes } from 'node:crypto';
import { DEMO_PASSWORD } from '../seeds/demo.seed';
import { gbk, readXlsxRows, RosterLine, rosterCsv, rosterXlsx } from './support/roster-files';
import { createTestContext, TestContext } from './support/harness';

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

interface ImportStatus {
  id: string;
  classId: string;
  status: 'queued' | 'running' | 'succeeded' | 'failed';
  totalRows: number;
  processedRows: number;
  progress: number;
  stats: { studentsCreated: number; guardiansCreated: number; guardianshipsCreated: number; unchanged: number } | null;
  errors: { row: number; field: string | null; message: string }[];
  failureReason: string | null;
}

interface Roster {
  students: {
    id: string;
    name: string;
    guardians: { userId: string; name: string; phone: string; relation: string; isPrimary: boolean; status: string }[];
  }[];
}

/** A phone number no other test uses: 135, a two-digit block per test, a six-digit serial. */
const phoneOf = (block: number, serial: number) => `135${String(block).padStart(2, '0')}${String(serial).padStart(6, '0')}`;

/** A family of one student and two guardians per index, in rows as schools write them. */
function families(block: number, count: number, prefix = '学生'): RosterLine[] {
  const lines: RosterLine[] = [];
  for (let i = 0; i < count; i++) {
    lines.push({ student: `${prefix}${i}`, guardian: `父${i}`, phone: phoneOf(block, i * 2), relation: '父亲' });
    lines.push({ student: `${prefix}${i}`, guardian: `母${i}`, phone: phoneOf(block, i * 2 + 1), relation: '妈妈' });
  }
  return lines;
}

describe('roster import and export (admin-api + worker)', () => {
  let ctx: TestContext;
  let coordinator: string;
  let cityAdmin: string;
  let schoolId: string;
  let class1Id: string;
  let guangwenId: string;

  const auth = (token: string) => ({ Authorization: `Bearer ${token}` });

  /** A fresh class of 潍坊七中 (or another school), so each test starts from an empty roster. */
  async function newClass(school = schoolId, token = coordinator): Promise<string> {
    const res = await ctx
      .admin()
      .post(`/schools/${school}/classes`)
      .set(auth(token))
      .send({ grade: 7, name: `导入${randomBytes(3).toString('hex')}班` })
      .expect(201);
    return res.body.id as string;
  }

  function upload(classId: string, content: Buffer, fileName: string, token = coordinator) {
    return ctx.admin().post(`/classes/${classId}/roster-imports`).set(auth(token)).attach('file', content, fileName);
  }

  /** Polls the import until the worker is done with it. */
  async function finished(importId: string, token = coordinator): Promise<ImportStatus> {
    for (;;) {
      const res = await ctx.admin().get(`/imports/${importId}`).set(auth(token)).expect(200);
      const status = res.body as ImportStatus;
      if (status.status === 'succeeded' || status.status === 'failed') return status;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async function importFile(classId: string, content: Buffer, fileName = 'roster.xlsx', token = coordinator): Promise<ImportStatus> {
    const res = await upload(classId, content, fileName, token).expect(201);
    expect(res.body).toMatchObject({ classId, fileName, errors: [] });
    // The worker may have picked it up before the response was written.
    expect(['queued', 'running', 'succeeded']).toContain(res.body.status);
    return finished(res.body.id as string, token);
  }

  async function roster(classId: string): Promise<Roster> {
    return (await ctx.admin().get(`/classes/${classId}/students`).set(auth(coordinator)).expect(200)).body as Roster;
  }

  /** Each student with their guardians as "name phone relation primary status", sorted: easy to compare. */
  const flatten = (r: Roster) =>
    r.students
      .flatMap((s) => s.guardians.map((g) => `${s.name} ${g.name} ${g.phone} ${g.relation} ${g.isPrimary ? 'primary' : '-'} ${g.status}`))
      .sort();

  async function classCounts(classId: string) {
    const [row] = await ctx.query<{ students: number; links: number; users: number }>(
      `select (select count(*)::int from students where class_id = '${classId}') as students,
              (select count(*)::int from guardianships g join students s on s.id = g.student_id where s.class_id = '${classId}') as links,
              (select count(*)::int from users) as users`,
    );
    return row;
  }

  beforeAll(async () => {
    ctx = await createTestContext({ apps: ['admin', 'worker', 'parent'] });
    coordinator = await ctx.login('13900000001', 'admin');
    cityAdmin = await ctx.login('13900000000', 'admin');
    const me = await ctx.admin().get('/me').set(auth(coordinator)).expect(200);
    const scope = (me.body.scopes as { role: string; scopeId: string; scopeName: string }[]).find((s) => s.role === 'coordinator');
    expect(scope?.scopeName).toBe('潍坊七中');
    schoolId = scope?.scopeId as string;
    const classes = await ctx.admin().get(`/schools/${schoolId}/classes`).set(auth(coordinator)).expect(200);
    class1Id = (classes.body as { id: string; name: string }[]).find((c) => c.name === '初一(1)班')?.id as string;
    const [guangwen] = await ctx.query<{ id: string }>("select id from schools where name = '广文中学'");
    guangwenId = guangwen.id;
  });
  afterAll(() => ctx.close());

  it('imports an Excel roster: stats, progress 100, students and guardians on the roster, audited', async () => {
    const classId = await newClass();
    const lines = [...families(1, 2), { student: '独生', guardian: '外婆甲', phone: phoneOf(1, 100), relation: '外婆' }];
    const result = await importFile(classId, await rosterXlsx(lines));

    expect(result).toMatchObject({
      status: 'succeeded',
      totalRows: 5,
      processedRows: 5,
      progress: 100,
      errors: [],
      failureReason: null,
      stats: { studentsCreated: 3, guardiansCreated: 5, guardianshipsCreated: 5, unchanged: 0 },
    });
    expect(flatten(await roster(classId))).toEqual(
      [
        `学生0 父0 ${phoneOf(1, 0)} 父亲 primary invited`,
        `学生0 母0 ${phoneOf(1, 1)} 母亲 - invited`,
        `学生1 父1 ${phoneOf(1, 2)} 父亲 primary invited`,
        `学生1 母1 ${phoneOf(1, 3)} 母亲 - invited`,
        `独生 外婆甲 ${phoneOf(1, 100)} 外祖父母 primary invited`,
      ].sort(),
    );
    // Imported guardians are invited, without a password: they cannot log in yet.
    const [invited] = await ctx.query<{ n: number }>(
      `select count(*)::int as n from users where phone like '13501%' and password_hash is null and status = 'invited'`,
    );
    expect(invited.n).toBe(5);

    const audit = await ctx.query<{ actor: string; detail: Record<string, unknown> }>(
      `select u.phone as actor, a.detail from audit_log a join users u on u.id = a.actor_id
        where a.action = 'roster.imported' and a.target_type = 'class' and a.target_id = '${classId}'`,
    );
    expect(audit).toEqual([
      {
        actor: '13900000001',
        detail: expect.objectContaining({ importId: result.id, rows: 5, rejectedRows: 0, studentsCreated: 3, guardiansCreated: 5 }),
      },
    ]);
  });

  it('skips bad rows with their Excel row number and a Chinese message, and imports the good ones', async () => {
    const classId = await newClass();
    const lines: RosterLine[] = [
      { student: '好学生', guardian: '好家长', phone: '135 0200-0001', relation: '母亲' }, // row 2: spaces and dashes are fine
      { student: '坏号码', guardian: '家长乙', phone: '1234567', relation: '父亲' }, // row 3
      { student: '', guardian: '家长丙', phone: phoneOf(2, 3), relation: '父亲' }, // row 4
      { student: '怪关系', guardian: '家长丁', phone: phoneOf(2, 4), relation: '叔叔' }, // row 5
      { student: '也很好', guardian: '家长戊', phone: `+86${phoneOf(2, 5)}`, relation: '' }, // row 6: no relation → 其他
    ];
    const result = await importFile(classId, await rosterXlsx(lines));

    expect(result).toMatchObject({
      status: 'succeeded',
      totalRows: 2,
      progress: 100,
      stats: { studentsCreated: 2, guardiansCreated: 2, guardianshipsCreated: 2, unchanged: 0 },
    });
    expect(result.errors).toEqual([
      { row: 3, field: '家长手机号', message: '手机号“1234567”不是有效的中国大陆手机号' },
      { row: 4, field: '学生姓名', message: '学生姓名不能为空' },
      { row: 5, field: '关系', message: '关系“叔叔”无法识别，可填：父亲、母亲、祖父母、外祖父母、其他' },
    ]);
    expect(flatten(await roster(classId))).toEqual(
      [`也很好 家长戊 ${phoneOf(2, 5)} 其他 primary invited`, `好学生 好家长 ${phoneOf(2, 1)} 母亲 primary invited`].sort(),
    );
    const [rejected] = await ctx.query<{ n: number }>(
      `select count(*)::int as n from users where phone in ('${phoneOf(2, 3)}', '${phoneOf(2, 4)}')`,
    );
    expect(rejected.n).toBe(0);
  });

  it('importing the same file again changes nothing', async () => {
    const classId = await newClass();
    const file = await rosterXlsx(families(3, 10));
    const first = await importFile(classId, file);
    expect(first.stats).toEqual({ studentsCreated: 10, guardiansCreated: 20, guardianshipsCreated: 20, unchanged: 0 });
    const before = await classCounts(classId);
    const rosterBefore = flatten(await roster(classId));

    const second = await importFile(classId, file);
    expect(second).toMatchObject({
      status: 'succeeded',
      totalRows: 20,
      progress: 100,
      stats: { studentsCreated: 0, guardiansCreated: 0, guardianshipsCreated: 0, unchanged: 20 },
    });
    expect(await classCounts(classId)).toEqual(before);
    expect(before).toMatchObject({ students: 10, links: 20 });
    expect(flatten(await roster(classId))).toEqual(rosterBefore);
  });

  it('a guardian already known in another school stays one account with children in both', async () => {
    // 13900000005 (赵敏) is the mother of 赵一鸣 at 广文中学; a 潍坊七中 roster lists her too.
    const classId = await newClass();
    const result = await importFile(
      classId,
      await rosterXlsx([{ student: '赵二鸣', guardian: '赵敏（改名无效）', phone: '13900000005', relation: '母亲' }]),
    );
    expect(result.stats).toEqual({ studentsCreated: 1, guardiansCreated: 0, guardianshipsCreated: 1, unchanged: 0 });
    const [account] = await ctx.query<{ n: number; name: string; status: string }>(
      "select count(*)::int as n, min(name) as name, min(status) as status from users where phone = '13900000005'",
    );
    expect(account).toEqual({ n: 1, name: '赵敏', status: 'active' });

    // She logs in with her existing password and sees both children.
    const token = await ctx.login('13900000005');
    const children = await ctx.parent().get('/me/children').set(auth(token)).expect(200);
    expect(
      (children.body as { name: string; schoolName: string; relation: string }[])
        .map((c) => `${c.schoolName} ${c.name} ${c.relation}`)
        .sort(),
    ).toEqual(['广文中学 赵一鸣 母亲', '潍坊七中 赵二鸣 母亲'].sort());
  });

  it('a new phone imported into classes of two schools becomes one invited account with two children', async () => {
    const phone = phoneOf(4, 1);
    const weifang = await newClass();
    const guangwen = await newClass(guangwenId, cityAdmin);
    await importFile(weifang, await rosterXlsx([{ student: '孙甲', guardian: '孙家长', phone, relation: '父亲' }]));
    const second = await importFile(
      guangwen,
      await rosterXlsx([{ student: '孙乙', guardian: '孙家长', phone, relation: '父亲' }]),
      'roster.xlsx',
      cityAdmin,
    );
    expect(second.stats).toEqual({ studentsCreated: 1, guardiansCreated: 0, guardianshipsCreated: 1, unchanged: 0 });

    const rows = await ctx.query<{ users: number; school: string; student: string }>(
      `select (select count(*)::int from users where phone = '${phone}') as users, sc.name as school, s.name as student
         from users u join guardianships g on g.user_id = u.id join students s on s.id = g.student_id
         join classes c on c.id = s.class_id join schools sc on sc.id = c.school_id
        where u.phone = '${phone}' order by sc.name`,
    );
    expect(rows.map((r) => r.users)).toEqual([1, 1]);
    expect(rows.map((r) => `${r.school} ${r.student}`).sort()).toEqual(['广文中学 孙乙', '潍坊七中 孙甲'].sort());
  });

  it('reads CSV in UTF-8 with a BOM and in GBK', async () => {
    const utf8Class = await newClass();
    const utf8Lines: RosterLine[] = [
      { student: '王小明', guardian: '王大明', phone: phoneOf(5, 1), relation: '爸爸' },
      { student: '李"引号"', guardian: '李家长, 逗号', phone: phoneOf(5, 2), relation: '奶奶' },
    ];
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(rosterCsv(utf8Lines), 'utf8')]);
    const utf8 = await importFile(utf8Class, bom, '花名册.csv');
    expect(utf8).toMatchObject({ status: 'succeeded', totalRows: 2, errors: [], stats: { studentsCreated: 2, guardiansCreated: 2 } });
    expect(flatten(await roster(utf8Class))).toEqual(
      [`李"引号" 李家长, 逗号 ${phoneOf(5, 2)} 祖父母 primary invited`, `王小明 王大明 ${phoneOf(5, 1)} 父亲 primary invited`].sort(),
    );

    const gbkClass = await newClass();
    const gbkLines: RosterLine[] = [
      { student: '张三丰', guardian: '张翠山', phone: phoneOf(5, 3), relation: '父亲' },
      { student: '张三丰', guardian: '殷素素', phone: phoneOf(5, 4), relation: '母亲' },
      { student: '赵敏儿', guardian: '汝阳王', phone: phoneOf(5, 5), relation: '外公' },
    ];
    const gbkResult = await importFile(gbkClass, gbk(rosterCsv(gbkLines)), 'roster-gbk.csv');
    expect(gbkResult).toMatchObject({
      status: 'succeeded',
      totalRows: 3,
      errors: [],
      stats: { studentsCreated: 2, guardiansCreated: 3, guardianshipsCreated: 3 },
    });
    expect(flatten(await roster(gbkClass))).toEqual(
      [
        `张三丰 张翠山 ${phoneOf(5, 3)} 父亲 primary invited`,
        `张三丰 殷素素 ${phoneOf(5, 4)} 母亲 - invited`,
        `赵敏儿 汝阳王 ${phoneOf(5, 5)} 外祖父母 primary invited`,
      ].sort(),
    );
  });

  it('control characters in a cell (a NUL from a broken export) are cleaned, not fatal', async () => {
    const classId = await newClass();
    // Past the first 4 KB, where the type sniffing looks for binary content.
    const filler = Array.from({ length: 150 }, (_, i): RosterLine => ({
      student: `填充${i}`,
      guardian: `家长${i}`,
      phone: phoneOf(8, 100 + i),
      relation: '母亲',
    }));
    const lines: RosterLine[] = [
      ...filler,
      { student: '周\u0000小\u0007川', guardian: '周\u001f家长', phone: phoneOf(8, 1), relation: '父亲' },
    ];
    const csv = Buffer.from(rosterCsv(lines), 'utf8');
    expect(csv.indexOf(0)).toBeGreaterThan(4096);
    const result = await importFile(classId, csv, 'control.csv');
    expect(result).toMatchObject({
      status: 'succeeded',
      totalRows: 151,
      errors: [],
      stats: { studentsCreated: 151, guardiansCreated: 151 },
    });
    expect(flatten(await roster(classId))).toContain(`周 小 川 周 家长 ${phoneOf(8, 1)} 父亲 primary invited`);
  });

  it('the 5,000-row limit counts rows, not problems (a bad row can have several)', async () => {
    const classId = await newClass();
    // 1,800 rows with three problems each: 5,400 problems, far below 5,000 rows.
    const bad = Array.from({ length: 1800 }, (): RosterLine => ({ student: '', guardian: '', phone: '12345', relation: '父亲' }));
    const result = await importFile(
      classId,
      await rosterXlsx([...bad, { student: '唯一', guardian: '唯一家长', phone: phoneOf(10, 1), relation: '父亲' }]),
    );
    expect(result).toMatchObject({ status: 'succeeded', totalRows: 1, failureReason: null, stats: { studentsCreated: 1 } });
    expect(result.errors).toHaveLength(5400);
    expect(result.errors.slice(0, 3)).toEqual([
      { row: 2, field: '学生姓名', message: '学生姓名不能为空' },
      { row: 2, field: '家长姓名', message: '家长姓名不能为空' },
      { row: 2, field: '家长手机号', message: '手机号“12345”不是有效的中国大陆手机号' },
    ]);
    expect(result.errors[5399].row).toBe(1801);
  });

  it('an import whose every attempt fails ends as failed with a reason instead of staying running', async () => {
    // A real database failure, limited to one student name: a trigger that raises.
    await ctx.query(
      `create or replace function jx_test_refuse() returns trigger language plpgsql as $$ begin raise exception 'refused by test trigger'; end $$`,
    );
    await ctx.query(
      `create trigger jx_test_refuse before insert on students for each row when (new.name = '触发故障') execute function jx_test_refuse()`,
    );
    try {
      const classId = await newClass();
      const result = await importFile(
        classId,
        await rosterXlsx([
          { student: '正常', guardian: '家长甲', phone: phoneOf(9, 1), relation: '父亲' },
          { student: '触发故障', guardian: '家长乙', phone: phoneOf(9, 2), relation: '母亲' },
        ]),
      );
      expect(result).toMatchObject({
        status: 'failed',
        stats: null,
        failureReason: '导入时发生内部错误，请重新上传；多次失败请联系管理员',
      });
      // The chunk's transaction rolled back as a whole: nothing of the file is half there.
      expect(await classCounts(classId)).toMatchObject({ students: 0, links: 0 });
    } finally {
      await ctx.query('drop trigger jx_test_refuse on students');
      await ctx.query('drop function jx_test_refuse()');
    }
  }, 60_000);

  it('imports a 3,000-row file fully', async () => {
    const classId = await newClass();
    const result = await importFile(classId, await rosterXlsx(families(6, 1500)));
    expect(result).toMatchObject({
      status: 'succeeded',
      totalRows: 3000,
      processedRows: 3000,
      progress: 100,
      errors: [],
      stats: { studentsCreated: 1500, guardiansCreated: 3000, guardianshipsCreated: 3000, unchanged: 0 },
    });
    expect(await classCounts(classId)).toMatchObject({ students: 1500, links: 3000 });
    const [primaries] = await ctx.query<{ n: number }>(
      `select count(*)::int as n from guardianships g join students s on s.id = g.student_id where s.class_id = '${classId}' and g.is_primary`,
    );
    expect(primaries.n).toBe(1500);
  }, 180_000);

  it('refuses a file that is not a spreadsheet with 415 and a request without a file with 400', async () => {
    const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
    const refused = await upload(class1Id, png, 'photo.png').expect(415);
    expect(refused.body).toEqual({ statusCode: 415, code: 'FILE_TYPE_UNSUPPORTED', message: '只支持 Excel（.xlsx）或 CSV 文件' });

    const noBody = await ctx.admin().post(`/classes/${class1Id}/roster-imports`).set(auth(coordinator)).expect(400);
    expect(noBody.body).toEqual({ statusCode: 400, code: 'FILE_REQUIRED', message: '请上传文件' });
    const fieldOnly = await ctx
      .admin()
      .post(`/classes/${class1Id}/roster-imports`)
      .set(auth(coordinator))
      .field('note', 'no file')
      .expect(400);
    expect(fieldOnly.body.code).toBe('FILE_REQUIRED');
    const empty = await upload(class1Id, Buffer.alloc(0), 'empty.xlsx').expect(400);
    expect(empty.body.code).toBe('FILE_REQUIRED');

    const [imports] = await ctx.query<{ n: number }>(
      `select count(*)::int as n from roster_imports where class_id = '${class1Id}' and file_name in ('photo.png', 'empty.xlsx')`,
    );
    expect(imports.n).toBe(0);
  });

  it('a teacher and a coordinator of another school get 403 for the import and its status', async () => {
    // The coordinator's import into 初一(1)班, whose 班主任 is 13900000002.
    const done = await importFile(
      class1Id,
      await rosterXlsx([{ student: '新同学', guardian: '新家长', phone: phoneOf(7, 1), relation: '母亲' }]),
    );
    expect(done.status).toBe('succeeded');

    const teacher = await ctx.login('13900000002', 'admin');
    const appointed = await ctx
      .admin()
      .post(`/schools/${guangwenId}/staff`)
      .set(auth(cityAdmin))
      .send({ phone: phoneOf(7, 99), name: '广文协调员', role: 'coordinator' })
      .expect(201);
    const other = (
      await ctx
        .admin()
        .post('/auth/login')
        .send({ phone: phoneOf(7, 99), password: appointed.body.initialPassword })
        .expect(200)
    ).body.accessToken as string;
    await ctx
      .admin()
      .put('/me/password')
      .set(auth(other))
      .send({ currentPassword: appointed.body.initialPassword, newPassword: 'guangwen2026' })
      .expect(204);
    // Their own school is fine for them …
    await ctx.admin().get(`/schools/${guangwenId}/classes`).set(auth(other)).expect(200);

    const file = await rosterXlsx([{ student: '不该有', guardian: '不该有', phone: phoneOf(7, 2), relation: '父亲' }]);
    for (const token of [teacher, other]) {
      const post = await upload(class1Id, file, 'roster.xlsx', token).expect(403);
      expect(post.body).toEqual({ statusCode: 403, code: 'FORBIDDEN', message: '没有权限执行此操作' });
      const status = await ctx.admin().get(`/imports/${done.id}`).set(auth(token)).expect(403);
      expect(status.body.code).toBe('FORBIDDEN');
    }
    const [stray] = await ctx.query<{ n: number }>(`select count(*)::int as n from users where phone = '${phoneOf(7, 2)}'`);
    expect(stray.n).toBe(0);

    // A parent is not let into admin-api at all; an unknown import id is a 404.
    const parentToken = await ctx.login('13900000003');
    await ctx.admin().get(`/imports/${done.id}`).set(auth(parentToken)).expect(403);
    const missing = await ctx.admin().get('/imports/00000000-0000-4000-8000-000000000000').set(auth(coordinator)).expect(404);
    expect(missing.body.code).toBe('IMPORT_NOT_FOUND');
  });

  it('exports the roster as a readable Excel file matching the roster, and audits the export', async () => {
    const res = await ctx
      .admin()
      .get(`/classes/${class1Id}/roster.xlsx`)
      .set(auth(coordinator))
      .buffer(true)
      .parse((response, callback) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => callback(null, Buffer.concat(chunks)));
      })
      .expect(200);
    expect(res.headers['content-type']).toBe(XLSX_TYPE);
    expect(res.headers['content-disposition']).toContain(encodeURIComponent('潍坊七中初一(1)班花名册'));

    const rows = await readXlsxRows(res.body as Buffer);
    expect(rows[0]).toEqual(['学生姓名', '家长姓名', '家长手机号', '关系', '主要联系人', '账号状态']);
    const labels: Record<string, string> = { active: '已激活', invited: '未激活', disabled: '已停用' };
    const current = await roster(class1Id);
    const expected = current.students.flatMap((s) =>
      s.guardians.length === 0
        ? [[s.name, '', '', '', '', '']]
        : s.guardians.map((g) => [s.name, g.name, g.phone, g.relation, g.isPrimary ? '是' : '', labels[g.status]]),
    );
    expect(rows.slice(1)).toEqual(expected);
    // The seed's families of 初一(1)班 are in it, with full numbers for the coordinator.
    expect(rows).toContainEqual(['陈小雨', '陈志强', '13900000003', '父亲', '是', '已激活']);

    const audit = await ctx.query<{ actor: string; ip: string; detail: { rows: number; students: number } }>(
      `select u.phone as actor, host(a.ip) as ip, a.detail from audit_log a join users u on u.id = a.actor_id
        where a.action = 'roster.exported' and a.target_id = '${class1Id}' and u.phone = '13900000001'`,
    );
    expect(audit).toEqual([
      { actor: '13900000001', ip: '127.0.0.1', detail: { rows: expected.length, students: current.students.length } },
    ]);

    // The 班主任 may export her own class, not another one; a refused export is not audited.
    const teacher = await ctx.login('13900000002', 'admin');
    await ctx.admin().get(`/classes/${class1Id}/roster.xlsx`).set(auth(teacher)).expect(200);
    const classes = await ctx.admin().get(`/schools/${schoolId}/classes`).set(auth(coordinator)).expect(200);
    const class2Id = (classes.body as { id: string; name: string }[]).find((c) => c.name === '初一(2)班')?.id as string;
    const refused = await ctx.admin().get(`/classes/${class2Id}/roster.xlsx`).set(auth(teacher)).expect(403);
    expect(refused.body.code).toBe('FORBIDDEN');
    const [teacherExports] = await ctx.query<{ n: number; class2: number }>(
      `select count(*)::int as n, count(*) filter (where a.target_id = '${class2Id}')::int as class2
         from audit_log a join users u on u.id = a.actor_id where a.action = 'roster.exported' and u.phone = '13900000002'`,
    );
    expect(teacherExports).toEqual({ n: 1, class2: 0 });
  });

  it('demo accounts keep their password after imports that list them', async () => {
    // An import never touches an existing account's password or status.
    const classId = await newClass();
    await importFile(classId, await rosterXlsx([{ student: '刘小芳', guardian: '刘芳', phone: '13900000004', relation: '母亲' }]));
    await ctx.parent().post('/auth/login').send({ phone: '13900000004', password: DEMO_PASSWORD }).expect(200);
  });
});
