import type { Logger } from 'pino';
import { maskPhone } from '@jiaxiao/common';
import type { NotificationChannel } from '@jiaxiao/db';
import { ChannelProvider, OutboundMessage } from './channel.provider';

/**
 * The default provider: writes what would be sent to the log (phone masked). A WeChat or SMS
 * provider implements the same interface with the vendor's API.
 */
export class LoggingChannelProvider implements ChannelProvider {
  readonly name = 'log';

  constructor(
    readonly channel: Exclude<NotificationChannel, 'realtime'>,
    private readonly logger: Logger,
  ) {}

  async send(message: OutboundMessage): Promise<{ ok: boolean; detail?: string }> {
    this.logger.info({ channel: this.channel, to: maskPhone(message.phone), title: message.title }, 'outbound notification');
    return { ok: true };
  }
}
