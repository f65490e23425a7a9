import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ERROR_CODES_DOC, renderErrorCodesDoc } from './error-codes.doc';
import { ERROR_CATALOG, ErrorCode } from './error-codes';
import { languageFrom, renderMessage } from './language';

describe('error codes', () => {
  describe('languageFrom', () => {
    it('is Chinese unless English is preferred', () => {
      expect(languageFrom(undefined)).toBe('zh');
      expect(languageFrom('')).toBe('zh');
      expect(languageFrom('zh-CN')).toBe('zh');
      expect(languageFrom('fr-FR, de')).toBe('zh');
      expect(languageFrom('*')).toBe('zh');
      expect(languageFrom('en')).toBe('en');
      expect(languageFrom('EN-us')).toBe('en');
      expect(languageFrom(['en-GB', 'zh'])).toBe('en');
    });

    it('ranks by q-value, keeping the header order among equals', () => {
      expect(languageFrom('zh-CN,zh;q=0.9,en;q=0.8')).toBe('zh');
      expect(languageFrom('en-US,en;q=0.9,zh-CN;q=0.8')).toBe('en');
      expect(languageFrom('zh;q=0.5, en;q=0.8')).toBe('en');
      expect(languageFrom('zh-CN;q=0.5, en-US;q=0.9')).toBe('en');
      expect(languageFrom('fr, en;q=0.7, zh;q=0.6')).toBe('en');
      expect(languageFrom('en;q=0.6, zh;q=0.6')).toBe('en');
      expect(languageFrom('zh;q=0.6, en;q=0.6')).toBe('zh');
      expect(languageFrom('zh ; q=0.2 , en ; q=1.0')).toBe('en');
    });

    it('treats q=0, or a q that is not a number, as "not acceptable"', () => {
      expect(languageFrom('en;q=0')).toBe('zh');
      expect(languageFrom('en;q=0, fr')).toBe('zh');
      expect(languageFrom('en;q=abc, zh;q=0.1')).toBe('zh');
    });
  });

  describe('renderMessage', () => {
    it('fills placeholders in either language', () => {
      expect(renderMessage('ROUTE_NOT_FOUND', 'zh', { route: 'GET /x' })).toBe('接口不存在：GET /x');
      expect(renderMessage('ROUTE_NOT_FOUND', 'en', { route: 'GET /x' })).toBe('No such route: GET /x');
      expect(renderMessage('TOO_MANY_LOGIN_ATTEMPTS', 'zh', { minutes: 15 })).toBe('登录失败次数过多，请 15 分钟后再试');
      expect(renderMessage('ROLE_SCOPE_MISMATCH', 'en', { role: 'teacher', scopeType: 'class' })).toBe(
        'Role teacher must be scoped to a class',
      );
    });

    it('leaves a placeholder without a value visible and ignores extra params', () => {
      expect(renderMessage('MALFORMED_REQUEST', 'en')).toBe('The request is malformed: {detail}');
      expect(renderMessage('FORBIDDEN', 'zh', { detail: 'x' })).toBe('没有权限执行此操作');
    });
  });

  it('every code has a 4xx/5xx status and the same placeholders in both languages', () => {
    const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const [code, entry] of Object.entries(ERROR_CATALOG) as [ErrorCode, (typeof ERROR_CATALOG)[ErrorCode]][]) {
      expect({ code, ok: entry.status >= 400 && entry.status < 600 }).toEqual({ code, ok: true });
      expect({ code, zh: placeholders(entry.zh) }).toEqual({ code, zh: placeholders(entry.en) });
      expect(code).toMatch(/^[A-Z][A-Z0-9_]+$/);
    }
  });
});

describe('docs/ERROR_CODES.md', () => {
  it('is what the catalogue generates (run `npm run docs:errors` after changing a code)', () => {
    const committed = readFileSync(join(__dirname, '../../../..', ERROR_CODES_DOC), 'utf8');
    expect(committed).toBe(renderErrorCodesDoc());
  });
});
