import { ApiError } from '@jiaxiao/web-shared/api';
import { api, type Schemas } from './api';

/** Uploads a picked file (images ≤ 5 MB, documents ≤ 10 MB; the server checks the content). */
export async function upload(file: File): Promise<Schemas['FileDto']> {
  const form = new FormData();
  form.append('file', file, file.name);
  const response = await api.fetch('/uploads', { method: 'POST', body: form });
  if (!response.ok) throw await ApiError.fromResponse(response);
  return (await response.json()) as Schemas['FileDto'];
}

const cache = new Map<string, Promise<string>>();

/** An object URL of a protected file (files need the bearer token, so <img src> cannot fetch them itself). */
export function fileUrl(path: string): Promise<string> {
  let url = cache.get(path);
  if (!url) {
    url = api.fetch(path).then(async (response) => {
      if (!response.ok) throw await ApiError.fromResponse(response);
      return URL.createObjectURL(await response.blob());
    });
    url.catch(() => cache.delete(path));
    cache.set(path, url);
  }
  return url;
}

/** Saves a protected file (a certificate, an attachment) under its name. */
export async function download(path: string, name: string): Promise<void> {
  const href = await fileUrl(path);
  const link = document.createElement('a');
  link.href = href;
  link.download = name;
  document.body.appendChild(link);
  link.click();
  link.remove();
}

export function sizeText(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
