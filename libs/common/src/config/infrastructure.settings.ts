import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, MinLength } from 'class-validator';
import { toInt } from './parse';

const DEV_JWT_SECRET = 'jiaxiao-dev-secret-change-me';

/** Where the platform runs: ports, processes, PostgreSQL and Redis, public URLs, logging, proxies, CORS and rate limits. */
export class InfrastructureSettings {
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  @Transform(({ value }) => toInt(value))
  @IsInt()
  @Min(0)
  @Max(65535)
  PARENT_API_PORT = 3000;

  @Transform(({ value }) => toInt(value))
  @IsInt()
  @Min(0)
  @Max(65535)
  GATEWAY_PORT = 3001;

  @Transform(({ value }) => toInt(value))
  @IsInt()
  @Min(0)
  @Max(65535)
  ADMIN_API_PORT = 3002;

  /**
   * Processes per REST app when it runs alone (`npm run start:parent-api` / `start:admin-api`):
   * node:cluster workers sharing the app's port. The apps keep no state of their own, so a host
   * with more cores serves more requests; needs DATABASE_URL (embedded PGlite is one process).
   */
  @Transform(({ value }) => toInt(value))
  @IsInt()
  @Min(1)
  @Max(64)
  API_PROCESSES = 1;

  @IsString()
  @MinLength(16)
  JWT_SECRET: string = DEV_JWT_SECRET;

  /** PostgreSQL connection string; when unset the embedded PGlite under DATA_DIR is used. */
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/.+/, { message: 'must be a postgres:// connection string' })
  DATABASE_URL?: string = undefined;

  /**
   * Connections each process keeps to DATABASE_URL. Every API process, gateway and worker holds its
   * own pool: their sum must stay under PostgreSQL's max_connections (100 by default).
   */
  @Transform(({ value }) => toInt(value))
  @IsInt()
  @Min(1)
  @Max(200)
  DATABASE_POOL_SIZE = 10;

  /**
   * How long a process keeps a caller's session and places and a family's course hours (read
   * caches, dropped at once by the database's change notifications); 0 reads every request afresh.
   * Needs DATABASE_URL: with the embedded PGlite nothing is cached.
   */
  @Transform(({ value }) => toInt(value))
  @IsInt()
  @Min(0)
  @Max(3600)
  READ_CACHE_SECONDS = 60;

  /** Where embedded data (PGlite, uploaded files) lives. */
  @IsString()
  DATA_DIR = '.data';

  @Matches(/^rediss?:\/\/.+/, { message: 'must be a redis:// URL' })
  REDIS_URL = 'redis://127.0.0.1:6379';

  /** The worker's own HTTP listener for /metrics and /health (Prometheus); 0 picks a free port. */
  @Transform(({ value }) => toInt(value))
  @IsInt()
  @Min(0)
  @Max(65535)
  WORKER_METRICS_PORT = 3003;

  /** How often the worker's relay looks for domain events a crash left in the outbox (producers hand theirs on at once). */
  @Transform(({ value }) => toInt(value))
  @IsInt()
  @Min(50)
  @Max(60000)
  OUTBOX_RELAY_MS = 1000;

  /** Prefix of every Redis key and BullMQ queue, so several deployments (or test files) can share one Redis. */
  @Matches(/^[a-z0-9_-]{1,40}$/i, { message: 'must be 1-40 letters, digits, - or _' })
  REDIS_PREFIX = 'jx';

  /** How long a gateway trusts its last look at a socket's session before checking it again on the next event. */
  @Transform(({ value }) => toInt(value))
  @IsInt()
  @Min(0)
  @Max(300)
  SOCKET_SESSION_RECHECK_SECONDS = 5;

  /** The public origin of parent-api (where the H5 is served): check-in QR codes and class join links point here. */
  @Matches(/^https?:\/\/[^/\s]+$/, { message: 'must be an http(s) origin without a path, e.g. https://jx.example.cn' })
  PUBLIC_BASE_URL = 'http://127.0.0.1:3000';

  /** The gateway's URL as browsers reach it; unset = the page's host name on GATEWAY_PORT. */
  @IsOptional()
  @Matches(/^(https?|wss?):\/\/.+/, { message: 'must be an http(s) or ws(s) URL' })
  GATEWAY_PUBLIC_URL?: string = undefined;

  /** The folder holding the built web apps (parent-h5/dist, admin-console/dist); unset = the project's web/. */
  @IsOptional()
  @IsString()
  WEB_ROOT?: string = undefined;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent' = 'info';

  /**
   * The reverse proxies whose X-Forwarded-For is believed: comma-separated IPs or CIDRs (e.g.
   * `10.0.0.0/8,127.0.0.1`). Empty (the default): the header is ignored and the client is the
   * socket's address, so nobody can pick the IP that per-IP limits and the audit log see.
   */
  @Matches(/^\s*$|^\s*[0-9a-fA-F:.]+(\/\d{1,3})?\s*(,\s*[0-9a-fA-F:.]+(\/\d{1,3})?\s*)*$/, {
    message: 'must be a comma-separated list of IP addresses or CIDR ranges',
  })
  TRUSTED_PROXIES = '';

  /** Browser origins (scheme://host[:port]) allowed to call the REST apps cross-origin, comma-separated; empty (the default): none. */
  @Matches(/^\s*$|^\s*https?:\/\/[^/\s,]+\s*(,\s*https?:\/\/[^/\s,]+\s*)*$/, {
    message: 'must be a comma-separated list of origins such as https://jx.example.cn',
  })
  CORS_ORIGINS = '';

  get corsOrigins(): string[] {
    return this.CORS_ORIGINS.split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  }

  /** General rate limit of every REST route: requests per window per client IP and per signed-in user; 0 turns one off. */
  @Transform(({ value }) => toInt(value))
  @IsInt()
  @Min(0)
  RATE_LIMIT_PER_IP = 3000;

  @Transform(({ value }) => toInt(value))
  @IsInt()
  @Min(0)
  RATE_LIMIT_PER_USER = 1200;

  @Transform(({ value }) => toInt(value))
  @IsInt()
  @Min(1)
  @Max(3600)
  RATE_LIMIT_WINDOW_SECONDS = 60;

  get trustedProxies(): string[] {
    return this.TRUSTED_PROXIES.split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  }

  get usesEmbeddedDatabase(): boolean {
    return !this.DATABASE_URL;
  }

  get usesDevJwtSecret(): boolean {
    return this.JWT_SECRET === DEV_JWT_SECRET;
  }
}
