import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { certificatePdf } from './certificate-pdf';

const content = {
  title: '家庭教育课程结业证书',
  lines: [
    { text: '潍坊七中 初一(1)班 陈小雨 同学的家长：', size: 20, y: 380 },
    { text: '已于 2026-2027 学年完成家庭教育课程 8 学时（要求 8 学时），准予结业。', size: 18, y: 330 },
  ],
};

/** UTF-16BE hex, as the content stream writes text for the UniGB-UCS2-H encoding. */
const hex = (text: string) => Buffer.from(text, 'utf16le').swap16().toString('hex').toUpperCase();

describe('the certificate PDF', () => {
  const pdf = certificatePdf(content);
  const text = pdf.toString('latin1');

  it('is a PDF 1.4 file that ends with %%EOF', () => {
    expect(text.startsWith('%PDF-1.4\n')).toBe(true);
    expect(text.endsWith('%%EOF\n')).toBe(true);
  });

  it('has a cross-reference table whose offsets point at each object', () => {
    const startxref = Number(/startxref\n(\d+)\n%%EOF\n$/.exec(text)?.[1]);
    expect(text.slice(startxref, startxref + 5)).toBe('xref\n');
    const [, first, count] = /^xref\n(\d+) (\d+)\n/.exec(text.slice(startxref)) ?? [];
    expect(Number(first)).toBe(0);
    const entries = text.slice(startxref).split('\n').slice(2, 2 + Number(count));
    expect(entries[0]).toBe('0000000000 65535 f ');
    const objects = entries.slice(1);
    expect(objects).toHaveLength(7);
    objects.forEach((entry, index) => {
      // Each entry is exactly 20 bytes with its line end.
      expect(Buffer.byteLength(`${entry}\n`, 'latin1')).toBe(20);
      const offset = Number(entry.slice(0, 10));
      expect(text.slice(offset, offset + `${index + 1} 0 obj`.length)).toBe(`${index + 1} 0 obj`);
    });
    expect(text).toContain(`trailer\n<< /Size ${Number(count)} /Root 1 0 R >>`);
  });

  it('gives the content stream its exact length', () => {
    const match = /<< \/Length (\d+) >>\nstream\n/.exec(text);
    expect(match).not.toBeNull();
    const start = (match?.index ?? 0) + (match?.[0].length ?? 0);
    const length = Number(match?.[1]);
    expect(text.slice(start + length, start + length + '\nendstream'.length)).toBe('\nendstream');
  });

  it('writes the Chinese text with the built-in STSong-Light font, nothing embedded', () => {
    expect(text).toContain('/BaseFont /STSong-Light /Encoding /UniGB-UCS2-H');
    expect(text).not.toContain('/FontFile');
    for (const line of [content.title, ...content.lines.map((l) => l.text)]) expect(text).toContain(`<${hex(line)}> Tj`);
  });

  it('prints characters outside the BMP as a question mark rather than breaking the stream', () => {
    const odd = certificatePdf({ title: '𠀀', lines: [] }).toString('latin1');
    expect(odd).toContain('<003F> Tj');
  });

  it('opens in poppler when it is installed', () => {
    const probe = spawnSync('pdftotext', ['-v']);
    if (probe.error) return; // poppler-utils is optional on developer machines
    const dir = mkdtempSync(join(tmpdir(), 'certificate-'));
    try {
      writeFileSync(join(dir, 'c.pdf'), pdf);
      const result = spawnSync('pdftotext', [join(dir, 'c.pdf'), '-'], { encoding: 'utf8' });
      expect(result.status).toBe(0);
      expect(result.stderr).not.toMatch(/error/i);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
