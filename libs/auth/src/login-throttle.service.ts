import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { AppConfig, DomainError } from '@jiaxiao/common';
import { REDIS } from '@jiaxiao/platform';

/**
 * Failed logins counted in Redis per phone number and per client IP within a window
 * (10 per phone per 15 minutes by default). Past the limit, login answers 429 with Retry-After
 * without checking the password. A successful login clears the phone's count.
 */
@Injectable()
export class LoginThrottleService {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly config: AppConfig,
  ) {}

  async assertAllowed(phone: string, ip: string): Promise<void> {
    const keys = [this.phoneKey(phone), this.ipKey(ip)];
    const limits = [this.config.LOGIN_MAX_FAILURES_PER_PHONE, this.config.LOGIN_MAX_FAILURES_PER_IP];
    const results = await this.redis.multi().get(keys[0]).ttl(keys[0]).get(keys[1]).ttl(keys[1]).exec();
    const values = (results ?? []).map(([, value]) => value);
    for (let i = 0; i < 2; i++) {
      const count = Number(values[i * 2] ?? 0);
      if (count >= limits[i]) {
        const ttl = Math.max(1, Number(values[i * 2 + 1]) || this.config.LOGIN_FAILURE_WINDOW_SECONDS);
        throw new DomainError('TOO_MANY_LOGIN_ATTEMPTS', { minutes: Math.ceil(ttl / 60) }, [], { 'Retry-After': String(ttl) });
      }
    }
  }

  async recordFailure(phone: string, ip: string): Promise<void> {
    const window = this.config.LOGIN_FAILURE_WINDOW_SECONDS;
    const multi = this.redis.multi();
    for (const key of [this.phoneKey(phone), this.ipKey(ip)]) {
      multi.incr(key).expire(key, window, 'NX');
    }
    await multi.exec();
  }

  async clear(phone: string): Promise<void> {
    await this.redis.del(this.phoneKey(phone));
  }

  private phoneKey(phone: string) {
    return `login:fail:phone:${phone}`;
  }

  private ipKey(ip: string) {
    return `login:fail:ip:${ip}`;
  }
}
