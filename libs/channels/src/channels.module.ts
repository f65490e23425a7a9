import { Module } from '@nestjs/common';
import { AppConfig } from '@jiaxiao/common';
import { AliyunSmsProvider } from './sms/aliyun-sms.provider';
import { DevOutboxRepository } from './sms/dev-outbox.repository';
import { DevOutboxService } from './sms/dev-outbox.service';
import { DevSmsProvider } from './sms/dev-sms.provider';
import { SmsDeliveryService } from './sms/sms-delivery.service';
import { parseTemplateIds } from './sms/sms-templates';
import { SMS_PROVIDER, SmsProvider } from './sms/sms.provider';
import { TencentSmsProvider } from './sms/tencent-sms.provider';

/** Outbound channels. SMS_PROVIDER is the configured SMS vendor (or the development outbox). */
@Module({
  providers: [
    DevOutboxRepository,
    DevOutboxService,
    SmsDeliveryService,
    {
      provide: SMS_PROVIDER,
      inject: [AppConfig, DevOutboxRepository],
      useFactory: (config: AppConfig, outbox: DevOutboxRepository): SmsProvider => smsProviderFor(config, outbox),
    },
  ],
  exports: [SMS_PROVIDER, DevOutboxService, SmsDeliveryService],
})
export class ChannelsModule {}

function smsProviderFor(config: AppConfig, outbox: DevOutboxRepository): SmsProvider {
  // Configuration validation already refused a missing credential or `dev` in production.
  const common = {
    signName: config.SMS_SIGN_NAME ?? '',
    templateIds: parseTemplateIds(config.SMS_TEMPLATE_IDS),
    timeoutSeconds: config.SMS_TIMEOUT_SECONDS,
  };
  switch (config.SMS_PROVIDER) {
    case 'dev':
      return new DevSmsProvider(outbox);
    case 'aliyun':
      return new AliyunSmsProvider({
        ...common,
        accessKeyId: config.SMS_ACCESS_KEY_ID ?? '',
        accessKeySecret: config.SMS_ACCESS_KEY_SECRET ?? '',
        endpoint: config.SMS_ENDPOINT ?? 'dysmsapi.aliyuncs.com',
      });
    case 'tencent':
      return new TencentSmsProvider({
        ...common,
        secretId: config.SMS_ACCESS_KEY_ID ?? '',
        secretKey: config.SMS_ACCESS_KEY_SECRET ?? '',
        sdkAppId: config.SMS_SDK_APP_ID ?? '',
        region: config.SMS_REGION,
        endpoint: config.SMS_ENDPOINT ?? 'sms.tencentcloudapi.com',
      });
  }
}
