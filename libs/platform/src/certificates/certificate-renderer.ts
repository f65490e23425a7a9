import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import PDFDocument from 'pdfkit';

/** What a certificate says; the renderer decides where it goes. */
export interface CertificateContent {
  /** file name without extension */
  fileName: string;
  title: string;
  /** the addressee line, e.g. `刘芳家庭：` */
  salutation: string;
  /** paragraphs, wrapped to the page and indented by two characters */
  body: string[];
  /** right-aligned lines at the foot: issuer, date */
  signature: string[];
  /** certificate number, printed small at the bottom left */
  serial?: string;
}

export const CERTIFICATE_FORMATS = ['pdf', 'png'] as const;
export type CertificateFormat = (typeof CERTIFICATE_FORMATS)[number];

export interface RenderedCertificate {
  fileName: string;
  contentType: string;
  content: Buffer;
}

/** One piece of text placed on the page: x from the left, y the baseline from the top, in points. */
interface Placed {
  text: string;
  x: number;
  y: number;
  size: number;
  bold: boolean;
}

// A4 landscape in points; text stays inside the inner border with room to spare.
const PAGE = { width: 842, height: 595 };
const BORDERS = [
  { inset: 30, width: 6 },
  { inset: 42, width: 1 },
];
const TEXT_BOX = { left: 100, right: 742, top: 90, bottom: 520 };
const COLOUR = '#8c1a1a';
const PNG_SCALE = 2;
const BODY_SIZES = [20, 18, 16, 14, 12];
const NO_LINE_START = new Set('，。、；：？！”’）》〉」』】…,.;:?!)');

// Noto Sans Hans (OFL-1.1) from @embedpdf/fonts-sc: the GB2312 set; pdfkit embeds only the glyphs used.
const fontDir = join(dirname(require.resolve('@embedpdf/fonts-sc')), '..', 'fonts');
const FONT_FILES = { regular: join(fontDir, 'NotoSansHans-Regular.otf'), bold: join(fontDir, 'NotoSansHans-Bold.otf') };
const FONT_FAMILY = 'Noto Sans Hans';
let fonts: { regular: Buffer; bold: Buffer } | undefined;
const loadFonts = () => (fonts ??= { regular: readFileSync(FONT_FILES.regular), bold: readFileSync(FONT_FILES.bold) });

/** The certificate as a PDF (embedded, subset font) or as a PNG to share in WeChat, from one layout. */
export async function renderCertificate(content: CertificateContent, format: CertificateFormat): Promise<RenderedCertificate> {
  if (format === 'png') return { fileName: `${content.fileName}.png`, contentType: 'image/png', content: renderPng(content) };
  return { fileName: `${content.fileName}.pdf`, contentType: 'application/pdf', content: await renderPdf(content) };
}

function newDocument(): PDFKit.PDFDocument {
  const { regular, bold } = loadFonts();
  const doc = new PDFDocument({
    size: [PAGE.width, PAGE.height],
    margin: 0,
    autoFirstPage: true,
    info: { Title: '证书', Producer: 'Jiaxiao' },
  });
  doc.registerFont('regular', regular);
  doc.registerFont('bold', bold);
  return doc;
}

function renderPdf(content: CertificateContent): Promise<Buffer> {
  const doc = newDocument();
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.strokeColor(COLOUR);
  for (const border of BORDERS) {
    doc
      .lineWidth(border.width)
      .rect(border.inset, border.inset, PAGE.width - 2 * border.inset, PAGE.height - 2 * border.inset)
      .stroke();
  }
  for (const item of layout(content, doc)) {
    doc
      .font(item.bold ? 'bold' : 'regular')
      .fontSize(item.size)
      .fillColor(item.bold ? COLOUR : '#222222')
      .text(item.text, item.x, item.y, { lineBreak: false, baseline: 'alphabetic' });
  }
  doc.end();
  return done;
}

