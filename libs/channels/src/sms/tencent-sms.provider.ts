import { sms } from 'tencentcloud-sdk-nodejs-sms';
import { splitEndpoint, TEMPLATE_PARAM_ORDER } from './sms-templates';
import { SmsMessage, SmsProvider, SmsSendResult, SmsTemplate } from './sms.provider';

interface TencentSmsOptions {
  secretId: string;
  secretKey: string;
  sdkAppId: string;
  signName: string;
  region: string;
  templateIds: Partial<Record<SmsTemplate, string>>;
  /** sms.tencentcloudapi.com unless configured (a private gateway, or a fake in tests) */
  endpoint: string;
  timeoutSeconds: number;
}

/** Error codes a later attempt can get past; everything else (bad number, template, signature, key) cannot. */
function retryable(code: string): boolean {
  return (
    code.startsWith('InternalError') ||
    code === 'RequestLimitExceeded' ||
    code === 'LimitExceeded.PhoneNumberThirtySecondLimit' ||
    code === 'FailedOperation.InsufficientBalanceInSmsPackage' ||
    code === 'ResourceUnavailable'
  );
}

type SmsClient = InstanceType<typeof sms.v20210111.Client>;

/** Tencent Cloud 短信 through its official SDK (SendSms, template id + positional parameters). */
export class TencentSmsProvider implements SmsProvider {
  readonly name = 'tencent' as const;
  private readonly client: SmsClient;

  constructor(private readonly options: TencentSmsOptions) {
    const { protocol, host } = splitEndpoint(options.endpoint);
    this.client = new sms.v20210111.Client({
      credential: { secretId: options.secretId, secretKey: options.secretKey },
      region: options.region,
      profile: { httpProfile: { endpoint: host, protocol: `${protocol}://`, reqTimeout: options.timeoutSeconds } },
    });
  }

  async send(message: SmsMessage): Promise<SmsSendResult> {
    const templateId = this.options.templateIds[message.template];
    if (!templateId) return { ok: false, error: `no Tencent template configured for ${message.template}`, retryable: false };
    try {
      const response = await this.client.SendSms({
        SmsSdkAppId: this.options.sdkAppId,
        SignName: this.options.signName,
        TemplateId: templateId,
        TemplateParamSet: TEMPLATE_PARAM_ORDER[message.template].map((key) => message.params[key] ?? ''),
        PhoneNumberSet: [`+86${message.phone}`],
      });
      const status = response.SendStatusSet?.[0];
      if (status?.Code === 'Ok') return { ok: true, providerMessageId: status.SerialNo };
      const code = status?.Code ?? 'UNKNOWN';
      return { ok: false, error: `${code}: ${status?.Message ?? ''}`.trim(), retryable: retryable(code) };
    } catch (error) {
      // TencentCloudSDKHttpException: `code` is the API's Error.Code, empty for a network failure.
      const { code, message: text } = error as { code?: string; message?: string };
      return { ok: false, error: `${code || 'NETWORK'}: ${text ?? ''}`.trim(), retryable: !code || retryable(code) };
    }
  }
}
