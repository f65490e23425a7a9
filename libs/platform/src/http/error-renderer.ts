import { HttpException } from '@nestjs/common';
import type { Logger } from 'pino';
import { DomainError, ERROR_CATALOG, ErrorCode, Language, languageFrom, renderFieldProblem, renderMessage } from '@jiaxiao/common';
import { isOutage, OUTAGE_RETRY_AFTER_SECONDS } from './outage';

export interface RenderedError {
  status: number;
  headers: Record<string, string>;
  body: {
    statusCode: number;
    code: ErrorCode;
    message: string;
    errors?: { field: string; message: string }[];
  };
}

interface RequestLike {
  id?: string;
  method?: string;
  url?: string;
  headers: Record<string, string | string[] | undefined>;
}

/**
 * Statuses of errors raised outside our code: Fastify's body parsing (Nest hands those on as
 * HttpExceptions carrying only the status), multipart limits, unknown routes. Our own code
 * throws DomainErrors, so a bare 400 here is always a body that could not be parsed.
 */
const STATUS_CODES: Record<number, ErrorCode> = {
  400: 'MALFORMED_REQUEST',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMITED',
  503: 'SERVICE_UNAVAILABLE',
};

/**
 * The one place an error becomes a response: `{statusCode, code, message}` in the caller's
 * language. PostgreSQL or Redis being away is a 503 with Retry-After; other unknown errors become
 * a masked 500 logged with the request id.
 */
export function renderError(error: unknown, request: RequestLike, logger: Logger): RenderedError {
  const language = languageFrom(request.headers['accept-language']);
  if (error instanceof DomainError) return fromDomain(error, language);

  if (error instanceof HttpException) {
    const status = error.getStatus();
    if (status === 404) {
      return build('ROUTE_NOT_FOUND', language, { route: `${request.method ?? ''} ${pathOf(request.url)}` });
    }
    if (STATUS_CODES[status]) return build(STATUS_CODES[status], language, malformed(language));
  }
  const statusCode = (error as { statusCode?: unknown })?.statusCode;
  if (typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500 && STATUS_CODES[statusCode]) {
    return build(STATUS_CODES[statusCode], language, malformed(language));
  }

  if (isOutage(error)) {
    logger.warn({ err: error, requestId: request.id, method: request.method, url: pathOf(request.url) }, 'database or Redis unavailable');
    const rendered = build('SERVICE_UNAVAILABLE', language);
    rendered.headers['retry-after'] = String(OUTAGE_RETRY_AFTER_SECONDS);
    return rendered;
  }
  logger.error({ err: error, requestId: request.id, method: request.method, url: pathOf(request.url) }, 'unhandled error');
  return build('INTERNAL_ERROR', language, { requestId: request.id ?? '-' });
}

function fromDomain(error: DomainError, language: Language): RenderedError {
  const rendered = build(error.code, language, error.params);
  if (error.fields.length > 0) {
    rendered.body.errors = error.fields.map((f) => ({ field: f.field, message: renderFieldProblem(f, language) }));
    if (error.code === 'VALIDATION_FAILED') {
      rendered.body.message = `${rendered.body.message}：${rendered.body.errors.map((e) => `${e.field} ${e.message}`).join('；')}`;
      if (language === 'en') rendered.body.message = rendered.body.message.replace('：', ': ').replace(/；/g, '; ');
    }
  }
  Object.assign(rendered.headers, error.headers);
  return rendered;
}

function build(code: ErrorCode, language: Language, params: Record<string, unknown> = {}): RenderedError {
  const status = ERROR_CATALOG[code].status;
  return { status, headers: {}, body: { statusCode: status, code, message: renderMessage(code, language, params) } };
}

function malformed(language: Language) {
  return {
    detail:
      language === 'en'
        ? 'the body could not be parsed (check the JSON and Content-Type)'
        : '请求体无法解析（请检查 JSON 格式和 Content-Type）',
  };
}

function pathOf(url: string | undefined): string {
  return (url ?? '').split('?')[0];
}