function renderPng(content: CertificateContent): Buffer {
  const measure = newDocument();
  const placed = layout(content, measure);
  measure.end();
  const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const svg = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${PAGE.width}" height="${PAGE.height}" viewBox="0 0 ${PAGE.width} ${PAGE.height}">`,
    `<rect width="100%" height="100%" fill="#fffdf7"/>`,
    ...BORDERS.map(
      (b) =>
        `<rect x="${b.inset}" y="${b.inset}" width="${PAGE.width - 2 * b.inset}" height="${PAGE.height - 2 * b.inset}" fill="none" stroke="${COLOUR}" stroke-width="${b.width}"/>`,
    ),
    ...placed.map(
      (p) =>
        `<text x="${p.x.toFixed(2)}" y="${p.y.toFixed(2)}" font-family="${FONT_FAMILY}" font-size="${p.size}" font-weight="${p.bold ? 700 : 400}" fill="${p.bold ? COLOUR : '#222222'}" xml:space="preserve">${escape(p.text)}</text>`,
    ),
    '</svg>',
  ].join('');
  const resvg = new Resvg(svg, {
    font: { fontFiles: [FONT_FILES.regular, FONT_FILES.bold], loadSystemFonts: false, defaultFontFamily: FONT_FAMILY },
    fitTo: { mode: 'zoom', value: PNG_SCALE },
  });
  return resvg.render().asPng();
}

/**
 * Places every line inside TEXT_BOX: the title centred at the top, the salutation and wrapped
 * body paragraphs below it, the signature right-aligned at the foot and the serial at the bottom
 * left. The body shrinks (20 pt down to 12 pt) until it fits between title and signature.
 */
function layout(content: CertificateContent, doc: PDFKit.PDFDocument): Placed[] {
  const width = (text: string, size: number, bold = false) =>
    doc
      .font(bold ? 'bold' : 'regular')
      .fontSize(size)
      .widthOfString(text);
  const boxWidth = TEXT_BOX.right - TEXT_BOX.left;
  const placed: Placed[] = [];

  const titleSize = fitSize(content.title, 40, boxWidth, (s) => width(content.title, s, true));
  placed.push({
    text: content.title,
    x: (PAGE.width - width(content.title, titleSize, true)) / 2,
    y: TEXT_BOX.top + titleSize,
    size: titleSize,
    bold: true,
  });

  const signatureSize = 16;
  const signatureTop = TEXT_BOX.bottom - content.signature.length * signatureSize * 1.6;
  content.signature.forEach((line, i) => {
    const size = fitSize(line, signatureSize, boxWidth, (s) => width(line, s));
    placed.push({ text: line, x: TEXT_BOX.right - width(line, size), y: signatureTop + (i + 1) * signatureSize * 1.6, size, bold: false });
  });
  if (content.serial) {
    const size = fitSize(content.serial, 11, boxWidth / 2, (s) => width(content.serial ?? '', s));
    placed.push({ text: content.serial, x: TEXT_BOX.left, y: TEXT_BOX.bottom, size, bold: false });
  }

  const bodyTop = TEXT_BOX.top + titleSize + 40;
  const bodyBottom = signatureTop - 16;
  for (const size of BODY_SIZES) {
    const lineHeight = size * 1.7;
    const lines = [
      ...wrap(content.salutation, boxWidth, (t) => width(t, size)).map((text) => ({ text, x: TEXT_BOX.left })),
      ...content.body.flatMap((paragraph) =>
        wrap(`\u3000\u3000${paragraph}`, boxWidth, (t) => width(t, size)).map((text) => ({ text, x: TEXT_BOX.left })),
      ),
    ];
    const fits = lines.length * lineHeight <= bodyBottom - bodyTop;
    if (fits || size === BODY_SIZES[BODY_SIZES.length - 1]) {
      const visible = fits ? lines : lines.slice(0, Math.floor((bodyBottom - bodyTop) / lineHeight));
      visible.forEach((line, i) =>
        placed.push({ ...line, y: bodyTop + (i + 1) * lineHeight - (lineHeight - size) / 2, size, bold: false }),
      );
      break;
    }
  }
  return placed;
}

/** The largest size up to `size` at which one line of text fits in `max` points. */
function fitSize(text: string, size: number, max: number, measure: (size: number) => number): number {
  let s = size;
  while (s > 8 && measure(s) > max) s -= 1;
  return s;
}

/** Breaks text into lines no wider than `max`, between any two characters, never starting a line with closing punctuation. */
function wrap(text: string, max: number, measure: (text: string) => number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const ch of text) {
    if (line && measure(line + ch) > max) {
      if (NO_LINE_START.has(ch) && line.length > 1) {
        const chars = [...line];
        const carried = chars.pop() ?? '';
        lines.push(chars.join(''));
        line = carried + ch;
        continue;
      }
      lines.push(line);
      line = ch;
      continue;
    }
    line += ch;
  }
  if (line) lines.push(line);
  return lines;
}
