import { createSecretKey } from 'node:crypto';
import { JwtService } from '@nestjs/jwt';
import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { AppConfig, DomainError } from '@jiaxiao/common';
import { renderError } from './error-renderer';
import { clientIp } from './client-ip';

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

/** How many verified tokens are remembered; the oldest is dropped first. */
const KNOWN_TOKENS = 10_000;

/**
 * The user of a bearer access token whose signature and expiry check out; nobody otherwise. A token
 * that verified is remembered with its user until it expires: a session sends the same token with
 * every request, and its signature cannot change, only its expiry pass.
 */
export class SignedInUsers {
  private readonly known = new Map<string, { userId: string; expiresAt: number }>();
  private readonly jwt: JwtService;

  constructor(secret: string) {
    // A KeyObject, not the string: given a string, jsonwebtoken first tries to parse it as a PEM
    // public key on every verify (a thrown OpenSSL error) and only then falls back to HMAC.
    this.jwt = new JwtService({ secret: createSecretKey(Buffer.from(secret, 'utf8')) });
  }

  of(authorization: string | undefined, now: number): string | undefined {
    const match = typeof authorization === 'string' ? /^Bearer\s+(\S+)$/i.exec(authorization) : null;
    if (!match) return undefined;
    const token = match[1];
    const known = this.known.get(token);
    if (known && now < known.expiresAt) return known.userId;
    if (known) this.known.delete(token);

    let claims: { sub?: unknown; exp?: unknown; nbf?: unknown };
    try {
      claims = this.jwt.verify(token, { algorithms: ['HS256'], clockTimestamp: Math.floor(now / 1000) });
    } catch {
      return undefined;
    }
    if (typeof claims.sub !== 'string' || !/^[\w-]{1,64}$/.test(claims.sub)) return undefined;
    // Remembered only with an expiry and no start time: then `now < exp` is all a verify would still check.
    if (typeof claims.exp === 'number' && claims.nbf === undefined) {
      if (this.known.size >= KNOWN_TOKENS) {
        const oldest = this.known.keys().next();
        if (!oldest.done) this.known.delete(oldest.value);
      }
      this.known.set(token, { userId: claims.sub, expiresAt: claims.exp * 1000 });
    }
    return claims.sub;
  }
}
