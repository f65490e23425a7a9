import Dysmsapi, { SendSmsRequest } from '@alicloud/dysmsapi20170525';
import { $OpenApiUtil } from '@alicloud/openapi-core';
import { splitEndpoint } from './sms-templates';
import { SmsMessage, SmsProvider, SmsSendResult, SmsTemplate } from './sms.provider';

interface AliyunSmsOptions {
  accessKeyId: string;
  accessKeySecret: string;
  signName: string;
  templateIds: Partial<Record<SmsTemplate, string>>;
  /** dysmsapi.aliyuncs.com unless configured (a private gateway, or a fake in tests) */
  endpoint: string;
  timeoutSeconds: number;
}

/** Business codes (HTTP 200, Code ≠ OK) that a later attempt can get past. */
const RETRYABLE = new Set([
  'isp.SYSTEM_ERROR',
  'isp.RAM_PERMISSION_DENY',
  'isv.BUSINESS_LIMIT_CONTROL',
  'Throttling.User',
  'ServiceUnavailable',
]);

/** Aliyun 短信服务 through its official SDK (SendSms, template code + JSON parameters). */
export class AliyunSmsProvider implements SmsProvider {
  readonly name = 'aliyun' as const;
  private readonly client: Dysmsapi;

  constructor(private readonly options: AliyunSmsOptions) {
    const { protocol, host } = splitEndpoint(options.endpoint);
    const timeout = options.timeoutSeconds * 1000;
    this.client = new Dysmsapi(
      new $OpenApiUtil.Config({
        accessKeyId: options.accessKeyId,
        accessKeySecret: options.accessKeySecret,
        endpoint: host,
        protocol,
        connectTimeout: timeout,
        readTimeout: timeout,
      }),
    );
  }

  async send(message: SmsMessage): Promise<SmsSendResult> {
    const templateCode = this.options.templateIds[message.template];
    if (!templateCode) return { ok: false, error: `no Aliyun template configured for ${message.template}`, retryable: false };
    try {
      const response = await this.client.sendSms(
        new SendSmsRequest({
          phoneNumbers: message.phone,
          signName: this.options.signName,
          templateCode,
          templateParam: JSON.stringify(message.params),
        }),
      );
      const body = response.body;
      if (body?.code === 'OK') return { ok: true, providerMessageId: body.bizId };
      const code = body?.code ?? 'UNKNOWN';
      return { ok: false, error: `${code}: ${body?.message ?? ''}`.trim(), retryable: RETRYABLE.has(code) };
    } catch (error) {
      return vendorFailure(error);
    }
  }
}

/** An HTTP error from the API (bad key, signature, 5xx) or a network failure. */
function vendorFailure(error: unknown): SmsSendResult {
  const { code, statusCode, message } = error as { code?: string; statusCode?: number; message?: string };
  const status = typeof statusCode === 'number' ? statusCode : undefined;
  // No status: the request never got an answer (timeout, refused connection) — worth another try.
  const retryable = status === undefined || status >= 500 || status === 429 || (code !== undefined && RETRYABLE.has(code));
  return { ok: false, error: `${code ?? 'NETWORK'}: ${message ?? ''}`.trim(), retryable };
}
