import { Inject, Injectable } from '@nestjs/common';
import { UnrecoverableError } from 'bullmq';
import type { Logger } from 'pino';
import { JobPayloads, maskPhone } from '@jiaxiao/common';
import { LOGGER } from '@jiaxiao/platform';
import { SMS_PROVIDER, SMS_TEMPLATES, SmsProvider, SmsTemplate } from './sms.provider';

/**
 * Runs one `sms.send` job: a retryable vendor failure throws so the queue tries again with
 * backoff; a permanent one (bad number, refused template) fails the job without retrying.
 */
@Injectable()
export class SmsDeliveryService {
  constructor(
    @Inject(SMS_PROVIDER) private readonly provider: SmsProvider,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async send(job: JobPayloads['sms.send']): Promise<void> {
    if (!(SMS_TEMPLATES as readonly string[]).includes(job.template)) throw new UnrecoverableError(`unknown SMS template ${job.template}`);
    const result = await this.provider.send({ phone: job.phone, template: job.template as SmsTemplate, params: job.params });
    const to = maskPhone(job.phone);
    if (result.ok) {
      this.logger.info({ provider: this.provider.name, to, template: job.template, id: result.providerMessageId }, 'sms sent');
      return;
    }
    this.logger.warn(
      { provider: this.provider.name, to, template: job.template, error: result.error, retryable: result.retryable },
      'sms not sent',
    );
    if (result.retryable) throw new Error(`SMS to ${to} failed: ${result.error}`);
    throw new UnrecoverableError(`SMS to ${to} refused: ${result.error}`);
  }
}
