import { DevOutboxRepository } from './dev-outbox.repository';
import { SmsMessage, SmsProvider, SmsSendResult } from './sms.provider';

/**
 * The development provider: nothing leaves the machine; each message is stored so that
 * parent-api `GET /dev/outbox?phone=` shows it. Configuration refuses it in production.
 */
export class DevSmsProvider implements SmsProvider {
  readonly name = 'dev' as const;

  constructor(private readonly outbox: DevOutboxRepository) {}

  async send(message: SmsMessage): Promise<SmsSendResult> {
    const id = await this.outbox.insert({ channel: 'sms', phone: message.phone, template: message.template, params: message.params });
    return { ok: true, providerMessageId: id };
  }
}
