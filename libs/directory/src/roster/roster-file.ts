import ExcelJS from 'exceljs';
import { DomainError, normalizePhone } from '@jiaxiao/common';
import { Relation, RELATIONS } from '@jiaxiao/db';

export type RosterFormat = 'xlsx' | 'csv';

export interface RosterRow {
  /** spreadsheet row number, as Excel shows it */
  row: number;
  studentName: string;
  guardianName: string;
  phone: string;
  relation: Relation;
  /** the 班级 column of a whole-school sheet */
  className?: string;
}

export interface RowProblem {
  row: number;
  field: string | null;
  message: string;
}

/** Header names schools actually use, mapped to our columns. */
const HEADERS: Record<keyof Omit<RosterRow, 'row' | 'className'>, string[]> = {
  studentName: ['学生姓名', '学生', '姓名', 'student', 'student name'],
  guardianName: ['家长姓名', '监护人姓名', '监护人', '家长', 'guardian', 'guardian name'],
  phone: ['家长手机号', '手机号', '手机号码', '联系电话', '电话', 'phone', 'guardian phone'],
  relation: ['关系', '与学生关系', '亲属关系', 'relation'],
};

const CLASS_HEADERS = ['班级', '班级名称', '所在班级', 'class'];

const RELATION_SYNONYMS: Record<string, Relation> = {
  父亲: '父亲',
  爸爸: '父亲',
  父: '父亲',
  母亲: '母亲',
  妈妈: '母亲',
  母: '母亲',
  祖父母: '祖父母',
  祖父: '祖父母',
  祖母: '祖父母',
  爷爷: '祖父母',
  奶奶: '祖父母',
  外祖父母: '外祖父母',
  外祖父: '外祖父母',
  外祖母: '外祖父母',
  外公: '外祖父母',
  外婆: '外祖父母',
  姥爷: '外祖父母',
  姥姥: '外祖父母',
  其他: '其他',
  其它: '其他',
};

export const MAX_ROSTER_ROWS = 5000;

/** Decides the format from the bytes, never the file name: xlsx is a zip, CSV is text. */
export function detectFormat(content: Buffer): RosterFormat {
  if (content.length >= 4 && content.readUInt32BE(0) === 0x504b0304) return 'xlsx';
  const sample = content.subarray(0, 4096);
  if (sample.length > 0 && !sample.includes(0)) return 'csv';
  throw new DomainError('FILE_TYPE_UNSUPPORTED');
}

/**
 * Reads a roster file into valid rows and per-row problems (in Chinese, with Excel row numbers).
 * A whole-school sheet (`withClass`) must have a 班级 column too.
 */
