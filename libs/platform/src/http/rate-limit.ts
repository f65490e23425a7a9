import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { AppConfig, DomainError } from '@jiaxiao/common';
import { renderError } from './error-renderer';
import { clientIp } from './client-ip';
import { hs256Verifier, VerifiedTokens } from './verified-tokens';

/** Counts a request in each window key and returns the counts; a key lives a little longer than its window. */
const HIT = `
local counts = {}
for i, key in ipairs(KEYS) do
  counts[i] = redis.call('INCR', key)
  if counts[i] == 1 then redis.call('PEXPIRE', key, ARGV[1]) end
end
return counts`;

/**
 * The general rate limit of every route: at most RATE_LIMIT_PER_IP requests per client IP and
 * RATE_LIMIT_PER_USER per signed-in user (a bearer token that verifies) in each fixed window of
 * RATE_LIMIT_WINDOW_SECONDS, counted in Redis so every node of every app shares the counts. Past
 * either, 429 RATE_LIMITED with Retry-After (the seconds left in the window). While Redis is not
 * connected the limit is not enforced: an outage answers 503 where the data is needed, not here.
 */
export function registerRateLimit(fastify: FastifyInstance, config: AppConfig, redis: Redis, logger: Logger): void {
  const perIp = config.RATE_LIMIT_PER_IP;
  const perUser = config.RATE_LIMIT_PER_USER;
  if (perIp === 0 && perUser === 0) return;
  const windowMs = config.RATE_LIMIT_WINDOW_SECONDS * 1000;
  const users = new SignedInUsers(config.JWT_SECRET);

  fastify.addHook('onRequest', async (request, reply) => {
    if (redis.status !== 'ready') return;
    const now = Date.now();
    const window = Math.floor(now / windowMs);
    const checks: { key: string; limit: number }[] = [];
    if (perIp > 0) checks.push({ key: `rl:ip:${clientIp(request) ?? 'unknown'}:${window}`, limit: perIp });
    const userId = perUser > 0 ? users.of(request.headers.authorization, now) : undefined;
    if (userId) checks.push({ key: `rl:user:${userId}:${window}`, limit: perUser });
    if (checks.length === 0) return;

    let counts: number[];
    try {
      const keys = checks.map(({ key }) => key);
      counts = (await redis.eval(HIT, keys.length, ...keys, windowMs + 1000)) as number[];
    } catch (error) {
      logger.warn({ err: error }, 'rate limit not checked: Redis did not answer');
      return;
    }
    if (checks.every(({ limit }, i) => counts[i] <= limit)) return;

    const retryAfter = Math.max(1, Math.ceil(((window + 1) * windowMs - now) / 1000));
    const { status, headers, body } = renderError(new DomainError('RATE_LIMITED'), request, logger);
    return reply
      .status(status)
      .headers({ ...headers, 'retry-after': String(retryAfter) })
      .send(body);
  });
}

/**
 * The user of a bearer access token whose signature and expiry check out; nobody otherwise
 * (VerifiedTokens keeps a checked token until it expires).
 */
export class SignedInUsers {
  private readonly tokens: VerifiedTokens<{ sub?: unknown; exp?: unknown; nbf?: unknown }>;

  constructor(secret: string) {
    this.tokens = new VerifiedTokens(hs256Verifier(secret));
  }

  of(authorization: string | undefined, now: number): string | undefined {
    const match = typeof authorization === 'string' ? /^Bearer\s+(\S+)$/i.exec(authorization) : null;
    if (!match) return undefined;
    const sub = this.tokens.claims(match[1], now)?.sub;
    return typeof sub === 'string' && /^[\w-]{1,64}$/.test(sub) ? sub : undefined;
  }
}
