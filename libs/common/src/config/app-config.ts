import { isIP } from 'node:net';
import { plainToInstance, Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, MinLength, validateSync } from 'class-validator';

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

  /** Prefix of every Redis key and BullMQ queue, so several deployments (or test files) can share one Redis. */
  @Matches(/^[a-z0-9_-]{1,40}$/i, { message: 'must be 1-40 letters, digits, - or _' })
  REDIS_PREFIX = 'jx';

  /** How long the Socket.IO Redis streams adapter blocks on XREAD; shutdown waits up to this long. */
  @Transform(({ value }) => toInt(value))
  @IsInt()
  @Min(10)
  @Max(60000)
  SOCKET_STREAM_BLOCK_MS = 5000;

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

  /** with temporary (STS) credentials */
  @IsOptional()
  @IsString()
  S3_SESSION_TOKEN?: string = undefined;

  /** `bucket` in the path (MinIO) rather than in the host name (AWS, Aliyun OSS, Tencent COS) */
  @Transform(({ value }) => toBoolean(value))
  @IsBoolean()
  S3_FORCE_PATH_STYLE = false;

  @Transform(({ value }) => toInt(value))
  @IsInt()
  @Min(100)
  @Max(600000)
  S3_TIMEOUT_MS = 10000;

  @Transform(({ value }) => toInt(value))
  @IsInt()
  @Min(1)
  @Max(10)
  S3_MAX_ATTEMPTS = 3;

  /** lifetime of presigned download URLs (GET /files/:id redirects there); 0 streams files through the API */
  @Transform(({ value }) => toInt(value))
  @IsInt()
  @Min(0)
  @Max(3600)
  S3_PRESIGN_SECONDS = 300;

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

  /**
   * Whether chair_training (家委会主任培训) credits also count toward the chair's households' yearly
   * hours (the 8 hours). Decided: yes — a chair is a parent learning family education, and the
   * chair-training report counts the same credits separately. Set false to keep them apart.
   * teacher_training never counts toward households.
   */
  @Transform(({ value }) => toBoolean(value))
  @IsBoolean()
  CHAIR_TRAINING_COUNTS_FOR_HOUSEHOLDS = true;

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

  /** WeChat 公众号 (official account): app id and secret; WeChat sign-in and messages are off while unset. */
  @IsOptional()
  @Matches(/^wx[0-9a-zA-Z]{6,30}$/, { message: 'must be a 公众号 AppID (wx…)' })
  WECHAT_APP_ID?: string = undefined;

  @IsOptional()
  @IsString()
  @MinLength(8)
  WECHAT_APP_SECRET?: string = undefined;

  /** Base of the 公众号 server APIs (token, sns/oauth2, message sending); a stand-in server in tests. */
  @Matches(/^https?:\/\/.+[^/]$/, { message: 'must be an http(s) URL without a trailing slash' })
  WECHAT_API_BASE = 'https://api.weixin.qq.com';

  /** Base of the web-authorization page the H5 is sent to inside WeChat. */
  @Matches(/^https?:\/\/.+[^/]$/, { message: 'must be an http(s) URL without a trailing slash' })
  WECHAT_OAUTH_BASE = 'https://open.weixin.qq.com';

  /** `template` (模板消息) or `subscribe` (订阅通知, /cgi-bin/message/subscribe/bizsend). */
  @IsIn(['template', 'subscribe'])
  WECHAT_MESSAGE_API: 'template' | 'subscribe' = 'template';

  /** Template ids per kind of push; a kind without one is not sent by WeChat. */
  @IsOptional()
  @IsString()
  WECHAT_TEMPLATE_NOTICE?: string = undefined;

  @IsOptional()
  @IsString()
  WECHAT_TEMPLATE_LECTURE?: string = undefined;

  @IsOptional()
  @IsString()
  WECHAT_TEMPLATE_HOURS?: string = undefined;

  /** Per-request timeout of calls to WeChat and WeCom, in milliseconds. */
  @Transform(({ value }) => toInt(value))
  @IsInt()
  @Min(100)
  @Max(60000)
  WECHAT_TIMEOUT_MS = 5000;

  /** WeCom (企业微信) 家校沟通, for schools that use it instead of the 公众号. */
  @IsOptional()
  @IsString()
  WECOM_CORP_ID?: string = undefined;

  @IsOptional()
  @IsString()
  @MinLength(8)
  WECOM_SECRET?: string = undefined;

  @IsOptional()
  @Transform(({ value }) => toInt(value))
  @IsInt()
  WECOM_AGENT_ID?: number = undefined;

  @Matches(/^https?:\/\/.+[^/]$/, { message: 'must be an http(s) URL without a trailing slash' })
  WECOM_API_BASE = 'https://qyapi.weixin.qq.com';

  /** Comma-separated ids of the schools whose families are reached through WeCom instead of the 公众号. */
  @IsOptional()
  @Matches(/^[0-9a-f-]{36}(,[0-9a-f-]{36})*$/i, { message: 'must be comma-separated school ids' })
  WECOM_SCHOOL_IDS?: string = undefined;

  /** Hours after which a notice still unconfirmed (回执) is sent by SMS to the families that have not confirmed. */
  @Transform(({ value }) => toInt(value))
  @IsInt()
  @Min(1)
  @Max(720)
  NOTICE_SMS_AFTER_HOURS = 24;

  /** Text messages a school may send per calendar month (Asia/Shanghai) unless it has its own budget. */
  @Transform(({ value }) => toInt(value))
  @IsInt()
  @Min(0)
  SMS_MONTHLY_BUDGET = 2000;

  /** When families are not pushed by WeChat or SMS (HH:MM-HH:MM, Asia/Shanghai), except for urgent notices. */
  @Matches(/^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$/, { message: 'must be HH:MM-HH:MM' })
  FAMILY_QUIET_HOURS = '21:30-07:00';

  get wechatEnabled(): boolean {
    return Boolean(this.WECHAT_APP_ID && this.WECHAT_APP_SECRET);
  }

  get wecomEnabled(): boolean {
    return Boolean(this.WECOM_CORP_ID && this.WECOM_SECRET && this.WECOM_AGENT_ID !== undefined);
  }

  /**
   * The reverse proxies whose X-Forwarded-For is believed: comma-separated IPs or CIDRs (e.g.
   * `10.0.0.0/8,127.0.0.1`). Empty (the default): the header is ignored and the client is the
   * socket's address, so nobody can pick the IP that per-IP limits and the audit log see.
   */
  @Matches(/^\s*$|^\s*[0-9a-fA-F:.]+(\/\d{1,3})?\s*(,\s*[0-9a-fA-F:.]+(\/\d{1,3})?\s*)*$/, { message: 'must be a comma-separated list of IP addresses or CIDR ranges' })
  TRUSTED_PROXIES = '';

  /** Browser origins (scheme://host[:port]) allowed to call the REST apps cross-origin, comma-separated; empty (the default): none. */
  @Matches(/^\s*$|^\s*https?:\/\/[^/\s,]+\s*(,\s*https?:\/\/[^/\s,]+\s*)*$/, { message: 'must be a comma-separated list of origins such as https://jx.example.cn' })
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