export async function parseRoster(
  content: Buffer,
  format: RosterFormat,
  withClass = false,
): Promise<{ rows: RosterRow[]; problems: RowProblem[] }> {
  const table = format === 'xlsx' ? await readXlsx(content) : readCsv(decodeText(content));
  const headerIndex = table.findIndex((cells) => cells.some((c) => c.trim() !== ''));
  if (headerIndex < 0) throw new DomainError('FILE_UNREADABLE', { detail: '文件是空的' });
  const header = table[headerIndex].map((c) => c.trim().toLowerCase());
  const columns = {} as Record<keyof typeof HEADERS, number>;
  const missing: string[] = [];
  for (const [key, names] of Object.entries(HEADERS) as [keyof typeof HEADERS, string[]][]) {
    const index = header.findIndex((h) => names.includes(h));
    if (index < 0) missing.push(names[0]);
    columns[key] = index;
  }
  const classColumn = header.findIndex((h) => CLASS_HEADERS.includes(h));
  if (withClass && classColumn < 0) missing.unshift(CLASS_HEADERS[0]);
  if (missing.length > 0) {
    throw new DomainError('FILE_UNREADABLE', { detail: `第 ${headerIndex + 1} 行缺少表头：${missing.join('、')}` });
  }

  const rows: RosterRow[] = [];
  const problems: RowProblem[] = [];
  // Counted apart from `problems`: one bad row can have several problems.
  let dataRows = 0;
  for (let i = headerIndex + 1; i < table.length; i++) {
    const cells = table[i];
    if (cells.every((c) => c.trim() === '')) continue;
    const row = i + 1;
    if (++dataRows > MAX_ROSTER_ROWS) {
      throw new DomainError('FILE_UNREADABLE', { detail: `最多 ${MAX_ROSTER_ROWS} 行` });
    }
    const studentName = clean(cells[columns.studentName]);
    const guardianName = clean(cells[columns.guardianName]);
    const rawPhone = clean(cells[columns.phone]);
    const rawRelation = clean(cells[columns.relation]);
    const phone = normalizePhone(rawPhone);
    const relation = rawRelation === '' ? '其他' : RELATION_SYNONYMS[rawRelation];
    const rowProblems: RowProblem[] = [];
    const className = withClass ? clean(cells[classColumn]) : undefined;
    if (className === '') rowProblems.push({ row, field: '班级', message: '班级不能为空' });
    else if (className && className.length > 40) rowProblems.push({ row, field: '班级', message: '班级名称不能超过 40 个字' });
    if (!studentName) rowProblems.push({ row, field: '学生姓名', message: '学生姓名不能为空' });
    else if (studentName.length > 40) rowProblems.push({ row, field: '学生姓名', message: '学生姓名不能超过 40 个字' });
    if (!guardianName) rowProblems.push({ row, field: '家长姓名', message: '家长姓名不能为空' });
    else if (guardianName.length > 40) rowProblems.push({ row, field: '家长姓名', message: '家长姓名不能超过 40 个字' });
    if (!phone) rowProblems.push({ row, field: '家长手机号', message: `手机号“${rawPhone}”不是有效的中国大陆手机号` });
    if (!relation) {
      rowProblems.push({ row, field: '关系', message: `关系“${rawRelation}”无法识别，可填：${RELATIONS.join('、')}` });
    }
    if (rowProblems.length > 0) problems.push(...rowProblems);
    else
      rows.push({
        row,
        studentName,
        guardianName,
        phone: phone as string,
        relation: relation as Relation,
        ...(className ? { className } : {}),
      });
  }
  return { rows, problems };
}

function clean(value: string | undefined): string {
  // Control characters too: PostgreSQL refuses NUL in text, which would fail the whole import.
  return (value ?? '').replace(/[\s\p{Cc}]+/gu, ' ').trim();
}

async function readXlsx(content: Buffer): Promise<string[][]> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(content as unknown as ArrayBuffer);
  } catch {
    throw new DomainError('FILE_UNREADABLE', { detail: '不是有效的 Excel 文件' });
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) throw new DomainError('FILE_UNREADABLE', { detail: '工作簿里没有工作表' });
  const table: string[][] = [];
  sheet.eachRow({ includeEmpty: true }, (row, rowNumber) => {
    const cells: string[] = [];
    row.eachCell({ includeEmpty: true }, (cell, column) => {
      cells[column - 1] = cellText(cell.value);
    });
    table[rowNumber - 1] = Array.from(cells, (c) => c ?? '');
  });
  return Array.from(table, (r) => r ?? []);
}

function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isInteger(value) ? value.toFixed(0) : String(value);
  if (typeof value === 'string' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString();
  if ('richText' in value) return value.richText.map((r) => r.text).join('');
  if ('text' in value) return String(value.text);
  if ('result' in value) return value.result === undefined ? '' : cellText(value.result as ExcelJS.CellValue);
  return '';
}

/** Excel in China saves CSV as GBK: UTF-8 first (BOM or valid), GBK otherwise. */
function decodeText(content: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(content);
  } catch {
    return new TextDecoder('gbk').decode(content);
  }
}

/** RFC 4180 CSV: quoted fields, doubled quotes, CRLF or LF. */
function readCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"' && field === '') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}
