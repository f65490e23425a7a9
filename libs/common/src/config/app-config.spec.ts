import { AppConfig, ConfigError, loadConfig } from './app-config';

/** Loads a configuration from exactly this environment and returns the error it throws. */
function failure(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error(`loadConfig(${JSON.stringify(env)}) did not fail`);
}

describe('loadConfig', () => {
  it('has working defaults for development', () => {
    const config = loadConfig({});
    expect(config).toBeInstanceOf(AppConfig);
    expect(config).toMatchObject({
      NODE_ENV: 'development',
      PARENT_API_PORT: 3000,
      GATEWAY_PORT: 3001,
      ADMIN_API_PORT: 3002,
      REDIS_URL: 'redis://127.0.0.1:6379',
      REDIS_PREFIX: 'jx',
      DATA_DIR: '.data',
      ACCESS_TOKEN_TTL: 900,
      LOGIN_MAX_FAILURES_PER_PHONE: 10,
    });
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.usesEmbeddedDatabase).toBe(true);
    expect(config.usesDevJwtSecret).toBe(true);
  });

  it('reads numbers from strings and ignores empty and unknown variables', () => {
    const config = loadConfig({
      PARENT_API_PORT: ' 8080 ',
      ADMIN_API_PORT: '',
      DATABASE_URL: 'postgresql://u@db:5432/jx',
      SOMETHING_ELSE: 'x',
      PATH: '/bin',
    });
    expect(config.PARENT_API_PORT).toBe(8080);
    expect(config.ADMIN_API_PORT).toBe(3002);
    expect(config.DATABASE_URL).toBe('postgresql://u@db:5432/jx');
    expect(config.usesEmbeddedDatabase).toBe(false);
    expect(config).not.toHaveProperty('SOMETHING_ELSE');
  });

  it.each([
    ['PARENT_API_PORT', 'abc'],
    ['PARENT_API_PORT', '3000.5'],
    ['ADMIN_API_PORT', '70000'],
    ['GATEWAY_PORT', '-1'],
    ['REDIS_URL', 'http://x'],
    ['DATABASE_URL', 'mysql://root@localhost/jiaxiao'],
    ['NODE_ENV', 'staging'],
    ['LOG_LEVEL', 'verbose'],
    ['JWT_SECRET', 'too-short'],
    ['REDIS_PREFIX', 'has spaces'],
    ['ACCESS_TOKEN_TTL', '2'],
  ])('names %s when it is %p', (variable, value) => {
    const error = failure({ [variable]: value });
    expect(error.variables).toEqual([variable]);
    expect(error.message).toMatch(new RegExp(`^Invalid configuration: ${variable} `));
  });

  it('names every bad variable at once', () => {
    const error = failure({ PARENT_API_PORT: 'abc', REDIS_URL: 'http://x', DATABASE_URL: 'mysql://x' });
    expect([...error.variables].sort()).toEqual(['DATABASE_URL', 'PARENT_API_PORT', 'REDIS_URL']);
    for (const variable of error.variables) expect(error.message).toContain(variable);
  });

  it('TRUSTED_PROXIES: a list of IPs and CIDR ranges, none by default', () => {
    expect(loadConfig({}).trustedProxies).toEqual([]);
    expect(loadConfig({ TRUSTED_PROXIES: '10.0.0.0/8, 127.0.0.1,::1, fd00::/8' }).trustedProxies).toEqual([
      '10.0.0.0/8',
      '127.0.0.1',
      '::1',
      'fd00::/8',
    ]);
    for (const bad of ['10.0.0.0/33', 'proxy.local', '1.2.3.4/8/1', '999.0.0.1'])
      expect(failure({ TRUSTED_PROXIES: bad }).variables).toContain('TRUSTED_PROXIES');
  });

  it('requires JWT_SECRET in production', () => {
    const error = failure({ NODE_ENV: 'production', ...ALIYUN });
    expect(error.variables).toEqual(['JWT_SECRET']);
    expect(error.message).toContain('JWT_SECRET must be set');
    // The development default is no secret either.
    expect(failure({ NODE_ENV: 'production', JWT_SECRET: 'jiaxiao-dev-secret-change-me', ...ALIYUN }).variables).toEqual(['JWT_SECRET']);
    const config = loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'a-real-secret-of-32-characters!!', ...ALIYUN });
    expect(config.usesDevJwtSecret).toBe(false);
  });

  it('refuses the development SMS outbox in production and needs the vendor credentials', () => {
    expect(failure({ NODE_ENV: 'production', JWT_SECRET: 'a-real-secret-of-32-characters!!' }).variables).toEqual(['SMS_PROVIDER']);
    expect([...failure({ SMS_PROVIDER: 'tencent', SMS_SIGN_NAME: '家校' }).variables].sort()).toEqual([
      'SMS_ACCESS_KEY_ID',
      'SMS_ACCESS_KEY_SECRET',
      'SMS_SDK_APP_ID',
      'SMS_TEMPLATE_IDS',
    ]);
    expect(failure({ ...ALIYUN, SMS_TEMPLATE_IDS: 'login_code' }).variables).toEqual(['SMS_TEMPLATE_IDS']);
    expect(loadConfig(ALIYUN).SMS_PROVIDER).toBe('aliyun');
  });

  it('lets overrides win over the environment and validates them too', () => {
    expect(loadConfig({ REDIS_PREFIX: 'env' }, { REDIS_PREFIX: 'override' }).REDIS_PREFIX).toBe('override');
    expect(() => loadConfig({}, { SOCKET_SESSION_RECHECK_SECONDS: 500 })).toThrow(/SOCKET_SESSION_RECHECK_SECONDS/);
  });
});

