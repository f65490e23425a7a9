import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { AppConfig, DomainError } from '@jiaxiao/common';
import { REDIS } from '@jiaxiao/platform';

/**
 * Counts the attempt first and decides in the same step, so that parallel attempts cannot all
 * pass a check made before any of them was counted. Returns [0] when the attempt may go on,
 * [1, ttl] when the phone is past its limit, [2, ttl] when the IP is.
 */
const RESERVE = `
local phone = tonumber(redis.call('GET', KEYS[1]) or '0')
if phone >= tonumber(ARGV[1]) then return {1, redis.call('TTL', KEYS[1])} end
local ip = tonumber(redis.call('GET', KEYS[2]) or '0')
if ip >= tonumber(ARGV[2]) then return {2, redis.call('TTL', KEYS[2])} end
redis.call('INCR', KEYS[1])
redis.call('EXPIRE', KEYS[1], ARGV[3], 'NX')
redis.call('INCR', KEYS[2])
redis.call('EXPIRE', KEYS[2], ARGV[3], 'NX')
return {0, 0}
`;

/** Forgets the phone's failures and returns the IP's reserved attempt (unless its window has already ended). */
const GIVE_BACK = `
redis.call('DEL', KEYS[1])
if tonumber(redis.call('GET', KEYS[2]) or '0') > 0 then redis.call('DECR', KEYS[2]) end
return 0
`;

/**
 * Password attempts per phone and per client IP within a window. An attempt is reserved
 * atomically before the (slow) hash is checked and given back when it succeeds, so the counts
 * are failures. Past the phone's limit, password login answers SMS_CODE_REQUIRED: the owner
 * signs in by SMS code (which clears the count) instead of being locked out by a stranger.
 * Past the IP's limit it answers 429 with Retry-After.
 */
@Injectable()
export class LoginThrottleService {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly config: AppConfig,
  ) {}

  async reserve(phone: string, ip: string | undefined): Promise<void> {
    const c = this.config;
    const [limit, ttl] = (await this.redis.eval(
      RESERVE,
      2,
      this.phoneKey(phone),
      this.ipKey(ip),
      c.LOGIN_MAX_FAILURES_PER_PHONE,
      c.LOGIN_MAX_FAILURES_PER_IP,
      c.LOGIN_FAILURE_WINDOW_SECONDS,
    )) as [number, number];
    if (limit === 1) throw new DomainError('SMS_CODE_REQUIRED');
    if (limit === 2) {
      const seconds = Math.max(1, ttl);
      throw new DomainError('TOO_MANY_LOGIN_ATTEMPTS', { minutes: Math.ceil(seconds / 60) }, [], { 'Retry-After': String(seconds) });
    }
  }

  /** A right password: the attempt was no failure, and the phone starts afresh. */
  async succeeded(phone: string, ip: string | undefined): Promise<void> {
    await this.redis.eval(GIVE_BACK, 2, this.phoneKey(phone), this.ipKey(ip));
  }

  /** The owner proved the phone (SMS code): its password failures no longer count. */
  async clear(phone: string): Promise<void> {
    await this.redis.del(this.phoneKey(phone));
  }

  private phoneKey(phone: string) {
    return `login:fail:phone:${phone}`;
  }

  /** Clients without a trustworthy address share one bucket: missing an IP must not lift the limit. */
  private ipKey(ip: string | undefined) {
    return `login:fail:ip:${ip ?? 'unknown'}`;
  }
}
