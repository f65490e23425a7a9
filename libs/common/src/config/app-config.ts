import { plainToInstance, Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, MinLength, validateSync } from 'class-validator';

const DEV_JWT_SECRET = 'jiaxiao-dev-secret-change-me';

/**
 * Every setting the platform reads, parsed and validated once at start-up.
 * Nothing else in the code base reads `process.env`.
 */
export class AppConfig {
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

  @IsString()
  @MinLength(16)
  JWT_SECRET: string = DEV_JWT_SECRET;

  /** PostgreSQL connection string; when unset the embedded PGlite under DATA_DIR is used. */
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/.+/, { message: 'must be a postgres:// connection string' })
  DATABASE_URL?: string = undefined;

  /** Where embedded data (PGlite, uploaded files) lives. */
  @IsString()
  DATA_DIR = '.data';

  @Matches(/^rediss?:\/\/.+/, { message: 'must be a redis:// URL' })
  REDIS_URL = 'redis://127.0.0.1:6379';

  /** Prefix of every Redis key and BullMQ queue, so several deployments (or test files) can share one Redis. */
  @Matches(/^[a-z0-9_-]{1,40}$/i, { message: 'must be 1-40 letters, digits, - or _' })
  REDIS_PREFIX = 'jx';

  /** How long the Socket.IO Redis streams adapter blocks on XREAD; shutdown waits up to this long. */
  @Transform(({ value }) => toInt(value))
  @IsInt()
  @Min(10)
  @Max(60000)
  SOCKET_STREAM_BLOCK_MS = 5000;

  /** S3-compatible storage for chat images and files; when unset they are kept under DATA_DIR/uploads. */
  @IsOptional()
  @Matches(/^https?:\/\/.+/, { message: 'must be an http(s) URL' })
  S3_ENDPOINT?: string = undefined;

  @IsOptional()
  @Matches(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, { message: 'must be a valid bucket name' })
  S3_BUCKET?: string = undefined;

  @IsString()
  S3_REGION = 'us-east-1';

  @IsOptional()
  @IsString()
  S3_ACCESS_KEY_ID?: string = undefined;

  @IsOptional()
  @IsString()
  S3_SECRET_ACCESS_KEY?: string = undefined;

  /** The public origin of parent-api (where the H5 is served): links in QR codes and messages point here. */
  @Matches(/^https?:\/\/[^/]+$/, { message: 'must be an http(s) origin without a path, e.g. https://jx.example.cn' })
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

  /** Lifetime of an access token, in seconds. */
  @Transform(({ value }) => toInt(value))
  @IsInt()
  @Min(60)
  @Max(86400)
  ACCESS_TOKEN_TTL = 900;

  /** Lifetime of a refresh token, in days. */
  @Transform(({ value }) => toInt(value))
  @IsInt()
  @Min(1)
  @Max(365)
  REFRESH_TOKEN_TTL_DAYS = 30;

  /** Failed logins per phone number within the window before login is refused with 429. */
  @Transform(({ value }) => toInt(value))
  @IsInt()
  @Min(1)
  LOGIN_MAX_FAILURES_PER_PHONE = 10;

  @Transform(({ value }) => toInt(value))
  @IsInt()
  @Min(1)
  LOGIN_MAX_FAILURES_PER_IP = 50;

  @Transform(({ value }) => toInt(value))
  @IsInt()
  @Min(1)
  LOGIN_FAILURE_WINDOW_SECONDS = 900;

  get usesEmbeddedDatabase(): boolean {
    return !this.DATABASE_URL;
  }

  get usesDevJwtSecret(): boolean {
    return this.JWT_SECRET === DEV_JWT_SECRET;
  }
}

export class ConfigError extends Error {
  constructor(readonly variables: string[], detail: string) {
    super(`Invalid configuration: ${detail}`);
    this.name = 'ConfigError';
  }
}

function toInt(value: unknown): unknown {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && /^-?\d+$/.test(value.trim())) return Number(value.trim());
  return value;
}

/**
 * Builds the configuration from an environment (process.env by default), plus overrides
 * (tests pass their own database and Redis prefix). Throws a ConfigError naming every bad variable.
 */
export function loadConfig(
  env: Record<string, string | undefined> = process.env,
  overrides: Partial<Record<keyof AppConfig, unknown>> = {},
): AppConfig {
  const known = Object.keys(new AppConfig());
  const input: Record<string, unknown> = {};
  for (const key of known) {
    const value = env[key];
    if (value !== undefined && value !== '') input[key] = value;
  }
  Object.assign(input, overrides);
  const config = plainToInstance(AppConfig, input, { exposeDefaultValues: true });
  const errors = validateSync(config, { skipMissingProperties: false });
  const problems = errors.map((e) => `${e.property} ${Object.values(e.constraints ?? {}).join(', ')}`);
  const variables = errors.map((e) => e.property);
  if (config.S3_ENDPOINT && (!config.S3_BUCKET || !config.S3_ACCESS_KEY_ID || !config.S3_SECRET_ACCESS_KEY)) {
    const missing = (['S3_BUCKET', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY'] as const).filter((k) => !config[k]);
    variables.push(...missing);
    problems.push(`S3_ENDPOINT is set, so ${missing.join(', ')} must be set too`);
  }
  if (config.NODE_ENV === 'production' && config.usesDevJwtSecret) {
    variables.push('JWT_SECRET');
    problems.push('JWT_SECRET must be set to a secret of at least 16 characters when NODE_ENV=production');
  }
  if (problems.length > 0) throw new ConfigError(variables, problems.join('; '));
  return config;
}
