import { createHmac, randomInt } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { AppConfig, DomainError } from '@jiaxiao/common';
import { REDIS } from '@jiaxiao/platform';

export type SmsCodePurpose = 'login' | 'reset';

/**
 * Reserves a send against every limit in one step, before any slow work: the resend gap of the
 * phone and purpose, the phone's daily count and the IP's hourly count. Returns [0] when reserved,
 * else [which limit, seconds until it frees].
 */
const RESERVE = `
local gap = redis.call('TTL', KEYS[1])
if gap > 0 then return {1, gap} end
local day = tonumber(redis.call('GET', KEYS[2]) or '0')
if day >= tonumber(ARGV[2]) then return {2, redis.call('TTL', KEYS[2])} end
local ip = tonumber(redis.call('GET', KEYS[3]) or '0')
if ip >= tonumber(ARGV[4]) then return {3, redis.call('TTL', KEYS[3])} end
redis.call('SET', KEYS[1], '1', 'EX', ARGV[1])
redis.call('INCR', KEYS[2])
redis.call('EXPIRE', KEYS[2], ARGV[3], 'NX')
redis.call('INCR', KEYS[3])
redis.call('EXPIRE', KEYS[3], ARGV[5], 'NX')
return {0, 0}
`;

/**
 * Checks a code: the try is counted before the comparison, so parallel guesses get no more than
 * the allowed number of comparisons between them. A right code is used up; the last wrong try kills it.
 */
const VERIFY = `
local stored = redis.call('HGET', KEYS[1], 'h')
if not stored then return 0 end
local tries = redis.call('HINCRBY', KEYS[1], 'n', 1)
if tries > tonumber(ARGV[2]) then redis.call('DEL', KEYS[1]) return 0 end
if stored == ARGV[1] then redis.call('DEL', KEYS[1]) return 1 end
if tries >= tonumber(ARGV[2]) then redis.call('DEL', KEYS[1]) end
return 0
`;

/**
 * Six-digit sign-in and reset codes in Redis: one live code per phone and purpose (a new one
 * replaces it), kept only as an HMAC, valid SMS_CODE_TTL_SECONDS, dead after SMS_CODE_MAX_ATTEMPTS wrong tries.
 */
@Injectable()
export class SmsCodeService {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly config: AppConfig,
  ) {}

  /** Throws 429 (with Retry-After) when a limit is reached; otherwise the send is counted. */
  async reserveSend(phone: string, purpose: SmsCodePurpose, ip: string | undefined): Promise<void> {
    const c = this.config;
    const [limit, seconds] = (await this.redis.eval(
      RESERVE,
      3,
      `sms:gap:${purpose}:${phone}`,
      `sms:day:${phone}`,
      `sms:ip:${ip ?? 'unknown'}`,
      c.SMS_CODE_RESEND_SECONDS,
      c.SMS_CODE_DAILY_LIMIT,
      86_400,
      c.SMS_CODE_IP_HOURLY_LIMIT,
      3_600,
    )) as [number, number];
    if (limit === 0) return;
    const retryAfter = Math.max(1, seconds);
    const headers = { 'Retry-After': String(retryAfter) };
    if (limit === 1) throw new DomainError('SMS_CODE_TOO_SOON', { seconds: retryAfter }, [], headers);
    if (limit === 2) throw new DomainError('SMS_CODE_DAILY_LIMIT', {}, [], headers);
    throw new DomainError('SMS_CODE_IP_LIMIT', { minutes: Math.ceil(retryAfter / 60) }, [], headers);
  }

  /** A fresh code for the phone and purpose; the previous one stops working. */
  async issue(phone: string, purpose: SmsCodePurpose): Promise<string> {
    const code = randomInt(0, 1_000_000).toString().padStart(6, '0');
    const key = this.codeKey(phone, purpose);
    await this.redis
      .multi()
      .del(key)
      .hset(key, 'h', this.digest(phone, purpose, code), 'n', 0)
      .expire(key, this.config.SMS_CODE_TTL_SECONDS)
      .exec();
    return code;
  }

  /** True (and the code is used up) when it is the live code of the phone and purpose. */
  async consume(phone: string, purpose: SmsCodePurpose, code: string): Promise<boolean> {
    const ok = await this.redis.eval(
      VERIFY,
      1,
      this.codeKey(phone, purpose),
      this.digest(phone, purpose, code),
      this.config.SMS_CODE_MAX_ATTEMPTS,
    );
    return ok === 1;
  }

  private codeKey(phone: string, purpose: SmsCodePurpose) {
    return `sms:code:${purpose}:${phone}`;
  }

  /** Keyed with the JWT secret: a Redis dump alone does not let anyone try the 10^6 codes offline. */
  private digest(phone: string, purpose: SmsCodePurpose, code: string): string {
    return createHmac('sha256', this.config.JWT_SECRET).update(`${purpose}:${phone}:${code}`).digest('base64url');
  }
}
