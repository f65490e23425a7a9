import ExcelJS from 'exceljs';
import { DomainError } from '@jiaxiao/common';
import { detectFormat, MAX_ROSTER_ROWS, parseRoster } from './roster-file';

const HEADER = '学生姓名,家长姓名,家长手机号,关系';

/** CSV bytes as a school's spreadsheet saves them (UTF-8, CRLF). */
const csv = (...lines: string[]) => Buffer.from(lines.join('\r\n') + '\r\n', 'utf8');

/** The two-byte GBK codes of the characters these tests use (Node's TextEncoder writes UTF-8 only). */
const GBK: Record<string, [number, number]> = {
  学: [0xd1, 0xa7],
  生: [0xc9, 0xfa],
  姓: [0xd0, 0xd5],
  名: [0xc3, 0xfb],
  家: [0xbc, 0xd2],
  长: [0xb3, 0xa4],
  手: [0xca, 0xd6],
  机: [0xbb, 0xfa],
  号: [0xba, 0xc5],
  关: [0xb9, 0xd8],
  系: [0xcf, 0xb5],
  张: [0xd5, 0xc5],
  三: [0xc8, 0xfd],
  父: [0xb8, 0xb8],
  爸: [0xb0, 0xd6],
  李: [0xc0, 0xee],
  四: [0xcb, 0xc4],
  母: [0xc4, 0xb8],
  妈: [0xc2, 0xe8],
};

function gbk(text: string): Buffer {
  const bytes: number[] = [];
  for (const ch of text) {
    if (ch.charCodeAt(0) < 0x80) bytes.push(ch.charCodeAt(0));
    else if (GBK[ch]) bytes.push(...GBK[ch]);
    else throw new Error(`no GBK code for ${ch} in this test`);
  }
  return Buffer.from(bytes);
}

