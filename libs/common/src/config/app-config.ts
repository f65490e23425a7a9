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

  /** Where the H5 is reached from outside: join links and QR codes point under it. */
  @Matches(/^https?:\/\/[^/\s]+$/, { message: 'must be an http(s) origin without a trailing slash, e.g. https://jx.example.cn' })
  PUBLIC_BASE_URL = 'http://127.0.0.1:3000';

  /** Join requests: pending ones per user, and new ones per class an hour. */
  @Transform(({ value }) => toInt(value))
  @IsInt()
  @Min(1)
  JOIN_MAX_PENDING_PER_USER = 3;

  @Transform(({ value }) => toInt(value))
  @IsInt()
  @Min(1)
  JOIN_MAX_PER_CLASS_HOURLY = 60;

  /** How long a gateway trusts its last look at a socket's session before checking it again on the next event. */
  @Transform(({ value }) => toInt(value))
  @IsInt()
  @Min(0)
  @Max(300)
  SOCKET_SESSION_RECHECK_SECONDS = 5;

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

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent' = 'info';

  /** Lifetime of an access token, in seconds; a socket ends with its token unless the client sends `auth:refresh`. */
  @Transform(({ value }) => toInt(value))
  @IsInt()
  @Min(5)
  @Max(86400)
  ACCESS_TOKEN_TTL = 900;

  /** Lifetime of a refresh token, in days. */
  @Transform(({ value }) => toInt(value))
  @IsInt()
  @Min(1)
  @Max(365)
  REFRESH_TOKEN_TTL_DAYS = 30;

  /** Failed password logins per phone within the window; past it the phone must sign in by SMS code (401 SMS_CODE_REQUIRED). */
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

  /**
   * Key that seals secret ballots and survey answers until they are mixed into their anonymous
   * table (see docs/security.md). Keep it out of the database's reach; unset = derived from
   * JWT_SECRET. Changing it while ballots are pending makes them unreadable.
   */
  @IsOptional()
  @IsString()
  @MinLength(32)
  ANONYMOUS_SEAL_KEY?: string = undefined;

  /** Sealed survey answers of a school and year are moved to the anonymous table in shuffled batches of at least this many. */
  @Transform(({ value }) => toInt(value))
  @IsInt()
  @Min(2)
  @Max(1000)
  ANONYMOUS_BATCH_SIZE = 10;

  /** Offline credit: a check-in later than this many minutes after the start earns no credit (a lecture may set its own). */
  @Transform(({ value }) => toInt(value))
  @IsInt()
  @Min(0)
  @Max(240)
  ATTENDANCE_LATE_CHECKIN_MINUTES = 15;

  /** Offline credit: the share of the session (in %) between check-in and check-out, clipped to the session (a lecture may set its own). */
  @Transform(({ value }) => toInt(value))
  @IsInt()
  @Min(0)
  @Max(100)
  ATTENDANCE_MIN_PRESENCE_PERCENT = 80;

  /** 校长信箱: days each level (school, then district, then city) has to answer before the item moves up. */

  /** Sign-in and reset codes: lifetime, wrong tries before a code dies, gap between sends, sends per phone a day and per IP an hour. */
  @Transform(({ value }) => toInt(value))
  @IsInt()
  @Min(60)
  @Max(3600)
  SMS_CODE_TTL_SECONDS = 300;

  @Transform(({ value }) => toInt(value))
  @IsInt()
  @Min(1)
  @Max(20)
  SMS_CODE_MAX_ATTEMPTS = 5;

  @Transform(({ value }) => toInt(value))
  @IsInt()
  @Min(1)
  @Max(3600)
  SMS_CODE_RESEND_SECONDS = 60;

  @Transform(({ value }) => toInt(value))
  @IsInt()
  @Min(1)
  SMS_CODE_DAILY_LIMIT = 10;

  @Transform(({ value }) => toInt(value))
  @IsInt()
  @Min(1)
  SMS_CODE_IP_HOURLY_LIMIT = 30;

  /** Outbound SMS: `dev` stores messages for GET /dev/outbox (refused in production); `aliyun` or `tencent` send for real. */
  @IsIn(['dev', 'aliyun', 'tencent'])
  SMS_PROVIDER: 'dev' | 'aliyun' | 'tencent' = 'dev';

  /** The approved signature (签名) printed on every SMS, e.g. 潍坊家校共育. */
  @IsOptional()
  @IsString()
  SMS_SIGN_NAME?: string = undefined;

  /** The vendor's template id of each message kind: `login_code:SMS_1234,reset_code:SMS_5678,...`. */
  @IsOptional()
  @Matches(/^[a-z_]+:[\w-]+(,[a-z_]+:[\w-]+)*$/, { message: 'must look like login_code:SMS_123,reset_code:SMS_456' })
  SMS_TEMPLATE_IDS?: string = undefined;

  /** Aliyun AccessKey id / Tencent Cloud SecretId. */
  @IsOptional()
  @IsString()
  SMS_ACCESS_KEY_ID?: string = undefined;

  /** Aliyun AccessKey secret / Tencent Cloud SecretKey. */
  @IsOptional()
  @IsString()
  SMS_ACCESS_KEY_SECRET?: string = undefined;

  /** Tencent Cloud SMS SdkAppId (the application the templates belong to). */
  @IsOptional()
  @Matches(/^\d{5,20}$/, { message: 'must be the numeric SdkAppId' })
  SMS_SDK_APP_ID?: string = undefined;

  /** Tencent Cloud region of the SMS API. */
  @IsString()
  SMS_REGION = 'ap-guangzhou';

  /** The vendor's API endpoint: dysmsapi.aliyuncs.com / sms.tencentcloudapi.com by default; `http://host:port` for a private gateway or a fake. */
  @IsOptional()
  @Matches(/^(https?:\/\/)?[\w.-]+(:\d+)?$/, { message: 'must be a host name, optionally with http(s):// and a port' })
  SMS_ENDPOINT?: string = undefined;

  /** Seconds before a vendor call is given up (the delivery job then retries). */
  @Transform(({ value }) => toInt(value))
  @IsInt()
  @Min(1)
  @Max(60)
  MAILBOX_ANSWER_DAYS = 5;

  SMS_TIMEOUT_SECONDS = 10;

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
  if (config.SMS_PROVIDER === 'dev' && config.NODE_ENV === 'production') {
    variables.push('SMS_PROVIDER');
    problems.push('SMS_PROVIDER must be aliyun or tencent when NODE_ENV=production (the development outbox would expose sign-in codes)');
  }
  if (config.SMS_PROVIDER !== 'dev') {
    const needed: (keyof AppConfig)[] = ['SMS_SIGN_NAME', 'SMS_TEMPLATE_IDS', 'SMS_ACCESS_KEY_ID', 'SMS_ACCESS_KEY_SECRET'];
    if (config.SMS_PROVIDER === 'tencent') needed.push('SMS_SDK_APP_ID');
    const missing = needed.filter((k) => !config[k]);
    if (missing.length > 0) {
      variables.push(...missing);
      problems.push(`SMS_PROVIDER=${config.SMS_PROVIDER} needs ${missing.join(', ')}`);
    }
  }
  if (problems.length > 0) throw new ConfigError(variables, problems.join('; '));
  return config;
}
