import ExcelJS from 'exceljs';

/** One line of a class roster as schools fill it in. */
export interface RosterLine {
  student: string;
  guardian: string;
  phone: string;
  relation: string;
}

export const ROSTER_HEADERS = ['学生姓名', '家长姓名', '家长手机号', '关系'];

/** An .xlsx workbook with the roster headers on row 1, so line i is Excel row i + 2. */
export async function rosterXlsx(lines: RosterLine[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('花名册');
  sheet.addRow(ROSTER_HEADERS);
  for (const l of lines) sheet.addRow([l.student, l.guardian, l.phone, l.relation]);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** The roster as CSV text (CRLF, quoted where needed). */
export function rosterCsv(lines: RosterLine[]): string {
  const quote = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  return (
    [ROSTER_HEADERS, ...lines.map((l) => [l.student, l.guardian, l.phone, l.relation])].map((r) => r.map(quote).join(',')).join('\r\n') +
    '\r\n'
  );
}

let gbkTable: Map<string, number[]> | undefined;

/**
 * Encodes text as GBK, the way Excel in China saves CSV. Node only encodes UTF-8, so the table
 * is built by decoding every two-byte GBK code once.
 */
export function gbk(text: string): Buffer {
  if (!gbkTable) {
    gbkTable = new Map();
    const decoder = new TextDecoder('gbk');
    for (let lead = 0x81; lead <= 0xfe; lead++) {
      for (let trail = 0x40; trail <= 0xfe; trail++) {
        if (trail === 0x7f) continue;
        const char = decoder.decode(Uint8Array.of(lead, trail));
        if (char.length === 1 && char !== '\ufffd' && !gbkTable.has(char)) gbkTable.set(char, [lead, trail]);
      }
    }
  }
  const bytes: number[] = [];
  for (const char of text) {
    const code = char.codePointAt(0) as number;
    if (code < 0x80) bytes.push(code);
    else {
      const pair = gbkTable.get(char);
      if (!pair) throw new Error(`no GBK code for ${char}`);
      bytes.push(...pair);
    }
  }
  return Buffer.from(bytes);
}

/** Reads an .xlsx into rows of cell texts (row 1 first). */
export async function readXlsxRows(content: Buffer): Promise<string[][]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(content as unknown as ArrayBuffer);
  const sheet = workbook.worksheets[0];
  const rows: string[][] = [];
  sheet.eachRow({ includeEmpty: false }, (row) => {
    const cells: string[] = [];
    for (let c = 1; c <= sheet.columnCount; c++) {
      const value = row.getCell(c).value;
      cells.push(value === null || value === undefined ? '' : String(value));
    }
    rows.push(cells);
  });
  return rows;
}