const ALIYUN = {
  SMS_PROVIDER: 'aliyun',
  SMS_SIGN_NAME: '潍坊家校共育',
  SMS_TEMPLATE_IDS: 'login_code:SMS_1,reset_code:SMS_2',
  SMS_ACCESS_KEY_ID: 'id',
  SMS_ACCESS_KEY_SECRET: 'secret',
};

describe('WeChat, WeCom and delivery settings', () => {
  it('are off by default and need the AppID and secret together', () => {
    const config = loadConfig({});
    expect(config.wechatEnabled).toBe(false);
    expect(config.FAMILY_QUIET_HOURS).toBe('21:30-07:00');
    expect(() => loadConfig({ WECHAT_APP_ID: 'wx0123456789abcdef' })).toThrow(/WECHAT_APP_SECRET/);
    expect(loadConfig({ WECHAT_APP_ID: 'wx0123456789abcdef', WECHAT_APP_SECRET: 'secret-0123456789' }).wechatEnabled).toBe(true);
  });

  it('refuses malformed values, naming the variable', () => {
    expect(() => loadConfig({ FAMILY_QUIET_HOURS: '9pm-7am' })).toThrow(/FAMILY_QUIET_HOURS/);
    expect(() => loadConfig({ WECHAT_API_BASE: 'api.weixin.qq.com' })).toThrow(/WECHAT_API_BASE/);
    expect(() => loadConfig({ WECOM_SCHOOL_IDS: '3f1c2a9e-0000-4000-8000-000000000001' })).toThrow(/WECOM_SCHOOL_IDS/);
  });

  it('reads the SMS timeout and the mailbox deadline as whole numbers within their ranges', () => {
    expect(loadConfig({ SMS_TIMEOUT_SECONDS: '5', MAILBOX_ANSWER_DAYS: '7' })).toMatchObject({
      SMS_TIMEOUT_SECONDS: 5,
      MAILBOX_ANSWER_DAYS: 7,
    });
    expect(failure({ SMS_TIMEOUT_SECONDS: 'soon' }).variables).toEqual(['SMS_TIMEOUT_SECONDS']);
    expect(failure({ SMS_TIMEOUT_SECONDS: '0' }).variables).toEqual(['SMS_TIMEOUT_SECONDS']);
  });

  it('validates settings of every group (infrastructure, channels, rules) in one pass', () => {
    expect(failure({ GATEWAY_PORT: '70000', SMS_REGION: '', S3_TIMEOUT_MS: 'x', JOIN_MAX_PENDING_PER_USER: '0' }).variables.sort()).toEqual(
      ['GATEWAY_PORT', 'JOIN_MAX_PENDING_PER_USER', 'S3_TIMEOUT_MS'],
    );
  });
});
