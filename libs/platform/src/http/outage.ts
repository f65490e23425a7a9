/** How long a client should wait before trying again while PostgreSQL or Redis is away, in seconds. */
export const OUTAGE_RETRY_AFTER_SECONDS = 5;

/** Node socket errors of a connection that could not be made or was cut. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * PostgreSQL SQLSTATEs meaning "the server is not there for you right now": connection
 * exceptions (class 08), operator intervention — shutdown, crash recovery, start-up (57P0x) — and
 * too many connections (53300).
 */
const PG_OUTAGE = /^(08...|57P0[1-4]|53300)$/;

/** What pg and ioredis say when their connection is gone (they carry no code). */
const OUTAGE_MESSAGES =
  /Connection terminated|Connection is closed|timeout exceeded when trying to connect|Client has encountered a connection error|the database system is (starting up|shutting down|in recovery mode)|Stream isn't writeable|Reached the max retries per request limit|Cannot use a pool after calling end/;

/**
 * Whether an error means PostgreSQL or Redis is unreachable (an outage to answer with 503 and
 * Retry-After) rather than a bug. Drizzle and BullMQ wrap driver errors, so the cause chain is walked.
 */
export function isOutage(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && typeof e === 'object' && depth < 6; depth++) {
    const { code, name, message, errors } = e as { code?: unknown; name?: unknown; message?: unknown; errors?: unknown };
    if (typeof code === 'string' && (NETWORK_CODES.has(code) || PG_OUTAGE.test(code))) return true;
    if (name === 'MaxRetriesPerRequestError') return true;
    if (typeof message === 'string' && OUTAGE_MESSAGES.test(message)) return true;
    // Node's AggregateError (a connection refused on both 127.0.0.1 and ::1)
    if (Array.isArray(errors) && errors.some((inner) => isOutage(inner))) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}
