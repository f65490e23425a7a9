import { ERROR_CATALOG, ErrorCode } from './error-codes';

export interface FieldProblem {
  field: string;
  /** class-validator constraint name (isString, maxLength, …) or a domain key */
  constraint: string;
  /** values the message template may use: the constraint's arguments */
  args?: unknown[];
}

/**
 * The one error type domain code throws. The global filter renders it as
 * `{statusCode, code, message}` in the caller's language.
 */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly params: Record<string, unknown> = {},
    readonly fields: FieldProblem[] = [],
    readonly headers: Record<string, string> = {},
  ) {
    super(`${code}${Object.keys(params).length ? ` ${JSON.stringify(params)}` : ''}`);
    this.name = 'DomainError';
  }

  get status(): number {
    return ERROR_CATALOG[this.code].status;
  }
}
