import type { NotificationChannel } from '@jiaxiao/db';

export interface OutboundMessage {
  userId: string;
  phone: string;
  title: string;
  body: string;
  data: Record<string, unknown>;
}

/** An outbound channel (WeChat subscribe messages, SMS). Providers are swapped by configuration. */
export interface ChannelProvider {
  readonly channel: Exclude<NotificationChannel, 'realtime'>;
  readonly name: string;
  send(message: OutboundMessage): Promise<{ ok: boolean; detail?: string }>;
}

export const CHANNEL_PROVIDERS = Symbol('CHANNEL_PROVIDERS');
