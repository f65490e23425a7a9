import { JwtService } from '@nestjs/jwt';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { AppConfig, DomainError } from '@jiaxiao/common';
import { renderError } from './error-renderer';
import { clientIp } from './client-ip';

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
  const jwt = new JwtService({ secret: config.JWT_SECRET });

  fastify.addHook('onRequest', async (request, reply) => {
    if (redis.status !== 'ready') return;
    const now = Date.now();
    const window = Math.floor(now / windowMs);
    const checks: { key: string; limit: number }[] = [];
    if (perIp > 0) checks.push({ key: `rl:ip:${clientIp(request) ?? 'unknown'}:${window}`, limit: perIp });
    const userId = perUser > 0 ? signedInUser(request, jwt) : undefined;
    if (userId) checks.push({ key: `rl:user:${userId}:${window}`, limit: perUser });
    if (checks.length === 0) return;

    let counts: number[];
    try {
      const pipeline = redis.pipeline();
      for (const { key } of checks) pipeline.incr(key).pexpire(key, windowMs + 1000);
      const results = (await pipeline.exec()) ?? [];
      counts = checks.map((_, i) => Number(results[i * 2]?.[1] ?? 0));
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

/** The user id of a bearer access token whose signature and expiry check out; nobody otherwise. */
function signedInUser(request: FastifyRequest, jwt: JwtService): string | undefined {
  const header = request.headers.authorization;
  const match = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  if (!match) return undefined;
  try {
    const claims = jwt.verify<{ sub?: unknown }>(match[1], { algorithms: ['HS256'] });
    return typeof claims.sub === 'string' && /^[\w-]{1,64}$/.test(claims.sub) ? claims.sub : undefined;
  } catch {
    return undefined;
  }
}
