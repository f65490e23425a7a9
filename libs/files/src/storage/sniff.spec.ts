import { crc32 } from 'node:zlib';
import ExcelJS from 'exceljs';
import { sniff } from './sniff';

/** A zip of stored (uncompressed) entries: local headers, central directory, end record. */
function zip(entries: Record<string, string>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, text] of Object.entries(entries)) {
    const fileName = Buffer.from(name, 'utf8');
    const data = Buffer.from(text, 'utf8');
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(fileName.length, 26);
    locals.push(local, fileName, data);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(fileName.length, 28);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, fileName);
    offset += local.length + fileName.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(entries).length, 8);
  end.writeUInt16LE(Object.keys(entries).length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

const CONTENT_TYPES = '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>';
const office = (folder: string, part: string) =>
  zip({ '[Content_Types].xml': CONTENT_TYPES, '_rels/.rels': '<Relationships/>', [`${folder}/${part}`]: '<x/>' });

const bytes = (...values: number[]) => Buffer.from(values);
const text = (value: string) => Buffer.from(value, 'latin1');

describe('sniff', () => {
  it('recognises the images by their signatures', () => {
    expect(sniff(Buffer.concat([bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a), Buffer.alloc(20)]))).toEqual({
      mime: 'image/png',
      kind: 'image',
    });
    expect(sniff(Buffer.concat([bytes(0xff, 0xd8, 0xff, 0xe0), text('JFIF')]))).toEqual({ mime: 'image/jpeg', kind: 'image' });
    expect(sniff(text('GIF87a\x01\x00\x01\x00'))).toEqual({ mime: 'image/gif', kind: 'image' });
    expect(sniff(text('GIF89a\x01\x00\x01\x00'))).toEqual({ mime: 'image/gif', kind: 'image' });
    expect(sniff(text('RIFF\x24\x00\x00\x00WEBPVP8 '))).toEqual({ mime: 'image/webp', kind: 'image' });
  });

  it('recognises PDF and the Office Open XML documents by their zip entries', () => {
    expect(sniff(text('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n'))).toEqual({ mime: 'application/pdf', kind: 'file' });
    expect(sniff(office('word', 'document.xml'))).toEqual({
      mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      kind: 'file',
    });
    expect(sniff(office('xl', 'workbook.xml'))).toEqual({
      mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      kind: 'file',
    });
    expect(sniff(office('ppt', 'presentation.xml'))).toEqual({
      mime: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
      kind: 'file',
    });
  });

  it('recognises a real workbook as Excel writes it', async () => {
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('花名册').addRow(['学生姓名', '家长姓名', '家长手机号', '关系']);
    const content = Buffer.from(await workbook.xlsx.writeBuffer());
    expect(sniff(content)).toEqual({ mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', kind: 'file' });
  });

  it('refuses everything else, whatever the file is called', () => {
    const refused: [string, Buffer][] = [
      ['empty', Buffer.alloc(0)],
      ['plain text', Buffer.from('just some text, not a picture\n')],
      ['Chinese text', Buffer.from('家长会通知', 'utf8')],
      ['HTML', Buffer.from('<!doctype html><script>alert(1)</script>')],
      ['SVG (scripts)', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')],
      ['a truncated PNG signature', bytes(0x89, 0x50, 0x4e, 0x47)],
      ['two JPEG bytes', bytes(0xff, 0xd8)],
      ['a WAV file (RIFF, not WEBP)', text('RIFF\x24\x00\x00\x00WAVEfmt ')],
      ['a GIF look-alike', text('GIF90a')],
      ['%PDF without the dash', text('%PDF1.4')],
      ['an executable', text('MZ\x90\x00\x03\x00')],
      ['a zip that is not an Office document', zip({ 'readme.txt': 'hello', 'word/notes.txt': 'not office' })],
      ['an Office-like zip of another application', zip({ '[Content_Types].xml': CONTENT_TYPES, 'visio/document.xml': '<x/>' })],
      ['a lone zip signature', bytes(0x50, 0x4b, 0x03, 0x04)],
    ];
    for (const [name, content] of refused) expect({ name, sniffed: sniff(content) }).toEqual({ name, sniffed: undefined });
  });
});
