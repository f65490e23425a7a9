import { plainToInstance, Transform } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, IsString, Max, Min, MinLength, validateSync } from 'class-validator';
import { toBoolean, toInt, isIpOrCidr } from './parse';
import { ChannelSettings } from './channel.settings';

/**
 * Every setting the platform reads, parsed and validated once at start-up: the infrastructure and the
 * channels (inherited), and the product's own rules below. Nothing else in the code base reads `process.env`.
 */
export class AppConfig extends ChannelSettings {
  /** Join requests: pending ones per user, and new ones per class an hour. */
  @Transform(({ value }) => toInt(value))
  @IsInt()
  @Min(1)
  JOIN_MAX_PENDING_PER_USER = 3;

  @Transform(({ value }) => toInt(value))
  @IsInt()
  @Min(1)
  JOIN_MAX_PER_CLASS_HOURLY = 60;

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
  @Transform(({ value }) => toInt(value))
  @IsInt()
  @Min(1)
  @Max(60)
  MAILBOX_ANSWER_DAYS = 5;
}

export class ConfigError extends Error {
  constructor(
    readonly variables: string[],
    detail: string,
  ) {
    super(`Invalid configuration: ${detail}`);
    this.name = 'ConfigError';
  }
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
