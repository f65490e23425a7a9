/** What an upload is, decided from its first bytes; the file name is never trusted. */
interface Sniffed {
  mime: string;
  kind: 'image' | 'file';
}

export function sniff(content: Buffer): Sniffed | undefined {
  const starts = (...bytes: number[]) => bytes.every((b, i) => content[i] === b);
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return { mime: 'image/png', kind: 'image' };
  if (starts(0xff, 0xd8, 0xff)) return { mime: 'image/jpeg', kind: 'image' };
  if (content.subarray(0, 6).toString('latin1') === 'GIF87a' || content.subarray(0, 6).toString('latin1') === 'GIF89a') {
    return { mime: 'image/gif', kind: 'image' };
  }
  if (content.subarray(0, 4).toString('latin1') === 'RIFF' && content.subarray(8, 12).toString('latin1') === 'WEBP') {
    return { mime: 'image/webp', kind: 'image' };
  }
  if (content.subarray(0, 5).toString('latin1') === '%PDF-') return { mime: 'application/pdf', kind: 'file' };
  if (starts(0x50, 0x4b, 0x03, 0x04)) {
    // Office Open XML documents are zips whose entries name the application's folder.
    const head = content.subarray(0, Math.min(content.length, 64 * 1024)).toString('latin1');
    if (!head.includes('[Content_Types].xml')) return undefined;
    if (head.includes('word/')) return { mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', kind: 'file' };
    if (head.includes('xl/')) return { mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', kind: 'file' };
    if (head.includes('ppt/')) return { mime: 'application/vnd.openxmlformats-officedocument.presentationml.presentation', kind: 'file' };
  }
  return undefined;
}