async function xlsx(rows: (string | number | null)[][]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('花名册');
  for (const cells of rows) sheet.addRow(cells);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

async function unreadable(content: Buffer, format: 'csv' | 'xlsx'): Promise<DomainError> {
  try {
    await parseRoster(content, format);
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('the file was read');
}

describe('roster files', () => {
  describe('detectFormat', () => {
    it('tells xlsx from CSV by the bytes, not the name', async () => {
      expect(detectFormat(await xlsx([['学生姓名']]))).toBe('xlsx');
      expect(detectFormat(csv(HEADER))).toBe('csv');
      expect(detectFormat(gbk('学生姓名'))).toBe('csv');
    });

    it('refuses binary junk and empty files', () => {
      const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52]);
      for (const junk of [png, Buffer.from([0x00]), Buffer.alloc(0), Buffer.from('PK\u0001\u0002\u0000')]) {
        let code: string | undefined;
        try {
          detectFormat(junk);
        } catch (error) {
          code = error instanceof DomainError ? error.code : String(error);
        }
        expect({ junk: junk.toString('hex'), code }).toEqual({ junk: junk.toString('hex'), code: 'FILE_TYPE_UNSUPPORTED' });
      }
    });
  });

  describe('CSV', () => {
    it('reads quoted fields with commas and quotes, CRLF line ends and a BOM', async () => {
      const content = Buffer.concat([
        Buffer.from([0xef, 0xbb, 0xbf]),
        csv(HEADER, '"王小明, 小名 ""明明""",王建国,138 0000 0001,父亲', '李华,"李 母",+86 138-0000-0002,母亲'),
      ]);
      const { rows, problems } = await parseRoster(content, 'csv');
      expect(problems).toEqual([]);
      expect(rows).toEqual([
        { row: 2, studentName: '王小明, 小名 "明明"', guardianName: '王建国', phone: '13800000001', relation: '父亲' },
        { row: 3, studentName: '李华', guardianName: '李 母', phone: '13800000002', relation: '母亲' },
      ]);
    });

    it('maps the words parents use for relations; an empty one is 其他', async () => {
      const relations = ['爸爸', '妈妈', '外婆', '姥爷', '爷爷', '奶奶', '其它', '', '父', '母亲'];
      const content = csv(HEADER, ...relations.map((r, i) => `学生${i},家长${i},1380000${String(i).padStart(4, '0')},${r}`));
      const { rows, problems } = await parseRoster(content, 'csv');
      expect(problems).toEqual([]);
      expect(rows.map((r) => r.relation)).toEqual([
        '父亲',
        '母亲',
        '外祖父母',
        '外祖父母',
        '祖父母',
        '祖父母',
        '其他',
        '其他',
        '父亲',
        '母亲',
      ]);
    });

    it('reports each bad field with the Excel row number and keeps the good rows', async () => {
      const content = csv(
        HEADER,
        '张三,张父,13800000001,爸爸',
        ',无名家长,13800000002,母亲',
        '',
        '李四,李母,1380000,妈妈',
        '王五,,12345678901,舅舅',
        '"赵六',
        '多行""",赵父,13800000003,父亲',
      );
      const { rows, problems } = await parseRoster(content, 'csv');
      expect(rows).toEqual([
        { row: 2, studentName: '张三', guardianName: '张父', phone: '13800000001', relation: '父亲' },
        // A quoted field across two lines is one spreadsheet row; the next row keeps its number.
        { row: 7, studentName: '赵六 多行"', guardianName: '赵父', phone: '13800000003', relation: '父亲' },
      ]);
      expect(problems).toEqual([
        { row: 3, field: '学生姓名', message: '学生姓名不能为空' },
        { row: 5, field: '家长手机号', message: '手机号“1380000”不是有效的中国大陆手机号' },
        { row: 6, field: '家长姓名', message: '家长姓名不能为空' },
        { row: 6, field: '家长手机号', message: '手机号“12345678901”不是有效的中国大陆手机号' },
        { row: 6, field: '关系', message: '关系“舅舅”无法识别，可填：父亲、母亲、祖父母、外祖父母、其他' },
      ]);
    });

    it('reads a GBK file, as Excel in China saves CSV', async () => {
      const text = `${HEADER}\r\n张三,张父,13800000001,爸爸\r\n李四,李母,13800000002,妈妈\r\n`;
      const content = gbk(text);
      // The bytes really are GBK, and not valid UTF-8.
      expect(new TextDecoder('gbk').decode(content)).toBe(text);
      expect(() => new TextDecoder('utf-8', { fatal: true }).decode(content)).toThrow();

      const { rows, problems } = await parseRoster(content, 'csv');
      expect(problems).toEqual([]);
      expect(rows).toEqual([
        { row: 2, studentName: '张三', guardianName: '张父', phone: '13800000001', relation: '父亲' },
        { row: 3, studentName: '李四', guardianName: '李母', phone: '13800000002', relation: '母亲' },
      ]);
    });

    it('finds the header below blank lines and accepts other header names in any order', async () => {
      const content = csv('', ',,,', '关系,手机号,监护人,姓名', '妈妈,13800000009,钱母,钱七');
      const { rows } = await parseRoster(content, 'csv');
      expect(rows).toEqual([{ row: 4, studentName: '钱七', guardianName: '钱母', phone: '13800000009', relation: '母亲' }]);
    });

    it('refuses a file without the headers with FILE_UNREADABLE naming what is missing', async () => {
      const missing = await unreadable(csv('学生姓名,家长姓名,关系', '张三,张父,父亲'), 'csv');
      expect(missing.code).toBe('FILE_UNREADABLE');
      expect(missing.params.detail).toBe('第 1 行缺少表头：家长手机号');
      const empty = await unreadable(csv('', ''), 'csv');
      expect(empty.code).toBe('FILE_UNREADABLE');
    });

    it(`refuses more than ${MAX_ROSTER_ROWS} rows, counting bad rows once`, async () => {
      const line = (i: number) => `学生${i},,138000${String(i % 10000).padStart(4, '0')},舅舅`; // three problems each
      const full = await parseRoster(csv(HEADER, ...Array.from({ length: MAX_ROSTER_ROWS }, (_, i) => line(i))), 'csv');
      expect(new Set(full.problems.map((p) => p.row)).size).toBe(MAX_ROSTER_ROWS);
      const over = await unreadable(csv(HEADER, ...Array.from({ length: MAX_ROSTER_ROWS + 1 }, (_, i) => line(i))), 'csv');
      expect(over.code).toBe('FILE_UNREADABLE');
    });
  });

  describe('XLSX', () => {
    it('reads text, numeric phone cells and skips empty rows, keeping Excel row numbers', async () => {
      const content = await xlsx([
        ['学生姓名', '家长姓名', '家长手机号', '关系'],
        ['张三', '张父', 13800000001, '爸爸'],
        [],
        ['李四', '李母', '138 0000 0002', '外婆'],
        ['', '王父', '13800000003', '父亲'],
      ]);
      const { rows, problems } = await parseRoster(content, 'xlsx');
      expect(rows).toEqual([
        { row: 2, studentName: '张三', guardianName: '张父', phone: '13800000001', relation: '父亲' },
        { row: 4, studentName: '李四', guardianName: '李母', phone: '13800000002', relation: '外祖父母' },
      ]);
      expect(problems).toEqual([{ row: 5, field: '学生姓名', message: '学生姓名不能为空' }]);
    });

    it('refuses a sheet without the headers and a broken workbook', async () => {
      const headerless = await unreadable(await xlsx([['张三', '张父', 13800000001, '爸爸']]), 'xlsx');
      expect(headerless.code).toBe('FILE_UNREADABLE');
      expect(headerless.params.detail).toMatch(/^第 1 行缺少表头：/);

      const broken = (await xlsx([['学生姓名']])).subarray(0, 200);
      const error = await unreadable(broken, 'xlsx');
      expect(error.code).toBe('FILE_UNREADABLE');
    });
  });
});
