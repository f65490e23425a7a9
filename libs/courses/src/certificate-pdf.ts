/**
 * A one-page A4 landscape PDF written by hand. Chinese text uses the standard Adobe-GB1 font
 * STSong-Light with the UniGB-UCS2-H encoding, which PDF readers provide themselves, so no
 * font file is embedded (and none has to be shipped).
 */
export interface CertificateText {
  title: string;
  lines: { text: string; size: number; y: number }[];
}

const WIDTH = 842;
const HEIGHT = 595;

export function certificatePdf(content: CertificateText): Buffer {
  const draw: string[] = ['0.55 0.1 0.1 RG 6 w 30 30 782 535 re S', '1 w 42 42 758 511 re S'];
  const centred = (text: string, size: number, y: number) => {
    // CJK glyphs are one em wide, Latin ones about half.
    const width = [...text].reduce((w, ch) => w + (ch.charCodeAt(0) > 0x2e80 ? size : size * 0.5), 0);
    draw.push(`BT /F1 ${size} Tf ${((WIDTH - width) / 2).toFixed(1)} ${y} Td <${utf16(text)}> Tj ET`);
  };
  centred(content.title, 40, 470);
  for (const line of content.lines) centred(line.text, line.size, line.y);
  const stream = draw.join('\n');

  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${WIDTH} ${HEIGHT}] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>`,
    '<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H /DescendantFonts [6 0 R] >>',
    `<< /Length ${Buffer.byteLength(stream, 'latin1')} >>\nstream\n${stream}\nendstream`,
    '<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 4 >> /FontDescriptor 7 0 R /DW 1000 >>',
    '<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [-25 -254 1000 880] /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >>',
  ];
  let body = '%PDF-1.4\n%\xe2\xe3\xcf\xd3\n';
  const offsets: number[] = [];
  objects.forEach((object, index) => {
    offsets.push(Buffer.byteLength(body, 'latin1'));
    body += `${index + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = Buffer.byteLength(body, 'latin1');
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  body += offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('');
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

function utf16(text: string): string {
  return [...text]
    .map((ch) => {
      const code = ch.codePointAt(0) ?? 0x3f;
      // UCS-2 only: characters outside the BMP (rare in names) print as a question mark.
      return (code > 0xffff ? 0x3f : code).toString(16).padStart(4, '0');
    })
    .join('')
    .toUpperCase();
}
