import { Inject, Injectable } from '@nestjs/common';
import { desc, eq } from 'drizzle-orm';
import { DB, Database, devOutbox } from '@jiaxiao/db';

export interface OutboxEntry {
  channel: 'sms' | 'wechat';
  phone: string;
  template: string;
  params: Record<string, string>;
  createdAt: Date;
}

@Injectable()
export class DevOutboxRepository {
  constructor(@Inject(DB) private readonly db: Database) {}

  async insert(entry: Omit<OutboxEntry, 'createdAt'>): Promise<string> {
    const [row] = await this.db.insert(devOutbox).values(entry).returning({ id: devOutbox.id });
    return row.id;
  }

  /** Newest first; a phone's messages only when one is given. */
  list(phone: string | undefined, limit: number): Promise<OutboxEntry[]> {
    return this.db
      .select({
        channel: devOutbox.channel,
        phone: devOutbox.phone,
        template: devOutbox.template,
        params: devOutbox.params,
        createdAt: devOutbox.createdAt,
      })
      .from(devOutbox)
      .where(phone ? eq(devOutbox.phone, phone) : undefined)
      .orderBy(desc(devOutbox.createdAt), desc(devOutbox.id))
      .limit(limit);
  }
}