export class ConfigError extends Error {
  constructor(readonly variables: string[], detail: string) {
    super(`Invalid configuration: ${detail}`);
    this.name = 'ConfigError';
  }
}

/** `true`/`1` and `false`/`0` from the environment; anything else fails validation. */
function toBoolean(value: unknown): unknown {
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  return value;
}

function isIpOrCidr(entry: string): boolean {
  const [address, bits, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (bits === undefined) return true;
  return /^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128);
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
  if (Boolean(config.WECHAT_APP_ID) !== Boolean(config.WECHAT_APP_SECRET)) {
    variables.push(config.WECHAT_APP_ID ? 'WECHAT_APP_SECRET' : 'WECHAT_APP_ID');
    problems.push('WECHAT_APP_ID and WECHAT_APP_SECRET must be set together');
  }
  if (config.WECOM_SCHOOL_IDS && !config.wecomEnabled) {
    variables.push('WECOM_SCHOOL_IDS');
    problems.push('WECOM_SCHOOL_IDS needs WECOM_CORP_ID, WECOM_SECRET and WECOM_AGENT_ID');
  }
  const badProxy = config.trustedProxies.find((entry) => !isIpOrCidr(entry));
  if (badProxy) {
    variables.push('TRUSTED_PROXIES');
    problems.push(`TRUSTED_PROXIES: ${badProxy} is not an IP address or CIDR range`);
  }
  if (config.API_PROCESSES > 1 && !config.DATABASE_URL) {
    variables.push('API_PROCESSES');
    problems.push('API_PROCESSES above 1 needs DATABASE_URL: the embedded PGlite database serves one process');
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
