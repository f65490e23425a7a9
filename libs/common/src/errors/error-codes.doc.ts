import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ERROR_CATALOG } from './error-codes';

export const ERROR_CODES_DOC = 'docs/ERROR_CODES.md';

/** docs/ERROR_CODES.md from the catalogue: every code, its HTTP status and both messages, grouped by status. */
export function renderErrorCodesDoc(): string {
  const escape = (text: string) => text.replace(/\|/g, '\\|');
  const rows = Object.entries(ERROR_CATALOG)
    .map(([code, entry]) => ({ code, ...entry }))
    .sort((a, b) => a.status - b.status || a.code.localeCompare(b.code));
  return [
    '# Error codes',
    '',
    '<!-- Generated from libs/common/src/errors/error-codes.ts by `npm run docs:errors`; a test fails when this file is stale. -->',
    '',
    'Every error answers `{"statusCode", "code", "message"}`; `message` is Chinese by default and English with',
    '`Accept-Language: en`, `{placeholders}` filled in. `VALIDATION_FAILED` adds `"errors": [{"field", "message"}]`.',
    'Socket.IO acks carry the same `code` and `message` (`{ok: false, code, message}`).',
    '',
    '| status | code | 中文 | English |',
    '|---|---|---|---|',
    ...rows.map((r) => `| ${r.status} | \`${r.code}\` | ${escape(r.zh)} | ${escape(r.en)} |`),
    '',
  ].join('\n');
}

/** `npm run docs:errors`: rewrites the file at the repository root given as the first argument. */
if (require.main === module) {
  writeFileSync(join(process.argv[2] ?? process.cwd(), ERROR_CODES_DOC), renderErrorCodesDoc());
}
