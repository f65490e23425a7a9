import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';

interface FetchedToken {
  token: string;
  /** seconds, as the vendor gives it (7200) */
  expiresIn: number;
}

interface Stored {
  token: string;
  /** epoch ms after which this node should refresh (before the vendor's expiry) */
  refreshAt: number;
}

/** Refresh this long before the vendor's expiry, so no call goes out with a token about to die. */
const REFRESH_MARGIN_MS = 5 * 60 * 1000;
const LOCK_MS = 15_000;
const WAIT_STEP_MS = 50;

const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;
const DROP_IF_SAME = `local v = redis.call('get', KEYS[1]) if v and cjson.decode(v).token == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

/**
 * An access_token (公众号 or WeCom) kept in Redis and shared by every node. Vendors allow a few
 * thousand token calls a day and each call invalidates the previous token after a grace
 * period, so exactly one node refreshes at a time (a Redis lock); the others keep using the
 * current token while it is still valid, or wait for the new one.
 */
export class AccessTokenCache {
  constructor(
    private readonly redis: Redis,
    private readonly key: string,
    private readonly fetchToken: () => Promise<FetchedToken>,
    private readonly waitMs = 5000,
  ) {}

  async get(): Promise<string> {
    const current = await this.read();
    if (current && current.refreshAt > Date.now()) return current.token;
    const deadline = Date.now() + this.waitMs;
    for (;;) {
      const lockId = randomUUID();
      if (await this.redis.set(`${this.key}:lock`, lockId, 'PX', LOCK_MS, 'NX')) {
        try {
          // Another node may have refreshed between our read and our lock.
          const again = await this.read();
          if (again && again.refreshAt > Date.now() && again.token !== current?.token) return again.token;
          const fetched = await this.fetchToken();
          const lifetimeMs = fetched.expiresIn * 1000;
          const stored: Stored = { token: fetched.token, refreshAt: Date.now() + Math.max(lifetimeMs - REFRESH_MARGIN_MS, lifetimeMs / 2) };
          await this.redis.set(this.key, JSON.stringify(stored), 'PX', lifetimeMs);
          return fetched.token;
        } finally {
          await this.redis.eval(RELEASE, 1, `${this.key}:lock`, lockId);
        }
      }
      // Someone else refreshes: a token still inside its lifetime serves meanwhile.
      if (current) return current.token;
      await new Promise((resolve) => setTimeout(resolve, WAIT_STEP_MS));
      const fresh = await this.read();
      if (fresh) return fresh.token;
      if (Date.now() > deadline) throw new Error('timed out waiting for another node to refresh the access token');
    }
  }

  /** The vendor said this token is expired or invalid: forget it (unless another node already replaced it). */
  async invalidate(token: string): Promise<void> {
    await this.redis.eval(DROP_IF_SAME, 1, this.key, token);
  }

  private async read(): Promise<Stored | undefined> {
    const raw = await this.redis.get(this.key);
    return raw ? (JSON.parse(raw) as Stored) : undefined;
  }
}
