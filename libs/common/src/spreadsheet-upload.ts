import { inflateRawSync } from 'node:zlib';
import { DomainError } from './errors';

/** What an uploaded spreadsheet (a roster, an attendance sheet) may be, checked before any parser sees it. */
export const SPREADSHEET_LIMITS = {
  /** the file as uploaded: a 5,000-row roster is a few hundred kB */
  maxBytes: 5 * 1024 * 1024,
  /** files inside an XLSX (a workbook has a dozen or two) */
  maxEntries: 500,
  /** all of them uncompressed */
  maxUncompressedBytes: 50 * 1024 * 1024,
  /** uncompressed ÷ compressed for an entry larger than 1 MB uncompressed (sheet XML is 5–30×) */
  maxRatio: 200,
};

const MB = 1024 * 1024;
const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

/**
 * Refuses an oversized upload (413 FILE_TOO_LARGE) and an XLSX that would expand too far
 * (413 SPREADSHEET_EXPANDS_TOO_MUCH: too many entries, too many bytes in all, or a
 * compression ratio no spreadsheet has — a zip bomb), reading the zip's central directory and
 * then inflating each entry under the remaining budget, so sizes a forged directory understates
 * are caught too. A zip it cannot walk is 400 FILE_UNREADABLE.
 */
export function assertSpreadsheetUpload(content: Buffer, format: 'xlsx' | 'csv'): void {
  const limits = SPREADSHEET_LIMITS;
  if (content.length > limits.maxBytes) throw new DomainError('FILE_TOO_LARGE', { limit: `${limits.maxBytes / MB} MB` });
  if (format === 'xlsx') checkZip(content);
}

interface Entry {
  method: number;
  compressed: number;
  uncompressed: number;
  localOffset: number;
}

function checkZip(zip: Buffer): void {
  const limits = SPREADSHEET_LIMITS;
  const entries = centralDirectory(zip);
  if (entries.length > limits.maxEntries) throw tooMuch(`${entries.length} 个内部文件，最多 ${limits.maxEntries} 个`);
  let declared = 0;
  for (const entry of entries) {
    declared += entry.uncompressed;
    if (entry.uncompressed > MB && entry.uncompressed / Math.max(entry.compressed, 1) > limits.maxRatio) {
      throw tooMuch(`压缩比 ${Math.round(entry.uncompressed / Math.max(entry.compressed, 1))}:1，最多 ${limits.maxRatio}:1`);
    }
  }
  if (declared > limits.maxUncompressedBytes)
    throw tooMuch(`解压后 ${Math.round(declared / MB)} MB，最多 ${limits.maxUncompressedBytes / MB} MB`);

  // The directory's figures are the sender's word: inflate under the budget to be sure.
  let budget = limits.maxUncompressedBytes;
  for (const entry of entries) {
    const data = entryData(zip, entry);
    let size: number;
    if (entry.method === 0) size = data.length;
    else if (entry.method === 8) {
      try {
        size = inflateRawSync(data, { maxOutputLength: budget + 1 }).length;
      } catch (error) {
        if (error instanceof RangeError || (error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE')
          throw tooMuch(`解压后超过 ${limits.maxUncompressedBytes / MB} MB`);
        throw unreadable();
      }
    } else throw unreadable();
    if (size > entry.uncompressed || size > budget) throw tooMuch(`解压后超过 ${limits.maxUncompressedBytes / MB} MB`);
    budget -= size;
  }
}

function centralDirectory(zip: Buffer): Entry[] {
  // The end-of-central-directory record: 22 bytes plus a comment of up to 65,535.
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 65535); i--) {
    if (zip.readUInt32LE(i) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw unreadable();
  const count = zip.readUInt16LE(eocd + 10);
  const offset = zip.readUInt32LE(eocd + 16);
  // ZIP64 markers: no spreadsheet under the upload limit needs them.
  if (count === 0xffff || offset === 0xffffffff) throw tooMuch('ZIP64 格式');
  const entries: Entry[] = [];
  let at = offset;
  for (let i = 0; i < count; i++) {
    if (at + 46 > zip.length || zip.readUInt32LE(at) !== CENTRAL) throw unreadable();
    entries.push({
      method: zip.readUInt16LE(at + 10),
      compressed: zip.readUInt32LE(at + 20),
      uncompressed: zip.readUInt32LE(at + 24),
      localOffset: zip.readUInt32LE(at + 42),
    });
    at += 46 + zip.readUInt16LE(at + 28) + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  }
  return entries;
}

function entryData(zip: Buffer, entry: Entry): Buffer {
  const at = entry.localOffset;
  if (at + 30 > zip.length || zip.readUInt32LE(at) !== LOCAL) throw unreadable();
  const start = at + 30 + zip.readUInt16LE(at + 26) + zip.readUInt16LE(at + 28);
  if (start + entry.compressed > zip.length) throw unreadable();
  return zip.subarray(start, start + entry.compressed);
}

function tooMuch(detail: string): DomainError {
  return new DomainError('SPREADSHEET_EXPANDS_TOO_MUCH', { detail });
}

function unreadable(): DomainError {
  return new DomainError('FILE_UNREADABLE', { detail: '不是有效的 Excel 文件' });
}
