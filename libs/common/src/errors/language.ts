import { ERROR_CATALOG, ErrorCode } from './error-codes';

/** The languages error messages are written in: Chinese by default, English on request. */
export type Language = 'zh' | 'en';

/** Picks the language from an Accept-Language header: English when it prefers English, Chinese otherwise. */
export function languageFrom(acceptLanguage: string | string[] | undefined): Language {
  const header = Array.isArray(acceptLanguage) ? acceptLanguage.join(',') : (acceptLanguage ?? '');
  const ranked = header
    .split(',')
    .map((part) => {
      const [tag, ...params] = part.trim().toLowerCase().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { tag, q: q ? Number(q.slice(2)) || 0 : 1 };
    })
    // q=0 means "not acceptable" (RFC 9110), not "least preferred".
    .filter((entry) => entry.tag && entry.q > 0)
    .sort((a, b) => b.q - a.q);
  for (const { tag } of ranked) {
    if (tag.startsWith('en')) return 'en';
    if (tag.startsWith('zh')) return 'zh';
  }
  return 'zh';
}

export function renderMessage(code: ErrorCode, language: Language, params: Record<string, unknown> = {}): string {
  const template: string = ERROR_CATALOG[code][language];
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => (key in params ? String(params[key]) : whole));
}
