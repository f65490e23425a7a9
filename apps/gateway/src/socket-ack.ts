import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import type { Logger } from 'pino';
import { DomainError, Language, renderMessage } from '@jiaxiao/common';
import { fieldsWithNul, isOutage, MAX_JSON_DEPTH, valueTooDeep } from '@jiaxiao/platform';
import type { Ack } from './socket-events';

type Dto<T> = new () => T;

/**
 * Runs one socket event: validates the payload like the HTTP pipe does, calls the service, and
 * turns every failure into `{ok:false, code, message}` — nothing a client sends can crash the node.
 */
export async function handle<P extends object, R extends object>(
  dto: Dto<P>,
  raw: unknown,
  language: Language,
  logger: Logger,
  work: (payload: P) => Promise<R>,
): Promise<Ack<R>> {
  try {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      return fail('BAD_REQUEST', language === 'en' ? 'the payload must be an object' : '消息内容必须是对象');
    }
    // Before anything recursive (class-transformer, class-validator) walks it.
    if (valueTooDeep(raw)) return fail('JSON_TOO_DEEP', renderMessage('JSON_TOO_DEEP', language, { max: MAX_JSON_DEPTH }));
    const payload = plainToInstance(dto, raw);
    const errors = await validate(payload, { whitelist: true, forbidNonWhitelisted: true });
    // PostgreSQL text cannot hold NUL: the HTTP pipe refuses such strings, and so must this door,
    // or the insert fails as an INTERNAL_ERROR.
    const invalid = [...errors.map((e) => e.property), ...fieldsWithNul(payload)];
    if (invalid.length > 0) {
      const fields = [...new Set(invalid)].join(', ');
      return fail('BAD_REQUEST', language === 'en' ? `invalid fields: ${fields}` : `以下字段有误：${fields}`);
    }
    return { ok: true, ...(await work(payload)) };
  } catch (error) {
    if (error instanceof DomainError) return fail(error.code, renderMessage(error.code, language, error.params));
    if (isOutage(error)) {
      logger.warn({ err: error }, 'socket handler: database or Redis unavailable');
      return fail('SERVICE_UNAVAILABLE', renderMessage('SERVICE_UNAVAILABLE', language));
    }
    logger.error({ err: error }, 'socket handler failed');
    return fail('INTERNAL_ERROR', renderMessage('INTERNAL_ERROR', language, { requestId: '-' }));
  }
}

function fail(code: string, message: string): Ack<never> {
  return { ok: false, code, message };
}
