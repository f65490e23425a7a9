import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, MinLength } from 'class-validator';
import { toBoolean, toInt } from './parse';
import { InfrastructureSettings } from './infrastructure.settings';

/** How the platform reaches people and stores files: SMS (codes, providers, budgets), WeChat, WeCom and S3. */
export class ChannelSettings extends InfrastructureSettings {
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
}
