import ExcelJS from 'exceljs';
import { createTestContext, TestContext } from './support/harness';

/**
 * Exported spreadsheets do not run what users typed: a student or guardian name starting with
 * = + - @ (or a tab) comes out of the roster export as text with a leading apostrophe, not a formula.
 */
describe('XLSX exports escape formula-like cells', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext({ apps: ['admin'] });
  });
  afterAll(async () => {
    await ctx?.close();
  });

  it('the roster export prefixes = + - @ and tab with an apostrophe', async () => {
    const [cls] = await ctx.query<{ id: string }>(
      `select c.id from classes c join schools s on s.id = c.school_id where s.name = '潍坊七中' and c.name = '初一(1)班' limit 1`,
    );
    const names = ['=HYPERLINK("http://evil.example","点我")', '+1+1', '-2+3', '@SUM(A1)', '\t=1+1'];
    for (const [i, name] of names.entries())
      await ctx.query(`insert into students (class_id, name) values ('${cls.id}', '${name.replace(/'/g, "''")}${i}')`);
    const token = await ctx.login('13900000001', 'admin');
    const res = await ctx
      .admin()
      .get(`/classes/${cls.id}/roster.xlsx`)
      .set('Authorization', `Bearer ${token}`)
      .buffer(true)
      .parse((response, done) => {
        const chunks: Buffer[] = [];
        response.on('data', (c: Buffer) => chunks.push(c));
        response.on('end', () => done(null, Buffer.concat(chunks)));
      });
    expect(res.status).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(res.body as unknown as ArrayBuffer);
    const cells: unknown[] = [];
    workbook.worksheets[0].getColumn(1).eachCell((cell) => cells.push(cell.value));
    for (const [i, name] of names.entries()) expect(cells).toContain(`'${name}${i}`);
    expect(cells.some((v) => typeof v === 'object' && v !== null && 'formula' in v)).toBe(false);
  });
});
