import { Injectable } from '@nestjs/common';
import { AppConfig } from '@jiaxiao/common';
import { DevOutboxRepository, OutboxEntry } from './dev-outbox.repository';

/** Reads what the development providers stored. Only served when they are the ones in use. */
@Injectable()
export class DevOutboxService {
  constructor(
    private readonly outbox: DevOutboxRepository,
    private readonly config: AppConfig,
  ) {}

  /** Whether GET /dev/outbox exists: never in production, never with a real SMS vendor. */
  static enabled(config: AppConfig): boolean {
    return config.NODE_ENV !== 'production' && config.SMS_PROVIDER === 'dev';
  }

  async list(phone: string | undefined): Promise<{ items: OutboxEntry[] }> {
    if (!DevOutboxService.enabled(this.config)) return { items: [] };
    return { items: await this.outbox.list(phone, 50) };
  }
}
