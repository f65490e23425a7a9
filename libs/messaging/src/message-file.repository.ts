import { Inject, Injectable } from '@nestjs/common';
import { and, eq, isNull, sql } from 'drizzle-orm';
import { conversationMembers, DB, Database, messages } from '@jiaxiao/db';

/** Which messages carry a file: whether it is still in use, and who may read it through them. */
@Injectable()
export class MessageFileRepository {
  constructor(@Inject(DB) private readonly db: Database) {}

  /** Whether a message that is not recalled still carries the file. */
  async fileInUse(fileId: string): Promise<boolean> {
    const [row] = await this.db
      .select({ one: sql<number>`1` })
      .from(messages)
      .where(and(sql`${messages.payload} -> 'attachment' ->> 'fileId' = ${fileId}`, isNull(messages.recalledAt)))
      .limit(1);
    return Boolean(row);
  }

  /** A member of a conversation where the file was sent may read it. */
  async canReadFile(fileId: string, userId: string): Promise<boolean> {
    const [row] = await this.db
      .select({ one: sql<number>`1` })
      .from(messages)
      .innerJoin(
        conversationMembers,
        and(eq(conversationMembers.conversationId, messages.conversationId), eq(conversationMembers.userId, userId)),
      )
      .where(and(sql`${messages.payload} -> 'attachment' ->> 'fileId' = ${fileId}`, isNull(messages.recalledAt)))
      .limit(1);
    return Boolean(row);
  }
}
