import { createTestContext, TestContext } from './support/harness';
import { rosterCsv, rosterXlsx } from './support/roster-files';
import { zipBomb, zipOf } from './support/zip-files';

/**
 * Spreadsheet uploads (roster imports, paper attendance sheets) are refused before any parser
 * sees them when they are too large or would expand too far: a stable code, nothing stored.
 */
describe('oversized and zip-bomb spreadsheet uploads', () => {
  let ctx: TestContext;
  let coordinator: string;
  let cityAdmin: string;
  let classId: string;
  let lectureId: string;
  const auth = (token: string) => ({ Authorization: `Bearer ${token}` });

  beforeAll(async () => {
    ctx = await createTestContext({ apps: ['admin'] });
    coordinator = await ctx.login('13900000001', 'admin');
    cityAdmin = await ctx.login('13900000000', 'admin');
    const me = await ctx.admin().get('/me').set(auth(coordinator)).expect(200);
    const schoolId = (me.body.scopes as { role: string; scopeId: string }[]).find((a) => a.role === 'coordinator')?.scopeId as string;
    classId = ((await ctx.admin().get(`/schools/${schoolId}/classes`).set(auth(coordinator)).expect(200)).body as { id: string }[])[0].id;
    lectureId = (await ctx.query<{ id: string }>(`select id::text from lectures where status = 'published' limit 1`))[0].id;
  });
  afterAll(async () => {
    await ctx?.close();
  });

  const importCount = async () =>
    (await ctx.query<{ n: number }>(`select count(*)::int as n from roster_imports where class_id = '${classId}'`))[0].n;
  const uploadRoster = (content: Buffer, name: string) =>
    ctx.admin().post(`/classes/${classId}/roster-imports`).set(auth(coordinator)).attach('file', content, name);

  it('refuses a zip bomb posing as a roster with 413 SPREADSHEET_EXPANDS_TOO_MUCH and stores nothing', async () => {
    const bomb = zipBomb(100);
    expect(bomb.length).toBeLessThan(1024 * 1024);
    const before = await importCount();
    const res = await uploadRoster(bomb, 'roster.xlsx').expect(413);
    expect(res.body).toMatchObject({ statusCode: 413, code: 'SPREADSHEET_EXPANDS_TOO_MUCH' });
    expect(res.body.message).toContain('压缩比');
    expect(await importCount()).toBe(before);
  });

  it('catches a bomb whose directory understates its size, by inflating under the budget', async () => {
    const res = await uploadRoster(zipBomb(60, 'forged'), 'roster.xlsx').expect(413);
    expect(res.body.code).toBe('SPREADSHEET_EXPANDS_TOO_MUCH');
  });

  it('refuses a workbook of too many entries, and a broken zip as unreadable', async () => {
    const many = zipOf(Array.from({ length: 600 }, (_, i) => ({ name: `xl/x${i}.xml`, data: Buffer.from('<x/>') })));
    expect((await uploadRoster(many, 'roster.xlsx').expect(413)).body.code).toBe('SPREADSHEET_EXPANDS_TOO_MUCH');
    const truncated = (await rosterXlsx([{ student: '张三', guardian: '张父', phone: '13512340000', relation: '父亲' }])).subarray(0, 200);
    expect((await uploadRoster(truncated, 'roster.xlsx').expect(400)).body.code).toBe('FILE_UNREADABLE');
  });

  it('refuses an oversized roster with 413 FILE_TOO_LARGE', async () => {
    const lines = Array.from({ length: 130_000 }, (_, i) => ({
      student: `学生${i}`,
      guardian: `家长${i}`,
      phone: `135${String(i).padStart(8, '0')}`,
      relation: '父亲',
    }));
    const csv = Buffer.from(rosterCsv(lines));
    expect(csv.length).toBeGreaterThan(5 * 1024 * 1024);
    const res = await uploadRoster(csv, 'roster.csv').expect(413);
    expect(res.body).toMatchObject({ code: 'FILE_TOO_LARGE', message: '文件不能超过 5 MB' });
  });

  it('still takes an ordinary roster', async () => {
    const xlsx = await rosterXlsx([{ student: '李四', guardian: '李母', phone: '13512340001', relation: '母亲' }]);
    await uploadRoster(xlsx, 'roster.xlsx').expect(201);
  });

  it('refuses a zip bomb as a paper attendance sheet', async () => {
    const res = await ctx
      .admin()
      .post(`/lectures/${lectureId}/attendance-sheets`)
      .set(auth(cityAdmin))
      .attach('file', zipBomb(100), 'sheet.xlsx')
      .expect(413);
    expect(res.body.code).toBe('SPREADSHEET_EXPANDS_TOO_MUCH');
  });
});
