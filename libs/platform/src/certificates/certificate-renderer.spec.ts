import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CertificateContent, renderCertificate } from './certificate-renderer';

/** Needs poppler-utils (pdftotext); .ci/run installs it. */
const LONG_SCHOOL = '潍坊市奎文区实验学校教育集团东校区（原潍坊七中）';
const content: CertificateContent = {
  fileName: '结业证书',
  title: '家庭教育课程结业证书',
  salutation: `${LONG_SCHOOL} 初一(1)班 欧阳子涵 同学的家长：`,
  body: [
    `已于 2026-2027 学年完成家庭教育课程 10 学时（要求 8 学时），共参加 5 次父母大讲堂、家庭教育农村行与学校课程，准予结业。${'感谢您对家校共育工作的支持与参与。'.repeat(4)}`,
  ],
  signature: ['潍坊市教育局 家校共育平台', '2026年12月1日'],
  serial: '证书编号：JF2026-ABCD-0001',
};

describe('certificate renderer', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'certificate-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes a PDF whose Chinese text extracts, with an embedded subset font', async () => {
    const pdf = await renderCertificate(content, 'pdf');
    expect(pdf).toMatchObject({ fileName: '结业证书.pdf', contentType: 'application/pdf' });
    const file = join(dir, 'c.pdf');
    writeFileSync(file, pdf.content);
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
    for (const expected of [
      '家庭教育课程结业证书',
      '欧阳子涵同学的家长：',
      '准予结业',
      '潍坊市教育局家校共育平台',
      '2026年12月1日',
      'JF2026-ABCD-0001',
    ]) {
      expect(text).toContain(expected);
    }
    const fonts = execFileSync('pdffonts', [file], { encoding: 'utf8' });
    // Embedded ("emb" yes) and subset (a "ABCDEF+" prefix) for every font.
    const rows = fonts.split('\n').slice(2).filter(Boolean);
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row).toMatch(/^[A-Z]{6}\+\S+.*\byes\s+yes\b/);
    // The subset keeps the file small although the font files are 8 MB each.
    expect(pdf.content.length).toBeLessThan(300_000);
  });

  it('draws nothing outside the page: every word box lies inside the border', async () => {
    const file = join(dir, 'bbox.pdf');
    writeFileSync(file, (await renderCertificate(content, 'pdf')).content);
    const html = execFileSync('pdftotext', ['-bbox', file, '-'], { encoding: 'utf8' });
    const page = /<page width="([\d.]+)" height="([\d.]+)"/.exec(html);
    expect(page && [Number(page[1]), Number(page[2])]).toEqual([842, 595]);
    const words = [...html.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">/g)].map((m) =>
      m.slice(1, 5).map(Number),
    );
    expect(words.length).toBeGreaterThan(5);
    for (const [xMin, yMin, xMax, yMax] of words) {
      expect(xMin).toBeGreaterThanOrEqual(48);
      expect(yMin).toBeGreaterThanOrEqual(48);
      expect(xMax).toBeLessThanOrEqual(842 - 48);
      expect(yMax).toBeLessThanOrEqual(595 - 48);
    }
  });

  it('renders the same certificate as a PNG to share', async () => {
    const png = await renderCertificate(content, 'png');
    expect(png).toMatchObject({ fileName: '结业证书.png', contentType: 'image/png' });
    expect(png.content.subarray(1, 4).toString('latin1')).toBe('PNG');
    // IHDR: width and height at twice the page size in points.
    expect([png.content.readUInt32BE(16), png.content.readUInt32BE(20)]).toEqual([1684, 1190]);
    expect(png.content.length).toBeGreaterThan(20_000);
  });
});
